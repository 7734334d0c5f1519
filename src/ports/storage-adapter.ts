/**
 * The port every storage backend implements. Plain Promises, domain verbs, `null` for absence;
 * only real faults throw.
 *
 * Writes happen in a unit of work: `write(tenantId, work)` gives `work` a consistent, exclusive view
 * of the tenant (a SQL adapter takes a row lock on the tenant; the memory adapter a mutex), and
 * `commit(changes)` is its last call. The changes take effect together when `work` resolves, or not
 * at all when it throws. Because the seat decision is made inside the unit, two IdP pushes racing
 * for the last seat cannot both win.
 */
import type { Assignment } from '../core/license/assignment';
import type { Contract } from '../core/license/contract';
import type { ContractPhase } from '../core/license/contract-terms';
import type { LedgerEntry, LedgerEntryInput } from '../core/license/ledger-entry';
import type { OutboxEvent, OutboxEventInput } from '../core/license/outbox-event';
import type { FilterTree } from '../core/filter/filter-tree';
import type { SortSpec } from '../core/list/sort-spec';
import type { Json } from '../core/schema/canonicalize';

export interface ResourceMeta {
  readonly created: string;
  readonly lastModified: string;
  /** Increases by one with every change; the ETag is derived from it. */
  readonly version: number;
}

/** A stored User: its canonical SCIM attributes (no id, meta, groups, password or license). */
export interface UserRecord {
  readonly id: string;
  readonly doc: Json;
  readonly meta: ResourceMeta;
}

/** A stored Group: its canonical attributes without `members`, which are stored as memberships. */
export interface GroupRecord {
  readonly id: string;
  readonly doc: Json;
  readonly meta: ResourceMeta;
}

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly contract: Contract;
}

/** A tenant found by one of its bearer tokens, with the stored digest of that token. */
export interface TenantToken {
  readonly tenant: TenantRecord;
  readonly tokenHash: string;
}

export interface GroupRef {
  readonly id: string;
  readonly displayName: string;
}

export interface MemberRef {
  readonly userId: string;
  /** The user's displayName, or its userName when it has none. */
  readonly display: string;
}

export interface Membership {
  readonly groupId: string;
  readonly userId: string;
}

export interface ListQuery {
  readonly filter: FilterTree | null;
  /** The requested order; null for the adapter's own stable order (creation order). */
  readonly sort: SortSpec | null;
  /** 1-based, as in SCIM. */
  readonly startIndex: number;
  readonly count: number;
}

export interface Page<T> {
  readonly totalResults: number;
  readonly items: readonly T[];
}

export interface SeatCount {
  /** Seats held by `assigned` and `degraded` users. */
  readonly assigned: number;
  readonly pending: number;
  /** Seats still held by `releasing` users. */
  readonly releasing: number;
}

export interface LedgerQuery {
  /** Only this user's entries. */
  readonly userId?: string;
  /** Only entries after this sequence number. */
  readonly afterSeq?: number;
  readonly limit: number;
}

/** Everything one SCIM write changes, applied atomically. */
export interface ChangeSet {
  readonly putUsers?: readonly UserRecord[];
  /** Deleting a user also deletes its memberships and its assignment. */
  readonly deleteUsers?: readonly string[];
  readonly putGroups?: readonly GroupRecord[];
  /** Deleting a group also deletes its memberships. */
  readonly deleteGroups?: readonly string[];
  /** Groups whose memberships are all removed before `addMembers` applies. */
  readonly clearMembers?: readonly string[];
  readonly addMembers?: readonly Membership[];
  readonly removeMembers?: readonly Membership[];
  readonly putAssignments?: readonly Assignment[];
  readonly deleteAssignments?: readonly string[];
  /** The tenant's new license queue sequence. */
  readonly licenseSeq?: number;
  /** The contract phase the license engine last acted on. */
  readonly licensePhase?: ContractPhase;
  /** Ledger lines to append; the adapter numbers them after the tenant's last one. */
  readonly appendLedger?: readonly LedgerEntryInput[];
  /** Events to append to the tenant's outbox; the adapter numbers them after the last one. */
  readonly appendEvents?: readonly OutboxEventInput[];
  /** Marks the tenant's outbox events up to and including this sequence number as delivered. */
  readonly deliveredThrough?: number;
  /**
   * Users whose SCIM form changes through their license or groups without being written: each one's
   * version goes up by one and its lastModified becomes `at`. Ids of users that do not exist are skipped.
   */
  readonly touchUsers?: { readonly ids: readonly string[]; readonly at: string };
  /** The tenant's new name and contract, stored with the license changes the contract causes. */
  readonly tenant?: { readonly name: string; readonly contract: Contract };
}

