/**
 * When PostgreSQL goes away mid-request, the IdP gets a 503 with Retry-After and a SCIM error body,
 * nothing of the request is kept, and requests succeed again once the database is back. Lost
 * conflicts (serialization failures, deadlocks) run the unit of work again.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSeatkit, StorageUnavailableError, type Seatkit } from 'seatkit';
import { postgresStorage } from 'seatkit/postgres';
import type { StorageAdapter } from '../../src/ports/storage-adapter';
import { isPostgresTransient, isPostgresUnavailable } from '../../src/storage/sql/postgres-errors';
import { createTestDatabase, pgServerUrl, PG_SKIP_REASON, query } from './support/pg-test-database';
import { gatedPolicy } from './support/gated-policy';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

const hasServer = pgServerUrl() !== '';
const TOKEN = 'fault-token';
const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('PostgreSQL error classification', () => {
  const error = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it.each(['57P01', '57P03', '08006', '08001', '53300', '55P03', 'ECONNREFUSED', 'ECONNRESET'])('reads %s as unavailable', (code) => {
    expect(isPostgresUnavailable(error(code))).toBe(true);
  });
  it('reads the driver\'s own connection messages as unavailable', () => {
    expect(isPostgresUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isPostgresUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });
  it.each(['23505', '42P01', '22P02', '25P02'])('reads %s as a fault, not an outage', (code) => {
    expect(isPostgresUnavailable(error(code))).toBe(false);
    expect(isPostgresTransient(error(code))).toBe(false);
  });
  it('reads serialization failures and deadlocks as transient', () => {
    expect(isPostgresTransient(error('40001'))).toBe(true);
    expect(isPostgresTransient(error('40P01'))).toBe(true);
  });
});

describe.skipIf(!hasServer)(`PostgreSQL faults ${hasServer ? '' : PG_SKIP_REASON}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let storage: StorageAdapter;
  let seatkit: Seatkit;
  const gated = gatedPolicy();
  let users = 0;

  const send = (method: string, path: string, body?: unknown) => seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }));

  const expectUnavailable = async (response: Response) => {
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await response.json()) as { schemas: string[]; status: string; detail: string };
    expect(body.schemas).toEqual([SCIM_ERROR]);
    expect(body.status).toBe('503');
    expect(body.detail).not.toMatch(/127\.0\.0\.1|postgres:|ECONN/);
  };

  // What the database holds for the tenant, read around the proxy.
  const stored = async () => ({
    users: Number((await query<{ n: string }>(database.url, "SELECT count(*) AS n FROM faults.seatkit_users WHERE tenant_id = 'acme'"))[0]!.n),
    assignments: Number((await query<{ n: string }>(database.url, "SELECT count(*) AS n FROM faults.seatkit_assignments WHERE tenant_id = 'acme'"))[0]!.n),
    counts: await query(database.url, "SELECT tier, assigned, pending FROM faults.seatkit_seat_counts WHERE tenant_id = 'acme' ORDER BY tier"),
    seq: (await query<{ license_seq: number }>(database.url, "SELECT license_seq FROM faults.seatkit_tenants WHERE id = 'acme'"))[0]!.license_seq,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(database.url);
    storage = await postgresStorage({ url: proxy.url, schema: 'faults', poolSize: 4 });
    seatkit = createSeatkit({ storage, policy: gated.policy, onError: () => undefined });
    await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'standard', seats: 1 }] }, tokens: [TOKEN] });
  });
  beforeEach(() => proxy.restore());
  afterEach(() => gated.open());
  afterAll(async () => {
    await storage?.close();
    await proxy?.close();
    await database?.drop();
  });

  const newUser = () => ({ userName: `user${++users}@acme.example` });

  it('answers 503 with Retry-After and a SCIM error when the connection drops mid-request, and keeps nothing of it', async () => {
    expect((await send('POST', '/Users', newUser())).status).toBe(201);
    const before = await stored();
    const waiting = gated.arm();
    const user = newUser();
    const pending = send('POST', '/Users', user);
    await waiting;
    proxy.cut();
    gated.open();
    await expectUnavailable(await pending);
    expect(await stored()).toEqual(before);
  });

  it('answers 503 while the database is away, and serves again once it is back', async () => {
    proxy.cut();
    await expectUnavailable(await send('POST', '/Users', newUser()));
    await expectUnavailable(await send('GET', '/Users?filter=userName eq "user1@acme.example"'));
    proxy.restore();
    const user = newUser();
    expect((await send('POST', '/Users', user)).status).toBe(201);
    const found = (await (await send('GET', `/Users?filter=userName eq "${user.userName}"`)).json()) as { totalResults: number };
    expect(found.totalResults).toBe(1);
  });

  it('answers 503 when the server ends the session mid-request (pg_terminate_backend), then recovers', async () => {
    const before = await stored();
    const waiting = gated.arm();
    const pending = send('POST', '/Users', newUser());
    await waiting;
    const ended = await query<{ ended: boolean }>(database.url,
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = \'client backend\'');
    expect(ended.length).toBeGreaterThan(0);
    gated.open();
    await expectUnavailable(await pending);
    expect(await stored()).toEqual(before);
    expect((await send('POST', '/Users', newUser())).status).toBe(201);
  });

  it('runs a unit of work again when it lost a serialization conflict or a deadlock', async () => {
    let attempts = 0;
    const seq = await storage.write('acme', async (unit) => {
      attempts++;
      if (attempts < 3) throw Object.assign(new Error('could not serialize access'), { code: attempts === 1 ? '40001' : '40P01' });
      const current = await unit.licenseSeq();
      await unit.commit({ licenseSeq: current + 1 });
      return current + 1;
    });
    expect(attempts).toBe(3);
    expect(await storage.read('acme', (r) => r.licenseSeq())).toBe(seq);
  });

  it('reports a conflict that keeps coming back as unavailable, having kept nothing', async () => {
    const before = await storage.read('acme', (r) => r.licenseSeq());
    let attempts = 0;
    const outcome = storage.write('acme', async (unit) => {
      attempts++;
      await unit.commit({ licenseSeq: before + 100 });
      throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    });
    await expect(outcome).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(attempts).toBe(3);
    expect(await storage.read('acme', (r) => r.licenseSeq())).toBe(before);
  });
});
