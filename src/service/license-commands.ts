/**
 * What the host does to licenses outside of SCIM: approve a pending user (tiers with manual
 * promotion), and let time pass (holds end, the contract enters grace or expires).
 */
import * as E from 'fp-ts/Either';
import type { LicenseEffect } from '../core/license/license-effect';
import type { LicenseError, LicenseEvent } from '../core/license/transition';
import type { StorageAdapter } from '../ports/storage-adapter';
import { loadLicenseState, settle } from './license-unit';
import { hostSettleContext, type HostCall } from './host-call';
import { withTouches } from './touch-users';

/** A license command the engine refused, with the engine's reason. */
export class LicenseCommandError extends Error {
  override readonly name = 'LicenseCommandError';
  constructor(readonly reason: LicenseError) {
    super(describe(reason));
  }
}

const describe = (e: LicenseError): string => {
  switch (e._tag) {
    case 'NotPending': return `User ${e.userId} is not waiting for a seat`;
    case 'NoFreeSeat': return `No free seat in '${e.tier}' (${e.held}/${e.seats}); free or buy a seat first`;
    case 'SeatLimitReached': return `Seat limit reached for '${e.tier}' (${e.held}/${e.seats})`;
    case 'UnknownTier': return `The contract has no tier '${e.tier}'`;
    case 'TierInUse': return `The contract leaves out the tier '${e.tier}', which ${e.users} user(s) still hold or wait for; move them first (licenses.apply with a policy that no longer picks it and the new contract)`;
  }
};

/** Runs host events on a tenant in one unit of work; returns the effects, or throws LicenseCommandError. */
export const runHostEvents = async (
  storage: StorageAdapter,
  tenantId: string,
  call: HostCall,
  events: (at: string) => readonly LicenseEvent[],
  userIds: readonly string[] = [],
  actor = 'host',
): Promise<readonly LicenseEffect[]> => {
  if (!await storage.getTenant(tenantId)) throw new Error(`Unknown tenant ${tenantId}`);
  return storage.write(tenantId, async (unit) => {
    const { contract } = await unit.tenant();
    const now = call.clock().toISOString();
    const before = await loadLicenseState(unit, contract, userIds, now);
    const settled = settle(before, [{ kind: 'clock', at: now }, ...events(now)], hostSettleContext(call, now, actor));
    if (E.isLeft(settled)) throw new LicenseCommandError(settled.left);
    if (Object.keys(settled.right.changes).length > 0) await unit.commit(withTouches(settled.right.changes, now));
    return settled.right.effects;
  });
};

/** Grants a pending user a seat now, if its tier has one free. */
export const approve = (storage: StorageAdapter, tenantId: string, userId: string, call: HostCall) =>
  runHostEvents(storage, tenantId, call, (at) => [{ kind: 'approve', userId, at }], [userId]);

/** Lets the clock act: holds that ran out end, the contract enters grace or expires. */
export const advance = (storage: StorageAdapter, tenantId: string, call: HostCall) =>
  runHostEvents(storage, tenantId, call, () => [], [], 'clock');
