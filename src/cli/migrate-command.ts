/**
 * `seatkit migrate`: creates or updates seatkit's tables, for deployments that migrate before the
 * app starts (and then open storage with `migrate: false`). Idempotent: run it on every deploy.
 */
import { parseArgs } from 'node:util';

export const MIGRATE_USAGE = `Usage:
  seatkit migrate --url postgres://user:password@host:5432/app [--schema name] [--table-prefix prefix]
  seatkit migrate --sqlite path/to/file.sqlite [--table-prefix prefix]

  --url            PostgreSQL connection string (default: the DATABASE_URL environment variable)
  --schema         PostgreSQL schema for seatkit's tables, created when missing (default: search_path)
  --table-prefix   prefix of seatkit's table names (default: seatkit_)
  --sqlite         a SQLite database file instead of PostgreSQL`;

/** What a migration run did, for the one line the CLI prints. */
export interface MigrateOutcome {
  readonly target: string;
}

// The URL's password never reaches the terminal or CI logs.
const redacted = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the given database';
  }
};

/**
 * Parses `migrate`'s arguments and runs the migration.
 * @example
 * await migrateCommand(['--url', 'postgres://localhost/app', '--schema', 'seatkit'], process.env);
 */
export const migrateCommand = async (args: readonly string[], env: NodeJS.ProcessEnv): Promise<MigrateOutcome> => {
  const { values } = parseArgs({
    args: [...args],
    options: { url: { type: 'string' }, schema: { type: 'string' }, 'table-prefix': { type: 'string' }, sqlite: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const tablePrefix = values['table-prefix'];
  if (values.sqlite !== undefined) {
    if (values.url !== undefined || values.schema !== undefined) throw new Error('--sqlite takes neither --url nor --schema');
    // Drivers load only for the database asked for, so either one alone is enough to run the CLI.
    const { sqliteStorage } = await import('../sqlite');
    const storage = await sqliteStorage({ file: values.sqlite, tablePrefix });
    await storage.close();
    return { target: `SQLite ${values.sqlite}` };
  }
  const url = values.url ?? env.DATABASE_URL;
  if (!url) throw new Error('Give --url (or set DATABASE_URL) or --sqlite');
  const { migratePostgres } = await import('../postgres');
  await migratePostgres({ url, schema: values.schema, tablePrefix });
  return { target: `PostgreSQL ${redacted(url)}${values.schema ? ` (schema ${values.schema})` : ''}` };
};
