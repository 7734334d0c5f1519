/**
 * What the host does with tenants outside of SCIM: create them, change their contract, manage
 * their tokens, and read their seats.
 */
import * as E from 'fp-ts/Either';
import type { Assignment } from '../core/license/assignment';
import { contractSchema, type Contract } from '../core/license/contract';
import type { LicenseEffect } from '../core/license/license-effect';
import { diffAssignments } from '../core/license/license-state';
import { transitionAll } from '../core/license/transition';
import { hashToken } from './token-digest';
import type { StorageAdapter, TenantRecord } from '../ports/storage-adapter';
import { loadLicenseState } from './settle-licenses';

export interface TenantInput {
  readonly id: string;
  readonly name?: string;
  readonly contract: Contract;
  /** Bearer tokens the tenant's IdP sends; only their SHA-256 digests are stored. */
  readonly tokens?: readonly string[];
}

export interface TierUsage {
  readonly tier: string;
  /** Seats bought; null for no limit. */
  readonly limit: number | null;
  readonly assigned: number;
  readonly pending: number;
  /** Seats free now; null for no limit. */
  readonly available: number | null;
}

export interface License {
  readonly tier: string;
  readonly status: Assignment['status'];
  readonly since: string;
}

/** Creates or updates a tenant; a contract with more seats promotes pending users at once. */
export const putTenant = async (
  storage: StorageAdapter,
  input: TenantInput,
  now: string,
): Promise<readonly LicenseEffect[]> => {
  const contract = contractSchema.parse(input.contract);
  // A missing environment variable must not leave a tenant that silently refuses every request.
  for (const token of input.tokens ?? []) {
    if (typeof token !== 'string' || token.trim() === '') throw new Error(`Tenant ${input.id}: each bearer token must be a non-empty string`);
  }
  const record: TenantRecord = { id: input.id, name: input.name ?? input.id, contract };
  await storage.putTenant(record);
  for (const token of input.tokens ?? []) await storage.addToken(input.id, await hashToken(token));
  return storage.write(input.id, async (unit) => {
    const before = await loadLicenseState(unit, contract, []);
    const after = transitionAll(before, [{ kind: 'contractChanged', at: now }]);
    if (E.isLeft(after)) return [];
    const { written } = diffAssignments(before, after.right.state);
    if (written.length > 0) await unit.commit({ putAssignments: written });
    return after.right.effects;
  });
};

/** Seat usage per tier of the tenant's contract. */
export const usage = async (storage: StorageAdapter, tenantId: string): Promise<readonly TierUsage[]> => {
  const tenant = await storage.getTenant(tenantId);
  if (!tenant) throw new Error(`Unknown tenant ${tenantId}`);
  const counts = await storage.read(tenantId, (reader) => reader.seatCounts());
  return tenant.contract.tiers.map((t) => {
    const c = counts.get(t.key) ?? { assigned: 0, pending: 0 };
    return { tier: t.key, limit: t.seats, assigned: c.assigned, pending: c.pending, available: t.seats === null ? null : Math.max(0, t.seats - c.assigned) };
  });
};

/** A user's license, or null when the tenant has no such user. */
export const getLicense = async (storage: StorageAdapter, tenantId: string, userId: string): Promise<License | null> => {
  const [assignment] = await storage.read(tenantId, (reader) => reader.getAssignments([userId]));
  return assignment ? { tier: assignment.tier, status: assignment.status, since: assignment.since } : null;
};
