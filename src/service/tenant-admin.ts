/**
 * What the host does with tenants outside of SCIM: create them, change their contract, manage
 * their tokens, and read their seats.
 */
import * as E from 'fp-ts/Either';
import { contractSchema, type Contract } from '../core/license/contract';
import type { LicenseEffect } from '../core/license/license-effect';
import { hashToken } from './token-digest';
import type { StorageAdapter } from '../ports/storage-adapter';
import { LicenseCommandError } from './license-commands';
import { loadLicenseState, settle } from './license-unit';
import { hostSettleContext, type HostCall } from './host-call';
import { withTouches } from './touch-users';

export interface TenantInput {
  readonly id: string;
  readonly name?: string;
  readonly contract: Contract;
  /** Bearer tokens the tenant's IdP sends; only their SHA-256 digests are stored. */
  readonly tokens?: readonly string[];
}

/**
 * Creates or updates a tenant; a contract with more seats promotes pending users at once. Holders
 * are never evicted. The contract and the license changes it causes are stored together, and a
 * contract that leaves out a tier still in use is refused with a LicenseCommandError.
 */
export const putTenant = async (storage: StorageAdapter, input: TenantInput, call: HostCall): Promise<readonly LicenseEffect[]> => {
  const contract = contractSchema.parse(input.contract);
  // A missing environment variable must not leave a tenant that silently refuses every request.
  for (const token of input.tokens ?? []) {
    if (typeof token !== 'string' || token.trim() === '') throw new Error(`Tenant ${input.id}: each bearer token must be a non-empty string`);
  }
  const name = input.name ?? input.id;
  if (!await storage.getTenant(input.id)) await storage.putTenant({ id: input.id, name, contract });
  const effects = await storage.write(input.id, async (unit) => {
    const now = call.clock().toISOString();
    const before = await loadLicenseState(unit, contract, [], now);
    const settled = settle(before, [{ kind: 'contractChanged', at: now }], hostSettleContext(call, now));
    if (E.isLeft(settled)) throw new LicenseCommandError(settled.left);
    await unit.commit(withTouches({ tenant: { name, contract }, ...settled.right.changes }, now));
    return settled.right.effects;
  });
  for (const token of input.tokens ?? []) await storage.addToken(input.id, await hashToken(token));
  return effects;
};
