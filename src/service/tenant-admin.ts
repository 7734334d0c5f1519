/**
 * What the host does with tenants outside of SCIM: create them, change their contract, manage
 * their tokens, and read their seats.
 */
import * as E from 'fp-ts/Either';
import { contractSchema, type Contract } from '../core/license/contract';
import type { LicenseEffect } from '../core/license/license-effect';
import { hashToken } from './token-digest';
import type { StorageAdapter, TenantRecord } from '../ports/storage-adapter';
import { loadLicenseState, settle, type SettleContext } from './license-unit';

export interface TenantInput {
  readonly id: string;
  readonly name?: string;
  readonly contract: Contract;
  /** Bearer tokens the tenant's IdP sends; only their SHA-256 digests are stored. */
  readonly tokens?: readonly string[];
}

/** What the host's own calls record in the ledger. */
export interface HostCall {
  readonly now: string;
  readonly newId: () => string;
  readonly outbox: boolean;
  readonly policyName: string | null;
}

export const hostSettleContext = (call: HostCall, actor = 'host'): SettleContext => ({
  at: call.now, actor, requestId: null, newId: call.newId, decisions: new Map(), policyName: call.policyName, outbox: call.outbox,
});

/** Creates or updates a tenant; a contract with more seats promotes pending users at once. Holders are never evicted. */
export const putTenant = async (storage: StorageAdapter, input: TenantInput, call: HostCall): Promise<readonly LicenseEffect[]> => {
  const contract = contractSchema.parse(input.contract);
  // A missing environment variable must not leave a tenant that silently refuses every request.
  for (const token of input.tokens ?? []) {
    if (typeof token !== 'string' || token.trim() === '') throw new Error(`Tenant ${input.id}: each bearer token must be a non-empty string`);
  }
  const record: TenantRecord = { id: input.id, name: input.name ?? input.id, contract };
  await storage.putTenant(record);
  for (const token of input.tokens ?? []) await storage.addToken(input.id, await hashToken(token));
  return storage.write(input.id, async (unit) => {
    const before = await loadLicenseState(unit, contract, [], call.now);
    const settled = settle(before, [{ kind: 'contractChanged', at: call.now }], hostSettleContext(call));
    if (E.isLeft(settled)) return [];
    if (Object.keys(settled.right.changes).length > 0) await unit.commit(settled.right.changes);
    return settled.right.effects;
  });
};
