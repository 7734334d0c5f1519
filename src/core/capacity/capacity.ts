/**
 * Capacity as the IdP sees it: for each tier, and for each feature the tiers carry, how many users
 * may hold it now and how many do. The source of the /Roles and /Entitlements resources.
 */
import type { Contract } from '../license/contract';
import { tierTerms } from '../license/contract-terms';
import { heldSeats, NO_COUNTS, type TierCounts } from '../license/license-state';

export interface Capacity {
  /** The tier key, or the feature name. */
  readonly value: string;
  /** Seats in force now; null when unlimited. */
  readonly permitted: number | null;
  /** Seats held now, reclaim holds included. */
  readonly used: number;
}

/**
 * One capacity per tier, in contract order.
 * @example tierCapacities(contract, counts, now) // [{ value: 'pro', permitted: 50, used: 48 }]
 */
export const tierCapacities = (contract: Contract, counts: ReadonlyMap<string, TierCounts>, at: string): readonly Capacity[] =>
  contract.tiers.map((tier) => ({
    value: tier.key,
    permitted: tierTerms(tier, at).seats,
    used: heldSeats(counts.get(tier.key) ?? NO_COUNTS),
  }));

/**
 * One capacity per feature, in order of first mention. A user holds one seat at most, so the seats of
 * the tiers carrying a feature add up to the users who may use it; one unlimited tier makes it unlimited.
 * @example featureCapacities(contract, counts, now) // [{ value: 'sso', permitted: 60, used: 51 }]
 */
export const featureCapacities = (contract: Contract, counts: ReadonlyMap<string, TierCounts>, at: string): readonly Capacity[] => {
  const tiers = tierCapacities(contract, counts, at);
  const features = new Map<string, Capacity>();
  contract.tiers.forEach((tier, i) => {
    for (const feature of new Set(tier.features ?? [])) {
      const seats = tiers[i]!;
      const sum = features.get(feature) ?? { value: feature, permitted: 0, used: 0 };
      features.set(feature, {
        value: feature,
        permitted: sum.permitted === null || seats.permitted === null ? null : sum.permitted + seats.permitted,
        used: sum.used + seats.used,
      });
    }
  });
  return [...features.values()];
};
