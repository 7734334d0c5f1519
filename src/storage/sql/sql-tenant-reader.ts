/**
 * The reads of one tenant, in SQL. The same code serves plain reads (through the pool) and reads
 * inside a unit of work (through the unit's connection, so they see its lock), which is why it takes
 * the Kysely instance to run on rather than owning one. Every query is scoped by tenant_id.
 */
import { sql, type Kysely } from 'kysely';
import type { Assignment, LicenseStatus } from '../../core/license/assignment';
import type { Contract } from '../../core/license/contract';
import type { ContractPhase } from '../../core/license/contract-terms';
import type { LedgerEntry } from '../../core/license/ledger-entry';
import type { LicenseEffect } from '../../core/license/license-effect';
import type { OutboxEvent } from '../../core/license/outbox-event';
import type {
  GroupRecord, GroupRef, ListQuery, MemberRef, Page, SeatCount, TenantReader, UserRecord,
} from '../../ports/storage-adapter';
import { filterToSql, sortToSql } from './filter-to-sql';
import type { Database, GroupsTable, Tables, UsersTable } from './schema';
import type { SqlDialect } from './sql-dialect';

export interface SqlReaderContext {
  readonly tables: Tables;
  readonly dialect: SqlDialect;
}

// Keeps IN lists well under every driver's bound-parameter limit.
const CHUNK = 500;

/** The distinct ids, split into IN lists of a safe size. */
export const chunksOf = (ids: readonly string[]): string[][] => {
  const distinct = [...new Set(ids)];
  const chunks: string[][] = [];
  for (let i = 0; i < distinct.length; i += CHUNK) chunks.push(distinct.slice(i, i + CHUNK));
  return chunks;
};

/** Runs `query` once per chunk of ids and concatenates the rows. */
export const inChunks = async <R>(ids: readonly string[], query: (chunk: string[]) => Promise<readonly R[]>): Promise<R[]> => {
  const rows: R[] = [];
  for (const chunk of chunksOf(ids)) rows.push(...await query(chunk));
  return rows;
};

type ResourceRow = Pick<UsersTable | GroupsTable, 'id' | 'doc' | 'created' | 'last_modified' | 'version'>;

const toRecord = (row: ResourceRow): UserRecord & GroupRecord => ({
  id: row.id,
  doc: JSON.parse(row.doc) as UserRecord['doc'],
  meta: { created: row.created, lastModified: row.last_modified, version: Number(row.version) },
});

const toAssignment = (row: Database['assignments']): Assignment => ({
  userId: row.user_id,
  tier: row.tier,
  status: row.status as LicenseStatus,
  queuedAt: row.queued_at === null ? null : Number(row.queued_at),
  since: row.since,
  // Optional fields stay absent when empty, so an assignment reads back as it was written.
  ...(row.wanted_tier != null ? { wantedTier: row.wanted_tier } : {}),
  ...(row.release_at != null ? { releaseAt: row.release_at } : {}),
  ...(row.reason != null ? { reason: row.reason } : {}),
});

const toLedgerEntry = (row: Database['ledger']): LedgerEntry => ({
  ...(JSON.parse(row.entry) as Omit<LedgerEntry, 'seq' | 'userId'>),
  seq: Number(row.seq),
  userId: row.user_id,
});

/** Keeps the caller's order, as the memory adapter does, whatever order the database returned. */
const inOrderOf = <T>(ids: readonly string[], items: readonly T[], key: (item: T) => string): T[] => {
  const byKey = new Map(items.map((item) => [key(item), item] as const));
  return ids.map((id) => byKey.get(id)).filter((item): item is T => item !== undefined);
};

/**
 * A page and the count of everything that matched, as two queries: a count(*) OVER () on the page
 * query would make the database read every matching row to serve the first 100.
 */
const paged = async <R>(
  query: ListQuery,
  fetch: (limit: number, offset: number) => Promise<readonly R[]>,
  count: () => Promise<number>,
): Promise<Page<R>> => {
  const offset = Math.max(0, query.startIndex - 1);
  const totalResults = await count();
  if (query.count <= 0 || offset >= totalResults) return { totalResults, items: [] };
  return { totalResults, items: await fetch(query.count, offset) };
};

