/**
 * What lists and lookups read on PostgreSQL at a size where a walk of the tenant shows: 20,000
 * users and 3,000 groups in one tenant, in a database whose default collation is linguistic (the
 * test cluster's is ICU en-US). Each statement seatkit sends is run again under EXPLAIN ANALYZE
 * with the planner's defaults, and the rows it reads are counted.
 */
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, rulePolicy, type Seatkit } from 'seatkit';
import { postgresStorage } from 'seatkit/postgres';
import type { StorageAdapter } from '../../src/ports/storage-adapter';
import { readPlan, type PlanReading } from './support/pg-plans';
import { createTestDatabase, pgServerUrl, PG_SKIP_REASON, query } from './support/pg-test-database';

const hasServer = pgServerUrl() !== '';
const TOKEN = 'plan-token';
const USERS = 20_000;
const GROUPS = 3_000;
const meta = { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 1 };
// Distinct creation times in id order, as real imports have.
const createdAt = (i: number) => ({ ...meta, created: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() });

describe.skipIf(!hasServer)(`PostgreSQL plans at scale ${hasServer ? '' : PG_SKIP_REASON}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: pg.Pool;
  let storage: StorageAdapter;
  let seatkit: Seatkit;
  const logged: CompiledQuery[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    const db = new Kysely({ dialect: new PostgresDialect({ pool }), log: (event) => { if (event.level === 'query') logged.push(event.query); } });
    storage = await postgresStorage({ db, schema: 'plans' });
    seatkit = createSeatkit({ storage, policy: rulePolicy({ defaultTier: 'standard' }) });
    await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'standard', seats: null }] }, tokens: [TOKEN] });
    await storage.write('acme', (unit) => unit.commit({
      putUsers: Array.from({ length: USERS }, (_, i) => ({ id: `u-${String(i).padStart(6, '0')}`, doc: { userName: `User${i}@acme.example`, externalId: `ext-${i}` }, meta: createdAt(i) })),
      putGroups: Array.from({ length: GROUPS }, (_, i) => ({ id: `g-${String(i).padStart(6, '0')}`, doc: { displayName: `Team ${i}`, externalId: `grp-ext-${i}` }, meta: createdAt(i) })),
    }));
    await query(database.url, 'ANALYZE plans.seatkit_users');
    await query(database.url, 'ANALYZE plans.seatkit_groups');
  });
  afterAll(async () => {
    await storage?.close();
    await pool?.end();
    await database?.drop();
  });

  /** Sends a GET and reads the plan of each of its statements on `table`. */
  const plansOf = async (path: string, table: 'users' | 'groups'): Promise<{ body: { totalResults: number; Resources: { id: string }[] }; plans: { sql: string; plan: PlanReading }[] }> => {
    logged.length = 0;
    const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(response.status, path).toBe(200);
    const body = (await response.json()) as { totalResults: number; Resources: { id: string }[] };
    const statements = logged.filter((q) => q.sql.includes(`"seatkit_${table}" as "r"`));
    expect(statements.length, path).toBeGreaterThan(0);
    const client = await pool.connect();
    try {
      const plans = [];
      for (const q of statements) plans.push({ sql: q.sql, plan: await readPlan(client, q) });
      return { body, plans };
    } finally {
      client.release();
    }
  };

  it('finds users by a userName prefix from an index, reading only the matches', async () => {
    // user1234, user12340 ... user12349: 11 of 20,000.
    const { body, plans } = await plansOf(`/Users?filter=${encodeURIComponent('userName sw "USER1234"')}&count=100`, 'users');
    expect(body.totalResults).toBe(11);
    for (const { sql, plan } of plans) {
      expect(plan.rowsRead.seatkit_users, sql).toBeLessThanOrEqual(11);
      expect(plan.indexes, sql).toContain('seatkit_users_user_name_prefix');
    }
  });

  it.each([
    ['displayName, in another case', 'displayName eq "team 1234"'],
    ['externalId', 'externalId eq "grp-ext-1234"'],
  ])('finds a group by %s from an index, reading one row', async (_, filter) => {
    const { body, plans } = await plansOf(`/Groups?filter=${encodeURIComponent(filter)}&excludedAttributes=members`, 'groups');
    expect(body.Resources.map((g) => g.id)).toEqual(['g-001234']);
    for (const { sql, plan } of plans) expect(plan.rowsRead.seatkit_groups, sql).toBeLessThanOrEqual(1);
  });

  it('serves a page from the creation-order index without sorting, reading the rows before it and the page', async () => {
    const first = await plansOf('/Users?count=100', 'users');
    const deep = await plansOf('/Users?startIndex=10001&count=100', 'users');
    expect(first.body.Resources[0]!.id).toBe('u-000000');
    expect(deep.body.Resources[0]!.id).toBe('u-010000');
    // The page statement is the one with LIMIT; the other is the count.
    const pageOf = (plans: { sql: string; plan: PlanReading }[]) => plans.find((p) => /\blimit\b/i.test(p.sql))!.plan;
    for (const [page, read] of [[pageOf(first.plans), 100], [pageOf(deep.plans), 10_100]] as const) {
      expect(page.nodes).not.toContain('Sort');
      expect(page.indexes).toContain('seatkit_users_created');
      // OFFSET's cost, stated: every row before the page is read and skipped.
      expect(page.rowsRead.seatkit_users).toBe(read);
    }
  });
});
