/**
 * `seatkit/sqlite`: storage in a SQLite file (or in memory) through better-sqlite3. This entry is the
 * only module that imports better-sqlite3, so apps on other storage never need the native driver.
 *
 * Writers are serialised with BEGIN IMMEDIATE, so several processes may share one file; a writer
 * that waits longer than the connection's busy timeout gets a StorageUnavailableError (HTTP 503).
 * better-sqlite3 waits synchronously, so within one process use one adapter per file.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { StorageAdapter } from './ports/storage-adapter';
import { migrate } from './storage/sql/migrate';
import type { Database } from './storage/sql/schema';
import { sqlStorage } from './storage/sql/sql-storage';
import { registerSqliteFunctions, sqliteDialect } from './storage/sql/sqlite-dialect';

export interface SqliteStorageOptions {
  /** A file path, or `':memory:'` (the default) for a database that lives as long as the adapter. */
  readonly file?: string;
  /**
   * An open better-sqlite3 database to use instead of `file`. seatkit registers a function on it and
   * leaves it open on `close()`. Its transactions stay open across awaits, so other code should not
   * write through the same connection while seatkit is working.
   */
  readonly database?: BetterSqlite3.Database;
  /** Prefix of seatkit's table names; defaults to `seatkit_`. */
  readonly tablePrefix?: string;
}

// One Kysely per connection: its mutex is what keeps two adapters on one database from interleaving transactions.
const kyselyOf = new WeakMap<BetterSqlite3.Database, Kysely<Database>>();

const kyselyFor = (database: BetterSqlite3.Database): Kysely<Database> => {
  const existing = kyselyOf.get(database);
  if (existing) return existing;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  kyselyOf.set(database, db);
  return db;
};

/**
 * Opens (or creates) SQLite storage and brings its tables up to date.
 * @example
 * const seatkit = createSeatkit({ storage: await sqliteStorage({ file: './seatkit.sqlite' }), policy });
 */
export const sqliteStorage = async (options: SqliteStorageOptions = {}): Promise<StorageAdapter> => {
  if (options.database && options.file !== undefined) throw new Error('Give sqliteStorage either a file or a database, not both');
  const owned = !options.database;
  const file = options.file ?? ':memory:';
  const database = options.database ?? new BetterSqlite3(file);
  try {
    // WAL lets readers in other processes go on while a unit of work holds the write lock.
    if (owned && file !== ':memory:' && file !== '') database.pragma('journal_mode = WAL');
    registerSqliteFunctions(database);
    const db = kyselyFor(database);
    await migrate(db, { tablePrefix: options.tablePrefix });
    return sqlStorage({ db, dialect: sqliteDialect, tablePrefix: options.tablePrefix, destroyOnClose: owned });
  } catch (error) {
    if (owned) database.close();
    throw error;
  }
};

export type { StorageAdapter } from './ports/storage-adapter';
