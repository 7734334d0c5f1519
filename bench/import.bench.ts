/**
 * Initial import at scale, through the HTTP endpoint: 100,000 users POSTed to /Users with 16 requests
 * in flight (Entra's initial cycle and Okta imports push in parallel), against seatkit on memory,
 * SQLite and PostgreSQL, and against a bare node:http server that only reads the body and answers
 * 201 (the ceiling). Then, on each imported tenant, what must stay fast at that size: lookups by
 * userName, externalId and id, PATCH of one member of a 20,000-member group, and a page of 100.
 *
 * The server runs in its own process; this one only generates load.
 *
 * Run: npx tsx bench/import.bench.ts [bare] [memory] [sqlite] [postgres]
 * Env: BENCH_USERS (100000), BENCH_CONCURRENCY (16), BENCH_GROUP (20000),
 *      SEATKIT_BENCH_PG_URL (else a throwaway PostgreSQL cluster with default durability is started;
 *      on a given server each run gets a fresh schema, dropped afterwards, so runs can repeat).
 * For PostgreSQL it also prints the rows each list statement reads at that size (EXPLAIN ANALYZE).
 * Results go to docs/performance.md by hand.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Bench } from 'tinybench';
import { findPgBin, startPgCluster, type PgCluster } from '../test/storage/support/pg-cluster';
import { reportPlans } from './support/pg-plan-report';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const GROUP = Math.min(USERS, Number(process.env.BENCH_GROUP ?? 20_000));
const TOKEN = 'bench-token';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
type Kind = 'bare' | 'memory' | 'sqlite' | 'postgres';

const startServer = (kind: Kind, args: readonly string[]): Promise<{ child: ChildProcess; base: string }> => new Promise((resolve, reject) => {
  const child = fork(fileURLToPath(new URL('./support/bench-server.ts', import.meta.url)), [kind, ...args], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.once('message', (m) => resolve({ child, base: `http://127.0.0.1:${(m as { port: number }).port}/scim/v2` }));
  child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
});

const client = (base: string) => async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown> & { id: string }) : null;
};

const userBody = (i: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `user${i}@example.com`,
  externalId: `ext-${i}`,
  name: { givenName: `Given${i}`, familyName: `Family${i}` },
  emails: [{ value: `user${i}@example.com`, type: 'work', primary: true }],
  active: true,
});

/** POSTs every user with CONCURRENCY requests in flight; returns the ids and the rate. */
const importUsers = async (send: ReturnType<typeof client>) => {
  const ids: string[] = new Array(USERS);
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < USERS) {
      const i = next++;
      const t0 = performance.now();
      ids[i] = (await send('POST', '/Users', userBody(i)))!.id;
      latencies.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { ids, seconds, rate: USERS / seconds, p50: latencies[Math.floor(latencies.length / 2)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
};

const atScale = async (send: ReturnType<typeof client>, ids: readonly string[]) => {
  const group = (await send('POST', '/Groups', { displayName: 'Big' }))!.id;
  for (let start = 0; start < GROUP; start += 1000) {
    const value = ids.slice(start, Math.min(GROUP, start + 1000)).map((id) => ({ value: id }));
    await send('PATCH', `/Groups/${group}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value }] });
  }
  const extra = ids[GROUP % ids.length === 0 ? ids.length - 1 : GROUP]!;
  const any = () => Math.floor(Math.random() * USERS);
  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench
    .add('GET /Users?filter=userName eq (other case)', async () => { await send('GET', `/Users?filter=${encodeURIComponent(`userName eq "USER${any()}@example.com"`)}`); })
    .add('GET /Users?filter=externalId eq', async () => { await send('GET', `/Users?filter=${encodeURIComponent(`externalId eq "ext-${any()}"`)}`); })
    .add('GET /Users/{id}', async () => { await send('GET', `/Users/${ids[any()]}`); })
    .add(`PATCH add + remove one member, group of ${GROUP}`, async () => {
      await send('PATCH', `/Groups/${group}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: extra }] }] });
      await send('PATCH', `/Groups/${group}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${extra}"]` }] });
    })
    .add('GET /Users?count=100 (first page)', async () => { await send('GET', '/Users?count=100'); })
    .add(`GET /Users?startIndex=${Math.floor(USERS / 2) + 1}&count=100`, async () => { await send('GET', `/Users?startIndex=${Math.floor(USERS / 2) + 1}&count=100`); })
    .add('GET /Users?filter=userName sw "user4242" &count=100', async () => { await send('GET', `/Users?filter=${encodeURIComponent('userName sw "user4242"')}&count=100`); });
  await bench.run();
  const ms = (n: number | undefined) => (n === undefined ? '-' : `${n.toFixed(1)} ms`);
  return bench.tasks.map((t) => {
    const r = t.result as { latency?: { p50?: number; p99?: number } } | undefined;
    return { op: t.name, p50: ms(r?.latency?.p50), p99: ms(r?.latency?.p99) };
  });
};

