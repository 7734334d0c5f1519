/**
 * SQLite answers the lookups Okta and Entra send (a user's externalId, a group's displayName
 * ignoring case or externalId) from an index: SQLite's own query plan for each statement seatkit
 * sends names the index and its key. No ANALYZE runs, as none does in production, so the planner
 * has no statistics and must not prefer the creation-order index to save the page's sort.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, rulePolicy, type Seatkit } from 'seatkit';
import type { StorageAdapter } from '../../src/ports/storage-adapter';
import { migrate } from '../../src/storage/sql/migrate';
import type { Database } from '../../src/storage/sql/schema';
import { sqlStorage } from '../../src/storage/sql/sql-storage';
import { registerSqliteFunctions, sqliteDialect } from '../../src/storage/sql/sqlite-dialect';

const TOKEN = 'sqlite-plan-token';
const meta = { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 1 };

describe('SQLite lookups', () => {
  const database = new BetterSqlite3(':memory:');
  const logged: CompiledQuery[] = [];
  let storage: StorageAdapter;
  let seatkit: Seatkit;

  beforeAll(async () => {
    registerSqliteFunctions(database);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }), log: (event) => { if (event.level === 'query') logged.push(event.query); } });
    await migrate(db);
    storage = sqlStorage({ db, dialect: sqliteDialect });
    seatkit = createSeatkit({ storage, policy: rulePolicy({ defaultTier: 'standard' }) });
    await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'standard', seats: null }] }, tokens: [TOKEN] });
    await storage.write('acme', (unit) => unit.commit({
      putUsers: Array.from({ length: 500 }, (_, i) => ({ id: `u${i}`, doc: { userName: `user${i}@acme.example`, externalId: `ext-${i}` }, meta })),
      putGroups: Array.from({ length: 500 }, (_, i) => ({ id: `g${i}`, doc: { displayName: `Team ${i}`, externalId: `grp-ext-${i}` }, meta })),
    }));
  });
  afterAll(async () => {
    await storage?.close();
    database.close();
  });

  it.each([
    ['a user by externalId', 'Users', 'externalId eq "ext-42"', 'u42', 'seatkit_users_external_id_order'],
    ['a group by displayName, in another case', 'Groups', 'displayName eq "TEAM 42"', 'g42', 'seatkit_groups_display_name'],
    ['a group by externalId', 'Groups', 'externalId eq "grp-ext-42"', 'g42', 'seatkit_groups_external_id'],
  ])('finds %s through its index', async (_, resource, filter, id, index) => {
    logged.length = 0;
    const response = await seatkit.handle(new Request(`http://localhost/scim/v2/${resource}?filter=${encodeURIComponent(filter)}`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(((await response.json()) as { Resources: { id: string }[] }).Resources.map((r) => r.id)).toEqual([id]);
    const statements = logged.filter((q) => q.sql.includes(`"seatkit_${resource.toLowerCase()}" as "r"`));
    expect(statements.length).toBeGreaterThan(0);
    for (const q of statements) {
      const plan = (database.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail);
      expect(plan.join('\n'), q.sql).toMatch(new RegExp(`SEARCH r USING (COVERING )?INDEX ${index} \\(tenant_id=\\? AND`));
    }
  });
});
