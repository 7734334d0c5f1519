import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LicenseStatus } from '../../src/core/license/assignment';
import type { Contract } from '../../src/core/license/contract';
import { seatsAt } from '../../src/core/license/contract-terms';
import type { LedgerEntry } from '../../src/core/license/ledger-entry';
import { meterUsage } from '../../src/core/metering/meter-usage';
import type { UsageRecord } from '../../src/core/metering/usage-record';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2027-01-01T00:00:00Z');
const SPAN = 120 * DAY;
const TIERS = ['standard', 'pro', 'free'];
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
const STATUSES: LicenseStatus[] = ['assigned', 'degraded', 'releasing', 'pending', 'released'];
const HOLDING = new Set<LicenseStatus>(['assigned', 'degraded', 'releasing']);

const contractArb: fc.Arbitrary<Contract> = fc.record({
  billingPeriod: fc.constantFrom('month' as const, 'quarter' as const),
  termDay: fc.integer({ min: 1, max: 28 }),
  seats: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.option(fc.integer({ min: 0, max: 4 }), { nil: null })),
  // A dated seat change on standard (a renewal or a cut), sometimes to no limit.
  change: fc.option(fc.record({ day: fc.integer({ min: 0, max: 120 }), seats: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }) }), { nil: null }),
}).map(({ billingPeriod, termDay, seats, change }) => ({
  billingPeriod,
  term: { start: new Date(Date.UTC(2026, 11, termDay)).toISOString(), end: null },
  tiers: [
    { key: 'standard', seats: seats[0], ...(change ? { seatChanges: [{ from: new Date(START + change.day * DAY).toISOString(), seats: change.seats }] } : {}) },
    { key: 'pro', seats: seats[1] },
    { key: 'free', seats: null, billable: false },
  ],
}));

// Random ledgers: times on a coarse grid (so several entries share an instant), any tier and status.
const ledgerArb: fc.Arbitrary<LedgerEntry[]> = fc.array(
  fc.record({
    // Mostly a coarse grid, where instants are shared often; sometimes any hour.
    hour: fc.oneof(fc.integer({ min: 0, max: 30 }).map((d) => d * 96), fc.integer({ min: 0, max: SPAN / 3_600_000 })),
    userId: fc.constantFrom(...USERS),
    after: fc.option(fc.record({ tier: fc.constantFrom(...TIERS), status: fc.constantFrom(...STATUSES) }), { nil: null }),
  }),
  { maxLength: 40 },
).map((raw) => raw
  .sort((a, b) => a.hour - b.hour)
  .map((r, i) => ({
    seq: i + 1, at: new Date(START + r.hour * 3_600_000).toISOString(), userId: r.userId, before: null, after: r.after,
    actor: 'token:prop', requestId: null, reason: null, rule: null, policy: null,
  })));

const instantArb = fc.integer({ min: 0, max: SPAN }).map((ms) => START + ms);
const rangeArb = fc.tuple(instantArb, instantArb).filter(([a, b]) => a !== b).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

const iso = (ms: number) => new Date(ms).toISOString();
const meter = (contract: Contract, entries: LedgerEntry[], from: number, to: number) =>
  meterUsage({ tenantId: 't', contract, entries, from: iso(from), to: iso(to) });
const sum = (records: UsageRecord[], name: string, tier: string) =>
  records.filter((r) => r.meter === name && r.tier === tier).reduce((s, r) => s + r.value, 0);

/** The oracle: each user's holding intervals [start, end) per tier, from its own entries alone. */
const holdingIntervals = (entries: LedgerEntry[], until: number) => {
  const intervals: { userId: string; tier: string; start: number; end: number }[] = [];
  for (const userId of USERS) {
    const own = entries.filter((e) => e.userId === userId && Date.parse(e.at) < until);
    own.forEach((e, i) => {
      if (!e.after || !HOLDING.has(e.after.status)) return;
      const start = Date.parse(e.at);
      const end = i + 1 < own.length ? Date.parse(own[i + 1]!.at) : until;
      if (end > start) intervals.push({ userId, tier: e.after.tier, start, end });
    });
  }
  return intervals;
};

/** Seats of a tier held at an instant, by brute force. */
const heldAt = (entries: LedgerEntry[], tier: string, at: number) =>
  holdingIntervals(entries, Number.MAX_SAFE_INTEGER).filter((i) => i.tier === tier && i.start <= at && at < i.end).length;

