/**
 * Migrations on PostgreSQL, safe when several app instances start at once: CREATE TABLE IF NOT
 * EXISTS is not safe against a concurrent twin (both may pass the check; one then fails on the
 * catalog's unique index), so each migration holds an advisory lock named after its schema and prefix.
 */
import { sql, type Kysely } from 'kysely';
import { migrate, type MigrateOptions } from './migrate';
import { DEFAULT_TABLE_PREFIX, type Database } from './schema';

/**
 * Creates seatkit's schema (when named), tables and indexes that are missing, one instance at a time.
 * @example
 * await migratePostgresDatabase(db, { schema: 'seatkit', tablePrefix: '' });
 */
export const migratePostgresDatabase = async (db: Kysely<Database>, options: MigrateOptions = {}): Promise<void> => {
  const key = `seatkit:${options.schema ?? ''}:${options.tablePrefix ?? DEFAULT_TABLE_PREFIX}`;
  await db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(hashtext(${key}))`.execute(conn);
    try {
      await migrate(conn, options);
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${key}))`.execute(conn).catch(() => undefined);
    }
  });
};