/** Reads within one tenant. */
export interface TenantReader {
  /** The tenant as stored; inside a unit of work, as of its lock, so no contract change can slip in between. */
  tenant(): Promise<TenantRecord>;
  getUser(id: string): Promise<UserRecord | null>;
  getUsers(ids: readonly string[]): Promise<readonly UserRecord[]>;
  /** Looks a user up by userName, ignoring case. */
  findUserByUserName(userName: string): Promise<UserRecord | null>;
  listUsers(query: ListQuery): Promise<Page<UserRecord>>;
  getGroup(id: string): Promise<GroupRecord | null>;
  listGroups(query: ListQuery): Promise<Page<GroupRecord>>;
  /** Members of each group, in the order they were added. */
  groupMembers(groupIds: readonly string[]): Promise<ReadonlyMap<string, readonly MemberRef[]>>;
  /** Which of the given users are members of the group. */
  membersAmong(groupId: string, userIds: readonly string[]): Promise<readonly string[]>;
  /** Groups of each user. */
  groupsOfUsers(userIds: readonly string[]): Promise<ReadonlyMap<string, readonly GroupRef[]>>;
  getAssignments(userIds: readonly string[]): Promise<readonly Assignment[]>;
  /** Assigned and pending counts per tier, for every tier that has any. */
  seatCounts(): Promise<ReadonlyMap<string, SeatCount>>;
  /** The first `limit` pending assignments of a tier, oldest first. */
  oldestPending(tier: string, limit: number): Promise<readonly Assignment[]>;
  /** The first `limit` degraded assignments waiting for `wantedTier`, by queue position. */
  oldestDegraded(wantedTier: string, limit: number): Promise<readonly Assignment[]>;
  /** The tenant's license queue sequence: the last queue position handed out. */
  licenseSeq(): Promise<number>;
  /** The contract phase the license engine last acted on (`active` for a new tenant). */
  licensePhase(): Promise<ContractPhase>;
  /** `releasing` assignments whose hold ends at or before `at`. */
  dueReleases(at: string): Promise<readonly Assignment[]>;
  /** Every assignment that holds a seat (for a contract that expires with `revoke`). */
  seatHolders(): Promise<readonly Assignment[]>;
  /** Ledger lines, oldest first. */
  ledger(query: LedgerQuery): Promise<readonly LedgerEntry[]>;
  /** Outbox events not yet delivered, oldest first. */
  undeliveredEvents(limit: number): Promise<readonly OutboxEvent[]>;
}

/** A tenant's exclusive unit of work: reads, then one `commit`. */
export interface UnitOfWork extends TenantReader {
  commit(changes: ChangeSet): Promise<void>;
}

export interface StorageAdapter {
  /** Finds the tenant a bearer token belongs to, by the token's SHA-256 hex digest. */
  findTenantByTokenHash(tokenHash: string): Promise<TenantToken | null>;
  getTenant(tenantId: string): Promise<TenantRecord | null>;
  /** Creates the tenant, or replaces its name and contract. */
  putTenant(tenant: TenantRecord): Promise<void>;
  /** Adds a bearer token (by its SHA-256 hex digest) to a tenant; throws when another tenant holds it. */
  addToken(tenantId: string, tokenHash: string): Promise<void>;
  /** Removes a bearer token; requests carrying it are refused from then on. */
  revokeToken(tokenHash: string): Promise<void>;
  read<T>(tenantId: string, work: (reader: TenantReader) => Promise<T>): Promise<T>;
  write<T>(tenantId: string, work: (unit: UnitOfWork) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
