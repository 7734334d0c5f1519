/**
 * The port through which the host decides which tier each user wants.
 *
 * The policy decides; the core applies. A policy sees the user as SCIM describes it (roles,
 * entitlements, extension attributes) and the groups it belongs to, and names one tier of the
 * tenant's contract. Seat limits, queues and promotions are the core's job, not the policy's.
 */
import type { Contract } from '../core/license/contract';
import type { Json } from '../core/schema/canonicalize';
import type { ResourceTypeDefinition } from '../core/schema/resource-type';

export interface PolicyGroup {
  readonly id: string;
  readonly displayName: string;
}

export interface PolicyInput {
  readonly tenantId: string;
  readonly contract: Contract;
  /** The user's attributes in canonical SCIM form; extension attributes sit under their URN. */
  readonly user: Json;
  readonly groups: readonly PolicyGroup[];
  /** The User resource type with the host's extensions, for resolving attribute paths. */
  readonly userType: ResourceTypeDefinition;
}

export interface TierDecision {
  /** A tier key of the tenant's contract. */
  readonly tier: string;
  /** Why: the rule that chose the tier, shown in the ledger and by `explain`. */
  readonly reason: string;
  /** Every rule the user matched, chosen or not, for `explain`. */
  readonly matched?: readonly string[];
}

/**
 * Decides the tier a user wants.
 * @example
 * const everyoneStandard: LicensePolicy = { decideTier: () => ({ tier: 'standard', reason: 'flat' }) };
 */
export interface LicensePolicy {
  /** The policy's name in the ledger and in `explain`; defaults to `custom`. */
  readonly name?: string;
  decideTier(input: PolicyInput): TierDecision | Promise<TierDecision>;
}
