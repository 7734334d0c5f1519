/**
 * The storage conformance suite: every StorageAdapter, seatkit's own and third-party ones, must
 * pass it. Run it from a vitest file:
 *
 * @example
 * import { describeStorageAdapter } from 'seatkit/testing';
 * describeStorageAdapter('my adapter', { create: async () => myStorage() });
 */
import * as E from 'fp-ts/Either';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Assignment } from '../core/license/assignment';
import { matchesFilter } from '../core/filter/evaluate-filter';
import type { FilterTree } from '../core/filter/filter-tree';
import { parseFilter } from '../core/filter/parse-filter';
import { groupResourceType, userResourceType } from '../core/schema/resource-type';
import type { ChangeSet, GroupRecord, StorageAdapter, TenantRecord, UserRecord } from '../ports/storage-adapter';
import { filterableUser } from '../storage/shared/filterable-user';
import { sortKeyOf, sortResources } from '../core/list/sort-resources';
import type { SortSpec } from '../core/list/sort-spec';
import { resolveAttribute } from '../core/schema/resolve-path';
import { parseSort } from '../core/list/list-query';

export interface StorageFixture {
  /** A fresh, empty storage for one test. */
  create(): Promise<StorageAdapter>;
  /** Releases what `create` made (the suite calls `close()` first). */
  cleanup?(storage: StorageAdapter): Promise<void>;
}

const contract = { tiers: [{ key: 'standard', seats: 3 }, { key: 'pro', seats: 2 }] };
const tenantA: TenantRecord = { id: 'tenant-a', name: 'A', contract };
const tenantB: TenantRecord = { id: 'tenant-b', name: 'B', contract };

const meta = (n: number) => ({
  created: `2026-01-0${(n % 9) + 1}T10:00:00.000Z`,
  lastModified: `2026-02-0${(n % 9) + 1}T10:00:00.000Z`,
  version: 1,
});

const user = (id: string, userName: string, extra: Record<string, unknown> = {}, n = 1): UserRecord => ({
  id, doc: { userName, active: true, ...extra }, meta: meta(n),
});

const group = (id: string, displayName: string): GroupRecord => ({ id, doc: { displayName }, meta: meta(1) });

const assignment = (userId: string, tier: string, status: Assignment['status'], queuedAt: number | null = null): Assignment => ({
  userId, tier, status, queuedAt, since: '2026-01-01T00:00:00.000Z',
});

const filter = (text: string, type = userResourceType): FilterTree => {
  const parsed = parseFilter(type, text);
  if (E.isLeft(parsed)) throw new Error(`test filter does not parse: ${text}`);
  return parsed.right;
};

const commit = (storage: StorageAdapter, tenantId: string, changes: ChangeSet) =>
  storage.write(tenantId, (unit) => unit.commit(changes));

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const people: UserRecord[] = [
  user('u1', 'ada@example.com', { displayName: 'Ada Lovelace', externalId: 'ext-1', name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: 'ada@example.com', type: 'work', primary: true }], title: 'Engineer', [ENTERPRISE]: { department: 'R&D' } }, 1),
  user('u2', 'Ben@Example.com', { displayName: 'Ben Okafor', externalId: 'ext-2', emails: [{ value: 'ben@home.example', type: 'home' }, { value: 'ben@example.com', type: 'work', display: 'Ben at work' }], active: false, title: 'Sales' }, 2),
  user('u3', 'cy@example.org', { displayName: 'Cy Marsh', externalId: 'EXT-3', roles: [{ value: 'pro' }, { value: 'admin', primary: false }], phoneNumbers: [{ value: '+1 555 0142' }], [ENTERPRISE]: { department: 'Sales' } }, 3),
  user('u4', 'dee@example.com', { name: { givenName: 'Dee' }, emails: [{ value: 'dee@work.example', type: 'work', display: 'Dee at work' }, { value: 'dee@home.example', type: 'home', primary: true }] }, 4),
  // Entra's "True": primary as a string.
  user('u5', 'ed%_x@example.com', { title: "O'Brien \"quoted\"", roles: [{ value: 'viewer' }, { value: 'billing', primary: 'True' }], phoneNumbers: [{ value: '+1 555 0100', type: 'work' }, { value: '+1 555 0199', type: 'mobile', primary: 'True' }] }, 5),
];