/** The reader of one tenant, running its queries on `db`. */
export const sqlTenantReader = (db: Kysely<Database>, { tables, dialect }: SqlReaderContext, tenantId: string): TenantReader => {
  const usersWhere = (filter: ListQuery['filter']) => db.selectFrom(tables.as('users', 'r'))
    .where('r.tenant_id', '=', tenantId)
    .$if(filter !== null, (q) => q.where(filterToSql(filter!, { dialect, tables, resource: 'User', alias: 'r' })));

  const groupsWhere = (filter: ListQuery['filter']) => db.selectFrom(tables.as('groups', 'r'))
    .where('r.tenant_id', '=', tenantId)
    .$if(filter !== null, (q) => q.where(filterToSql(filter!, { dialect, tables, resource: 'Group', alias: 'r' })));

  // sortBy comes first; creation order then breaks ties, so pages stay stable.
  const sorted = <Q extends { orderBy: (expr: never, direction?: 'asc' | 'desc') => Q }>(q: Q, sort: ListQuery['sort'], resource: 'User' | 'Group'): Q => {
    if (!sort) return q;
    const { missing, key } = sortToSql(sort, { dialect, tables, resource, alias: 'r' });
    return q.orderBy(missing as never).orderBy(key as never, sort.descending ? 'desc' : 'asc');
  };

  const selectUsers = () => db.selectFrom(tables.name('users'))
    .select(['id', 'doc', 'created', 'last_modified', 'version'])
    .where('tenant_id', '=', tenantId);

  return {
    async getUser(id) {
      const row = await selectUsers().where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async getUsers(ids) {
      const rows = await inChunks(ids, (chunk) => selectUsers().where('id', 'in', chunk).execute());
      return inOrderOf(ids, rows.map(toRecord), (u) => u.id);
    },

    async findUserByUserName(userName) {
      const row = await selectUsers().where('user_name_lower', '=', userName.toLowerCase()).executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async listUsers(query): Promise<Page<UserRecord>> {
      const page = await paged(
        query,
        (limit, offset) => sorted(usersWhere(query.filter), query.sort, 'User')
          .select(['r.id', 'r.doc', 'r.created', 'r.last_modified', 'r.version'])
          .orderBy('r.created').orderBy('r.id').limit(limit).offset(offset).execute(),
        async () => Number((await usersWhere(query.filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      );
      return { totalResults: page.totalResults, items: page.items.map(toRecord) };
    },

    async getGroup(id) {
      const row = await db.selectFrom(tables.name('groups'))
        .select(['id', 'doc', 'created', 'last_modified', 'version'])
        .where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async listGroups(query): Promise<Page<GroupRecord>> {
      const page = await paged(
        query,
        (limit, offset) => sorted(groupsWhere(query.filter), query.sort, 'Group')
          .select(['r.id', 'r.doc', 'r.created', 'r.last_modified', 'r.version'])
          .orderBy('r.created').orderBy('r.id').limit(limit).offset(offset).execute(),
        async () => Number((await groupsWhere(query.filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      );
      return { totalResults: page.totalResults, items: page.items.map(toRecord) };
    },

    async groupMembers(groupIds) {
      const rows = await inChunks(groupIds, (chunk) => db.selectFrom(tables.as('memberships', 'm'))
        .innerJoin(tables.as('users', 'u'), (j) => j.onRef('u.tenant_id', '=', 'm.tenant_id').onRef('u.id', '=', 'm.user_id'))
        .select((eb) => ['m.group_id', 'm.user_id', eb.fn.coalesce('u.display_name', 'u.user_name').as('display')])
        .where('m.tenant_id', '=', tenantId)
        .where('m.group_id', 'in', chunk)
        .orderBy('m.group_id').orderBy('m.position')
        .execute());
      const members = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
      for (const row of rows) members.get(row.group_id)?.push({ userId: row.user_id, display: row.display });
      return members;
    },

    async membersAmong(groupId, userIds) {
      const rows = await inChunks(userIds, (chunk) => db.selectFrom(tables.name('memberships'))
        .select('user_id')
        .where('tenant_id', '=', tenantId).where('group_id', '=', groupId).where('user_id', 'in', chunk)
        .execute());
      const members = new Set(rows.map((r) => r.user_id));
      return userIds.filter((id) => members.has(id));
    },

    async groupsOfUsers(userIds) {
      const rows = await inChunks(userIds, (chunk) => db.selectFrom(tables.as('memberships', 'm'))
        .innerJoin(tables.as('groups', 'g'), (j) => j.onRef('g.tenant_id', '=', 'm.tenant_id').onRef('g.id', '=', 'm.group_id'))
        .select(['m.user_id', 'g.id', 'g.display_name'])
        .where('m.tenant_id', '=', tenantId)
        .where('m.user_id', 'in', chunk)
        .orderBy('g.created').orderBy('g.id')
        .execute());
      const groups = new Map<string, GroupRef[]>(userIds.map((id) => [id, []]));
      for (const row of rows) groups.get(row.user_id)?.push({ id: row.id, displayName: row.display_name });
      return groups;
    },

    async getAssignments(userIds) {
      const rows = await inChunks(userIds, (chunk) => db.selectFrom(tables.name('assignments'))
        .selectAll()
        .where('tenant_id', '=', tenantId).where('user_id', 'in', chunk)
        .execute());
      return inOrderOf(userIds, rows.map(toAssignment), (a) => a.userId);
    },

    async seatCounts() {
      const rows = await db.selectFrom(tables.name('seat_counts')).select(['tier', 'assigned', 'pending', 'releasing'])
        .where('tenant_id', '=', tenantId)
        .where((eb) => eb.or([eb('assigned', '>', 0), eb('pending', '>', 0), eb('releasing', '>', 0)]))
        .execute();
      return new Map<string, SeatCount>(rows.map((r) => [r.tier, { assigned: Number(r.assigned), pending: Number(r.pending), releasing: Number(r.releasing) }]));
    },

    async oldestPending(tier, limit) {
      if (limit <= 0) return [];
      const rows = await db.selectFrom(tables.name('assignments'))
        .selectAll()
        .where('tenant_id', '=', tenantId).where('tier', '=', tier).where('status', '=', 'pending')
        .orderBy('queued_at').orderBy('user_id')
        .limit(limit)
        .execute();
      return rows.map(toAssignment);
    },

    async oldestDegraded(wantedTier, limit) {
      if (limit <= 0) return [];
      const rows = await db.selectFrom(tables.name('assignments'))
        .selectAll()
        .where('tenant_id', '=', tenantId).where('wanted_tier', '=', wantedTier).where('status', '=', 'degraded')
        .orderBy('queued_at').orderBy('user_id')
        .limit(limit)
        .execute();
      return rows.map(toAssignment);
    },

    async licenseSeq() {
      const row = await db.selectFrom(tables.name('tenants')).select('license_seq').where('id', '=', tenantId).executeTakeFirst();
      return Number(row?.license_seq ?? 0);
    },

    async tenant() {
      const row = await db.selectFrom(tables.name('tenants')).select(['id', 'name', 'contract']).where('id', '=', tenantId).executeTakeFirstOrThrow();
      return { id: row.id, name: row.name, contract: JSON.parse(row.contract) as Contract };
    },

    async licensePhase() {
      const row = await db.selectFrom(tables.name('tenants')).select('license_phase').where('id', '=', tenantId).executeTakeFirst();
      return (row?.license_phase ?? 'active') as ContractPhase;
    },

    async dueReleases(at) {
      // ISO 8601 instants in UTC with milliseconds compare as text; the engine only writes that form.
      const rows = await db.selectFrom(tables.name('assignments')).selectAll()
        .where('tenant_id', '=', tenantId).where('status', '=', 'releasing').where('release_at', '<=', at)
        .orderBy('release_at').orderBy('user_id')
        .execute();
      return rows.map(toAssignment);
    },

    async seatHolders() {
      const rows = await db.selectFrom(tables.name('assignments')).selectAll()
        .where('tenant_id', '=', tenantId).where('status', 'in', ['assigned', 'degraded', 'releasing'])
        .execute();
      return rows.map(toAssignment);
    },

    async ledger(query) {
      let q = db.selectFrom(tables.name('ledger')).selectAll().where('tenant_id', '=', tenantId).where('seq', '>', query.afterSeq ?? 0);
      if (query.userId !== undefined) q = q.where('user_id', '=', query.userId);
      const rows = await q.orderBy('seq').limit(query.limit).execute();
      return rows.map(toLedgerEntry);
    },

    async undeliveredEvents(limit) {
      const rows = await db.selectFrom(tables.as('outbox', 'o'))
        .innerJoin(tables.as('tenants', 't'), 't.id', 'o.tenant_id')
        .select(['o.seq', 'o.id', 'o.at', 'o.effect'])
        .where('o.tenant_id', '=', tenantId).whereRef('o.seq', '>', 't.events_delivered')
        .orderBy('o.seq').limit(limit)
        .execute();
      return rows.map((r): OutboxEvent => ({ tenantId, seq: Number(r.seq), id: r.id, at: r.at, effect: JSON.parse(r.effect) as LicenseEffect }));
    },
  };
};
