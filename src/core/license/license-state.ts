/**
 * The slice of a tenant's license state that one transition needs.
 *
 * A transition never sees the whole tenant: it sees the contract, every tier's counts, the
 * assignments of the users the request touches, and enough of each pending queue's head (and of the
 * holds that have run out) to do everything the event could cause. `loadLicenseState` in the
 * service layer builds exactly that slice.
 */
import type { Assignment } from './assignment';
import type { ContractPhase } from './contract-terms';
import type { Contract } from './contract';

export interface TierCounts {
  /** Seats held by `assigned` and `degraded` users. */
  readonly assigned: number;
  /** Seats still held by `releasing` users. */
  readonly releasing: number;
  readonly pending: number;
}

export interface LicenseState {
  readonly contract: Contract;
  /** The contract phase the tenant was last in, so entering grace or expiry is noticed once. */
  readonly phase: ContractPhase;
  /** The last queue position handed out in this tenant; pending users are served in this order. */
  readonly seq: number;
  readonly counts: ReadonlyMap<string, TierCounts>;
  readonly assignments: ReadonlyMap<string, Assignment>;
}

export const NO_COUNTS: TierCounts = { assigned: 0, releasing: 0, pending: 0 };

/** Seats of a tier held by anyone. */
export const heldSeats = (c: TierCounts): number => c.assigned + c.releasing;

/** The assignments a transition created or changed, and the users whose assignment it removed. */
export const diffAssignments = (before: LicenseState, after: LicenseState) => ({
  written: [...after.assignments.values()].filter((a) => before.assignments.get(a.userId) !== a),
  removed: [...before.assignments.keys()].filter((id) => !after.assignments.has(id)),
});