const FILTERS = [
  'userName eq "ada@example.com"',
  'userName eq "BEN@example.com"',
  'userName sw "c"',
  'userName ew ".org"',
  'userName co "example"',
  'userName co "%_"',
  'externalId eq "ext-3"',
  'externalId eq "EXT-3"',
  'id eq "u2"',
  'active eq false',
  'active eq true',
  'title pr',
  'not (title pr)',
  'name.givenName eq "ada"',
  'emails[type eq "work" and value co "dee"]',
  'emails[type eq "home" and primary eq true]',
  'emails.value ew "home.example"',
  'emails co "ada"',
  `${ENTERPRISE}:department eq "sales"`,
  'roles.value eq "PRO"',
  'meta.lastModified gt "2026-02-03T00:00:00Z"',
  'meta.created le "2026-01-02T10:00:00.000Z"',
  'userName sw "a" or userName sw "d"',
  'userName sw "a" or userName sw "d" and active eq true',
  '(userName sw "a" or userName sw "d") and name.givenName pr',
  'title eq "O\'Brien \\"quoted\\""',
  'displayName gt "B"',
  'displayName ne "Ada Lovelace"',
  'groups.value eq "g1"',
  `urn:seatkit:scim:schemas:extension:license:2.0:User:status eq "pending"`,
];

const SORTS: [string, boolean][] = [
  ['userName', false], ['userName', true], ['displayName', false], ['displayName', true], ['externalId', false],
  ['name.givenName', false], ['title', true], ['active', false], ['meta.lastModified', true], ['meta.created', false],
  [`${ENTERPRISE}:department`, false], ['id', true],
  ['urn:seatkit:scim:schemas:extension:license:2.0:User:status', false],
  // Multi-valued: the primary item's value when it has one, else the first value (RFC 7644 §3.4.2.3).
  ['emails.value', false], ['emails.value', true], ['emails', false], ['emails.type', true], ['emails.display', false],
  ['emails.primary', false], ['phoneNumbers.value', false], ['phoneNumbers', true], ['roles.value', false], ['roles', true],
];

const sortSpec = (path: string, descending: boolean): SortSpec => {
  const spec = parseSort(userResourceType, path, descending ? 'descending' : 'ascending');
  if (E.isLeft(spec) || !spec.right) throw new Error(`test sort path does not resolve: ${path}`);
  return spec.right;
};

