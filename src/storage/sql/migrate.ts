/**
 * Creates seatkit's tables and indexes. Safe to run on every start: everything is created only when
 * missing, in one transaction, so a crash or a second process never leaves half a schema.
 *
 * Only portable column types are used (text and integer; JSON is stored as text), so the same
 * migration serves SQLite and PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import { tables as tablesFor, type Database } from './schema';

export interface MigrateOptions {
  /** Defaults to `seatkit_`. */
  readonly tablePrefix?: string;
  /** A PostgreSQL schema to hold the tables, created when missing; defaults to the connection's search_path. */
  readonly schema?: string;
}

/**
 * Creates the tables and indexes that do not exist yet.
 * @example
 * await migrate(db, { tablePrefix: 'seatkit_' });
 */
export const migrate = async (db: Kysely<Database>, options: MigrateOptions = {}): Promise<void> => {
  const t = tablesFor(options.tablePrefix, options.schema);
  // Constraint and index names share one namespace per schema (in PostgreSQL too), so they carry the prefix.
  const n = (suffix: string) => `${t.prefix}${suffix}`;

  await db.transaction().execute(async (trx) => {
    const schema = trx.schema;
    if (t.schema !== undefined) await schema.createSchema(t.schema).ifNotExists().execute();

    await schema.createTable(t.name('tenants')).ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('contract', 'text', (c) => c.notNull())
      .addColumn('license_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await schema.createTable(t.name('tokens')).ifNotExists()
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .execute();
    await schema.createIndex(n('tokens_tenant')).ifNotExists().on(t.name('tokens')).columns(['tenant_id']).execute();

    await schema.createTable(t.name('users')).ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('user_name', 'text', (c) => c.notNull())
      .addColumn('user_name_lower', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('active', 'integer')
      .addColumn('display_name', 'text')
      .addColumn('doc', 'text', (c) => c.notNull())
      .addColumn('created', 'text', (c) => c.notNull())
      .addColumn('last_modified', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(n('users_pk'), ['tenant_id', 'id'])
      .addUniqueConstraint(n('users_user_name'), ['tenant_id', 'user_name_lower'])
      .execute();
    await schema.createIndex(n('users_external_id')).ifNotExists().on(t.name('users')).columns(['tenant_id', 'external_id']).execute();
    await schema.createIndex(n('users_created')).ifNotExists().on(t.name('users')).columns(['tenant_id', 'created', 'id']).execute();

    await schema.createTable(t.name('groups')).ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('doc', 'text', (c) => c.notNull())
      .addColumn('created', 'text', (c) => c.notNull())
      .addColumn('last_modified', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(n('groups_pk'), ['tenant_id', 'id'])
      .execute();
    await schema.createIndex(n('groups_created')).ifNotExists().on(t.name('groups')).columns(['tenant_id', 'created', 'id']).execute();

    await schema.createTable(t.name('memberships')).ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(n('memberships_pk'), ['tenant_id', 'group_id', 'user_id'])
      .execute();
    await schema.createIndex(n('memberships_user')).ifNotExists().on(t.name('memberships')).columns(['tenant_id', 'user_id']).execute();
    // Appending a member reads the group's last position: an index keeps that independent of the group's size.
    await schema.createIndex(n('memberships_position')).ifNotExists().on(t.name('memberships')).columns(['tenant_id', 'group_id', 'position']).execute();

    await schema.createTable(t.name('assignments')).ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('tier', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('queued_at', 'integer')
      .addColumn('since', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(n('assignments_pk'), ['tenant_id', 'user_id'])
      .execute();
    await schema.createIndex(n('assignments_queue')).ifNotExists().on(t.name('assignments'))
      .columns(['tenant_id', 'tier', 'status', 'queued_at']).execute();

    await schema.createTable(t.name('seat_counts')).ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('tier', 'text', (c) => c.notNull())
      .addColumn('assigned', 'integer', (c) => c.notNull())
      .addColumn('pending', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(n('seat_counts_pk'), ['tenant_id', 'tier'])
      .execute();
    // A database from before this table existed gets its counts from the assignments once. Counts are
    // derived data, so an empty table is all it takes (asking the catalog would need the dialect's schema rules).
    const countsExist = await trx.selectFrom(t.name('seat_counts')).select('tier').limit(1).executeTakeFirst();
    if (!countsExist) {
      await sql`INSERT INTO ${sql.table(t.name('seat_counts'))} (tenant_id, tier, assigned, pending)
        SELECT tenant_id, tier, SUM(CASE WHEN status = 'assigned' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END)
        FROM ${sql.table(t.name('assignments'))} GROUP BY tenant_id, tier`.execute(trx);
    }
  });
};
