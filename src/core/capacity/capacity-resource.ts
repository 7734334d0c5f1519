/**
 * A {@link Capacity} as a SCIM Role or Entitlement resource (draft-ietf-scim-roles-entitlements-01).
 * The id is the value itself: tier keys and feature names are stable and unique in a contract.
 */
import type { Json } from '../schema/canonicalize';
import type { ResourceTypeDefinition } from '../schema/resource-type';
import type { Capacity } from './capacity';

export interface CapacityResourceOptions {
  readonly type: ResourceTypeDefinition;
  /** The resource's `type` label: `License` for a tier, `Feature` for a feature. */
  readonly label: string;
  /** False once the contract has expired and admits nobody new. */
  readonly supported: boolean;
  readonly baseUrl: string;
}

/**
 * @example capacityResource({ value: 'pro', permitted: 50, used: 48 }, options)
 * // { schemas: [ROLE_SCHEMA], id: 'pro', value: 'pro', totalAssignmentsPermitted: 50, totalAssignmentsUsed: 48, ... }
 */
export const capacityResource = (capacity: Capacity, options: CapacityResourceOptions): Json => ({
  schemas: [options.type.core.id],
  id: capacity.value,
  value: capacity.value,
  display: capacity.value,
  type: options.label,
  supported: options.supported,
  limitedAssignmentsPermitted: capacity.permitted !== null,
  // Unlimited is told by limitedAssignmentsPermitted; RFC 7643 §2.5 reads a missing value as unassigned.
  ...(capacity.permitted !== null ? { totalAssignmentsPermitted: capacity.permitted } : {}),
  totalAssignmentsUsed: capacity.used,
  meta: {
    resourceType: options.type.name,
    location: `${options.baseUrl}${options.type.endpoint}/${encodeURIComponent(capacity.value)}`,
    version: versionOf(capacity, options.supported),
  },
});

// A Role is computed, not stored: its version is its content, so it changes exactly when the
// numbers an IdP admin reads do (RFC 7644 §3.14 leaves the form of a weak ETag to the provider).
const versionOf = (capacity: Capacity, supported: boolean): string =>
  `W/"${capacity.permitted ?? 'unlimited'}-${capacity.used}${supported ? '' : '-closed'}"`;