/** Runs the conformance suite against an adapter. */
export const describeStorageAdapter = (name: string, fixture: StorageFixture) => {
  describe(`storage adapter conformance: ${name}`, () => {
    let storage: StorageAdapter;

    beforeEach(async () => {
      storage = await fixture.create();
      await storage.putTenant(tenantA);
      await storage.putTenant(tenantB);
    });

    afterEach(async () => {
      await storage.close();
      await fixture.cleanup?.(storage);
    });

    describe('tenants and tokens', () => {
      it('stores a tenant and replaces its contract', async () => {
        expect(await storage.getTenant('tenant-a')).toEqual(tenantA);
        const changed = { ...tenantA, contract: { tiers: [{ key: 'standard', seats: 10 }] } };
        await storage.putTenant(changed);
        expect(await storage.getTenant('tenant-a')).toEqual(changed);
        expect(await storage.getTenant('nobody')).toBeNull();
      });

      it('reads the tenant inside a unit and changes its contract with the unit\'s commit, or not at all', async () => {
        expect(await storage.write('tenant-a', (unit) => unit.tenant())).toEqual(tenantA);
        const next = { name: 'A2', contract: { tiers: [{ key: 'standard', seats: 7 }] } };
        await expect(storage.write('tenant-a', async (unit) => {
          await unit.commit({ tenant: next, licenseSeq: 3 });
          throw new Error('boom');
        })).rejects.toThrow('boom');
        expect(await storage.getTenant('tenant-a')).toEqual(tenantA);
        await commit(storage, 'tenant-a', { tenant: next });
        expect(await storage.getTenant('tenant-a')).toEqual({ id: 'tenant-a', ...next });
        expect(await storage.read('tenant-a', (r) => r.tenant())).toEqual({ id: 'tenant-a', ...next });
        expect(await storage.getTenant('tenant-b')).toEqual(tenantB);
      });

      it('finds a tenant by token digest until the token is revoked', async () => {
        await storage.addToken('tenant-a', 'digest-a');
        await storage.addToken('tenant-b', 'digest-b');
        expect((await storage.findTenantByTokenHash('digest-a'))?.tenant.id).toBe('tenant-a');
        expect((await storage.findTenantByTokenHash('digest-a'))?.tokenHash).toBe('digest-a');
        expect((await storage.findTenantByTokenHash('digest-b'))?.tenant.id).toBe('tenant-b');
        await expect(storage.addToken('tenant-b', 'digest-a')).rejects.toThrow();
        expect((await storage.findTenantByTokenHash('digest-a'))?.tenant.id).toBe('tenant-a');
        await storage.addToken('tenant-a', 'digest-a');
        await storage.revokeToken('digest-a');
        expect(await storage.findTenantByTokenHash('digest-a')).toBeNull();
        expect(await storage.findTenantByTokenHash('unknown')).toBeNull();
      });
    });

    describe('users', () => {
      it('stores users and reads them back by id, ids and userName ignoring case', async () => {
        await commit(storage, 'tenant-a', { putUsers: people });
        expect(await storage.read('tenant-a', (r) => r.getUser('u1'))).toEqual(people[0]);
        expect((await storage.read('tenant-a', (r) => r.getUsers(['u3', 'u1', 'nope']))).map((u) => u.id).sort()).toEqual(['u1', 'u3']);
        expect((await storage.read('tenant-a', (r) => r.findUserByUserName('ben@example.COM')))?.id).toBe('u2');
        expect(await storage.read('tenant-a', (r) => r.findUserByUserName('nobody@example.com'))).toBeNull();
      });

      it('keeps tenants apart', async () => {
        await commit(storage, 'tenant-a', { putUsers: [people[0]!] });
        expect(await storage.read('tenant-b', (r) => r.getUser('u1'))).toBeNull();
        expect(await storage.read('tenant-b', (r) => r.findUserByUserName('ada@example.com'))).toBeNull();
        expect((await storage.read('tenant-b', (r) => r.listUsers({ filter: null, sort: null, startIndex: 1, count: 10 }))).totalResults).toBe(0);
        await commit(storage, 'tenant-b', { putUsers: [user('u1', 'someone@else.example')] });
        expect((await storage.read('tenant-a', (r) => r.getUser('u1')))?.doc.userName).toBe('ada@example.com');
      });

      it('raises the version and modify time of touched users only, skipping unknown ids', async () => {
        await commit(storage, 'tenant-a', { putUsers: [people[0]!, people[1]!] });
        await commit(storage, 'tenant-a', { touchUsers: { ids: ['u1', 'nobody'], at: '2026-06-01T00:00:00.000Z' } });
        const [u1, u2] = await storage.read('tenant-a', (r) => Promise.all([r.getUser('u1'), r.getUser('u2')]));
        expect(u1!.meta).toEqual({ ...people[0]!.meta, version: people[0]!.meta.version + 1, lastModified: '2026-06-01T00:00:00.000Z' });
        expect(u1!.doc).toEqual(people[0]!.doc);
        expect(u2!.meta).toEqual(people[1]!.meta);
        expect(await storage.read('tenant-a', (r) => r.getUser('nobody'))).toBeNull();
      });

      it('updates a user, including a change of userName', async () => {
        await commit(storage, 'tenant-a', { putUsers: [people[0]!] });
        const renamed = { ...people[0]!, doc: { ...people[0]!.doc, userName: 'ada.king@example.com' }, meta: { ...people[0]!.meta, version: 2 } };
        await commit(storage, 'tenant-a', { putUsers: [renamed] });
        expect(await storage.read('tenant-a', (r) => r.findUserByUserName('ada@example.com'))).toBeNull();
        expect((await storage.read('tenant-a', (r) => r.findUserByUserName('ADA.KING@example.com')))?.meta.version).toBe(2);
      });

      it('pages users in a stable order with the total count', async () => {
        await commit(storage, 'tenant-a', { putUsers: people });
        const first = await storage.read('tenant-a', (r) => r.listUsers({ filter: null, sort: null, startIndex: 1, count: 2 }));
        const rest = await storage.read('tenant-a', (r) => r.listUsers({ filter: null, sort: null, startIndex: 3, count: 10 }));
        expect(first.totalResults).toBe(5);
        expect(first.items).toHaveLength(2);
        expect(rest.items).toHaveLength(3);
        expect(new Set([...first.items, ...rest.items].map((u) => u.id)).size).toBe(5);
        const none = await storage.read('tenant-a', (r) => r.listUsers({ filter: null, sort: null, startIndex: 1, count: 0 }));
        expect(none).toEqual({ totalResults: 5, items: [] });
      });

      it.each(FILTERS)('answers the filter %s as the reference evaluator does', async (text) => {
        await commit(storage, 'tenant-a', {
          putUsers: people,
          putGroups: [group('g1', 'Pro Users')],
          addMembers: [{ groupId: 'g1', userId: 'u3' }],
          putAssignments: [assignment('u1', 'standard', 'assigned'), assignment('u4', 'standard', 'pending', 1)],
        });
        const tree = filter(text);
        const groupsOf = (id: string) => (id === 'u3' ? [{ id: 'g1', displayName: 'Pro Users' }] : []);
        const assignments: Record<string, Assignment> = { u1: assignment('u1', 'standard', 'assigned'), u4: assignment('u4', 'standard', 'pending', 1) };
        const expected = people.filter((u) => matchesFilter(tree, filterableUser(u, groupsOf(u.id), assignments[u.id] ?? null))).map((u) => u.id).sort();
        const page = await storage.read('tenant-a', (r) => r.listUsers({ filter: tree, sort: null, startIndex: 1, count: 100 }));
        expect(page.items.map((u) => u.id).sort()).toEqual(expected);
        expect(page.totalResults).toBe(expected.length);
      });
    });

    describe('sorting', () => {
      it.each(SORTS)('sorts users by %s (descending: %s) as the reference does, missing values last', async (path, descending) => {
        await commit(storage, 'tenant-a', { putUsers: people, putAssignments: [assignment('u1', 'standard', 'assigned'), assignment('u4', 'standard', 'pending', 1)] });
        const assignments: Record<string, Assignment> = { u1: assignment('u1', 'standard', 'assigned'), u4: assignment('u4', 'standard', 'pending', 1) };
        const view = (u: UserRecord) => filterableUser(u, [], assignments[u.id] ?? null);
        const spec = sortSpec(path, descending);
        const page = await storage.read('tenant-a', (r) => r.listUsers({ filter: null, sort: spec, startIndex: 1, count: 100 }));
        // Ties may come in any stable order, so the keys are compared, not the ids.
        expect(page.items.map((u) => sortKeyOf(spec, view(u)))).toEqual(sortResources(people, spec, view).map((u) => sortKeyOf(spec, view(u))));
      });

      it('sorts, then pages, then counts everything that matched', async () => {
        await commit(storage, 'tenant-a', { putUsers: people });
        const spec = sortSpec('userName', true);
        const page = await storage.read('tenant-a', (r) => r.listUsers({ filter: filter('userName co "example"'), sort: spec, startIndex: 2, count: 2 }));
        expect(page.totalResults).toBe(5);
        expect(page.items.map((u) => String(u.doc.userName).toLowerCase())).toEqual(['dee@example.com', 'cy@example.org']);
      });

      it('sorts groups by displayName', async () => {
        await commit(storage, 'tenant-a', { putGroups: [group('g1', 'beta'), group('g2', 'Alpha'), group('g3', 'gamma')] });
        const target = resolveAttribute(groupResourceType, 'displayName')!;
        const page = await storage.read('tenant-a', (r) => r.listGroups({ filter: null, sort: { target, descending: false }, startIndex: 1, count: 10 }));
        expect(page.items.map((g) => g.id)).toEqual(['g2', 'g1', 'g3']);
      });
    });

    describe('groups and memberships', () => {
      beforeEach(async () => {
        await commit(storage, 'tenant-a', { putUsers: people, putGroups: [group('g1', 'Pro Users'), group('g2', 'Sales')] });
      });

      it('adds and removes members and answers both directions', async () => {
        await commit(storage, 'tenant-a', { addMembers: [{ groupId: 'g1', userId: 'u1' }, { groupId: 'g1', userId: 'u2' }, { groupId: 'g2', userId: 'u1' }] });
        const members = await storage.read('tenant-a', (r) => r.groupMembers(['g1', 'g2']));
        expect(members.get('g1')!.map((m) => m.userId)).toEqual(['u1', 'u2']);
        expect(members.get('g1')![0]!.display).toBe('Ada Lovelace');
        expect(await storage.read('tenant-a', (r) => r.membersAmong('g1', ['u2', 'u3']))).toEqual(['u2']);
        const groups = await storage.read('tenant-a', (r) => r.groupsOfUsers(['u1', 'u3']));
        expect(groups.get('u1')!.map((g) => g.displayName).sort()).toEqual(['Pro Users', 'Sales']);
        expect(groups.get('u3') ?? []).toEqual([]);
        await commit(storage, 'tenant-a', { removeMembers: [{ groupId: 'g1', userId: 'u1' }] });
        expect((await storage.read('tenant-a', (r) => r.groupMembers(['g1']))).get('g1')!.map((m) => m.userId)).toEqual(['u2']);
      });

      it('adding an existing member again changes nothing', async () => {
        await commit(storage, 'tenant-a', { addMembers: [{ groupId: 'g1', userId: 'u1' }] });
        await commit(storage, 'tenant-a', { addMembers: [{ groupId: 'g1', userId: 'u1' }] });
        expect((await storage.read('tenant-a', (r) => r.groupMembers(['g1']))).get('g1')).toHaveLength(1);
      });

      it('clears members before adding, in one change set', async () => {
        await commit(storage, 'tenant-a', { addMembers: [{ groupId: 'g1', userId: 'u1' }, { groupId: 'g1', userId: 'u2' }] });
        await commit(storage, 'tenant-a', { clearMembers: ['g1'], addMembers: [{ groupId: 'g1', userId: 'u2' }, { groupId: 'g1', userId: 'u3' }] });
        expect((await storage.read('tenant-a', (r) => r.groupMembers(['g1']))).get('g1')!.map((m) => m.userId).sort()).toEqual(['u2', 'u3']);
      });

      it('deleting a group or a user removes their memberships', async () => {
        await commit(storage, 'tenant-a', { addMembers: [{ groupId: 'g1', userId: 'u1' }, { groupId: 'g2', userId: 'u1' }, { groupId: 'g2', userId: 'u2' }] });
        await commit(storage, 'tenant-a', { deleteGroups: ['g2'] });
        expect(await storage.read('tenant-a', (r) => r.getGroup('g2'))).toBeNull();
        expect((await storage.read('tenant-a', (r) => r.groupsOfUsers(['u1']))).get('u1')!.map((g) => g.id)).toEqual(['g1']);
        await commit(storage, 'tenant-a', { deleteUsers: ['u1'] });
        expect((await storage.read('tenant-a', (r) => r.groupMembers(['g1']))).get('g1') ?? []).toEqual([]);
      });

      it('filters groups by displayName and by member', async () => {
        await commit(storage, 'tenant-a', { addMembers: [{ groupId: 'g2', userId: 'u4' }] });
        const byName = await storage.read('tenant-a', (r) => r.listGroups({ filter: filter('displayName eq "pro users"', groupResourceType), sort: null, startIndex: 1, count: 10 }));
        expect(byName.items.map((g) => g.id)).toEqual(['g1']);
        const byMember = await storage.read('tenant-a', (r) => r.listGroups({ filter: filter('members[value eq "u4"]', groupResourceType), sort: null, startIndex: 1, count: 10 }));
        expect(byMember.items.map((g) => g.id)).toEqual(['g2']);
        const all = await storage.read('tenant-a', (r) => r.listGroups({ filter: null, sort: null, startIndex: 2, count: 10 }));
        expect(all.totalResults).toBe(2);
        expect(all.items).toHaveLength(1);
      });
    });

    describe('assignments', () => {
      beforeEach(async () => {
        await commit(storage, 'tenant-a', { putUsers: people });
      });

      it('counts seats per tier and serves pending users oldest first', async () => {
        await commit(storage, 'tenant-a', {
          putAssignments: [
            assignment('u1', 'standard', 'assigned'), assignment('u2', 'standard', 'released'),
            assignment('u3', 'pro', 'pending', 7), assignment('u4', 'pro', 'pending', 3), assignment('u5', 'pro', 'assigned'),
          ],
          licenseSeq: 7,
        });
        const counts = await storage.read('tenant-a', (r) => r.seatCounts());
        expect(counts.get('standard')).toEqual({ assigned: 1, pending: 0, releasing: 0 });
        expect(counts.get('pro')).toEqual({ assigned: 1, pending: 2, releasing: 0 });
        expect((await storage.read('tenant-a', (r) => r.oldestPending('pro', 10))).map((a) => a.userId)).toEqual(['u4', 'u3']);
        expect((await storage.read('tenant-a', (r) => r.oldestPending('pro', 1))).map((a) => a.userId)).toEqual(['u4']);
        expect(await storage.read('tenant-a', (r) => r.licenseSeq())).toBe(7);
        expect(await storage.read('tenant-b', (r) => r.licenseSeq())).toBe(0);
      });

      it('finds users degraded below a tier by that tier, in queue order, until they move up', async () => {
        const degraded = (userId: string, wantedTier: string, queuedAt: number): Assignment =>
          ({ ...assignment(userId, 'standard', 'degraded', queuedAt), wantedTier });
        await commit(storage, 'tenant-a', {
          putAssignments: [degraded('u1', 'pro', 9), degraded('u2', 'pro', 4), degraded('u3', 'max', 1), assignment('u4', 'pro', 'pending', 2)],
        });
        expect((await storage.read('tenant-a', (r) => r.oldestDegraded('pro', 10))).map((a) => a.userId)).toEqual(['u2', 'u1']);
        expect((await storage.read('tenant-a', (r) => r.oldestDegraded('pro', 1))).map((a) => a.userId)).toEqual(['u2']);
        expect(await storage.read('tenant-a', (r) => r.oldestDegraded('pro', 0))).toEqual([]);
        await commit(storage, 'tenant-a', { putAssignments: [assignment('u2', 'pro', 'assigned')], deleteAssignments: ['u1'] });
        expect(await storage.read('tenant-a', (r) => r.oldestDegraded('pro', 10))).toEqual([]);
        expect((await storage.read('tenant-a', (r) => r.oldestDegraded('max', 10))).map((a) => a.userId)).toEqual(['u3']);
        expect(await storage.read('tenant-b', (r) => r.oldestDegraded('max', 10))).toEqual([]);
      });

      it('counts degraded users as holders and releasing users apart, and finds holds that ran out', async () => {
        const hold = (userId: string, releaseAt: string): Assignment =>
          ({ ...assignment(userId, 'pro', 'releasing'), releaseAt, reason: 'deactivated' });
        await commit(storage, 'tenant-a', {
          putAssignments: [
            { ...assignment('u1', 'standard', 'degraded'), wantedTier: 'pro' },
            hold('u2', '2026-03-01T00:00:00.000Z'), hold('u3', '2026-05-01T00:00:00.000Z'), assignment('u4', 'pro', 'assigned'),
          ],
        });
        const counts = await storage.read('tenant-a', (r) => r.seatCounts());
        expect(counts.get('standard')).toEqual({ assigned: 1, pending: 0, releasing: 0 });
        expect(counts.get('pro')).toEqual({ assigned: 1, pending: 0, releasing: 2 });
        expect((await storage.read('tenant-a', (r) => r.dueReleases('2026-04-01T00:00:00.000Z'))).map((a) => a.userId)).toEqual(['u2']);
        expect((await storage.read('tenant-a', (r) => r.seatHolders())).map((a) => a.userId).sort()).toEqual(['u1', 'u2', 'u3', 'u4']);
        expect(await storage.read('tenant-a', (r) => r.getAssignments(['u2']))).toEqual([hold('u2', '2026-03-01T00:00:00.000Z')]);
        // Ending a hold frees its count.
        await commit(storage, 'tenant-a', { putAssignments: [assignment('u2', 'pro', 'released')] });
        expect((await storage.read('tenant-a', (r) => r.seatCounts())).get('pro')).toEqual({ assigned: 1, pending: 0, releasing: 1 });
        expect(await storage.read('tenant-b', (r) => r.seatHolders())).toEqual([]);
      });

      it('keeps the contract phase the engine last acted on', async () => {
        expect(await storage.read('tenant-a', (r) => r.licensePhase())).toBe('active');
        await commit(storage, 'tenant-a', { licensePhase: 'grace' });
        expect(await storage.read('tenant-a', (r) => r.licensePhase())).toBe('grace');
        expect(await storage.read('tenant-b', (r) => r.licensePhase())).toBe('active');
      });

      it('reads assignments back exactly and deletes them with their user', async () => {
        const a = assignment('u4', 'pro', 'pending', 3);
        await commit(storage, 'tenant-a', { putAssignments: [a] });
        expect(await storage.read('tenant-a', (r) => r.getAssignments(['u4', 'u1']))).toEqual([a]);
        await commit(storage, 'tenant-a', { deleteUsers: ['u4'] });
        expect(await storage.read('tenant-a', (r) => r.getAssignments(['u4']))).toEqual([]);
      });
    });

    describe('ledger and outbox', () => {
      const line = (userId: string, to: Assignment['status']) => ({
        at: '2026-03-01T00:00:00.000Z', userId, before: null, after: { tier: 'pro', status: to },
        actor: 'token:abc', requestId: 'r1', reason: 'a seat was free', rule: 'default tier', policy: 'rules',
      });
      const event = (id: string) => ({ id, at: '2026-03-01T00:00:00.000Z', effect: { type: 'license.assigned' as const, userId: id, tier: 'pro' } });

      it('numbers ledger lines per tenant without gaps and reads them by user and after a sequence number', async () => {
        await commit(storage, 'tenant-a', { appendLedger: [line('u1', 'assigned'), line('u2', 'pending')] });
        await commit(storage, 'tenant-a', { appendLedger: [line('u1', 'released')] });
        await commit(storage, 'tenant-b', { appendLedger: [line('u9', 'assigned')] });
        const all = await storage.read('tenant-a', (r) => r.ledger({ limit: 10 }));
        expect(all.map((e) => [e.seq, e.userId, e.after?.status])).toEqual([[1, 'u1', 'assigned'], [2, 'u2', 'pending'], [3, 'u1', 'released']]);
        expect(all[0]).toEqual({ ...line('u1', 'assigned'), seq: 1 });
        expect((await storage.read('tenant-a', (r) => r.ledger({ userId: 'u1', limit: 10 }))).map((e) => e.seq)).toEqual([1, 3]);
        expect((await storage.read('tenant-a', (r) => r.ledger({ afterSeq: 1, limit: 1 }))).map((e) => e.seq)).toEqual([2]);
        expect((await storage.read('tenant-b', (r) => r.ledger({ limit: 10 }))).map((e) => [e.seq, e.userId])).toEqual([[1, 'u9']]);
      });

      it('hands out undelivered events in order and forgets them once delivered', async () => {
        await commit(storage, 'tenant-a', { appendEvents: [event('e1'), event('e2')] });
        await commit(storage, 'tenant-a', { appendEvents: [event('e3')] });
        const pending = await storage.read('tenant-a', (r) => r.undeliveredEvents(10));
        expect(pending.map((e) => [e.seq, e.id, e.tenantId])).toEqual([[1, 'e1', 'tenant-a'], [2, 'e2', 'tenant-a'], [3, 'e3', 'tenant-a']]);
        expect(pending[0]!.effect).toEqual(event('e1').effect);
        await commit(storage, 'tenant-a', { deliveredThrough: 2 });
        expect((await storage.read('tenant-a', (r) => r.undeliveredEvents(10))).map((e) => e.id)).toEqual(['e3']);
        // Delivery never moves back.
        await commit(storage, 'tenant-a', { deliveredThrough: 1 });
        expect((await storage.read('tenant-a', (r) => r.undeliveredEvents(10))).map((e) => e.id)).toEqual(['e3']);
        expect(await storage.read('tenant-b', (r) => r.undeliveredEvents(10))).toEqual([]);
      });
    });

    describe('unit of work', () => {
      it('applies nothing when the work throws after committing', async () => {
        await expect(storage.write('tenant-a', async (unit) => {
          await unit.commit({ putUsers: [people[0]!] });
          throw new Error('boom');
        })).rejects.toThrow('boom');
        expect(await storage.read('tenant-a', (r) => r.getUser('u1'))).toBeNull();
      });

      it('applies nothing when the work ends without committing', async () => {
        await storage.write('tenant-a', async (unit) => unit.getUser('u1'));
        expect((await storage.read('tenant-a', (r) => r.listUsers({ filter: null, sort: null, startIndex: 1, count: 10 }))).totalResults).toBe(0);
      });

      it('applies a change set all together', async () => {
        await commit(storage, 'tenant-a', {
          putUsers: [people[0]!, people[1]!],
          putGroups: [group('g1', 'Pro Users')],
          addMembers: [{ groupId: 'g1', userId: 'u1' }],
          putAssignments: [assignment('u1', 'pro', 'assigned')],
          licenseSeq: 4,
        });
        const seen = await storage.read('tenant-a', async (r) => ({
          users: (await r.listUsers({ filter: null, sort: null, startIndex: 1, count: 10 })).totalResults,
          members: (await r.groupMembers(['g1'])).get('g1')!.length,
          seq: await r.licenseSeq(),
          pro: (await r.seatCounts()).get('pro'),
        }));
        expect(seen).toEqual({ users: 2, members: 1, seq: 4, pro: { assigned: 1, pending: 0, releasing: 0 } });
      });

      it('serialises writers on one tenant, so read-then-write never loses an update', async () => {
        await commit(storage, 'tenant-a', { licenseSeq: 0 });
        await Promise.all(Array.from({ length: 20 }, () => storage.write('tenant-a', async (unit) => {
          const seq = await unit.licenseSeq();
          await new Promise((r) => setTimeout(r, 1));
          await unit.commit({ licenseSeq: seq + 1 });
        })));
        expect(await storage.read('tenant-a', (r) => r.licenseSeq())).toBe(20);
      });

      it('refuses a second commit in one unit', async () => {
        await expect(storage.write('tenant-a', async (unit) => {
          await unit.commit({ licenseSeq: 1 });
          await unit.commit({ licenseSeq: 2 });
        })).rejects.toThrow();
        expect(await storage.read('tenant-a', (r) => r.licenseSeq())).toBe(0);
      });
    });
  });
};
