import { describe, expect, it } from 'vitest';
import type { Contract } from '../../src/core/license/contract';
import type { LedgerEntry, LedgerSide } from '../../src/core/license/ledger-entry';
import { meterUsage } from '../../src/core/metering/meter-usage';
import { usageToCsv, usageToJsonLines } from '../../src/core/metering/usage-export';
import type { UsageRecord } from '../../src/core/metering/usage-record';

const contract: Contract = {
  term: { start: '2027-01-01T00:00:00Z', end: null },
  tiers: [
    { key: 'standard', seats: 2, seatChanges: [{ from: '2027-02-10T00:00:00Z', seats: 1 }] },
    { key: 'pro', seats: 1, atLimit: { mode: 'overage', seats: 1 } },
    { key: 'free', seats: null, billable: false },
  ],
};

let seq = 0;
const entry = (at: string, userId: string, before: LedgerSide | null, after: LedgerSide | null): LedgerEntry => ({
  seq: ++seq, at, userId, before, after, actor: 'token:test', requestId: null, reason: null, rule: null, policy: null,
});
const side = (tier: string, status: LedgerSide['status']): LedgerSide => ({ tier, status });

const ledger: LedgerEntry[] = [
  entry('2027-01-01T00:00:00Z', 'u1', null, side('standard', 'assigned')),
  entry('2027-01-11T00:00:00Z', 'u2', null, side('standard', 'assigned')),
  entry('2027-01-11T00:00:00Z', 'u3', null, side('standard', 'pending')),
  // u1 is deactivated under a reclaim hold: its seat stays held until the hold ends.
  entry('2027-01-16T12:00:00Z', 'u1', side('standard', 'assigned'), side('standard', 'releasing')),
  // The hold ends and u3 takes the seat at the same instant: never 3 held, never 1.
  entry('2027-01-17T12:00:00Z', 'u1', side('standard', 'releasing'), side('standard', 'released')),
  entry('2027-01-17T12:00:00Z', 'u3', side('standard', 'pending'), side('standard', 'assigned')),
  entry('2027-01-21T00:00:00Z', 'u4', null, side('pro', 'assigned')),
  // An overage seat: 2 pro seats held of 1.
  entry('2027-01-26T00:00:00Z', 'u5', null, side('pro', 'assigned')),
  entry('2027-02-05T00:00:00Z', 'u5', side('pro', 'assigned'), null),
  entry('2027-02-20T00:00:00Z', 'u6', null, side('free', 'assigned')),
];

const value = (records: UsageRecord[], meter: string, tier: string, periodStart: string) =>
  records.find((r) => r.meter === meter && r.tier === tier && r.periodStart === periodStart)?.value;

const JAN = '2027-01-01T00:00:00.000Z';
const FEB = '2027-02-01T00:00:00.000Z';

