/**
 * One tenant's data in memory, with the indexes lookups need: userName (ignoring case),
 * externalId, memberships in both directions and assignments.
 */
import { consumesSeat, type Assignment } from '../../core/license/assignment';
import type { ContractPhase } from '../../core/license/contract-terms';
import type { LedgerEntry } from '../../core/license/ledger-entry';
import type { OutboxEvent } from '../../core/license/outbox-event';
import type { FilterTree } from '../../core/filter/filter-tree';
import { matchesFilter } from '../../core/filter/evaluate-filter';
import { filterReads } from '../../core/filter/filter-attributes';
import { sortResources } from '../../core/list/sort-resources';
import type {
  ChangeSet, GroupRecord, GroupRef, LedgerQuery, ListQuery, MemberRef, Page, SeatCount, TenantReader, TenantRecord, UserRecord,
} from '../../ports/storage-adapter';
import { filterableGroup, filterableUser } from '../shared/filterable-user';
import { Mutex } from '../shared/mutex';

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : null);

const page = <T>(items: readonly T[], { startIndex, count }: ListQuery): Page<T> => ({
  totalResults: items.length,
  items: items.slice(startIndex - 1, startIndex - 1 + count),
});

// `userName eq "x"`, `externalId eq "x"` and `id eq "x"` are answered from an index, not a scan.
const indexedEquality = (filter: FilterTree | null): { attribute: 'userName' | 'externalId' | 'id'; value: string } | null => {
  if (!filter || filter.kind !== 'compare' || filter.op !== 'eq' || filter.target.extension || filter.target.subAttribute) return null;
  const name = filter.target.attribute.name;
  // An empty string is no value (RFC 7643 §2.5), which only the evaluator knows how to compare.
  if ((name !== 'userName' && name !== 'externalId' && name !== 'id') || typeof filter.value !== 'string' || filter.value === '') return null;
  return { attribute: name, value: filter.value };
};

export class TenantStore implements TenantReader {
  readonly mutex = new Mutex();
  private readonly users = new Map<string, UserRecord>();
  private readonly byUserName = new Map<string, string>();
  private readonly byExternalId = new Map<string, Set<string>>();
  private readonly groups = new Map<string, GroupRecord>();
  private readonly members = new Map<string, Set<string>>();
  private readonly groupsOf = new Map<string, Set<string>>();
  private readonly assignments = new Map<string, Assignment>();
  // Seat counts and pending queues kept up to date, so a write never scans every assignment.
  private readonly counts = new Map<string, SeatCount>();
  private readonly queues = new Map<string, Map<string, Assignment>>();
  // Assignments in a reclaim or flap hold, so the clock never scans every assignment.
  private readonly holds = new Map<string, Assignment>();
  // Users holding a lower tier while they wait for the one they want.
  private readonly degraded = new Map<string, Assignment>();
  private seq = 0;
  private phase: ContractPhase = 'active';
  private readonly entries: LedgerEntry[] = [];
  private readonly outbox: OutboxEvent[] = [];
  private delivered = 0;

  constructor(public record: TenantRecord) {}

  private get tenantId() {
    return this.record.id;
  }

  async tenant() {
    return this.record;
  }

  async getUser(id: string) {
    return this.users.get(id) ?? null;
  }

  async getUsers(ids: readonly string[]) {
    return ids.map((id) => this.users.get(id)).filter((u): u is UserRecord => u !== undefined);
  }

  async findUserByUserName(userName: string) {
    const id = this.byUserName.get(userName.toLowerCase());
    return id ? this.users.get(id) ?? null : null;
  }

  async listUsers(query: ListQuery): Promise<Page<UserRecord>> {
    const { filter, sort } = query;
    const withGroups = filter !== null && filterReads(filter, 'groups');
    const view = (u: UserRecord) => filterableUser(u, withGroups ? this.groupRefs(u.id) : [], this.assignments.get(u.id) ?? null);
    const indexed = indexedEquality(filter);
    const matching = indexed ? this.lookup(indexed.attribute, indexed.value)
      : filter ? [...this.users.values()].filter((u) => matchesFilter(filter, view(u))) : [...this.users.values()];
    return page(sort ? sortResources(matching, sort, view) : matching, query);
  }

  async getGroup(id: string) {
    return this.groups.get(id) ?? null;
  }

  async listGroups(query: ListQuery): Promise<Page<GroupRecord>> {
    const { filter, sort } = query;
    // Members are built only for a filter that reads them: a 20,000-member group stays cheap to list.
    const withMembers = filter !== null && filterReads(filter, 'members');
    const view = (g: GroupRecord) => filterableGroup(g, withMembers ? this.memberRefs(g.id) : []);
    const matching = filter ? [...this.groups.values()].filter((g) => matchesFilter(filter, view(g))) : [...this.groups.values()];
    return page(sort ? sortResources(matching, sort, view) : matching, query);
  }

