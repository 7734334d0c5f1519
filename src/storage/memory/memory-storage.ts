/**
 * In-memory storage: for tests, demos and single-process apps that can lose their state.
 * Writers on one tenant are serialised by a mutex; a change set is applied synchronously when the
 * unit of work resolves, so readers never see half of it.
 */
import type { ChangeSet, StorageAdapter } from '../../ports/storage-adapter';
import { unitOfWork } from '../shared/unit-of-work';
import { TenantStore } from './tenant-store';

/**
 * Creates an empty in-memory storage.
 * @example
 * const seatkit = createSeatkit({ storage: memoryStorage(), policy });
 */
export const memoryStorage = (): StorageAdapter => {
  const tenants = new Map<string, TenantStore>();
  const tokens = new Map<string, string>();

  const storeOf = (tenantId: string) => {
    const store = tenants.get(tenantId);
    if (!store) throw new Error(`Unknown tenant ${tenantId}`);
    return store;
  };

  return {
    async findTenantByTokenHash(tokenHash) {
      const store = tenants.get(tokens.get(tokenHash) ?? '');
      return store ? { tenant: store.record, tokenHash } : null;
    },
    async getTenant(tenantId) {
      return tenants.get(tenantId)?.record ?? null;
    },
    async putTenant(record) {
      const existing = tenants.get(record.id);
      if (existing) existing.record = record;
      else tenants.set(record.id, new TenantStore(record));
    },
    async addToken(tenantId, tokenHash) {
      storeOf(tenantId);
      const holder = tokens.get(tokenHash);
      if (holder !== undefined && holder !== tenantId) throw new Error('This bearer token already belongs to another tenant');
      tokens.set(tokenHash, tenantId);
    },
    async revokeToken(tokenHash) {
      tokens.delete(tokenHash);
    },
    read(tenantId, work) {
      return work(storeOf(tenantId));
    },
    write(tenantId, work) {
      const store = storeOf(tenantId);
      return store.mutex.run(async () => {
        let changes: ChangeSet | null = null;
        const result = await work(unitOfWork(store, async (c) => { changes = c; }));
        if (changes) store.apply(changes);
        return result;
      });
    },
    async close() {
      tenants.clear();
      tokens.clear();
    },
  };
};
