/**
 * Writes a unit of work's change set. It runs inside the unit's transaction, so the statements land
 * together at COMMIT or not at all; their order follows the memory adapter's `apply`, which is what
 * gives a change set its meaning (deletes first, `clearMembers` before `addMembers`, ...).
 */
import type { Kysely } from 'kysely';
import type { Assignment } from '../../core/license/assignment';
import type { ChangeSet, GroupRecord, Membership, UserRecord } from '../../ports/storage-adapter';
import type { Database, Tables } from './schema';
import { chunksOf, inChunks } from './sql-tenant-reader';

// Rows per multi-row INSERT: 11 columns each stays far below SQLite's and PostgreSQL's parameter limits.
const ROWS = 200;

const batches = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ROWS) out.push(items.slice(i, i + ROWS));
  return out;
};

// PostgreSQL refuses to upsert one key twice in a statement; the last write wins, as in the memory adapter.
const lastById = <T>(items: readonly T[], key: (item: T) => string): T[] => [...new Map(items.map((i) => [key(i), i] as const)).values()];

const userRow = (tenantId: string, user: UserRecord) => {
  const { doc } = user;
  if (typeof doc.userName !== 'string') throw new Error('A user record must have a userName');
  return {
    tenant_id: tenantId,
    id: user.id,
    user_name: doc.userName,
    user_name_lower: doc.userName.toLowerCase(),
    external_id: typeof doc.externalId === 'string' ? doc.externalId : null,
    active: doc.active === true ? 1 : doc.active === false ? 0 : null,
    display_name: typeof doc.displayName === 'string' ? doc.displayName : null,
    doc: JSON.stringify(doc),
    created: user.meta.created,
    last_modified: user.meta.lastModified,
    version: user.meta.version,
  };
};

const groupRow = (tenantId: string, group: GroupRecord) => ({
  tenant_id: tenantId,
  id: group.id,
  display_name: String(group.doc.displayName ?? ''),
  // The keys of the displayName and externalId lookups (indexed; see migrate.ts).
  display_name_lower: String(group.doc.displayName ?? '').toLowerCase(),
  external_id: typeof group.doc.externalId === 'string' ? group.doc.externalId : null,
  doc: JSON.stringify(group.doc),
  created: group.meta.created,
  last_modified: group.meta.lastModified,
  version: group.meta.version,
});

const assignmentRow = (tenantId: string, a: Assignment) => ({
  tenant_id: tenantId,
  user_id: a.userId,
  tier: a.tier,
  status: a.status,
  queued_at: a.queuedAt,
  since: a.since,
  wanted_tier: a.wantedTier ?? null,
  release_at: a.releaseAt ?? null,
  reason: a.reason ?? null,
});

type Delta = { assigned: number; pending: number; releasing: number };

const countField = (status: Assignment['status']): keyof Delta | null =>
  status === 'pending' ? 'pending' : status === 'releasing' ? 'releasing' : status === 'released' ? null : 'assigned';

// How the change set moves each tier's counts: every touched user's old assignment leaves, its new one enters.
const seatDeltas = async (db: Kysely<Database>, tables: Tables, tenantId: string, changes: ChangeSet): Promise<Map<string, Delta>> => {
  const puts = lastById(changes.putAssignments ?? [], (a) => a.userId);
  const touched = [...new Set([...(changes.deleteUsers ?? []), ...(changes.deleteAssignments ?? []), ...puts.map((a) => a.userId)])];
  const deltas = new Map<string, Delta>();
  const add = (a: Pick<Assignment, 'tier' | 'status'>, sign: 1 | -1) => {
    const field = countField(a.status);
    if (!field) return;
    const d = deltas.get(a.tier) ?? { assigned: 0, pending: 0, releasing: 0 };
    deltas.set(a.tier, { ...d, [field]: d[field] + sign });
  };
  if (touched.length === 0) return deltas;
  const before = await inChunks(touched, (ids) => db.selectFrom(tables.name('assignments')).select(['user_id', 'tier', 'status'])
    .where('tenant_id', '=', tenantId).where('user_id', 'in', ids).execute());
  for (const row of before) add({ tier: row.tier, status: row.status as Assignment['status'] }, -1);
  // Puts apply after the deletes, so each put assignment is there once the change set has landed.
  for (const a of puts) add(a, 1);
  return deltas;
};