describe('meterUsage with hand-computed numbers', () => {
  const records = meterUsage({ tenantId: 'acme', contract, entries: ledger, from: '2027-01-01T00:00:00Z', to: '2027-03-01T00:00:00Z' });

  it('seat-days: standard is 1 seat for 10 days then 2 for 21 (52), then 2 for all 28 days of February (56)', () => {
    expect(value(records, 'seat_days', 'standard', JAN)).toBe(52);
    expect(value(records, 'seat_days', 'standard', FEB)).toBe(56);
    // pro: u4 for 11 days and u5 for 6 in January; u4 for 28 days and u5 for 4 in February.
    expect(value(records, 'seat_days', 'pro', JAN)).toBe(17);
    expect(value(records, 'seat_days', 'pro', FEB)).toBe(32);
    // free: u6 from 20 February, 9 days.
    expect(value(records, 'seat_days', 'free', FEB)).toBe(9);
  });

  it('seat-days are fractional: the 36 hours u1 held during its hold count as 1.5 days', () => {
    const hold = meterUsage({ tenantId: 'acme', contract, entries: ledger, from: '2027-01-16T00:00:00Z', to: '2027-01-18T00:00:00Z' });
    // 16 Jan 00:00 to 18 Jan 00:00: 2 seats held throughout (u1 then u3 beside u2) = 4 seat-days.
    expect(value(hold, 'seat_days', 'standard', '2027-01-16T00:00:00.000Z')).toBe(4);
    const half = meterUsage({ tenantId: 'acme', contract, entries: ledger, from: '2027-01-10T12:00:00Z', to: '2027-01-11T00:00:00Z' });
    expect(value(half, 'seat_days', 'standard', '2027-01-10T12:00:00.000Z')).toBe(0.5);
  });

  it('peak seats: the most held at any instant, not counting the in-between state of one instant', () => {
    expect(value(records, 'peak_seats', 'standard', JAN)).toBe(2);
    expect(value(records, 'peak_seats', 'pro', JAN)).toBe(2);
    expect(value(records, 'peak_seats', 'pro', FEB)).toBe(2);
    expect(value(records, 'peak_seats', 'free', JAN)).toBe(0);
  });

  it('peak seats do not see a promotion recorded before the release that made room at the same instant', () => {
    const swapped = [
      entry('2027-01-01T00:00:00Z', 'a', null, side('pro', 'assigned')),
      entry('2027-01-05T00:00:00Z', 'b', null, side('pro', 'assigned')),
      entry('2027-01-05T00:00:00Z', 'a', side('pro', 'assigned'), null),
    ];
    const jan = meterUsage({ tenantId: 'acme', contract, entries: swapped, from: '2027-01-01T00:00:00Z', to: '2027-02-01T00:00:00Z' });
    expect(value(jan, 'peak_seats', 'pro', JAN)).toBe(1);
    expect(value(jan, 'true_up', 'pro', JAN)).toBe(0);
    expect(value(jan, 'monthly_active_users', 'pro', JAN)).toBe(2);
  });

  it('true-up: seats held beyond the seats in force, including a seat cut during the period', () => {
    expect(value(records, 'true_up', 'standard', JAN)).toBe(0);
    // From 10 February the contract provides 1 standard seat while 2 are held.
    expect(value(records, 'true_up', 'standard', FEB)).toBe(1);
    expect(value(records, 'true_up', 'pro', JAN)).toBe(1);
    expect(value(records, 'true_up', 'free', FEB)).toBe(0);
  });

  it('monthly active users: distinct users that held a seat of the tier during the month', () => {
    expect(value(records, 'monthly_active_users', 'standard', JAN)).toBe(3);
    expect(value(records, 'monthly_active_users', 'standard', FEB)).toBe(2);
    expect(value(records, 'monthly_active_users', 'pro', FEB)).toBe(2);
    expect(value(records, 'monthly_active_users', 'free', FEB)).toBe(1);
  });

  it('gives every meter for every tier and period, with the tier\'s billable flag', () => {
    expect(records).toHaveLength(2 * 3 * 4);
    expect(records.filter((r) => r.tier === 'free').every((r) => !r.billable)).toBe(true);
    expect(records.filter((r) => r.tier !== 'free').every((r) => r.billable)).toBe(true);
    expect(records[0]).toEqual({ tenantId: 'acme', meter: 'seat_days', tier: 'standard', periodStart: JAN, periodEnd: FEB, value: 52, billable: true });
  });

  it('clips billing periods to the range, and quarters still have monthly active users per month', () => {
    const quarterly: Contract = { ...contract, billingPeriod: 'quarter' };
    const q = meterUsage({ tenantId: 'acme', contract: quarterly, entries: ledger, from: '2027-01-15T00:00:00Z', to: '2027-03-01T00:00:00Z' });
    const seatDays = q.filter((r) => r.meter === 'seat_days' && r.tier === 'standard');
    expect(seatDays).toEqual([expect.objectContaining({ periodStart: '2027-01-15T00:00:00.000Z', periodEnd: '2027-03-01T00:00:00.000Z', value: 2 * 45 })]);
    expect(q.filter((r) => r.meter === 'monthly_active_users' && r.tier === 'standard').map((r) => [r.periodStart, r.value])).toEqual([
      ['2027-01-15T00:00:00.000Z', 3], [FEB, 2],
    ]);
  });

  it('ignores entries at or after the end of the range, and answers nothing for an empty range', () => {
    const jan = meterUsage({ tenantId: 'acme', contract, entries: ledger, from: '2027-01-01T00:00:00Z', to: '2027-02-01T00:00:00Z' });
    expect(jan.every((r) => r.periodEnd === FEB)).toBe(true);
    expect(meterUsage({ tenantId: 'acme', contract, entries: ledger, from: '2027-02-01T00:00:00Z', to: '2027-02-01T00:00:00Z' })).toEqual([]);
    expect(() => meterUsage({ tenantId: 'acme', contract, entries: ledger, from: 'soon', to: '2027-02-01T00:00:00Z' })).toThrow(RangeError);
  });

  it('meters a tier the contract no longer has, as billable and without a true-up', () => {
    const gone = [...ledger, entry('2027-01-31T00:00:00Z', 'u7', null, side('legacy', 'assigned'))];
    const jan = meterUsage({ tenantId: 'acme', contract, entries: gone, from: '2027-01-01T00:00:00Z', to: '2027-02-01T00:00:00Z' });
    expect(jan.filter((r) => r.tier === 'legacy').map((r) => [r.meter, r.value, r.billable])).toEqual([
      ['seat_days', 1, true], ['peak_seats', 1, true], ['true_up', 0, true], ['monthly_active_users', 1, true],
    ]);
  });
});

describe('usage exports', () => {
  const records: UsageRecord[] = [
    { tenantId: 'acme', meter: 'seat_days', tier: 'pro', periodStart: JAN, periodEnd: FEB, value: 17.25, billable: true },
    { tenantId: 'acme, "EU"', meter: 'peak_seats', tier: 'free', periodStart: JAN, periodEnd: FEB, value: 0, billable: false },
  ];

  it('CSV has a header, CRLF line ends and RFC 4180 quoting', () => {
    expect(usageToCsv(records)).toBe(
      'tenant_id,meter,tier,period_start,period_end,value,billable\r\n'
      + `acme,seat_days,pro,${JAN},${FEB},17.25,true\r\n`
      + `"acme, ""EU""",peak_seats,free,${JAN},${FEB},0,false\r\n`,
    );
    expect(usageToCsv([])).toBe('tenant_id,meter,tier,period_start,period_end,value,billable\r\n');
  });

  it('JSON lines parse back to the records', () => {
    const text = usageToJsonLines(records);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(records);
    expect(usageToJsonLines([])).toBe('');
  });
});
