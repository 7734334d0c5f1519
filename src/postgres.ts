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
import { timedPool } from './storage/sql/postgres-pool';
import { postgresTimeouts, serverSettings, type PostgresTimeoutOptions, type PostgresTimeouts } from './storage/sql/postgres-timeouts';
import type { Database } from './storage/sql/schema';
import { sqlStorage } from './storage/sql/sql-storage';

export type { PostgresTimeoutOptions } from './storage/sql/postgres-timeouts';

/** Where the tables live: one of `url`, `pool` or `db`. */
export interface PostgresConnectionOptions {
  /** A connection string (`postgres://user:password@host:5432/app`); seatkit opens and closes its own pool. */
  readonly url?: string;
  /**
   * The host's own `pg` pool; seatkit leaves it open on `close()`. Like any `pg` pool it should listen
   * for `error` events, or an idle connection the server drops can end the process.
   */
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

export interface PostgresStorageOptions extends PostgresConnectionOptions, PostgresTimeoutOptions {
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

/** Kysely instances on one pool: `db` for requests (bounded), `migrations` without client-side deadlines. */
interface Connection {
  readonly db: Kysely<Database>;
  readonly migrations: Kysely<Database>;
  readonly owned: boolean;
  /** Ends seatkit's own pool (used or not by either instance); nothing for the host's. */
  readonly close: () => Promise<void>;
  /** Whether the sessions carry seatkit's server timeouts already (seatkit's own pool) or each unit must set them. */
  readonly sessionsConfigured: boolean;
}

// Keepalive probes find a dead peer of an idle pooled connection (the first after 10 s of silence)
// before a request is sent down it.
const KEEPALIVE_DELAY_MS = 10_000;

const onPool = (pool: pg.Pool, owned: boolean, timeouts: PostgresTimeouts): Connection => ({
  db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: timedPool(pool, { queryTimeoutMs: timeouts.queryTimeoutMs, owned }) }) }),
  migrations: new Kysely<Database>({ dialect: new PostgresDialect({ pool: timedPool(pool, { queryTimeoutMs: 0, owned: false }) }) }),
  owned,
  close: async () => {
    if (owned) await pool.end();
  },
  sessionsConfigured: owned,
});

const connect = (options: PostgresStorageOptions, timeouts: PostgresTimeouts): Connection => {
  const given = [options.url, options.pool, options.db].filter((o) => o !== undefined).length;
  if (given !== 1) throw new Error('Give seatkit\'s PostgreSQL storage exactly one of url, pool or db');
  if (options.db) return { db: options.db as Kysely<Database>, migrations: options.db as Kysely<Database>, owned: false, close: async () => undefined, sessionsConfigured: false };
  if (options.pool) return onPool(options.pool, false, timeouts);
  const settings = Object.fromEntries(serverSettings(timeouts));
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // A bounded wait: a database host that vanished without a reset answers 503 in seconds, not minutes.
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    ...settings,
  });
  // An idle connection the server drops emits `error` on the pool; unheard, Node ends the process.
  // The next query to need a connection gets a fresh one, or reports the outage (503).
  pool.on('error', () => undefined);
  return onPool(pool, true, timeouts);
};

/**
 * Creates or updates seatkit's tables; what `postgresStorage` does on start, and `npx seatkit migrate` at deploy time.
 * @example
 * await migratePostgres({ url: process.env.DATABASE_URL, schema: 'seatkit' });
 */
export const migratePostgres = async (options: PostgresConnectionOptions): Promise<void> => {
  const { migrations, close } = connect(options, postgresTimeouts({}));
  try {
    await migratePostgresDatabase(migrations, { tablePrefix: options.tablePrefix, schema: options.schema });
  } finally {
    await close();
  }
};

/**
 * Opens PostgreSQL storage (and brings its tables up to date unless `migrate: false`).
 * @example
 * const seatkit = createSeatkit({ storage: await postgresStorage({ url: process.env.DATABASE_URL }), policy });
 */
export const postgresStorage = async (options: PostgresStorageOptions): Promise<StorageAdapter> => {
  const timeouts = postgresTimeouts(options);
  const { db, migrations, owned, close, sessionsConfigured } = connect(options, timeouts);
  try {
    if (options.migrate !== false) await migratePostgresDatabase(migrations, { tablePrefix: options.tablePrefix, schema: options.schema });
    const dialect = postgresDialect({ icu: await hasIcuCollation(db), localSettings: sessionsConfigured ? [] : serverSettings(timeouts) });
    return sqlStorage({ db, dialect, tablePrefix: options.tablePrefix, schema: options.schema, destroyOnClose: owned });
  } catch (error) {
    await close();
    throw error;
  }
};

export type { StorageAdapter } from './ports/storage-adapter';
