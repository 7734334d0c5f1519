/**
 * `seatkit/postgres`: storage in PostgreSQL through `pg`, for apps that run on several instances.
 * This entry is the only module that imports `pg`, so apps on other storage never need it.
 *
 * Every write locks its tenant's row first, so seat decisions stay exact across all instances
 * sharing the database; an unreachable or restarting database answers 503 with Retry-After.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { StorageAdapter } from './ports/storage-adapter';
import { hasIcuCollation, postgresDialect } from './storage/sql/postgres-dialect';
import { migratePostgresDatabase } from './storage/sql/postgres-migrate';
import type { Database } from './storage/sql/schema';
import { sqlStorage } from './storage/sql/sql-storage';

/** Where the tables live: one of `url`, `pool` or `db`. */
export interface PostgresConnectionOptions {
  /** A connection string (`postgres://user:password@host:5432/app`); seatkit opens and closes its own pool. */
  readonly url?: string;
  /** The host's own `pg` pool; seatkit leaves it open on `close()`. */
  readonly pool?: pg.Pool;
  /**
   * The host's own Kysely instance on PostgreSQL; seatkit leaves it open on `close()`. Its pool should
   * listen for client `error` events, or a connection the server drops can end the process.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any host database type will do
  readonly db?: Kysely<any>;
  /** A schema for seatkit's tables (created when missing); defaults to the connection's search_path. */
  readonly schema?: string;
  /** Prefix of seatkit's table names; defaults to `seatkit_`. */
  readonly tablePrefix?: string;
}

export interface PostgresStorageOptions extends PostgresConnectionOptions {
  /** Largest number of connections of the pool seatkit opens for `url`. Default 10. */
  readonly poolSize?: number;
  /**
   * How long a request waits for a connection of that pool (busy, or the server unreachable) before it
   * answers 503; 0 waits for ever. Default 30 seconds.
   */
  readonly connectionTimeoutMs?: number;
  /** Bring the tables up to date on start (default true); set false when `npx seatkit migrate` runs at deploy time. */
  readonly migrate?: boolean;
}

// A connection the server drops emits `error` on its client; unheard, Node ends the process. The
// query running on it fails on its own, which is what seatkit reports (503).
const ignoreDroppedConnections = (pool: pg.Pool): void => {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
};

const connect = (options: PostgresStorageOptions): { db: Kysely<Database>; owned: boolean } => {
  const given = [options.url, options.pool, options.db].filter((o) => o !== undefined).length;
  if (given !== 1) throw new Error('Give seatkit\'s PostgreSQL storage exactly one of url, pool or db');
  if (options.db) return { db: options.db as Kysely<Database>, owned: false };
  // A bounded wait: a database host that vanished without a reset answers 503 in seconds, not minutes.
  const pool = options.pool ?? new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: options.connectionTimeoutMs ?? 30_000 });
  ignoreDroppedConnections(pool);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), owned: options.pool === undefined };
};

/**
 * Creates or updates seatkit's tables; what `postgresStorage` does on start, and `npx seatkit migrate` at deploy time.
 * @example
 * await migratePostgres({ url: process.env.DATABASE_URL, schema: 'seatkit' });
 */
export const migratePostgres = async (options: PostgresConnectionOptions): Promise<void> => {
  const { db, owned } = connect(options);
  try {
    await migratePostgresDatabase(db, { tablePrefix: options.tablePrefix, schema: options.schema });
  } finally {
    if (owned) await db.destroy();
  }
};

/**
 * Opens PostgreSQL storage (and brings its tables up to date unless `migrate: false`).
 * @example
 * const seatkit = createSeatkit({ storage: await postgresStorage({ url: process.env.DATABASE_URL }), policy });
 */
export const postgresStorage = async (options: PostgresStorageOptions): Promise<StorageAdapter> => {
  const { db, owned } = connect(options);
  try {
    if (options.migrate !== false) await migratePostgresDatabase(db, { tablePrefix: options.tablePrefix, schema: options.schema });
    const dialect = postgresDialect({ icu: await hasIcuCollation(db) });
    return sqlStorage({ db, dialect, tablePrefix: options.tablePrefix, schema: options.schema, destroyOnClose: owned });
  } catch (error) {
    if (owned) await db.destroy();
    throw error;
  }
};

export type { StorageAdapter } from './ports/storage-adapter';
