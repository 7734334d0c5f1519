/**
 * The host's questions about licenses: seat usage, one user's license, whether a user may use a
 * feature, why a user has the license it has, and its history.
 */
import type { Assignment, LicenseStatus } from '../core/license/assignment';
import { findTier } from '../core/license/contract';
import { phaseAt, tierTerms, type ContractPhase } from '../core/license/contract-terms';
import type { LedgerEntry } from '../core/license/ledger-entry';
import { NO_COUNTS } from '../core/license/license-state';
import type { LicensePolicy, TierDecision } from '../ports/license-policy';
import type { StorageAdapter, TenantRecord } from '../ports/storage-adapter';
import type { SchemaRegistry } from '../core/schema/schema-registry';
import { isActive } from './settle-licenses';

export interface TierUsage {
  readonly tier: string;
  /** Seats the contract provides now; null for no limit. */
  readonly limit: number | null;
  /** Seats held by `assigned` and `degraded` users. */
  readonly assigned: number;
  readonly pending: number;
  /** Seats still held by users in a reclaim or flap hold. */
  readonly releasing: number;
  /** Seats held beyond the limit (overage, or a seat cut below the holders). */
  readonly over: number;
  /** Seats free now; null for no limit. */
  readonly available: number | null;
  readonly billable: boolean;
  readonly features: readonly string[];
}

export interface License {
  readonly tier: string;
  readonly status: LicenseStatus;
  readonly since: string;
  /** `degraded`: the tier wanted. `releasing`: the tier the user moves to when the hold ends. */
  readonly wantedTier: string | null;
  /** `releasing`: when the held seat is given up. */
  readonly releaseAt: string | null;
  readonly reason: string | null;
}

export interface Explanation {
  readonly userId: string;
  readonly exists: boolean;
  readonly active: boolean;
  readonly license: License | null;
  /** The policy's decision now, with every rule the user matches; null for an inactive or unknown user. */
  readonly decision: TierDecision | null;
  readonly policy: string;
  readonly contractPhase: ContractPhase;
  /** For a pending user: its place in the tier's queue (1 = next) and the tier's seats. */
  readonly queue: { readonly position: number; readonly held: number; readonly seats: number | null; readonly manualApproval: boolean } | null;
  /** What the ledger recorded about the change that gave the user its current license: the policy, its rule, who acted, when. */
  readonly decidedBy: { readonly at: string; readonly policy: string | null; readonly rule: string | null; readonly reason: string | null; readonly actor: string } | null;
  /** The user's latest ledger lines, newest last. */
  readonly history: readonly LedgerEntry[];
  /** The whole story in one sentence, for a support agent. */
  readonly summary: string;
}

const requireTenant = async (storage: StorageAdapter, tenantId: string): Promise<TenantRecord> => {
  const tenant = await storage.getTenant(tenantId);
  if (!tenant) throw new Error(`Unknown tenant ${tenantId}`);
  return tenant;
};

/** Seat usage per tier of the tenant's contract, as it stands at `now`. */
export const usage = async (storage: StorageAdapter, tenantId: string, now: string): Promise<readonly TierUsage[]> => {
  const tenant = await requireTenant(storage, tenantId);
  const counts = await storage.read(tenantId, (reader) => reader.seatCounts());
  return tenant.contract.tiers.map((def) => {
    const terms = tierTerms(def, now);
    const c = counts.get(def.key) ?? NO_COUNTS;
    const held = c.assigned + c.releasing;
    return {
      tier: def.key,
      limit: terms.seats,
      assigned: c.assigned,
      pending: c.pending,
      releasing: c.releasing,
      over: terms.seats === null ? 0 : Math.max(0, held - terms.seats),
      available: terms.seats === null ? null : Math.max(0, terms.seats - held),
      billable: terms.billable,
      features: terms.features,
    };
  });
};

const toLicense = (a: Assignment): License => ({
  tier: a.tier, status: a.status, since: a.since, wantedTier: a.wantedTier ?? null, releaseAt: a.releaseAt ?? null, reason: a.reason ?? null,
});

/** A user's license, or null when the tenant has no such user. */
export const getLicense = async (storage: StorageAdapter, tenantId: string, userId: string): Promise<License | null> => {
  const [assignment] = await storage.read(tenantId, (reader) => reader.getAssignments([userId]));
  return assignment ? toLicense(assignment) : null;
};

/**
 * Whether the user may use `feature` now: it holds a seat of a tier that carries the feature. A user
 * in a hold after deactivation may not; one in a hold after a downgrade still may, until it ends.
 */
