/**
 * Bounded waits on PostgreSQL. A network that stops forwarding without closing must not leave a
 * request waiting for ever, nor its transaction holding the tenant's lock against every other
 * instance; a write queued behind a held lock, and a statement the server runs too long, answer 503
 * with Retry-After and keep nothing; this holds for seatkit's own pool, a host's pool and a host's
 * Kysely, and leaves the host's sessions as they were.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, type LicensePolicy, type Seatkit } from 'seatkit';
import { postgresStorage, type PostgresStorageOptions } from 'seatkit/postgres';
import type { StorageAdapter } from '../../src/ports/storage-adapter';
import { createTestDatabase, pgServerUrl, PG_SKIP_REASON, query } from './support/pg-test-database';
import { gatedPolicy } from './support/gated-policy';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

const hasServer = pgServerUrl() !== '';
const TOKEN = 'timeout-token';
const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SCHEMA = 'timeouts';

const expectUnavailable = async (response: Response) => {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = (await response.json()) as { schemas: string[]; status: string };
  expect(body.schemas).toEqual([SCIM_ERROR]);
  expect(body.status).toBe('503');
};

describe.skipIf(!hasServer)(`PostgreSQL timeouts ${hasServer ? '' : PG_SKIP_REASON}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  const opened: StorageAdapter[] = [];
  const pools: pg.Pool[] = [];
  const gates: ReturnType<typeof gatedPolicy>[] = [];
  let users = 0;

  const instance = async (options: PostgresStorageOptions, policy?: LicensePolicy): Promise<Seatkit> => {
    const storage = await postgresStorage({ schema: SCHEMA, poolSize: 2, ...options });
    opened.push(storage);
    return createSeatkit({ storage, policy: policy ?? { decideTier: () => ({ tier: 'standard', reason: 'everyone' }) }, onError: () => undefined });
  };
  const hostPool = () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  const gated = () => {
    const gate = gatedPolicy();
    gates.push(gate);
    return gate;
  };
  const send = (seatkit: Seatkit, method: string, path: string, body?: unknown) => seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }));
  const newUser = () => ({ userName: `user${++users}@acme.example` });
  const storedUsers = async () => Number((await query<{ n: string }>(database.url, `SELECT count(*) AS n FROM ${SCHEMA}.seatkit_users WHERE tenant_id = 'acme'`))[0]!.n);

  beforeAll(async () => {
    database = await createTestDatabase();
    const admin = await instance({ url: database.url });
    await admin.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'standard', seats: null }] }, tokens: [TOKEN] });
  });
  afterEach(() => {
    for (const gate of gates.splice(0)) gate.open();
  });
  afterAll(async () => {
    for (const storage of opened) await storage.close().catch(() => undefined);
    for (const pool of pools) await pool.end().catch(() => undefined);
    await database?.drop();
  });

  it('answers 503 in bounded time when the network hangs mid-write, and the server frees the tenant for other instances', async () => {
    const proxy: TcpProxy = await startTcpProxy(database.url);
    try {
      const gate = gated();
      const hung = await instance({ url: proxy.url, queryTimeoutMs: 1000, idleInTransactionTimeoutMs: 1000, statementTimeoutMs: 800 }, gate.policy);
      const healthy = await instance({ url: database.url, lockTimeoutMs: 5000 });
      expect((await send(hung, 'POST', '/Users', newUser())).status).toBe(201);
      const before = await storedUsers();

      const waiting = gate.arm();
      // Without the bounds this request would never be answered, and the test would time out.
      const pending = send(hung, 'POST', '/Users', newUser());
      await waiting;
      proxy.freeze();
      gate.open();
      await expectUnavailable(await pending);

      // Another instance writes to the same tenant: the server ended the silent session and its lock with it.
      const other = await send(healthy, 'POST', '/Users', newUser());
      expect(other.status).toBe(201);
      expect(await storedUsers()).toBe(before + 1);

      // The hung instance serves again once the network does.
      proxy.restore();
      expect((await send(hung, 'POST', '/Users', newUser())).status).toBe(201);
      expect(await storedUsers()).toBe(before + 2);
    } finally {
      await proxy.close();
    }
  });

  describe.each([
    ['seatkit\'s own pool', () => ({ url: database.url })],
    ['a host pool', () => ({ pool: hostPool() })],
    ['a host Kysely', () => ({ db: new Kysely({ dialect: new PostgresDialect({ pool: hostPool() }) }) })],
  ] as const)('on %s', (_, connection) => {
    it('answers 503 to a write that waits too long for its tenant\'s lock, and keeps nothing of it', async () => {
      const gate = gated();
      const holder = await instance({ url: database.url }, gate.policy);
      const waiter = await instance({ ...connection(), lockTimeoutMs: 300 });
      const waiting = gate.arm();
      const holding = send(holder, 'POST', '/Users', newUser());
      await waiting;
      const before = await storedUsers();
      // The holder keeps its lock until the gate opens, so only the lock timeout can answer this.
      await expectUnavailable(await send(waiter, 'POST', '/Users', newUser()));
      gate.open();
      expect((await holding).status).toBe(201);
      expect(await storedUsers()).toBe(before + 1);
      expect((await send(waiter, 'POST', '/Users', newUser())).status).toBe(201);
    });

    it('answers 503 to a statement the server runs too long, and keeps nothing of it', async () => {
      const seatkit = await instance({ ...connection(), statementTimeoutMs: 300, lockTimeoutMs: 0 });
      const before = await storedUsers();
      // Another session holds the users table, so the write's first read of it waits (not on the tenant lock).
      const blocker = new pg.Client({ connectionString: database.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(`LOCK TABLE ${SCHEMA}.seatkit_users IN ACCESS EXCLUSIVE MODE`);
        // The blocker holds the table until after this answer, so only the statement timeout can give one.
        await expectUnavailable(await send(seatkit, 'POST', '/Users', newUser()));
      } finally {
        await blocker.query('ROLLBACK');
        await blocker.end();
      }
      expect(await storedUsers()).toBe(before);
      expect((await send(seatkit, 'POST', '/Users', newUser())).status).toBe(201);
    });
  });

  it('sets a host pool\'s timeouts for its own transactions only, leaving the sessions as they were', async () => {
    const pool = hostPool();
    const settings = async () => {
      const client = await pool.connect();
      try {
        return (await client.query<{ s: string; l: string; i: string }>(
          "SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l, current_setting('idle_in_transaction_session_timeout') AS i")).rows[0];
      } finally {
        client.release();
      }
    };
    const before = await settings();
    const seatkit = await instance({ pool, lockTimeoutMs: 1234 });
    for (let i = 0; i < 3; i++) expect((await send(seatkit, 'POST', '/Users', newUser())).status).toBe(201);
    expect(await settings()).toEqual(before);
  });

  it('refuses a timeout that is not a whole number of milliseconds', async () => {
    await expect(postgresStorage({ url: database.url, lockTimeoutMs: -1 })).rejects.toThrow('lockTimeoutMs');
    await expect(postgresStorage({ url: database.url, queryTimeoutMs: 1.5 })).rejects.toThrow('queryTimeoutMs');
  });
});
