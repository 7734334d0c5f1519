/**
 * Creates seatkit's tables and indexes. Safe to run on every start: everything is created only when
 * missing, in one transaction, so a crash or a second process never leaves half a schema.
 *
 * Only portable column types are used (text and integer; JSON is stored as text), so the same
 * migration serves SQLite and PostgreSQL.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { tables as tablesFor, type Database, type TableName, type Tables } from './schema';

// Columns added after a table's first release: a database created before gets them on its next start.
const LATER_COLUMNS: readonly { table: TableName; column: string; type: 'text' | 'integer'; default?: string | number }[] = [
  { table: 'tenants', column: 'license_phase', type: 'text', default: 'active' },
  { table: 'tenants', column: 'events_delivered', type: 'integer', default: 0 },
  { table: 'assignments', column: 'wanted_tier', type: 'text' },
  { table: 'assignments', column: 'release_at', type: 'text' },
  { table: 'assignments', column: 'reason', type: 'text' },
  { table: 'seat_counts', column: 'releasing', type: 'integer', default: 0 },
  { table: 'groups', column: 'display_name_lower', type: 'text', default: '' },
  { table: 'groups', column: 'external_id', type: 'text' },
];

// Returns the columns it added, as `table.column`, so their values can be filled in from the rows.
const addLaterColumns = async (trx: Transaction<Database>, t: Tables, defaultSchema: string | undefined): Promise<Set<string>> => {
  const known = await trx.introspection.getTables();
  // Unqualified names resolve to the connection's current schema, which need not be public.
  const home = t.schema ?? defaultSchema;
  const added = new Set<string>();
  for (const later of LATER_COLUMNS) {
    const physical = `${t.prefix}${later.table}`;
    const table = known.find((k) => k.name === physical && (home === undefined ? k.schema === undefined || k.schema === 'main' : k.schema === home));
    if (!table || table.columns.some((c) => c.name === later.column)) continue;
    await trx.schema.alterTable(t.name(later.table)).addColumn(later.column, later.type, (c) =>
      (later.default === undefined ? c : c.notNull().defaultTo(later.default))).execute();
    added.add(`${later.table}.${later.column}`);
  }
  return added;
};

const BACKFILL_ROWS = 500;

// Groups stored before their lookup columns existed get them from their documents, as apply-change-set
// writes them (JavaScript's toLowerCase, which neither database's lower() matches everywhere).
const backfillGroupColumns = async (trx: Transaction<Database>, t: Tables) => {
  let after: { tenant_id: string; id: string } | null = null;
  for (;;) {
    const from: { tenant_id: string; id: string } | null = after;
    const rows = await trx.selectFrom(t.name('groups')).select(['tenant_id', 'id', 'display_name', 'doc'])
      .$if(from !== null, (q) => q.where((eb) => eb.or([
        eb('tenant_id', '>', from!.tenant_id),
        eb.and([eb('tenant_id', '=', from!.tenant_id), eb('id', '>', from!.id)]),
      ])))
      .orderBy('tenant_id').orderBy('id').limit(BACKFILL_ROWS).execute();
    for (const row of rows) {
      const externalId = (JSON.parse(row.doc) as { externalId?: unknown }).externalId;
      await trx.updateTable(t.name('groups'))
        .set({ display_name_lower: row.display_name.toLowerCase(), external_id: typeof externalId === 'string' ? externalId : null })
        .where('tenant_id', '=', row.tenant_id).where('id', '=', row.id).execute();
    }
    if (rows.length < BACKFILL_ROWS) return;
    after = rows[rows.length - 1]!;
  }
};

export interface MigrateOptions {
  /** Defaults to `seatkit_`. */
  readonly tablePrefix?: string;
  /** A PostgreSQL schema to hold the tables, created when missing; defaults to the connection's search_path. */
  readonly schema?: string;
}

/** What only one database knows or has; PostgreSQL fills it in (postgres-migrate.ts). */
export interface MigrateExtras {
  /** The schema unqualified table names resolve to (PostgreSQL's current_schema()). */
  readonly defaultSchema?: string;
  /** Indexes only this database can build, created in the migration's transaction. */
  readonly indexes?: (trx: Transaction<Database>, t: Tables, name: (suffix: string) => string) => Promise<void>;
}

/**
 * Creates the tables and indexes that do not exist yet.
 * @example
 * await migrate(db, { tablePrefix: 'seatkit_' });
 */
