/**
 * A user's license under the tenant's contract.
 */

/**
 * `assigned`: holds a seat of `tier`. `pending`: wants `tier`, waits for a seat (FIFO by `queuedAt`).
 * `released`: holds no seat (the user is inactive).
 */
export type LicenseStatus = 'assigned' | 'pending' | 'released';

export interface Assignment {
  readonly userId: string;
  /** The tier the user wants (or held, when released). */
  readonly tier: string;
  readonly status: LicenseStatus;
  /** Position in the tier's pending queue; set while pending, null otherwise. */
  readonly queuedAt: number | null;
  /** When the current status began (ISO 8601). */
  readonly since: string;
}

/** Statuses that consume a seat of their tier. */
export const consumesSeat = (a: Pick<Assignment, 'status'>): boolean => a.status === 'assigned';
