/**
 * What a license transition did, as typed events. They reach the host's hook after commit.
 */

export type LicenseEffect =
  | { readonly type: 'license.assigned'; readonly userId: string; readonly tier: string }
  | { readonly type: 'license.pending'; readonly userId: string; readonly tier: string }
  | { readonly type: 'license.released'; readonly userId: string; readonly tier: string }
  | { readonly type: 'license.tier_changed'; readonly userId: string; readonly from: string; readonly to: string };

export type LicenseEffectType = LicenseEffect['type'];