export const migrate = async (db: Kysely<Database>, options: MigrateOptions = {}, extras: MigrateExtras = {}): Promise<void> => {
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
      .addColumn('license_phase', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('events_delivered', 'integer', (c) => c.notNull().defaultTo(0))
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
    // With the list order after the key, so one index serves both the lookup and the page order: a
    // planner without statistics (SQLite's, unless ANALYZE ran) otherwise picks the creation-order
    // index to skip the sort, and walks the tenant.
    await schema.createIndex(n('users_external_id_order')).ifNotExists().on(t.name('users')).columns(['tenant_id', 'external_id', 'created', 'id']).execute();
    await sql`DROP INDEX IF EXISTS ${sql.table(t.schema === undefined ? n('users_external_id') : `${t.schema}.${n('users_external_id')}`)}`.execute(trx);
    await schema.createIndex(n('users_created')).ifNotExists().on(t.name('users')).columns(['tenant_id', 'created', 'id']).execute();

    await schema.createTable(t.name('groups')).ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('display_name_lower', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('external_id', 'text')
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
      .addColumn('wanted_tier', 'text')
      .addColumn('release_at', 'text')
      .addColumn('reason', 'text')
      .addPrimaryKeyConstraint(n('assignments_pk'), ['tenant_id', 'user_id'])
      .execute();
    await schema.createIndex(n('assignments_queue')).ifNotExists().on(t.name('assignments'))
      .columns(['tenant_id', 'tier', 'status', 'queued_at']).execute();

    await schema.createTable(t.name('seat_counts')).ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('tier', 'text', (c) => c.notNull())
      .addColumn('assigned', 'integer', (c) => c.notNull())
      .addColumn('pending', 'integer', (c) => c.notNull())
      .addColumn('releasing', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint(n('seat_counts_pk'), ['tenant_id', 'tier'])
      .execute();
    const added = await addLaterColumns(trx, t, extras.defaultSchema);
    if (added.has('groups.display_name_lower') || added.has('groups.external_id')) await backfillGroupColumns(trx, t);
    // Okta and Entra find a group by displayName (ignoring case) or externalId before creating it.
    // The list order follows the key, as for users_external_id_order.
    await schema.createIndex(n('groups_display_name')).ifNotExists().on(t.name('groups')).columns(['tenant_id', 'display_name_lower', 'created', 'id']).execute();
    await schema.createIndex(n('groups_external_id')).ifNotExists().on(t.name('groups')).columns(['tenant_id', 'external_id', 'created', 'id']).execute();
    // The clock looks for holds that ran out: an index keeps that independent of the tenant's size.
    await schema.createIndex(n('assignments_holds')).ifNotExists().on(t.name('assignments'))
      .columns(['tenant_id', 'status', 'release_at']).execute();
    // A freed seat also serves users degraded below it, so they are found by the tier they wait for.
    await schema.createIndex(n('assignments_degraded')).ifNotExists().on(t.name('assignments'))
      .columns(['tenant_id', 'wanted_tier', 'status', 'queued_at']).execute();

    await schema.createTable(t.name('ledger')).ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('entry', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(n('ledger_pk'), ['tenant_id', 'seq'])
      .execute();
    await schema.createIndex(n('ledger_user')).ifNotExists().on(t.name('ledger')).columns(['tenant_id', 'user_id', 'seq']).execute();

    await schema.createTable(t.name('outbox')).ifNotExists()
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('effect', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(n('outbox_pk'), ['tenant_id', 'seq'])
      .execute();
    // A database from before this table existed gets its counts from the assignments once. Counts are
    // derived data, so an empty table is all it takes (asking the catalog would need the dialect's schema rules).
    const countsExist = await trx.selectFrom(t.name('seat_counts')).select('tier').limit(1).executeTakeFirst();
    if (!countsExist) {
      await sql`INSERT INTO ${sql.table(t.name('seat_counts'))} (tenant_id, tier, assigned, pending, releasing)
        SELECT tenant_id, tier, SUM(CASE WHEN status IN ('assigned', 'degraded') THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END),
          SUM(CASE WHEN status = 'releasing' THEN 1 ELSE 0 END)
        FROM ${sql.table(t.name('assignments'))} GROUP BY tenant_id, tier`.execute(trx);
    }
    await extras.indexes?.(trx, t, n);
  });
};
