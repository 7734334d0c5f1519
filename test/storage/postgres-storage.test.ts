/**
 * The PostgreSQL adapter against the storage conformance suite, plus what the suite cannot see:
 * migrations, schemas and prefixes, indexes behind lookups, failed commits, and tenant isolation
 * through the HTTP endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, rulePolicy } from 'seatkit';
import { migratePostgres, postgresStorage } from 'seatkit/postgres';
import type { StorageAdapter } from '../../src/ports/storage-adapter';
import { describeStorageAdapter } from '../../src/testing/describe-storage-adapter';
import { describeFilterAgreement } from './support/filter-agreement-cases';
import { createTestDatabase, pgServerUrl, PG_SKIP_REASON, query } from './support/pg-test-database';

const hasServer = pgServerUrl() !== '';
let database: { url: string; drop: () => Promise<void> };
beforeAll(async () => {
  if (hasServer) database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const meta = { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 1 };
const tenant = { id: 't1', name: 'T1', contract: { tiers: [{ key: 'standard', seats: 1 }] } };

describe.skipIf(!hasServer)(`postgres storage ${hasServer ? '' : PG_SKIP_REASON}`, () => {
  let schemas = 0;
  const schemaOf = new WeakMap<StorageAdapter, string>();
  describeStorageAdapter('postgres', {
    create: async () => {
      const schema = `conformance_${++schemas}`;
      const storage = await postgresStorage({ url: database.url, schema, poolSize: 4 });
      schemaOf.set(storage, schema);
      return storage;
    },
    cleanup: async (storage) => {
      await query(database.url, `DROP SCHEMA ${schemaOf.get(storage)} CASCADE`);
    },
  });

  describe('setup', () => {
    const tablesIn = async (schema: string) => (await query<{ table_name: string }>(database.url,
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema])).map((r) => r.table_name);

    it('runs its migrations again, and from several instances at once, without harm', async () => {
      await Promise.all(Array.from({ length: 4 }, () => migratePostgres({ url: database.url, schema: 'twice' })));
      const storage = await postgresStorage({ url: database.url, schema: 'twice' });
      await storage.putTenant(tenant);
      await migratePostgres({ url: database.url, schema: 'twice' });
      expect(await storage.getTenant('t1')).toEqual(tenant);
      expect(await tablesIn('twice')).toEqual(['seatkit_assignments', 'seatkit_groups', 'seatkit_ledger', 'seatkit_memberships', 'seatkit_outbox', 'seatkit_seat_counts', 'seatkit_tenants', 'seatkit_tokens', 'seatkit_users']);
      await storage.close();
    });

    it('keeps two table prefixes in one schema apart, and puts tables in the connection\'s schema by default', async () => {
      const a = await postgresStorage({ url: database.url, tablePrefix: 'a_' });
      const b = await postgresStorage({ url: database.url, tablePrefix: 'b_' });
      await a.putTenant(tenant);
      await a.write('t1', (unit) => unit.commit({ putUsers: [{ id: 'u1', doc: { userName: 'ada' }, meta }] }));
      expect(await b.getTenant('t1')).toBeNull();
      await b.putTenant({ ...tenant, name: 'other' });
      expect((await a.getTenant('t1'))?.name).toBe('T1');
      expect(await b.read('t1', (r) => r.getUser('u1'))).toBeNull();
      expect((await a.read('t1', (r) => r.getUser('u1')))?.doc.userName).toBe('ada');
      const publicTables = await tablesIn('public');
      expect(publicTables.filter((n) => n.startsWith('a_'))).toHaveLength(9);
      expect(publicTables.filter((n) => n.startsWith('b_'))).toHaveLength(9);
      await a.close();
      await b.close();
    });

    it('refuses a schema or prefix that is not a plain identifier', async () => {
      await expect(postgresStorage({ url: database.url, schema: 'x; drop table y' })).rejects.toThrow('schema name');
      await expect(postgresStorage({ url: database.url, tablePrefix: 'x"y' })).rejects.toThrow('table prefix');
      await expect(postgresStorage({} as never)).rejects.toThrow('exactly one');
    });

    it('rolls back a commit that failed even when the work goes on', async () => {
      const storage = await postgresStorage({ url: database.url, schema: 'rollback' });
      await storage.putTenant(tenant);
      await storage.write('t1', (unit) => unit.commit({ putUsers: [{ id: 'u1', doc: { userName: 'ada' }, meta }] }));
      const outcome = await storage.write('t1', async (unit) => {
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
      const storage = await postgresStorage({ url: database.url, schema: 'unknown' });
      await expect(storage.read('nobody', (r) => r.licenseSeq())).rejects.toThrow('Unknown tenant');
      await expect(storage.write('nobody', (u) => u.commit({}))).rejects.toThrow('Unknown tenant');
      await storage.close();
    });
  });
});

describe.skipIf(!hasServer)(`postgres filters ${hasServer ? '' : PG_SKIP_REASON}`, () => {
  describeFilterAgreement('postgres', () => postgresStorage({ url: database.url, schema: 'filters' }));
});
