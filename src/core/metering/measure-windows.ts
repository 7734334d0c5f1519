/**
 * Measures a seat timeline over consecutive windows: per tier, the seat-milliseconds held, the peak
 * held, the most seats held beyond the seats in force, and who held a seat. Held seats only change at
 * ledger instants, so each window is a sum over intervals of constant holdings.
 */
import type { Contract } from '../license/contract';
import { findTier } from '../license/contract';
import { seatsAt } from '../license/contract-terms';
import type { Window } from './metering-windows';
import { emptyHoldings, type Instant } from './seat-timeline';

export interface TierMeasure {
  /** Held seats integrated over the window, in seat-milliseconds (an integer, so sums are exact). */
  seatMs: number;
  peak: number;
  /** The most seats held beyond the seats in force at any instant (0 when never over, or unlimited). */
  over: number;
  /** Users that held a seat of the tier at some instant of the window. */
  readonly users: Set<string>;
}

// The fewest seats in force during [a, b): the seats at `a` and every dated change inside. Null
// means unlimited throughout.
const fewestSeats = (contract: Contract, tier: string, a: number, b: number): number | null => {
  const def = findTier(contract, tier);
  if (!def) return null;
  const candidates = [seatsAt(def, new Date(a).toISOString()),
    ...(def.seatChanges ?? []).filter((c) => Date.parse(c.from) > a && Date.parse(c.from) < b).map((c) => c.seats)];
  const limited = candidates.filter((s): s is number => s !== null);
  return limited.length === 0 ? null : Math.min(...limited);
};

/**
 * One measure per tier for each window; `windows` must be consecutive and in time order.
 * @example measureWindows(contract, seatTimeline(entries), billingWindows(contract, from, to), ['pro'])
 */
export const measureWindows = (
  contract: Contract,
  timeline: readonly Instant[],
  windows: readonly Window[],
  tiers: readonly string[],
): Map<string, TierMeasure>[] => {
  const holdings = emptyHoldings();
  let next = 0;
  return windows.map((window) => {
    // Entries at the window's first instant shape it from its start.
    while (next < timeline.length && timeline[next]!.at <= window.start) holdings.apply(timeline[next++]!);
    const measures = new Map(tiers.map((tier) => [tier, { seatMs: 0, peak: 0, over: 0, users: new Set<string>() } as TierMeasure]));
    const noteHolders = (userIds: Iterable<string>) => {
      for (const userId of userIds) {
        const tier = holdings.byUser.get(userId);
        if (tier !== undefined) measures.get(tier)?.users.add(userId);
      }
    };
    const measure = (a: number, b: number) => {
      for (const [tier, m] of measures) {
        const held = holdings.held(tier);
        m.seatMs += held * (b - a);
        m.peak = Math.max(m.peak, held);
        const seats = fewestSeats(contract, tier, a, b);
        if (seats !== null) m.over = Math.max(m.over, held - seats);
      }
    };
    noteHolders(holdings.byUser.keys());
    let from = window.start;
    while (next < timeline.length && timeline[next]!.at < window.end) {
      const instant = timeline[next++]!;
      measure(from, instant.at);
      holdings.apply(instant);
      noteHolders(instant.holds.keys());
      from = instant.at;
    }
    measure(from, window.end);
    return measures;
  });
};
