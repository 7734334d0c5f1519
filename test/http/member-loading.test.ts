/**
 * Large groups stay cheap: reading groups without members, and changing one member, never asks the
 * storage for a group's member list.
 */
import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type StorageAdapter } from 'seatkit';
import { sqliteStorage } from 'seatkit/sqlite';
import type { TenantReader } from '../../src/ports/storage-adapter';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const q = encodeURIComponent;

// Counts member-list loads by wrapping every reader and unit of work the adapter hands out.
const countingMemberLoads = (storage: StorageAdapter) => {
  const loads: string[][] = [];
  const wrap = <R extends TenantReader>(reader: R): R => new Proxy(reader, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (key === 'groupMembers') return (ids: readonly string[]) => { loads.push([...ids]); return (value as TenantReader['groupMembers']).call(target, ids); };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const counted: StorageAdapter = {
    ...storage,
    findTenantByTokenHash: (h) => storage.findTenantByTokenHash(h),
    getTenant: (id) => storage.getTenant(id),
    putTenant: (t) => storage.putTenant(t),
    addToken: (id, h) => storage.addToken(id, h),
    revokeToken: (h) => storage.revokeToken(h),
    close: () => storage.close(),
    read: (tenantId, work) => storage.read(tenantId, (reader) => work(wrap(reader))),
    write: (tenantId, work) => storage.write(tenantId, (unit) => work(wrap(unit))),
  };
  return { storage: counted, loads };
};

describe.each([
  ['memory', async () => memoryStorage()],
  ['sqlite', () => sqliteStorage()],
] as const)('member lists on %s storage', (_, open) => {
  const setup = async () => {
    const { storage, loads } = countingMemberLoads(await open());
    const seatkit = createSeatkit({ storage, policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { group: 'Pro Users' }, tier: 'pro' }] }) });
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: null }, { key: 'pro', seats: 2 }] }, tokens: ['tok'] });
    const send = async (method: string, path: string, body?: unknown) => {
      const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
        method,
        headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }));
      return { status: response.status, body: (response.status === 204 ? null : await response.json()) as any };
    };
    const users = await Promise.all(['ada', 'bob', 'cy'].map(async (userName) => (await send('POST', '/Users', { userName })).body.id as string));
    const group = (await send('POST', '/Groups', { displayName: 'Pro Users', members: users.slice(0, 2).map((value) => ({ value })) })).body.id as string;
    loads.length = 0;
    return { send, loads, users, group };
  };

  it('lists and reads groups with excludedAttributes=members without loading members', async () => {
    const { send, loads, group } = await setup();
    const listed = await send('GET', '/Groups?excludedAttributes=members');
    const filtered = await send('GET', `/Groups?filter=${q('displayName eq "pro users"')}&excludedAttributes=members`);
    const byId = await send('GET', `/Groups/${group}?excludedAttributes=members`);
    expect([listed.body.totalResults, filtered.body.totalResults, byId.status]).toEqual([1, 1, 200]);
    expect(byId.body.members).toBeUndefined();
    expect(loads).toEqual([]);
  });

  it('adds and removes one member without loading the member list', async () => {
    const { send, loads, users, group } = await setup();
    const added = await send('PATCH', `/Groups/${group}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: users[2] }] }] });
    const removed = await send('PATCH', `/Groups/${group}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${users[0]}"]` }] });
    expect([added.status, removed.status]).toEqual([204, 204]);
    expect(loads).toEqual([]);
    const members = (await send('GET', `/Groups/${group}`)).body.members.map((m: { value: string }) => m.value);
    expect(members).toEqual([users[1], users[2]]);
    expect(loads).toEqual([[group]]);
  });
});
