/**
 * A user's license under the tenant's contract.
 */

/**
 * - `assigned`: holds a seat of `tier`.
 * - `degraded`: holds a seat of `tier`, a lower tier than the `wantedTier` that was full.
 * - `releasing`: still holds a seat of `tier` until `releaseAt` (a reclaim hold, or flap damping after
 *   a downgrade); then moves to `wantedTier`, or to `released` when that is null.
 * - `pending`: wants `tier` and waits for a seat, first come first served by `queuedAt`.
 * - `released`: holds no seat (the user is inactive).
 */
export type LicenseStatus = 'assigned' | 'degraded' | 'releasing' | 'pending' | 'released';

export interface Assignment {
  readonly userId: string;
  /** The tier whose seat the user holds, or wants while pending, or held when released. */
  readonly tier: string;
  readonly status: LicenseStatus;
  /** Position in the tier's pending queue; set while pending, null otherwise. */
  readonly queuedAt: number | null;
  /** When the current status began (ISO 8601). */
  readonly since: string;
  /** `degraded`: the tier the user wants. `releasing`: the tier it moves to when the hold ends (null: none). */
  readonly wantedTier?: string | null;
  /** `releasing`: when the held seat is given up (ISO 8601). */
  readonly releaseAt?: string | null;
  /** Why the license is in this state, in words an admin reads. */
  readonly reason?: string | null;
}

/** Statuses that hold a seat of their tier. */
export const SEAT_HOLDING: ReadonlySet<LicenseStatus> = new Set(['assigned', 'degraded', 'releasing']);

/** True when the assignment holds a seat of its tier. */
export const consumesSeat = (a: Pick<Assignment, 'status'>): boolean => SEAT_HOLDING.has(a.status);
