/**
 * What a license transition did, as typed events. They are written to the outbox with the change and
 * delivered to the host's hooks after commit.
 */

export type LicenseEffect =
  /** `overage`: the seat is beyond the tier's seats, inside its overage allowance. */
  | { readonly type: 'license.assigned'; readonly userId: string; readonly tier: string; readonly overage?: boolean }
  | { readonly type: 'license.pending'; readonly userId: string; readonly tier: string }
  /** The user got a seat of `tier` because `wanted` was full (at-limit mode `degrade`). */
  | { readonly type: 'license.degraded'; readonly userId: string; readonly tier: string; readonly wanted: string }
  /** The user gave its seat up, but the seat stays held until `until` (reclaim hold or flap damping). */
  | { readonly type: 'license.releasing'; readonly userId: string; readonly tier: string; readonly until: string }
  /** A hold ended early because the user came back to the tier: the seat was never freed. */
  | { readonly type: 'license.restored'; readonly userId: string; readonly tier: string }
  | { readonly type: 'license.released'; readonly userId: string; readonly tier: string }
  | { readonly type: 'license.tier_changed'; readonly userId: string; readonly from: string; readonly to: string }
  | { readonly type: 'license.overage_started'; readonly tier: string; readonly seats: number; readonly held: number }
  | { readonly type: 'license.overage_ended'; readonly tier: string; readonly seats: number; readonly held: number }
  | { readonly type: 'seats.limit_reached'; readonly tier: string; readonly seats: number }
  | { readonly type: 'contract.expiring'; readonly end: string; readonly graceEnds: string }
  | { readonly type: 'contract.expired'; readonly strategy: 'restrict' | 'revoke' | 'maintain' };

export type LicenseEffectType = LicenseEffect['type'];

/** Effects about one user, as opposed to a tier or the contract. */
export const userOf = (effect: LicenseEffect): string | null => ('userId' in effect ? effect.userId : null);

/** One line for logs: `license.assigned pro (user 1a2b3c4d)`. */
export const describeEffect = (effect: LicenseEffect): string => {
  const user = 'userId' in effect ? ` (user ${effect.userId.slice(0, 8)})` : '';
  switch (effect.type) {
    case 'license.tier_changed': return `${effect.type} ${effect.from} -> ${effect.to}${user}`;
    case 'license.degraded': return `${effect.type} ${effect.tier} instead of ${effect.wanted}${user}`;
    case 'license.releasing': return `${effect.type} ${effect.tier} until ${effect.until}${user}`;
    case 'license.overage_started':
    case 'license.overage_ended': return `${effect.type} ${effect.tier} ${effect.held}/${effect.seats}`;
    case 'seats.limit_reached': return `${effect.type} ${effect.tier} ${effect.seats}`;
    case 'contract.expiring': return `${effect.type} ends ${effect.end}, grace until ${effect.graceEnds}`;
    case 'contract.expired': return `${effect.type} (${effect.strategy})`;
    default: return `${effect.type} ${effect.tier}${user}`;
  }
};