const applySeatDeltas = async (db: Kysely<Database>, tables: Tables, tenantId: string, deltas: ReadonlyMap<string, Delta>) => {
  for (const [tier, d] of deltas) {
    if (d.assigned === 0 && d.pending === 0 && d.releasing === 0) continue;
    await db.insertInto(tables.name('seat_counts'))
      .values({ tenant_id: tenantId, tier, assigned: d.assigned, pending: d.pending, releasing: d.releasing })
      .onConflict((oc) => oc.columns(['tenant_id', 'tier']).doUpdateSet((eb) => ({
        assigned: eb(eb.ref(`${tables.name('seat_counts')}.assigned` as 'assigned'), '+', eb.ref('excluded.assigned')),
        pending: eb(eb.ref(`${tables.name('seat_counts')}.pending` as 'pending'), '+', eb.ref('excluded.pending')),
        releasing: eb(eb.ref(`${tables.name('seat_counts')}.releasing` as 'releasing'), '+', eb.ref('excluded.releasing')),
      })))
      .execute();
  }
};

/** Applies `changes` to the tenant through `db` (the unit's connection, inside its transaction). */
export const applyChangeSet = async (db: Kysely<Database>, tables: Tables, tenantId: string, changes: ChangeSet): Promise<void> => {
  const deltas = await seatDeltas(db, tables, tenantId, changes);
  const memberships = () => db.deleteFrom(tables.name('memberships')).where('tenant_id', '=', tenantId);

  for (const ids of chunksOf(changes.deleteUsers ?? [])) {
    await memberships().where('user_id', 'in', ids).execute();
    await db.deleteFrom(tables.name('assignments')).where('tenant_id', '=', tenantId).where('user_id', 'in', ids).execute();
    await db.deleteFrom(tables.name('users')).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
  }

  for (const ids of chunksOf(changes.deleteGroups ?? [])) {
    await memberships().where('group_id', 'in', ids).execute();
    await db.deleteFrom(tables.name('groups')).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
  }

  for (const batch of batches(lastById(changes.putUsers ?? [], (u) => u.id))) {
    await db.insertInto(tables.name('users')).values(batch.map((u) => userRow(tenantId, u)))
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
        user_name: eb.ref('excluded.user_name'),
        user_name_lower: eb.ref('excluded.user_name_lower'),
        external_id: eb.ref('excluded.external_id'),
        active: eb.ref('excluded.active'),
        display_name: eb.ref('excluded.display_name'),
        doc: eb.ref('excluded.doc'),
        created: eb.ref('excluded.created'),
        last_modified: eb.ref('excluded.last_modified'),
        version: eb.ref('excluded.version'),
      })))
      .execute();
  }

  for (const batch of batches(lastById(changes.putGroups ?? [], (g) => g.id))) {
    await db.insertInto(tables.name('groups')).values(batch.map((g) => groupRow(tenantId, g)))
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
        display_name: eb.ref('excluded.display_name'),
        display_name_lower: eb.ref('excluded.display_name_lower'),
        external_id: eb.ref('excluded.external_id'),
        doc: eb.ref('excluded.doc'),
        created: eb.ref('excluded.created'),
        last_modified: eb.ref('excluded.last_modified'),
        version: eb.ref('excluded.version'),
      })))
      .execute();
  }

  for (const ids of chunksOf(changes.clearMembers ?? [])) {
    await memberships().where('group_id', 'in', ids).execute();
  }

  for (const [groupId, userIds] of byGroup(changes.removeMembers ?? [])) {
    for (const ids of chunksOf(userIds)) await memberships().where('group_id', '=', groupId).where('user_id', 'in', ids).execute();
  }

  await addMembers(db, tables, tenantId, changes.addMembers ?? []);

  const touch = changes.touchUsers;
  for (const ids of chunksOf(touch?.ids ?? [])) {
    await db.updateTable(tables.name('users')).set((eb) => ({ version: eb('version', '+', 1), last_modified: touch!.at }))
      .where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
  }

  for (const ids of chunksOf(changes.deleteAssignments ?? [])) {
    await db.deleteFrom(tables.name('assignments')).where('tenant_id', '=', tenantId).where('user_id', 'in', ids).execute();
  }

  for (const batch of batches(lastById(changes.putAssignments ?? [], (a) => a.userId))) {
    await db.insertInto(tables.name('assignments')).values(batch.map((a) => assignmentRow(tenantId, a)))
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet((eb) => ({
        tier: eb.ref('excluded.tier'),
        status: eb.ref('excluded.status'),
        queued_at: eb.ref('excluded.queued_at'),
        since: eb.ref('excluded.since'),
        wanted_tier: eb.ref('excluded.wanted_tier'),
        release_at: eb.ref('excluded.release_at'),
        reason: eb.ref('excluded.reason'),
      })))
      .execute();
  }

  await applySeatDeltas(db, tables, tenantId, deltas);

  if (changes.licenseSeq !== undefined) {
    await db.updateTable(tables.name('tenants')).set({ license_seq: changes.licenseSeq }).where('id', '=', tenantId).execute();
  }
  if (changes.licensePhase !== undefined) {
    await db.updateTable(tables.name('tenants')).set({ license_phase: changes.licensePhase }).where('id', '=', tenantId).execute();
  }
  if (changes.tenant) {
    await db.updateTable(tables.name('tenants')).set({ name: changes.tenant.name, contract: JSON.stringify(changes.tenant.contract) })
      .where('id', '=', tenantId).execute();
  }
  await appendLedger(db, tables, tenantId, changes);
  await appendEvents(db, tables, tenantId, changes);
  if (changes.deliveredThrough !== undefined) {
    // Delivery only moves forward: a slower process marking an older point must not undo a newer one.
    await db.updateTable(tables.name('tenants')).set({ events_delivered: changes.deliveredThrough })
      .where('id', '=', tenantId).where('events_delivered', '<', changes.deliveredThrough).execute();
  }
};

