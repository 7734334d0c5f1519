import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesFilter } from '../../src/core/filter/evaluate-filter';
import { parseFilter } from '../../src/core/filter/parse-filter';
import { sortResources } from '../../src/core/list/sort-resources';
import { parseInstant } from '../../src/core/schema/parse-instant';
import { userResourceType } from '../../src/core/schema/resource-type';
import { resolveAttribute } from '../../src/core/schema/resolve-path';

// A host far from UTC, so reading a time without an offset in the host's zone would show.
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Pacific/Kiritimati';
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('dateTimes are xsd:dateTime (RFC 7643 §2.3.5), read the same on every host', () => {
  it('reads xsd:dateTime with and without fraction and offset, and a date alone as midnight UTC', () => {
    expect(parseInstant('2024-03-07T10:00:00Z')).toBe(Date.UTC(2024, 2, 7, 10));
    expect(parseInstant('2024-03-07T10:00:00+01:00')).toBe(Date.UTC(2024, 2, 7, 9));
    expect(parseInstant('2024-03-07T10:00:00-14:00')).toBe(Date.UTC(2024, 2, 8, 0));
    expect(parseInstant('2024-03-07T10:00:00.1239999Z')).toBe(Date.UTC(2024, 2, 7, 10, 0, 0, 123));
    expect(parseInstant('2024-03-07')).toBe(Date.UTC(2024, 2, 7));
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseInstant('0050-01-01T00:00:00Z')).toBe(new Date('0050-01-01T00:00:00Z').getTime());
  });

  it('reads a dateTime without an offset as UTC, whatever the host time zone', () => {
    expect(new Date(0).getTimezoneOffset()).not.toBe(0);
    expect(parseInstant('2024-03-07T10:00:00')).toBe(Date.UTC(2024, 2, 7, 10));
  });

  it('refuses what Date.parse takes but xsd:dateTime does not, and dates no calendar has', () => {
    for (const text of [
      'March 7, 2024', '1', '2024', '2024-03', '2024-03-07T10:00Z', '2024-03-07 10:00:00Z', '2024-03-07t10:00:00z',
      '2024-02-30T00:00:00Z', '2023-02-29', '2024-13-01', '2024-04-31', '0000-01-01', '2024-03-07T24:00:00Z',
      '2024-03-07T10:60:00Z', '2024-03-07T10:00:60Z', '2024-03-07T10:00:00+14:01', '2024-03-07T10:00:00+0100',
      '2024-03-07T10:00:00.Z', ' 2024-03-07', '+002024-03-07T10:00:00Z', '',
    ]) expect(parseInstant(text), text).toBeNull();
  });

  it('agrees with toISOString for every instant of years 1 to 9999', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
      const iso = date.toISOString();
      expect(parseInstant(iso)).toBe(date.getTime());
      expect(parseInstant(iso.slice(0, -1))).toBe(date.getTime());
    }), { numRuns: 2000 });
  });

  it('takes any offset as that many minutes from UTC', () => {
    fc.assert(fc.property(fc.integer({ min: -840, max: 840 }), (minutes) => {
      const sign = minutes < 0 ? '-' : '+';
      const hh = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
      const mm = String(Math.abs(minutes) % 60).padStart(2, '0');
      expect(parseInstant(`2024-06-15T12:00:00${sign}${hh}:${mm}`)).toBe(Date.UTC(2024, 5, 15, 12) - minutes * 60_000);
    }));
  });

  it('filters and sorts a value without an offset as UTC in the reference evaluator', () => {
    const user = { userName: 'ada', meta: { created: '2024-03-07T10:00:00' } };
    const matches = (text: string) => {
      const tree = parseFilter(userResourceType, text);
      if (E.isLeft(tree)) throw new Error(tree.left.detail);
      return matchesFilter(tree.right, user);
    };
    expect(matches('meta.created eq "2024-03-07T10:00:00Z"')).toBe(true);
    expect(matches('meta.created eq "2024-03-07T11:00:00+01:00"')).toBe(true);
    expect(matches('meta.created lt "2024-03-07T10:00:01"')).toBe(true);
    const target = resolveAttribute(userResourceType, 'meta.created')!;
    const sorted = sortResources([user, { userName: 'ben', meta: { created: '2024-03-07T09:30:00Z' } }], { target, descending: false }, (u) => u);
    expect(sorted.map((u) => u.userName)).toEqual(['ben', 'ada']);
  });
});
