/**
 * A tenant's contract: the tiers (seat types) it bought, how many seats of each and when, what
 * happens at a full tier, how seats are reclaimed, and how the term ends.
 *
 * Every field beyond `key` and `seats` is optional, so a contract stored before a field existed reads
 * the same as one that leaves it out; `tierTerms` and `contractTerms` supply the defaults.
 */
import * as z from 'zod';

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be an ISO 8601 date or date-time' });

/** What a tier does for a newcomer when its seats are all taken. */
export const atLimitSchema = z.discriminatedUnion('mode', [
  /** Wait `pending`, first come first served (the default). */
  z.object({ mode: z.literal('queue') }).strict(),
  /** Take a seat of the lower tier `to` while one is free; wait `pending` otherwise. */
  z.object({ mode: z.literal('degrade'), to: z.string().min(1) }).strict(),
  /** Refuse the request with 403: only for hosts that would rather fail than queue. */
  z.object({ mode: z.literal('reject') }).strict(),
  /** Grant seats beyond the limit, flagged `over_allocated`, up to `factor` x seats or `seats` extra. */
  z.object({ mode: z.literal('overage'), factor: z.number().min(1).optional(), seats: z.number().int().nonnegative().optional() }).strict()
    .refine((o) => (o.factor === undefined) !== (o.seats === undefined), { message: 'overage takes exactly one of factor or seats' }),
]);

/** When a seat given up (deactivation, deletion, downgrade) becomes free for someone else. */
export const reclaimSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('immediate') }).strict(),
  /** Held for `hours`; a reactivation inside the hold keeps the seat. */
  z.object({ mode: z.literal('delay'), hours: z.number().positive() }).strict(),
  /** Held until the current billing period ends: the seat is paid for until then anyway. */
  z.object({ mode: z.literal('periodEnd') }).strict(),
]);

export const tierSchema = z.object({
  /** The tier's key, as the policy names it: `standard`, `pro`. */
  key: z.string().min(1),
  /** Seats bought; `null` means no limit. */
  seats: z.number().int().nonnegative().nullable(),
  /** Higher rank wins when several rules match a user. Defaults to the tier's position in the list. */
  rank: z.number().int().optional(),
  /** What a holder of this tier may use: `can(tenant, user, feature)` answers from this list. */
  features: z.array(z.string().min(1)).optional(),
  /** Whether seats of this tier are paid for (default true); free tiers stay out of billing exports. */
  billable: z.boolean().optional(),
  atLimit: atLimitSchema.optional(),
  reclaim: reclaimSchema.optional(),
  /** `manual`: pending users wait for the host's `approve`, as with a user cap (default `auto`). */
  promotion: z.enum(['auto', 'manual']).optional(),
  /** Seat counts that take effect on a date (a renewal, an amendment); the latest one reached applies. */
  seatChanges: z.array(z.object({ from: instant, seats: z.number().int().nonnegative().nullable() }).strict()).optional(),
});

export const contractSchema = z.object({
  tiers: z.array(tierSchema).min(1)
    .refine((tiers) => new Set(tiers.map((t) => t.key)).size === tiers.length, { message: 'tier keys must be unique' })
    .refine((tiers) => tiers.every((t) => t.atLimit?.mode !== 'degrade' || (t.atLimit.to !== t.key && tiers.some((o) => o.key === (t.atLimit as { to: string }).to))),
      { message: 'a tier can only degrade to another tier of the contract' }),
  /** The contract's term; without it the contract never expires. */
  term: z.object({ start: instant, end: instant.nullable() }).strict().optional(),
  /** Days after the term's end during which everything goes on as before (default 0). */
  graceDays: z.number().int().nonnegative().optional(),
  /** After grace: `restrict` keeps holders and queues newcomers (default), `revoke` frees every seat, `maintain` goes on. */
  onExpiry: z.enum(['restrict', 'revoke', 'maintain']).optional(),
  /** A tier given up and taken back within this many seconds keeps its seat (IdPs send a group move as remove + add). */
  flapWindowSeconds: z.number().nonnegative().optional(),
  /** The billing period for metering and period-end reclaim (default `month`). */
  billingPeriod: z.enum(['month', 'quarter', 'year']).optional(),
});

export type AtLimit = z.infer<typeof atLimitSchema>;
export type Reclaim = z.infer<typeof reclaimSchema>;
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