// Sequence numbers follow the tenant's last line; the unit's tenant lock keeps two writers from taking the same one.
const nextSeq = async (db: Kysely<Database>, tables: Tables, table: 'ledger' | 'outbox', tenantId: string): Promise<number> => {
  const last = await db.selectFrom(tables.name(table)).select('seq').where('tenant_id', '=', tenantId)
    .orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return Number(last?.seq ?? 0) + 1;
};

const appendLedger = async (db: Kysely<Database>, tables: Tables, tenantId: string, changes: ChangeSet) => {
  const lines = changes.appendLedger ?? [];
  if (lines.length === 0) return;
  const first = await nextSeq(db, tables, 'ledger', tenantId);
  const rows = lines.map(({ userId, ...entry }, i) => ({ tenant_id: tenantId, seq: first + i, user_id: userId, entry: JSON.stringify(entry) }));
  for (const batch of batches(rows)) await db.insertInto(tables.name('ledger')).values(batch).execute();
};

const appendEvents = async (db: Kysely<Database>, tables: Tables, tenantId: string, changes: ChangeSet) => {
  const events = changes.appendEvents ?? [];
  if (events.length === 0) return;
  const first = await nextSeq(db, tables, 'outbox', tenantId);
  const rows = events.map((e, i) => ({ tenant_id: tenantId, seq: first + i, id: e.id, at: e.at, effect: JSON.stringify(e.effect) }));
  for (const batch of batches(rows)) await db.insertInto(tables.name('outbox')).values(batch).execute();
};

const byGroup = (list: readonly Membership[]): Map<string, string[]> => {
  const groups = new Map<string, string[]>();
  for (const m of list) {
    const users = groups.get(m.groupId);
    if (users) users.push(m.userId);
    else groups.set(m.groupId, [m.userId]);
  }
  return groups;
};

/**
 * Links users to groups after the end of each group's list. As in the memory adapter, a link to a user
 * or group that does not exist is ignored, and an existing link keeps its place.
 */
const addMembers = async (db: Kysely<Database>, tables: Tables, tenantId: string, list: readonly Membership[]) => {
  if (list.length === 0) return;
  const wanted = byGroup(list);
  const groups = new Set((await inChunks([...wanted.keys()], (ids) => db.selectFrom(tables.name('groups'))
    .select('id').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute())).map((r) => r.id));
  const users = new Set((await inChunks(list.map((m) => m.userId), (ids) => db.selectFrom(tables.name('users'))
    .select('id').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute())).map((r) => r.id));
  // One index seek per group: a grouped max() over several groups would walk every member row.
  const ends = new Map<string, number>();
  for (const groupId of groups) {
    const last = await db.selectFrom(tables.name('memberships')).select('position')
      .where('tenant_id', '=', tenantId).where('group_id', '=', groupId)
      .orderBy('position', 'desc').limit(1).executeTakeFirst();
    if (last) ends.set(groupId, Number(last.position));
  }

  const rows = [...wanted].filter(([groupId]) => groups.has(groupId)).flatMap(([groupId, userIds]) => {
    const start = ends.get(groupId) ?? 0;
    return [...new Set(userIds)].filter((id) => users.has(id))
      .map((userId, i) => ({ tenant_id: tenantId, group_id: groupId, user_id: userId, position: start + i + 1 }));
  });
  for (const batch of batches(rows)) {
    await db.insertInto(tables.name('memberships')).values(batch)
      .onConflict((oc) => oc.columns(['tenant_id', 'group_id', 'user_id']).doNothing())
      .execute();
  }
};
