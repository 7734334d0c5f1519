/**
 * The SQLite adapter against the storage conformance suite (on a file and in memory), plus what the
 * suite cannot see: migrations, table prefixes, lock errors, failed commits, and filters beyond its list
 * (test/storage/support/filter-agreement-cases.ts, shared with PostgreSQL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/core/license/assignment';
import type { StorageAdapter } from '../../src/ports/storage-adapter';
import { StorageUnavailableError } from '../../src/service/lift';
import { sqliteStorage } from '../../src/sqlite';
import { migrate } from '../../src/storage/sql/migrate';
import type { Database } from '../../src/storage/sql/schema';
import { describeStorageAdapter } from '../../src/testing/describe-storage-adapter';
import { describeFilterAgreement } from './support/filter-agreement-cases';

const dir = mkdtempSync(join(tmpdir(), 'seatkit-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const removeDatabaseFiles = (file: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
};

const opened = new WeakMap<object, string>();
describeStorageAdapter('sqlite (file)', {
  create: async () => {
    const file = join(dir, `conformance-${++files}.sqlite`);
    const storage = await sqliteStorage({ file });
    opened.set(storage, file);
    return storage;
  },
  cleanup: async (storage) => removeDatabaseFiles(opened.get(storage)!),
});

describeStorageAdapter('sqlite (:memory:)', { create: () => sqliteStorage() });

const tenant = { id: 't1', name: 'T1', contract: { tiers: [{ key: 'standard', seats: 1 }] } };
const tableNames = (database: BetterSqlite3.Database) =>
  (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('sqlite storage setup', () => {
  it('runs its migrations again without harm', async () => {
    const database = new BetterSqlite3(':memory:');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    await migrate(db);
    await migrate(db);
    const storage = await sqliteStorage({ database });
    await storage.putTenant(tenant);
    await sqliteStorage({ database });
    expect(await storage.getTenant('t1')).toEqual(tenant);
    expect(tableNames(database)).toEqual(['seatkit_assignments', 'seatkit_groups', 'seatkit_ledger', 'seatkit_memberships', 'seatkit_outbox', 'seatkit_seat_counts', 'seatkit_tenants', 'seatkit_tokens', 'seatkit_users']);
    await storage.close();
    expect(database.open).toBe(true);
    database.close();
  });

  it('rebuilds the seat counts from the assignments when a database predates them', async () => {
    const database = new BetterSqlite3(':memory:');
    const storage = await sqliteStorage({ database });
    await storage.putTenant({ ...tenant, contract: { tiers: [{ key: 'standard', seats: 1 }, { key: 'pro', seats: 1 }] } });
    const meta = { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 1 };
    const assignment = (userId: string, tier: string, status: Assignment['status'], queuedAt: number): Assignment =>
      ({ userId, tier, status, queuedAt, since: meta.created });
    await storage.write('t1', (unit) => unit.commit({
      putUsers: ['a', 'b', 'c', 'd'].map((id) => ({ id, doc: { userName: id }, meta })),
      putAssignments: [assignment('a', 'standard', 'assigned', 1), assignment('b', 'standard', 'pending', 2),
        assignment('c', 'pro', 'assigned', 3), assignment('d', 'pro', 'released', 4)],
    }));
    const before = await storage.read('t1', (r) => r.seatCounts());
    database.exec('DROP TABLE seatkit_seat_counts');
    const reopened = await sqliteStorage({ database });
    expect(await reopened.read('t1', (r) => r.seatCounts())).toEqual(before);
    expect(Object.fromEntries(before)).toEqual({ standard: { assigned: 1, pending: 1, releasing: 0 }, pro: { assigned: 1, pending: 0, releasing: 0 } });
    database.close();
  });

  it('keeps two table prefixes in one database apart', async () => {
    const database = new BetterSqlite3(':memory:');
    const a = await sqliteStorage({ database, tablePrefix: 'a_' });
    const b = await sqliteStorage({ database, tablePrefix: 'b_' });
    await a.putTenant(tenant);
    await a.write('t1', (unit) => unit.commit({ putUsers: [{ id: 'u1', doc: { userName: 'ada' }, meta: { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 1 } }] }));
    expect(await b.getTenant('t1')).toBeNull();
    await b.putTenant({ ...tenant, name: 'other' });
    expect((await a.getTenant('t1'))?.name).toBe('T1');
    expect(await b.read('t1', (r) => r.getUser('u1'))).toBeNull();
    expect((await a.read('t1', (r) => r.getUser('u1')))?.doc.userName).toBe('ada');
    expect(tableNames(database).filter((n) => n.startsWith('a_'))).toHaveLength(9);
    expect(tableNames(database).filter((n) => n.startsWith('b_'))).toHaveLength(9);
    database.close();
  });

  it('refuses a table prefix that is not a plain identifier', async () => {
    await expect(sqliteStorage({ tablePrefix: 'x; drop table' })).rejects.toThrow('table prefix');
  });

  it('reports a database locked by another writer as unavailable', async () => {
    const file = join(dir, 'locked.sqlite');
    const database = new BetterSqlite3(file, { timeout: 50 });
    const storage = await sqliteStorage({ database });
    await storage.putTenant(tenant);
    const other = new BetterSqlite3(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(storage.write('t1', (unit) => unit.commit({ licenseSeq: 1 }))).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await storage.write('t1', (unit) => unit.commit({ licenseSeq: 1 }));
    expect(await storage.read('t1', (r) => r.licenseSeq())).toBe(1);
    database.close();
    removeDatabaseFiles(file);
  });

  it('rolls back a commit that failed even when the work goes on', async () => {
    const storage = await sqliteStorage();
    await storage.putTenant(tenant);
    const meta = { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 1 };
    await storage.write('t1', (unit) => unit.commit({ putUsers: [{ id: 'u1', doc: { userName: 'ada' }, meta }] }));
    const outcome = await storage.write('t1', async (unit) => {
      // The second user takes u1's userName, so the change set fails after its first statements ran.
      try {
        await unit.commit({ licenseSeq: 5, putUsers: [{ id: 'u2', doc: { userName: 'ADA' }, meta }] });
        return 'committed';
      } catch {
        return 'caught';
      }
    });
    expect(outcome).toBe('caught');
    expect(await storage.read('t1', (r) => r.licenseSeq())).toBe(0);
    expect(await storage.read('t1', (r) => r.getUser('u2'))).toBeNull();
    await storage.close();
  });

  it('reads and writes a unit of work for an unknown tenant as an error', async () => {
    const storage = await sqliteStorage();
    await expect(storage.read('nobody', (r) => r.licenseSeq())).rejects.toThrow('Unknown tenant');
    await expect(storage.write('nobody', (u) => u.commit({}))).rejects.toThrow('Unknown tenant');
    await expect(storage.addToken('nobody', 'digest')).rejects.toThrow('Unknown tenant');
    await storage.close();
  });
});

describeFilterAgreement('sqlite', () => sqliteStorage());