  async groupMembers(groupIds: readonly string[]) {
    return new Map(groupIds.map((id) => [id, this.memberRefs(id)] as const));
  }

  async membersAmong(groupId: string, userIds: readonly string[]) {
    const members = this.members.get(groupId);
    return members ? userIds.filter((id) => members.has(id)) : [];
  }

  async groupsOfUsers(userIds: readonly string[]) {
    return new Map(userIds.map((id) => [id, this.groupRefs(id)] as const));
  }

  async getAssignments(userIds: readonly string[]) {
    return userIds.map((id) => this.assignments.get(id)).filter((a): a is Assignment => a !== undefined);
  }

  async seatCounts() {
    return new Map([...this.counts].filter(([, c]) => c.assigned + c.pending + c.releasing > 0));
  }

  async oldestPending(tier: string, limit: number) {
    const oldest: Assignment[] = [];
    for (const a of this.queues.get(tier)?.values() ?? []) {
      if (oldest.length >= limit) break;
      oldest.push(a);
    }
    return oldest;
  }

  async oldestDegraded(wantedTier: string, limit: number) {
    return [...this.degraded.values()].filter((a) => a.wantedTier === wantedTier)
      .sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0) || (a.userId < b.userId ? -1 : 1))
      .slice(0, Math.max(0, limit));
  }

  async licenseSeq() {
    return this.seq;
  }

  async licensePhase() {
    return this.phase;
  }

  async dueReleases(at: string) {
    const now = Date.parse(at);
    return [...this.holds.values()].filter((a) => a.releaseAt && Date.parse(a.releaseAt) <= now);
  }

  async seatHolders() {
    return [...this.assignments.values()].filter(consumesSeat);
  }

  async ledger(query: LedgerQuery) {
    const after = query.afterSeq ?? 0;
    return this.entries.filter((e) => e.seq > after && (query.userId === undefined || e.userId === query.userId)).slice(0, query.limit);
  }

  async undeliveredEvents(limit: number) {
    return this.outbox.slice(this.delivered, this.delivered + limit);
  }

  /** Applies a change set. Synchronous, so no reader ever sees half of it. */
  apply(changes: ChangeSet) {
    this.checkUnique(changes);
    for (const id of changes.deleteUsers ?? []) this.deleteUser(id);
    for (const id of changes.deleteGroups ?? []) this.deleteGroup(id);
    for (const user of changes.putUsers ?? []) this.putUser(user);
    for (const group of changes.putGroups ?? []) this.groups.set(group.id, group);
    for (const id of changes.clearMembers ?? []) for (const userId of [...(this.members.get(id) ?? [])]) this.unlink(id, userId);
    for (const m of changes.removeMembers ?? []) this.unlink(m.groupId, m.userId);
    for (const m of changes.addMembers ?? []) this.link(m.groupId, m.userId);
    for (const id of changes.touchUsers?.ids ?? []) {
      const user = this.users.get(id);
      if (user) this.users.set(id, { ...user, meta: { ...user.meta, version: user.meta.version + 1, lastModified: changes.touchUsers!.at } });
    }
    for (const id of changes.deleteAssignments ?? []) this.removeAssignment(id);
    // Queue positions only grow, so adding the new pending users in queue order keeps each queue sorted.
    const incoming = [...(changes.putAssignments ?? [])].sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0));
    for (const a of incoming) this.putAssignment(a);
    if (changes.licenseSeq !== undefined) this.seq = changes.licenseSeq;
    if (changes.licensePhase !== undefined) this.phase = changes.licensePhase;
    for (const entry of changes.appendLedger ?? []) this.entries.push({ ...entry, seq: this.entries.length + 1 });
    for (const event of changes.appendEvents ?? []) this.outbox.push({ ...event, tenantId: this.tenantId, seq: this.outbox.length + 1 });
    if (changes.deliveredThrough !== undefined) this.delivered = Math.max(this.delivered, Math.min(changes.deliveredThrough, this.outbox.length));
    if (changes.tenant) this.record = { id: this.record.id, name: changes.tenant.name, contract: changes.tenant.contract };
  }

  // The core checks uniqueness inside the unit of work; this guards the index against a caller that did not.
  private checkUnique(changes: ChangeSet) {
    const deleted = new Set(changes.deleteUsers ?? []);
    const seen = new Map<string, string>();
    for (const user of changes.putUsers ?? []) {
      const key = lower(user.doc.userName);
      if (key === null) throw new Error('A user record must have a userName');
      const holder = seen.get(key) ?? this.byUserName.get(key);
      if (holder !== undefined && holder !== user.id && !deleted.has(holder)) throw new Error('userName is already taken in this tenant');
      seen.set(key, user.id);
    }
  }

  private count(a: Assignment, delta: 1 | -1) {
    if (a.status === 'released') return;
    const field = a.status === 'pending' ? 'pending' : a.status === 'releasing' ? 'releasing' : 'assigned';
    const c = this.counts.get(a.tier) ?? { assigned: 0, pending: 0, releasing: 0 };
    this.counts.set(a.tier, { ...c, [field]: c[field] + delta });
  }

  private removeAssignment(userId: string) {
    const previous = this.assignments.get(userId);
    if (!previous) return;
    this.count(previous, -1);
    this.queues.get(previous.tier)?.delete(userId);
    this.holds.delete(userId);
    this.degraded.delete(userId);
    this.assignments.delete(userId);
  }

  private putAssignment(a: Assignment) {
    const previous = this.assignments.get(a.userId);
    const keepsPlace = previous?.status === 'pending' && a.status === 'pending' && previous.tier === a.tier && previous.queuedAt === a.queuedAt;
    if (previous) {
      this.count(previous, -1);
      if (!keepsPlace) this.queues.get(previous.tier)?.delete(a.userId);
    }
    this.assignments.set(a.userId, a);
    this.count(a, 1);
    if (a.status === 'releasing') this.holds.set(a.userId, a);
    else this.holds.delete(a.userId);
    if (a.status === 'degraded') this.degraded.set(a.userId, a);
    else this.degraded.delete(a.userId);
    if (a.status === 'pending') {
      const queue = this.queues.get(a.tier) ?? new Map<string, Assignment>();
      this.queues.set(a.tier, queue.set(a.userId, a));
    }
  }

  private lookup(attribute: 'userName' | 'externalId' | 'id', value: string): UserRecord[] {
    const ids = attribute === 'id' ? [value]
      : attribute === 'userName' ? [this.byUserName.get(value.toLowerCase())]
        : [...(this.byExternalId.get(value) ?? [])];
    return ids.map((id) => (id ? this.users.get(id) : undefined)).filter((u): u is UserRecord => u !== undefined);
  }

  private groupRefs(userId: string): GroupRef[] {
    return [...(this.groupsOf.get(userId) ?? [])].map((id) => ({ id, displayName: String(this.groups.get(id)?.doc.displayName ?? '') }));
  }

  private memberRefs(groupId: string): MemberRef[] {
    return [...(this.members.get(groupId) ?? [])].map((userId) => {
      const doc = this.users.get(userId)?.doc;
      return { userId, display: String(doc?.displayName ?? doc?.userName ?? '') };
    });
  }

  private putUser(user: UserRecord) {
    const previous = this.users.get(user.id);
    if (previous) this.unindex(previous);
    this.users.set(user.id, user);
    this.byUserName.set(lower(user.doc.userName)!, user.id);
    if (typeof user.doc.externalId === 'string') {
      const set = this.byExternalId.get(user.doc.externalId) ?? new Set();
      this.byExternalId.set(user.doc.externalId, set.add(user.id));
    }
  }

  private unindex(user: UserRecord) {
    const key = lower(user.doc.userName);
    if (key !== null && this.byUserName.get(key) === user.id) this.byUserName.delete(key);
    if (typeof user.doc.externalId === 'string') this.byExternalId.get(user.doc.externalId)?.delete(user.id);
  }

  private deleteUser(id: string) {
    const user = this.users.get(id);
    if (!user) return;
    this.unindex(user);
    this.users.delete(id);
    for (const groupId of [...(this.groupsOf.get(id) ?? [])]) this.unlink(groupId, id);
    this.removeAssignment(id);
  }

  private deleteGroup(id: string) {
    for (const userId of [...(this.members.get(id) ?? [])]) this.unlink(id, userId);
    this.members.delete(id);
    this.groups.delete(id);
  }

  private link(groupId: string, userId: string) {
    if (!this.groups.has(groupId) || !this.users.has(userId)) return;
    this.members.set(groupId, (this.members.get(groupId) ?? new Set()).add(userId));
    this.groupsOf.set(userId, (this.groupsOf.get(userId) ?? new Set()).add(groupId));
  }

  private unlink(groupId: string, userId: string) {
    this.members.get(groupId)?.delete(userId);
    this.groupsOf.get(userId)?.delete(groupId);
  }
}
