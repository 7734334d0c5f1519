/**
 * Small policies and a way to combine them, for hosts whose pricing is not a rule list.
 */
import type { LicensePolicy, TierDecision } from '../../ports/license-policy';
import { tierRank } from './contract';

/**
 * Everyone wants one tier: per-seat pricing (the tier has a seat limit) or usage-based pricing (the
 * tier has none, and metering bills what is used).
 * @example
 * perSeatPolicy('seat')
 */
export const perSeatPolicy = (tier: string): LicensePolicy => ({
  name: 'per-seat',
  decideTier: () => ({ tier, reason: `every user takes a '${tier}' seat`, matched: [] }),
});

/**
 * Asks every policy and keeps the highest-ranked tier (the first policy's on a tie), so a host can
 * add its own rule on top of a built-in policy.
 * @example
 * highestRankOf(rulePolicy({ defaultTier: 'standard', rules }), contractorPolicy)
 */
export const highestRankOf = (...policies: readonly LicensePolicy[]): LicensePolicy => {
  if (policies.length === 0) throw new Error('highestRankOf needs at least one policy');
  return {
    name: policies.map((p) => p.name ?? 'custom').join('+'),
    decideTier: async (input) => {
      const decisions: TierDecision[] = [];
      for (const policy of policies) decisions.push(await policy.decideTier(input));
      const best = decisions.reduce((a, b) => (tierRank(input.contract, b.tier) > tierRank(input.contract, a.tier) ? b : a));
      return { ...best, matched: decisions.flatMap((d) => d.matched ?? [d.reason]) };
    },
  };
};
