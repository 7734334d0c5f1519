/**
 * `npx seatkit migrate`: run as a process against the test database (and a SQLite file), twice,
 * as a deploy script would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStorage } from 'seatkit/postgres';
import { createTestDatabase, pgServerUrl, PG_SKIP_REASON, query } from './support/pg-test-database';

const CLI = fileURLToPath(new URL('../../src/cli/seatkit.ts', import.meta.url));
const hasServer = pgServerUrl() !== '';

const seatkit = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, DATABASE_URL: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('seatkit CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seatkit-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses unknown commands and missing targets with its usage and exit code 1', async () => {
    const unknown = await seatkit('migrat');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Usage:');
    const nothing = await seatkit('migrate');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('--url');
  });

  it('migrates a SQLite file, again without harm', async () => {
    const file = join(dir, 'app.sqlite');
    expect((await seatkit('migrate', '--sqlite', file, '--table-prefix', 'sk_')).code).toBe(0);
    expect((await seatkit('migrate', '--sqlite', file, '--table-prefix', 'sk_')).code).toBe(0);
    const database = new BetterSqlite3(file);
    const names = (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    database.close();
    expect(names).toEqual(['sk_assignments', 'sk_groups', 'sk_ledger', 'sk_memberships', 'sk_outbox', 'sk_seat_counts', 'sk_tenants', 'sk_tokens', 'sk_users']);
  });

  describe.skipIf(!hasServer)(`on PostgreSQL ${hasServer ? '' : PG_SKIP_REASON}`, () => {
    let database: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => database?.drop());

    it('creates the schema and tables, again without harm, and the storage then opens without migrating', async () => {
      const first = await seatkit('migrate', '--url', database.url, '--schema', 'billing', '--table-prefix', 'sk_');
      expect(first).toMatchObject({ code: 0 });
      expect(first.stdout).toContain('schema billing');
      expect((await seatkit('migrate', '--url', database.url, '--schema', 'billing', '--table-prefix', 'sk_')).code).toBe(0);
      const tables = await query<{ table_name: string }>(database.url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'billing' ORDER BY table_name");
      expect(tables.map((t) => t.table_name)).toEqual(['sk_assignments', 'sk_groups', 'sk_ledger', 'sk_memberships', 'sk_outbox', 'sk_seat_counts', 'sk_tenants', 'sk_tokens', 'sk_users']);
      const storage = await postgresStorage({ url: database.url, schema: 'billing', tablePrefix: 'sk_', migrate: false });
      await storage.putTenant({ id: 't', name: 't', contract: { tiers: [{ key: 'standard', seats: 1 }] } });
      expect((await storage.getTenant('t'))?.id).toBe('t');
      await storage.close();
    });

    it('fails with exit code 1 and no password in its output when the database cannot be reached', async () => {
      const failed = await seatkit('migrate', '--url', 'postgres://app:s3cret@127.0.0.1:1/app');
      expect(failed.code).toBe(1);
      expect(failed.stderr + failed.stdout).not.toContain('s3cret');
    });
  });
});