export const can = async (storage: StorageAdapter, tenantId: string, userId: string, feature: string): Promise<boolean> => {
  const tenant = await requireTenant(storage, tenantId);
  const [a] = await storage.read(tenantId, (reader) => reader.getAssignments([userId]));
  if (!a) return false;
  const using = a.status === 'assigned' || a.status === 'degraded' || (a.status === 'releasing' && a.wantedTier != null);
  return using && (findTier(tenant.contract, a.tier)?.features ?? []).includes(feature);
};

/** The user's ledger lines, oldest first. */
export const history = async (storage: StorageAdapter, tenantId: string, userId: string, limit = 1000): Promise<readonly LedgerEntry[]> =>
  storage.read(tenantId, (reader) => reader.ledger({ userId, limit }));

const summarise = (e: Omit<Explanation, 'summary'>): string => {
  if (!e.exists) return e.license ? `The user no longer exists; its license is ${e.license.status}.` : 'The tenant has no such user.';
  const l = e.license;
  if (!e.active) return l?.status === 'releasing' ? `Inactive; its '${l.tier}' seat is held until ${l.releaseAt}.` : 'Inactive, so it holds no seat.';
  const wants = e.decision ? `The ${e.policy} policy chose '${e.decision.tier}' (${e.decision.reason}).` : '';
  if (!l) return `${wants} It has no license yet.`.trim();
  switch (l.status) {
    case 'assigned': return `${wants} It holds a '${l.tier}' seat since ${l.since}.`.trim();
    case 'degraded': return `${wants} '${l.wantedTier}' was full, so it holds a '${l.tier}' seat instead.`.trim();
    case 'releasing': return `${wants} It keeps its '${l.tier}' seat until ${l.releaseAt}, then moves to '${l.wantedTier}'.`.trim();
    case 'pending': {
      const q = e.queue;
      const why = q?.manualApproval ? 'it waits for an admin to approve it' : `the tier is full (${q?.held}/${q?.seats})`;
      return `${wants} It waits for a '${l.tier}' seat: ${why}; it is number ${q?.position} in the queue.`.trim();
    }
    case 'released': return `${wants} It holds no seat.`.trim();
  }
};

// The latest line that moved the user to its current license, as it was decided then (the policy may have changed since).
const decidedByOf = (entries: readonly LedgerEntry[]): Explanation['decidedBy'] => {
  const last = entries.at(-1);
  if (!last) return null;
  const decided = [...entries].reverse().find((e) => e.rule !== null && e.after?.tier === last.after?.tier) ?? last;
  return { at: last.at, policy: decided.policy, rule: decided.rule, reason: last.reason, actor: last.actor };
};

/** Why the user has the license it has: rules matched, tier chosen, queue position, history. */
export const explain = async (
  deps: { storage: StorageAdapter; policy: LicensePolicy; schemas: SchemaRegistry },
  tenantId: string,
  userId: string,
  now: string,
): Promise<Explanation> => {
  const tenant = await requireTenant(deps.storage, tenantId);
  const loaded = await deps.storage.read(tenantId, async (reader) => {
    const [user, [assignment], groups, entries, counts] = await Promise.all([
      reader.getUser(userId), reader.getAssignments([userId]), reader.groupsOfUsers([userId]), reader.ledger({ userId, limit: 1000 }), reader.seatCounts(),
    ]);
    const ahead = assignment?.status === 'pending' ? await reader.oldestPending(assignment.tier, counts.get(assignment.tier)?.pending ?? 0) : [];
    return { user, assignment, groups: groups.get(userId) ?? [], entries, counts, ahead };
  });
  const active = loaded.user !== null && isActive(loaded.user.doc);
  const decision = loaded.user && active
    ? await deps.policy.decideTier({ tenantId, contract: tenant.contract, user: loaded.user.doc, groups: loaded.groups, userType: deps.schemas.user })
    : null;
  const a = loaded.assignment;
  const def = a ? findTier(tenant.contract, a.tier) : undefined;
  const c = a ? loaded.counts.get(a.tier) ?? NO_COUNTS : NO_COUNTS;
  const explanation = {
    userId,
    exists: loaded.user !== null,
    active,
    license: a ? toLicense(a) : null,
    decision,
    policy: deps.policy.name ?? 'custom',
    contractPhase: phaseAt(tenant.contract, now),
    queue: a?.status === 'pending'
      ? {
        position: loaded.ahead.findIndex((p) => p.userId === userId) + 1,
        held: c.assigned + c.releasing,
        seats: def ? tierTerms(def, now).seats : null,
        manualApproval: def?.promotion === 'manual',
      }
      : null,
    decidedBy: decidedByOf(loaded.entries),
    history: loaded.entries.slice(-20),
  };
  return { ...explanation, summary: summarise(explanation) };
};
