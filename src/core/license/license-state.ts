/**
 * The slice of a tenant's license state that one transition needs.
 *
 * A transition never sees the whole tenant: it sees every tier's counts, the assignments of the
 * users the request touches, and enough of each pending queue's head to promote everyone a freed
 * seat could reach. `loadLicenseState` in the service layer builds exactly that slice.
 */
import type { Assignment } from './assignment';

export interface TierSeats {
  /** Seats bought; null for no limit. */
  readonly limit: number | null;
  readonly assigned: number;
  readonly pending: number;
}

export interface LicenseState {
  /** The last queue position handed out in this tenant; pending users are served in this order. */
  readonly seq: number;
  readonly tiers: ReadonlyMap<string, TierSeats>;
  readonly assignments: ReadonlyMap<string, Assignment>;
}

/** True when the tier can take one more holder. */
export const hasRoom = (tier: TierSeats): boolean => tier.limit === null || tier.assigned < tier.limit;

/** The assignments a transition created or changed, and the users whose assignment it removed. */
export const diffAssignments = (before: LicenseState, after: LicenseState) => ({
  written: [...after.assignments.values()].filter((a) => before.assignments.get(a.userId) !== a),
  removed: [...before.assignments.keys()].filter((id) => !after.assignments.has(id)),
});
