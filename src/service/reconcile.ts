/**
 * Reconciliation: when the contract or the policy changes, every user's wanted tier is decided
 * again and the engine runs as if the change had just happened. `plan` shows what would change
 * without writing; `apply` writes exactly that. Running `apply` twice changes nothing the second
 * time. Holders are never evicted by a seat cut; only the contract's expiry strategy can do that.
 */
import * as E from 'fp-ts/Either';
import { contractSchema, type Contract } from '../core/license/contract';
import type { LedgerSide } from '../core/license/ledger-entry';
import type { LicenseEffect } from '../core/license/license-effect';
import { diffAssignments } from '../core/license/license-state';
import type { LicenseEvent } from '../core/license/transition';
import type { SchemaRegistry } from '../core/schema/schema-registry';
import type { LicensePolicy, TierDecision } from '../ports/license-policy';
import type { StorageAdapter, TenantReader, UnitOfWork, UserRecord } from '../ports/storage-adapter';
import { LicenseCommandError } from './license-commands';
import { loadLicenseState, settle } from './license-unit';
import { isActive } from './settle-licenses';
import type { HostCall } from './host-call';
import { withTouches } from './touch-users';

export type PlannedKind = 'promoted' | 'queued' | 'degraded' | 'moved' | 'releasing' | 'restored' | 'released';

export interface PlannedChange {
  readonly userId: string;
  readonly kind: PlannedKind;
  readonly from: LedgerSide | null;
  readonly to: LedgerSide | null;
}

export interface ReconcilePlan {
  readonly tenantId: string;
  readonly at: string;
  readonly changes: readonly PlannedChange[];
  /** How many users each kind of change touches. */
  readonly counts: Readonly<Record<PlannedKind, number>>;
  readonly effects: readonly LicenseEffect[];
}

export interface ReconcileOptions {
  /** The contract to reconcile against; defaults to the tenant's current one. `apply` stores it. */
  readonly contract?: Contract;
  /** The policy to decide tiers with; defaults to the configured one (useful to preview a new policy). */
  readonly policy?: LicensePolicy;
}

interface ReconcileDeps {
  readonly storage: StorageAdapter;
  readonly policy: LicensePolicy;
  readonly schemas: SchemaRegistry;
}

const PAGE = 1000;

const allUsers = async (reader: TenantReader): Promise<UserRecord[]> => {
  const users: UserRecord[] = [];
  for (let start = 1; ; start += PAGE) {
    const page = await reader.listUsers({ filter: null, sort: null, startIndex: start, count: PAGE });
    users.push(...page.items);
    if (page.items.length < PAGE || users.length >= page.totalResults) return users;
  }
};

const kindOf = (from: LedgerSide | null, to: LedgerSide | null): PlannedKind => {
  if (!to || to.status === 'released') return 'released';
  if (to.status === 'pending') return 'queued';
  if (to.status === 'degraded') return 'degraded';
  if (to.status === 'releasing') return 'releasing';
  if (from?.status === 'pending' && from.tier === to.tier) return 'promoted';
  if (from?.status === 'releasing' && from.tier === to.tier) return 'restored';
  return from?.tier === to.tier && from.status !== 'released' ? 'promoted' : 'moved';
};

const EMPTY_COUNTS: Record<PlannedKind, number> = { promoted: 0, queued: 0, degraded: 0, moved: 0, releasing: 0, restored: 0, released: 0 };

const run = async (deps: ReconcileDeps, tenantId: string, options: ReconcileOptions, unit: UnitOfWork, call: HostCall, commit: boolean): Promise<ReconcilePlan> => {
  const tenant = await unit.tenant();
  const contract = options.contract ? contractSchema.parse(options.contract) : tenant.contract;
  const policy = options.policy ?? deps.policy;
  const now = call.clock().toISOString();
  const users = await allUsers(unit);
  const ids = users.map((u) => u.id);
  const groups = await unit.groupsOfUsers(ids);
  const before = await loadLicenseState(unit, contract, ids, now);
  const decisions = new Map<string, TierDecision>();
  for (const user of users) {
    if (!isActive(user.doc)) continue;
    decisions.set(user.id, await policy.decideTier({ tenantId, contract, user: user.doc, groups: groups.get(user.id) ?? [], userType: deps.schemas.user }));
  }
  // Users already queued go first, in queue order, so reconciling never lets anyone jump the queue.
  const queuePlace = (id: string) => {
    const a = before.assignments.get(id);
    return a?.status === 'pending' ? a.queuedAt ?? 0 : Number.POSITIVE_INFINITY;
  };
  const ordered = [...users].sort((a, b) => queuePlace(a.id) - queuePlace(b.id));
  const events: LicenseEvent[] = [
    { kind: 'contractChanged', at: now },
    ...ordered.map((u): LicenseEvent => {
      const decision = decisions.get(u.id);
      return decision ? { kind: 'userActive', userId: u.id, wantedTier: decision.tier, at: now } : { kind: 'userInactive', userId: u.id, at: now };
    }),
  ];
  const settled = settle(before, events, {
    at: now, actor: 'host', requestId: null, newId: call.newId, decisions, policyName: policy.name ?? 'custom', outbox: call.outbox,
  });
  if (E.isLeft(settled)) throw new LicenseCommandError(settled.left);
  const { written, removed } = diffAssignments(before, settled.right.after);
  const side = (id: string, state: typeof before) => {
    const a = state.assignments.get(id);
    return a ? { tier: a.tier, status: a.status } : null;
  };
  const changes = [...written.map((a) => a.userId), ...removed].flatMap((userId): PlannedChange[] => {
    const from = side(userId, before);
    const to = side(userId, settled.right.after);
    if (from && to && from.tier === to.tier && from.status === to.status) return [];
    return [{ userId, kind: kindOf(from, to), from, to }];
  });
  const counts = { ...EMPTY_COUNTS };
  for (const c of changes) counts[c.kind] += 1;
  if (commit) {
    // The new contract and what it causes land together, or neither does.
    const stored = options.contract ? { tenant: { name: tenant.name, contract } } : {};
    if (Object.keys(settled.right.changes).length + Object.keys(stored).length > 0) await unit.commit(withTouches({ ...stored, ...settled.right.changes }, now));
  }
  return { tenantId, at: now, changes, counts, effects: settled.right.effects };
};

const requireTenant = async (storage: StorageAdapter, tenantId: string) => {
  if (!await storage.getTenant(tenantId)) throw new Error(`Unknown tenant ${tenantId}`);
};

/** What reconciling would change, without writing anything. */
export const planReconcile = async (deps: ReconcileDeps, tenantId: string, options: ReconcileOptions, call: HostCall): Promise<ReconcilePlan> => {
  await requireTenant(deps.storage, tenantId);
  // A plan is a write that never commits: it sees the tenant exactly as `apply` would.
  return deps.storage.write(tenantId, (unit) => run(deps, tenantId, options, unit, call, false));
};

/** Reconciles and writes the result, with the new contract when one is given, in one commit. */
export const applyReconcile = async (deps: ReconcileDeps, tenantId: string, options: ReconcileOptions, call: HostCall): Promise<ReconcilePlan> => {
  await requireTenant(deps.storage, tenantId);
  return deps.storage.write(tenantId, (unit) => run(deps, tenantId, options, unit, call, true));
};
