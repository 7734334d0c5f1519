/**
 * Seats stay exact when several app instances share one PostgreSQL database and the IdP pushes in
 * parallel: 4 processes, each with its own pool, serve 500 concurrent creates and reactivations
 * against a tier of 100 seats.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, rulePolicy } from 'seatkit';
import { postgresStorage } from 'seatkit/postgres';
import type { StorageAdapter } from '../../src/ports/storage-adapter';
import { createTestDatabase, pgServerUrl, PG_SKIP_REASON, query } from './support/pg-test-database';

const hasServer = pgServerUrl() !== '';
const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const TOKEN = 'race-token';
const SCHEMA = 'race';
const INSTANCES = 4;
const SEATS = 100;
const CREATES = 400;
const REACTIVATIONS = 100;

interface Outcome {
  readonly userId: string;
  readonly status: number;
  readonly license: string;
}

const startInstance = (url: string): Promise<{ child: ChildProcess; port: number }> => new Promise((resolve, reject) => {
  const child = fork(fileURLToPath(new URL('./support/pg-app-instance.ts', import.meta.url)), [url, SCHEMA], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.once('message', (message) => resolve({ child, port: (message as { port: number }).port }));
  child.once('exit', (code) => reject(new Error(`app instance exited with ${code} before serving`)));
});

// A fixed shuffle, so creates and reactivations interleave the same way on every run.
const interleave = <T>(items: T[]): T[] => {
  let seed = 42;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

describe.skipIf(!hasServer)(`seats under concurrency on PostgreSQL ${hasServer ? '' : PG_SKIP_REASON}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let storage: StorageAdapter;
  let instances: { child: ChildProcess; port: number }[] = [];
  let outcomes: Outcome[] = [];
  let deadlocksBefore = 0;

  const deadlocks = async () => Number((await query<{ deadlocks: string }>(database.url,
    'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()'))[0]!.deadlocks);

  beforeAll(async () => {
    database = await createTestDatabase();
    storage = await postgresStorage({ url: database.url, schema: SCHEMA });
    const seatkit = createSeatkit({ storage, policy: rulePolicy({ defaultTier: 'standard' }) });
    await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'standard', seats: SEATS }] }, tokens: [TOKEN] });
    const send = async (method: string, path: string, body: unknown, port?: number) => {
      const init = { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) };
      const response = port === undefined
        ? await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, init))
        : await fetch(`http://127.0.0.1:${port}/scim/v2${path}`, init);
      return { status: response.status, body: (await response.json()) as { id: string; [LICENSE]?: { status: string } } };
    };

    // Users the IdP deactivated earlier: they hold no seat until reactivated.
    const inactive: string[] = [];
    for (let i = 0; i < REACTIVATIONS; i++) inactive.push((await send('POST', '/Users', { userName: `returning${i}@acme.example`, active: false })).body.id);
    expect((await seatkit.usage('acme'))[0]).toMatchObject({ assigned: 0, pending: 0 });

    instances = await Promise.all(Array.from({ length: INSTANCES }, () => startInstance(database.url)));
    deadlocksBefore = await deadlocks();
    const requests = interleave([
      ...Array.from({ length: CREATES }, (_, i) => ({ kind: 'create' as const, i })),
      ...inactive.map((id) => ({ kind: 'reactivate' as const, id })),
    ]);
    // All 500 are in flight at once, spread over the instances as a load balancer would.
    outcomes = await Promise.all(requests.map(async (request, n) => {
      const port = instances[n % INSTANCES]!.port;
      const { status, body } = request.kind === 'create'
        ? await send('POST', '/Users', { userName: `new${request.i}@acme.example` }, port)
        : await send('PATCH', `/Users/${request.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: true }] }, port);
      return { userId: request.kind === 'create' ? body.id : request.id, status, license: body[LICENSE]?.status ?? 'none' };
    }));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map(({ child }) => new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })));
    await storage?.close();
    await database?.drop();
  });

  const assignments = () => query<{ user_id: string; status: string; queued_at: number | null }>(database.url,
    `SELECT user_id, status, queued_at FROM ${SCHEMA}.seatkit_assignments WHERE tenant_id = 'acme'`);

  it('answers every request with success, and each answer names the license it stored', async () => {
    expect(outcomes.filter((o) => o.status >= 300)).toEqual([]);
    const stored = new Map((await assignments()).map((a) => [a.user_id, a.status]));
    for (const o of outcomes) expect(stored.get(o.userId), o.userId).toBe(o.license);
  });

  it('assigns exactly the seats of the tier and queues everyone else', async () => {
    const rows = await assignments();
    expect(rows.filter((a) => a.status === 'assigned')).toHaveLength(SEATS);
    expect(rows.filter((a) => a.status === 'pending')).toHaveLength(CREATES + REACTIVATIONS - SEATS);
    expect(outcomes.filter((o) => o.license === 'assigned')).toHaveLength(SEATS);
  });

  it('gives every pending user its own queue position, with none skipped or handed out twice', async () => {
    const positions = (await assignments()).filter((a) => a.status === 'pending').map((a) => Number(a.queued_at)).sort((a, b) => a - b);
    const seq = Number((await query<{ license_seq: number }>(database.url, `SELECT license_seq FROM ${SCHEMA}.seatkit_tenants WHERE id = 'acme'`))[0]!.license_seq);
    expect(new Set(positions).size).toBe(positions.length);
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => seq - positions.length + 1 + i));
  });

  it('keeps the per-tier seat counts equal to a recount of the assignments', async () => {
    const [counts] = await query<{ assigned: number; pending: number }>(database.url,
      `SELECT assigned, pending FROM ${SCHEMA}.seatkit_seat_counts WHERE tenant_id = 'acme' AND tier = 'standard'`);
    const rows = await assignments();
    expect({ assigned: Number(counts!.assigned), pending: Number(counts!.pending) }).toEqual({
      assigned: rows.filter((a) => a.status === 'assigned').length,
      pending: rows.filter((a) => a.status === 'pending').length,
    });
    expect(await storage.read('acme', (r) => r.seatCounts())).toEqual(new Map([['standard', { assigned: SEATS, pending: CREATES + REACTIVATIONS - SEATS, releasing: 0 }]]));
  });

  it('hits no deadlock', async () => {
    expect(await deadlocks()).toBe(deadlocksBefore);
  });

  it('queues in commit order: seats went to the first commits, and queue positions follow commit time', async (context) => {
    const [setting] = await query<{ track_commit_timestamp: string }>(database.url, 'SHOW track_commit_timestamp');
    if (setting!.track_commit_timestamp !== 'on') {
      context.skip('the server runs without track_commit_timestamp, so commit order cannot be observed');
      return;
    }
    // xmin is the transaction that wrote the row; each assignment here was written once, by its own request.
    const rows = await query<{ status: string; queued_at: number | null; committed: Date }>(database.url,
      `SELECT status, queued_at, pg_xact_commit_timestamp(xmin) AS committed FROM ${SCHEMA}.seatkit_assignments WHERE tenant_id = 'acme'`);
    const lastAssigned = Math.max(...rows.filter((r) => r.status === 'assigned').map((r) => r.committed.getTime()));
    const pending = rows.filter((r) => r.status === 'pending').sort((a, b) => Number(a.queued_at) - Number(b.queued_at));
    expect(pending[0]!.committed.getTime()).toBeGreaterThanOrEqual(lastAssigned);
    const times = pending.map((r) => r.committed.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
