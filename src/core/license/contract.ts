/**
 * A tenant's contract: the tiers (seat types) it bought and how many seats of each.
 */
import * as z from 'zod';

export const tierSchema = z.object({
  /** The tier's key, as the policy names it: `standard`, `pro`. */
  key: z.string().min(1),
  /** Seats bought; `null` means no limit. */
  seats: z.number().int().nonnegative().nullable(),
  /** Higher rank wins when several rules match a user. Defaults to the tier's position in the list. */
  rank: z.number().int().optional(),
});

export const contractSchema = z.object({
  tiers: z.array(tierSchema).min(1).refine(
    (tiers) => new Set(tiers.map((t) => t.key)).size === tiers.length,
    { message: 'tier keys must be unique' },
  ),
});

export type TierDefinition = z.infer<typeof tierSchema>;
export type Contract = z.infer<typeof contractSchema>;

/** The tier's rank, defaulting to its position in the contract (later tiers rank higher). */
export const tierRank = (contract: Contract, key: string): number => {
  const index = contract.tiers.findIndex((t) => t.key === key);
  return index < 0 ? -1 : contract.tiers[index]!.rank ?? index;
};

/** The tier definition for a key, or undefined when the contract has no such tier. */
export const findTier = (contract: Contract, key: string): TierDefinition | undefined =>
  contract.tiers.find((t) => t.key === key);
