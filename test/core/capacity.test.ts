import { describe, expect, it } from 'vitest';
import { featureCapacities, tierCapacities } from '../../src/core/capacity/capacity';
import type { Contract } from '../../src/core/license/contract';

const counts = new Map([
  ['standard', { assigned: 40, releasing: 2, pending: 0 }],
  ['pro', { assigned: 47, releasing: 1, pending: 9 }],
]);

const contract: Contract = {
  tiers: [
    { key: 'standard', seats: 50, features: ['sso', 'sso'] },
    { key: 'pro', seats: 50, features: ['sso', 'audit-log'], seatChanges: [{ from: '2027-03-01T00:00:00Z', seats: 60 }] },
    { key: 'trial', seats: null, features: ['audit-log'] },
  ],
};

describe('capacity of tiers and features', () => {
  it('a tier uses its held seats (assigned and releasing, not pending) against the seats in force', () => {
    expect(tierCapacities(contract, counts, '2027-02-01T00:00:00Z')).toEqual([
      { value: 'standard', permitted: 50, used: 42 },
      { value: 'pro', permitted: 50, used: 48 },
      { value: 'trial', permitted: null, used: 0 },
    ]);
    expect(tierCapacities(contract, counts, '2027-03-01T00:00:00Z')[1]).toEqual({ value: 'pro', permitted: 60, used: 48 });
  });

  it('a feature sums the tiers carrying it, counts a tier once however often it names the feature, and is unlimited through any unlimited tier', () => {
    expect(featureCapacities(contract, counts, '2027-02-01T00:00:00Z')).toEqual([
      { value: 'sso', permitted: 100, used: 90 },
      { value: 'audit-log', permitted: null, used: 48 },
    ]);
  });
});
