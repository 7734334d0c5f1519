/**
 * Usage metering for billing, from the license ledger: per tier and billing period, seat-days, peak
 * seats held and the true-up high-water mark; per tier and month, monthly active users. Pure: the
 * same ledger, contract and range always give the same records.
 */
import type { Contract } from '../license/contract';
import type { LedgerEntry } from '../license/ledger-entry';
import { measureWindows, type TierMeasure } from './measure-windows';
import { billingWindows, monthWindows, type Window } from './metering-windows';
import { seatTimeline } from './seat-timeline';
import type { Meter, UsageRecord } from './usage-record';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface MeterUsageInput {
  readonly tenantId: string;
  /** The contract in force now: its tiers, seats (dated changes included), billing period and billable flags. */
  readonly contract: Contract;
  /**
   * The tenant's ledger from its first entry up to `to` at least: entries before `from` say who
   * already held a seat when the range starts. Entries at or after `to` are ignored.
   */
  readonly entries: readonly LedgerEntry[];
  /** The range to meter, ISO 8601: `from` inclusive, `to` exclusive. */
  readonly from: string;
  readonly to: string;
}

// Tiers of the contract in its order, then tiers the ledger names that the contract no longer has:
// seats held in a tier since removed were still held, and are metered as billable.
const tiersOf = (contract: Contract, entries: readonly LedgerEntry[]): string[] => {
  const tiers = contract.tiers.map((t) => t.key);
  const known = new Set(tiers);
  const extra = new Set<string>();
  for (const e of entries) {
    for (const side of [e.before, e.after]) if (side && !known.has(side.tier)) extra.add(side.tier);
  }
  return [...tiers, ...[...extra].sort()];
};

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Usage records for [from, to): for every tier and billing period `seat_days`, `peak_seats` and
 * `true_up`; for every tier and month `monthly_active_users`. Periods are clipped to the range, so
 * metering a period in parts gives parts that add up (seat-days) or combine by max (peaks).
 * @example
 * meterUsage({ tenantId: 'acme', contract, entries: await seatkit.ledger('acme', { limit: 100_000 }), from: '2027-01-01T00:00:00Z', to: '2027-02-01T00:00:00Z' })
 * // [{ tenantId: 'acme', meter: 'seat_days', tier: 'pro', periodStart: '2027-01-01T00:00:00.000Z', periodEnd: '2027-02-01T00:00:00.000Z', value: 1488, billable: true }, ...]
 */
export const meterUsage = (input: MeterUsageInput): UsageRecord[] => {
  const from = Date.parse(input.from);
  const to = Date.parse(input.to);
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('meterUsage: from and to must be ISO 8601 instants');
  if (from >= to) return [];
  const entries = input.entries.filter((e) => Date.parse(e.at) < to);
  const timeline = seatTimeline(entries);
  const tiers = tiersOf(input.contract, entries);
  const billable = (tier: string) => input.contract.tiers.find((t) => t.key === tier)?.billable ?? true;

  const recordsOf = (windows: readonly Window[], meters: readonly [Meter, (m: TierMeasure) => number][]): UsageRecord[] =>
    measureWindows(input.contract, timeline, windows, tiers).flatMap((measures, i) => {
      const window = windows[i]!;
      return tiers.flatMap((tier) => meters.map(([meter, value]) => ({
        tenantId: input.tenantId,
        meter,
        tier,
        periodStart: iso(window.start),
        periodEnd: iso(window.end),
        value: value(measures.get(tier)!),
        billable: billable(tier),
      })));
    });

  return [
    ...recordsOf(billingWindows(input.contract, from, to), [
      ['seat_days', (m) => m.seatMs / DAY_MS],
      ['peak_seats', (m) => m.peak],
      ['true_up', (m) => Math.max(0, m.over)],
    ]),
    ...recordsOf(monthWindows(input.contract, from, to), [['monthly_active_users', (m) => m.users.size]]),
  ];
};
