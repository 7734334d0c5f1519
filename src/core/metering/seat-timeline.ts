/**
 * The ledger replayed as a step function: who holds a seat of which tier, changing only at the
 * instants the ledger records. Entries of one instant (a release and the promotion it causes) are
 * applied together, so no transient in-between state is ever measured.
 */
import { SEAT_HOLDING } from '../license/assignment';
import type { LedgerEntry } from '../license/ledger-entry';

export interface Instant {
  /** Epoch milliseconds. */
  readonly at: number;
  /** The tier each changed user holds a seat of from this instant on; null when it holds none. */
  readonly holds: ReadonlyMap<string, string | null>;
}

// `after` alone says what a user holds: `before` may be stale in a hand-made ledger, `after` never matters less.
const heldTier = (entry: LedgerEntry): string | null =>
  entry.after !== null && SEAT_HOLDING.has(entry.after.status) ? entry.after.tier : null;

/** Groups entries by instant, in time order (sequence order within an instant). */
export const seatTimeline = (entries: readonly LedgerEntry[]): Instant[] => {
  const ordered = [...entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq);
  const instants: { at: number; holds: Map<string, string | null> }[] = [];
  for (const entry of ordered) {
    const at = Date.parse(entry.at);
    let last = instants[instants.length - 1];
    if (!last || last.at !== at) {
      last = { at, holds: new Map() };
      instants.push(last);
    }
    last.holds.set(entry.userId, heldTier(entry));
  }
  return instants;
};

export interface Holdings {
  /** The tier each seat-holding user holds. */
  readonly byUser: ReadonlyMap<string, string>;
  /** Seats held per tier. */
  held(tier: string): number;
  /** Moves to the state from `instant` on. */
  apply(instant: Instant): void;
}

/** Who holds what, starting from nobody; changed in place as instants are applied, in time order. */
export const emptyHoldings = (): Holdings => {
  const byUser = new Map<string, string>();
  const perTier = new Map<string, number>();
  const add = (tier: string, n: number) => perTier.set(tier, (perTier.get(tier) ?? 0) + n);
  return {
    byUser,
    held: (tier) => perTier.get(tier) ?? 0,
    apply: (instant) => {
      for (const [userId, tier] of instant.holds) {
        const previous = byUser.get(userId);
        if (previous !== undefined) add(previous, -1);
        if (tier === null) byUser.delete(userId);
        else {
          byUser.set(userId, tier);
          add(tier, 1);
        }
      }
    },
  };
};