describe('meterUsage properties over random ledgers', () => {
  it('seat-days over a range equal the holding time of every user, in days', () => {
    fc.assert(fc.property(contractArb, ledgerArb, rangeArb, (contract, entries, [from, to]) => {
      const records = meter(contract, entries, from, to);
      for (const tier of TIERS) {
        const expected = holdingIntervals(entries, to)
          .filter((i) => i.tier === tier)
          .reduce((s, i) => s + Math.max(0, Math.min(i.end, to) - Math.max(i.start, from)), 0) / DAY;
        expect(sum(records, 'seat_days', tier)).toBeCloseTo(expected, 9);
      }
    }));
  });

  it('seat-days over a range equal the sum over any split of it into two', () => {
    fc.assert(fc.property(contractArb, ledgerArb, rangeArb, fc.double({ min: 0, max: 1, noNaN: true }), (contract, entries, [from, to], f) => {
      const mid = from + Math.floor((to - from) * f);
      const whole = meter(contract, entries, from, to);
      const parts = [...meter(contract, entries, from, mid), ...meter(contract, entries, mid, to)];
      for (const tier of TIERS) expect(sum(parts, 'seat_days', tier)).toBeCloseTo(sum(whole, 'seat_days', tier), 9);
    }));
  });

  it('the peak of a period is the most seats held at any instant of it, and at least what is held at a random instant', () => {
    fc.assert(fc.property(contractArb, ledgerArb, rangeArb, fc.double({ min: 0, max: 1, noNaN: true }), (contract, entries, [from, to], f) => {
      const records = meter(contract, entries, from, to);
      for (const r of records.filter((x) => x.meter === 'peak_seats')) {
        const start = Date.parse(r.periodStart), end = Date.parse(r.periodEnd);
        const changes = entries.map((e) => Date.parse(e.at)).filter((t) => t > start && t < end);
        const most = Math.max(...[start, ...changes].map((t) => heldAt(entries, r.tier, t)));
        expect(r.value, `${r.tier} ${r.periodStart}`).toBe(most);
        expect(r.value).toBeGreaterThanOrEqual(heldAt(entries, r.tier, start + Math.floor((end - start) * f)));
      }
    }));
  });

  it('the true-up is the most seats held beyond the seats in force at any instant of the period', () => {
    fc.assert(fc.property(contractArb, ledgerArb, rangeArb, (contract, entries, [from, to]) => {
      const records = meter(contract, entries, from, to);
      for (const r of records.filter((x) => x.meter === 'true_up')) {
        const tier = contract.tiers.find((t) => t.key === r.tier)!;
        const start = Date.parse(r.periodStart), end = Date.parse(r.periodEnd);
        const instants = [start, ...entries.map((e) => Date.parse(e.at)), ...(tier.seatChanges ?? []).map((c) => Date.parse(c.from))]
          .filter((t) => t >= start && t < end);
        const excess = instants.map((t) => {
          const seats = seatsAt(tier, iso(t));
          return seats === null ? 0 : heldAt(entries, r.tier, t) - seats;
        });
        expect(r.value, `${r.tier} ${r.periodStart}`).toBe(Math.max(0, ...excess));
      }
    }));
  });

  it('with constant seats the true-up is max(0, peak - seats); unlimited tiers never true up', () => {
    fc.assert(fc.property(contractArb, ledgerArb, rangeArb, (contract, entries, [from, to]) => {
      const records = meter(contract, entries, from, to);
      for (const r of records.filter((x) => x.meter === 'true_up' && x.tier !== 'standard')) {
        const seats = contract.tiers.find((t) => t.key === r.tier)!.seats;
        const peak = records.find((x) => x.meter === 'peak_seats' && x.tier === r.tier && x.periodStart === r.periodStart)!.value;
        expect(r.value).toBe(seats === null ? 0 : Math.max(0, peak - seats));
      }
    }));
  });

  it('monthly active users are the distinct users with a holding interval in the month, never fewer than the peak', () => {
    fc.assert(fc.property(contractArb, ledgerArb, rangeArb, (contract, entries, [from, to]) => {
      const monthly = { ...contract, billingPeriod: 'month' as const };
      const records = meter(monthly, entries, from, to);
      for (const r of records.filter((x) => x.meter === 'monthly_active_users')) {
        const start = Date.parse(r.periodStart), end = Date.parse(r.periodEnd);
        const users = new Set(holdingIntervals(entries, to).filter((i) => i.tier === r.tier && i.start < end && i.end > start).map((i) => i.userId));
        expect(r.value).toBe(users.size);
        const peak = records.find((x) => x.meter === 'peak_seats' && x.tier === r.tier && x.periodStart === r.periodStart)!.value;
        expect(r.value).toBeGreaterThanOrEqual(peak);
      }
    }));
  });

  it('periods tile the range without gaps or overlaps, per meter and tier', () => {
    fc.assert(fc.property(contractArb, ledgerArb, rangeArb, (contract, entries, [from, to]) => {
      const records = meter(contract, entries, from, to);
      for (const name of ['seat_days', 'monthly_active_users']) {
        const periods = records.filter((r) => r.meter === name && r.tier === 'standard');
        expect(periods[0]!.periodStart).toBe(iso(from));
        expect(periods[periods.length - 1]!.periodEnd).toBe(iso(to));
        periods.slice(1).forEach((p, i) => expect(p.periodStart).toBe(periods[i]!.periodEnd));
      }
    }));
  });
});
