/**
 * Migrations on a database whose tables live in a schema of the search_path other than public, and
 * which was created before some columns and indexes existed: the next start adds those columns there
 * and fills them from the stored rows, so lookups that use them find what was stored before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, rulePolicy } from 'seatkit';
import { migratePostgres, postgresStorage } from 'seatkit/postgres';
import { createTestDatabase, onServer, pgServerUrl, PG_SKIP_REASON, query } from './support/pg-test-database';

const hasServer = pgServerUrl() !== '';
const TOKEN = 'migrate-token';
const meta = { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 1 };

describe.skipIf(!hasServer)(`PostgreSQL migrations ${hasServer ? '' : PG_SKIP_REASON}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);
    await query(database.url, 'CREATE SCHEMA app');
    // Every new session of this database resolves unqualified names in `app`, not `public`.
    await onServer(`ALTER DATABASE ${name} SET search_path = app`);
  });
  afterAll(async () => {
    await database?.drop();
  });

  const columnsOf = async (table: string) => (await query<{ column_name: string }>(database.url,
    'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', ['app', table])).map((r) => r.column_name);

  it('adds later columns to tables in the search_path\'s schema and fills the groups\' lookup columns from their documents', async () => {
    const storage = await postgresStorage({ url: database.url });
    await storage.putTenant({ id: 'acme', name: 'Acme', contract: { tiers: [{ key: 'standard', seats: 5 }] } });
    await storage.write('acme', (unit) => unit.commit({
      putGroups: [
        { id: 'g1', doc: { displayName: 'Straße Team', externalId: 'okta-g1' }, meta },
        { id: 'g2', doc: { displayName: 'Other' }, meta },
      ],
    }));
    await storage.close();
    expect(await columnsOf('seatkit_groups')).toContain('display_name_lower');

    // The tables as an earlier release left them: without these columns (and their indexes).
    await query(database.url, 'DROP INDEX app.seatkit_groups_display_name, app.seatkit_groups_external_id');
    await query(database.url, 'ALTER TABLE app.seatkit_groups DROP COLUMN display_name_lower, DROP COLUMN external_id');
    await query(database.url, 'ALTER TABLE app.seatkit_assignments DROP COLUMN reason');
    await query(database.url, 'CREATE INDEX seatkit_users_external_id ON app.seatkit_users (tenant_id, external_id)');

    await migratePostgres({ url: database.url });
    expect(await columnsOf('seatkit_groups')).toEqual(expect.arrayContaining(['display_name_lower', 'external_id']));
    expect(await columnsOf('seatkit_assignments')).toContain('reason');
    // The earlier externalId index gave way to one that also serves the list order.
    const indexes = (await query<{ indexname: string }>(database.url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'app'")).map((r) => r.indexname);
    expect(indexes).toContain('seatkit_users_external_id_order');
    expect(indexes).not.toContain('seatkit_users_external_id');
    expect(await query(database.url, 'SELECT id, display_name_lower, external_id FROM app.seatkit_groups ORDER BY id')).toEqual([
      { id: 'g1', display_name_lower: 'straße team', external_id: 'okta-g1' },
      { id: 'g2', display_name_lower: 'other', external_id: null },
    ]);

    const reopened = await postgresStorage({ url: database.url });
    try {
      const seatkit = createSeatkit({ storage: reopened, policy: rulePolicy({ defaultTier: 'standard' }) });
      await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'standard', seats: 5 }] }, tokens: [TOKEN] });
      const find = async (filter: string) => {
        const response = await seatkit.handle(new Request(`http://localhost/scim/v2/Groups?filter=${encodeURIComponent(filter)}`, { headers: { authorization: `Bearer ${TOKEN}` } }));
        return ((await response.json()) as { Resources: { id: string }[] }).Resources.map((g) => g.id);
      };
      expect(await find('displayName eq "straße TEAM"')).toEqual(['g1']);
      expect(await find('externalId eq "okta-g1"')).toEqual(['g1']);
    } finally {
      await reopened.close();
    }
  });
});
