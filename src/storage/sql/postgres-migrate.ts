/**
 * Migrations on PostgreSQL, safe when several app instances start at once: CREATE TABLE IF NOT
 * EXISTS is not safe against a concurrent twin (both may pass the check; one then fails on the
 * catalog's unique index), so each migration holds an advisory lock named after its schema and prefix.
 */
import { sql, type Kysely } from 'kysely';
import { migrate, type MigrateOptions } from './migrate';
import { DEFAULT_TABLE_PREFIX, type Database } from './schema';

// Request timeouts would cancel a migration that builds an index on a large table, or that waits
// for a twin instance's migration; the migration's own connection runs without them.
const UNBOUNDED = ['statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout'] as const;

/**
 * Creates seatkit's schema (when named), tables and indexes that are missing, one instance at a time.
 * @example
 * await migratePostgresDatabase(db, { schema: 'seatkit', tablePrefix: '' });
 */
export const migratePostgresDatabase = async (db: Kysely<Database>, options: MigrateOptions = {}): Promise<void> => {
  const key = `seatkit:${options.schema ?? ''}:${options.tablePrefix ?? DEFAULT_TABLE_PREFIX}`;
  await db.connection().execute(async (conn) => {
    const saved = await Promise.all(UNBOUNDED.map(async (name) =>
      (await sql<{ value: string }>`SELECT current_setting(${name}) AS value`.execute(conn)).rows[0]!.value));
    for (const name of UNBOUNDED) await sql`SELECT set_config(${name}, '0', false)`.execute(conn);
    try {
      await sql`SELECT pg_advisory_lock(hashtext(${key}))`.execute(conn);
      try {
        const current = (await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(conn)).rows[0]?.schema ?? undefined;
        await migrate(conn, options, {
          defaultSchema: current,
          // A prefix filter (userName sw) can use a btree only under the "C" collation or with the
          // pattern operator class; databases are often created with a linguistic collation.
          indexes: async (trx, t, name) => {
            await sql`CREATE INDEX IF NOT EXISTS ${sql.id(name('users_user_name_prefix'))} ON ${sql.table(t.name('users'))} (tenant_id, user_name_lower text_pattern_ops)`.execute(trx);
          },
        });
      } finally {
        await sql`SELECT pg_advisory_unlock(hashtext(${key}))`.execute(conn).catch(() => undefined);
      }
    } finally {
      // A pooled connection goes back as it came, whoever owns the pool.
      for (const [i, name] of UNBOUNDED.entries()) await sql`SELECT set_config(${name}, ${saved[i]!}, false)`.execute(conn).catch(() => undefined);
    }
  });
};