// The lists and lookups whose plans matter at scale, as the IdPs send them.
const PLAN_PATHS = [
  `/Users?filter=${encodeURIComponent('userName eq "USER77@example.com"')}`,
  `/Users?filter=${encodeURIComponent('externalId eq "ext-77"')}`,
  `/Users?filter=${encodeURIComponent('userName sw "user4242"')}&count=100`,
  '/Users?count=100',
  `/Users?startIndex=${Math.floor(USERS / 2) + 1}&count=100`,
];

/** A server to import into: a throwaway cluster, or a fresh schema on SEATKIT_BENCH_PG_URL. */
const postgresTarget = async (): Promise<{ url: string; schema?: string; done: () => Promise<void> }> => {
  const given = process.env.SEATKIT_BENCH_PG_URL;
  if (given) {
    const schema = `seatkit_bench_${process.pid}_${Date.now()}`;
    const run = async (text: string) => {
      const client = new pg.Client({ connectionString: given });
      await client.connect();
      try {
        await client.query(text);
      } finally {
        await client.end();
      }
    };
    // The name is built from numbers only; seatkit creates the schema itself.
    return { url: given, schema, done: () => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
  }
  const bin = findPgBin();
  if (!bin) throw new Error('No PostgreSQL: set SEATKIT_BENCH_PG_URL or install initdb/pg_ctl');
  const cluster: PgCluster = await startPgCluster(bin, { durable: true });
  return { url: cluster.url, done: async () => cluster.stop() };
};

const main = async () => {
  const kinds = (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['bare', 'memory', 'sqlite', 'postgres']) as Kind[];
  console.log(`${USERS} users, ${CONCURRENCY} in flight, ${cpus().length} cores, Node ${process.version}`);
  for (const kind of kinds) {
    const sqliteFile = join(tmpdir(), `seatkit-import-${process.pid}.sqlite`);
    const postgres = kind === 'postgres' ? await postgresTarget() : null;
    const args = kind === 'sqlite' ? [sqliteFile] : postgres ? [postgres.url, ...(postgres.schema ? [postgres.schema] : [])] : [];
    const { child, base } = await startServer(kind, args);
    try {
      const send = client(base);
      const imported = await importUsers(send);
      console.log(`\n${kind}: imported ${USERS} users in ${imported.seconds.toFixed(1)} s = ${Math.round(imported.rate)} users/s (latency p50 ${imported.p50.toFixed(1)} ms, p99 ${imported.p99.toFixed(1)} ms)`);
      if (kind !== 'bare') console.table(await atScale(send, imported.ids));
      if (postgres) console.table(await reportPlans(postgres.url, postgres.schema, TOKEN, PLAN_PATHS));
    } finally {
      child.kill();
      await postgres?.done();
      for (const suffix of ['', '-wal', '-shm']) rmSync(sqliteFile + suffix, { force: true });
    }
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
