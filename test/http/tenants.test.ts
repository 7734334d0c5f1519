import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createSeatkit, memoryStorage, type LicenseChange, type Seatkit } from 'seatkit';
import {
  GROUP_SCHEMA_URN,
  LICENSE,
  PATCH_OP,
  USER_SCHEMA_URN,
  lifecyclePolicy,
  lifecycleTenant,
  sendThrough,
  type Send,
} from '../support/lifecycle';

const BASE = 'http://localhost/scim/v2';
const TOKEN_A = 'token-tenant-a';
const TOKEN_B = 'token-tenant-b';

let seatkit: Seatkit;
let changes: LicenseChange[];
let errors: unknown[];
let asA: Send;
let asB: Send;

beforeEach(async () => {
  changes = [];
  errors = [];
  seatkit = createSeatkit({
    storage: memoryStorage(),
    policy: lifecyclePolicy,
    onLicenseChange: (change) => { changes.push(change); },
    onError: (error) => { errors.push(error); },
  });
  await seatkit.tenants.put(lifecycleTenant('tenant-a', TOKEN_A));
  await seatkit.tenants.put(lifecycleTenant('tenant-b', TOKEN_B));
  asA = sendThrough((r) => seatkit.handle(r), BASE, TOKEN_A);
  asB = sendThrough((r) => seatkit.handle(r), BASE, TOKEN_B);
  changes = [];
});

const user = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_SCHEMA_URN], userName, active: true, ...extra });
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

const create = async (send: Send, path: '/Users' | '/Groups', body: unknown): Promise<string> => {
  const response = await send('POST', path, body);
  expect(response.status).toBe(201);
  return response.body.id;
};

describe('tenants sharing one seatkit never see each other', () => {
  it('a user of tenant A is 404 to tenant B on GET, PUT, PATCH and DELETE, and stays intact', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    expect((await asB('GET', `/Users/${ada}`)).status).toBe(404);
    expect((await asB('PUT', `/Users/${ada}`, user('ada@acme.example', { displayName: 'Hijacked' }))).status).toBe(404);
    expect((await asB('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'active', value: false }))).status).toBe(404);
    expect((await asB('DELETE', `/Users/${ada}`)).status).toBe(404);

    const still = await asA('GET', `/Users/${ada}`);
    expect(still.status).toBe(200);
    expect(still.body.active).toBe(true);
    expect(still.body.displayName).toBeUndefined();
    expect(still.body[LICENSE]).toEqual({ tier: 'standard', status: 'assigned' });
  });

  it('a group of tenant A is 404 to tenant B on GET, PUT, PATCH and DELETE', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    const team = await create(asA, '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Team', members: [{ value: ada }] });
    expect((await asB('GET', `/Groups/${team}`)).status).toBe(404);
    expect((await asB('PUT', `/Groups/${team}`, { schemas: [GROUP_SCHEMA_URN], displayName: 'Mine' })).status).toBe(404);
    expect((await asB('PATCH', `/Groups/${team}`, patch({ op: 'remove', path: 'members' }))).status).toBe(404);
    expect((await asB('DELETE', `/Groups/${team}`)).status).toBe(404);
    const still = await asA('GET', `/Groups/${team}`);
    expect(still.body.displayName).toBe('Team');
    expect(still.body.members.map((m: { value: string }) => m.value)).toEqual([ada]);
  });

  it('tenant B\'s lists and filters are empty while tenant A has users and groups', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example', { externalId: 'ext-ada' }));
    await create(asA, '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Pro Users', members: [{ value: ada }] });
    for (const path of [
      '/Users',
      '/Groups',
      `/Users?filter=${encodeURIComponent('userName eq "ada@acme.example"')}`,
      `/Users?filter=${encodeURIComponent('externalId eq "ext-ada"')}`,
      `/Users?filter=${encodeURIComponent(`id eq "${ada}"`)}`,
      `/Groups?filter=${encodeURIComponent('displayName eq "Pro Users"')}`,
    ]) {
      const response = await asB('GET', path);
      expect(response.status, path).toBe(200);
      expect(response.body.totalResults, path).toBe(0);
      expect(response.body.Resources ?? [], path).toEqual([]);
    }
    expect((await asA('GET', '/Users')).body.totalResults).toBe(1);
  });

  it('userName is unique per tenant: both tenants can hold the same userName', async () => {
    const inA = await create(asA, '/Users', user('same@example.com'));
    const inB = await create(asB, '/Users', user('SAME@example.com'));
    expect(inB).not.toBe(inA);
    expect((await asA('POST', '/Users', user('Same@Example.com'))).status).toBe(409);
    expect((await asB('POST', '/Users', user('same@example.com'))).status).toBe(409);
    const filter = `/Users?filter=${encodeURIComponent('userName eq "same@example.com"')}`;
    expect((await asA('GET', filter)).body.Resources.map((u: { id: string }) => u.id)).toEqual([inA]);
    expect((await asB('GET', filter)).body.Resources.map((u: { id: string }) => u.id)).toEqual([inB]);
  });

  it('tenant B cannot put tenant A\'s user into its own group', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    const response = await asB('POST', '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Pro Users', members: [{ value: ada }] });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidValue');
    expect(await seatkit.getLicense('tenant-a', ada)).toMatchObject({ tier: 'standard', status: 'assigned' });
    expect((await asB('GET', '/Groups')).body.totalResults).toBe(0);
  });

  it('usage() and getLicense() answer for one tenant only', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    const ben = await create(asA, '/Users', user('ben@acme.example'));
    const cleo = await create(asB, '/Users', user('cleo@beta.example', { roles: [{ value: 'pro' }] }));

    expect(await seatkit.usage('tenant-a')).toEqual([
      { tier: 'standard', limit: 1, assigned: 1, pending: 1, available: 0, releasing: 0, over: 0, billable: true, features: [] },
      { tier: 'pro', limit: 1, assigned: 0, pending: 0, available: 1, releasing: 0, over: 0, billable: true, features: [] },
    ]);
    expect(await seatkit.usage('tenant-b')).toEqual([
      { tier: 'standard', limit: 1, assigned: 0, pending: 0, available: 1, releasing: 0, over: 0, billable: true, features: [] },
      { tier: 'pro', limit: 1, assigned: 1, pending: 0, available: 0, releasing: 0, over: 0, billable: true, features: [] },
    ]);
    expect(await seatkit.getLicense('tenant-a', ada)).toMatchObject({ tier: 'standard', status: 'assigned' });
    expect(await seatkit.getLicense('tenant-a', ben)).toMatchObject({ tier: 'standard', status: 'pending' });
    expect(await seatkit.getLicense('tenant-b', cleo)).toMatchObject({ tier: 'pro', status: 'assigned' });
    expect(await seatkit.getLicense('tenant-b', ada)).toBeNull();
    expect(await seatkit.getLicense('tenant-a', cleo)).toBeNull();
    const license = await seatkit.getLicense('tenant-a', ada);
    expect(Number.isNaN(Date.parse(license!.since))).toBe(false);
  });

  it('a token works for its own tenant only, and tenants.get returns the stored tenant', async () => {
    expect(await seatkit.tenants.get('tenant-a')).toMatchObject({ id: 'tenant-a', contract: { tiers: [{ key: 'standard', seats: 1 }, { key: 'pro', seats: 1 }] } });
    expect(await seatkit.tenants.get('no-such-tenant')).toBeNull();
    await seatkit.tenants.addToken('tenant-b', 'token-tenant-b-2');
    const asB2 = sendThrough((r) => seatkit.handle(r), BASE, 'token-tenant-b-2');
    const cleo = await create(asB2, '/Users', user('cleo@beta.example'));
    expect((await asB('GET', `/Users/${cleo}`)).status).toBe(200);
    expect((await asA('GET', `/Users/${cleo}`)).status).toBe(404);
  });
});

describe('concurrent pushes', () => {
  it('racing creates in two tenants: each tenant gives out exactly its own seat and queues the rest', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      (i % 2 === 0 ? asA : asB)('POST', '/Users', user(`racer-${i}@example.com`))));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
    for (const [tenant, send] of [['tenant-a', asA], ['tenant-b', asB]] as const) {
      expect((await seatkit.usage(tenant))[0]).toEqual({ tier: 'standard', limit: 1, assigned: 1, pending: 3, available: 0, releasing: 0, over: 0, billable: true, features: [] });
      const listed = await send('GET', '/Users');
      expect(listed.body.totalResults).toBe(4);
      const statuses = listed.body.Resources.map((u: Record<string, { status: string }>) => u[LICENSE]!.status).sort();
      expect(statuses).toEqual(['assigned', 'pending', 'pending', 'pending']);
    }
  });

  it('racing creates of one userName in a tenant: exactly one succeeds, the others are 409', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      asA('POST', '/Users', user(i % 2 === 0 ? 'twin@example.com' : 'TWIN@example.com'))));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(4);
    expect((await asA('GET', '/Users')).body.totalResults).toBe(1);
  });
});

describe('contracts and seats', () => {
  it('raising a tenant\'s seats with tenants.put promotes its pending users at once, oldest first', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    const ben = await create(asA, '/Users', user('ben@acme.example'));
    const cleo = await create(asA, '/Users', user('cleo@acme.example'));
    const dan = await create(asB, '/Users', user('dan@beta.example'));
    const eve = await create(asB, '/Users', user('eve@beta.example'));
    expect(await seatkit.getLicense('tenant-a', ben)).toMatchObject({ status: 'pending' });
    expect(await seatkit.getLicense('tenant-a', cleo)).toMatchObject({ status: 'pending' });
    changes = [];

    await seatkit.tenants.put({ id: 'tenant-a', contract: { tiers: [{ key: 'standard', seats: 2 }, { key: 'pro', seats: 1 }] } });

    expect(await seatkit.getLicense('tenant-a', ada)).toMatchObject({ tier: 'standard', status: 'assigned' });
    expect(await seatkit.getLicense('tenant-a', ben)).toMatchObject({ tier: 'standard', status: 'assigned' });
    expect(await seatkit.getLicense('tenant-a', cleo)).toMatchObject({ tier: 'standard', status: 'pending' });
    expect((await asA('GET', `/Users/${ben}`)).body[LICENSE]).toEqual({ tier: 'standard', status: 'assigned' });
    expect(changes).toEqual([{ tenantId: 'tenant-a', effects: [
      { type: 'license.assigned', userId: ben, tier: 'standard' },
      { type: 'seats.limit_reached', tier: 'standard', seats: 2 },
    ] }]);
    // The old token still works: put without tokens keeps them.
    expect((await asA('GET', '/Users')).status).toBe(200);
    // The other tenant is untouched.
    expect(await seatkit.getLicense('tenant-b', dan)).toMatchObject({ status: 'assigned' });
    expect(await seatkit.getLicense('tenant-b', eve)).toMatchObject({ status: 'pending' });
  });

  it('a seat cut never evicts a holder; freed seats go to the queue only while there is room', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    await seatkit.tenants.put({ id: 'tenant-a', contract: { tiers: [{ key: 'standard', seats: 0 }, { key: 'pro', seats: 1 }] } });
    expect(await seatkit.getLicense('tenant-a', ada)).toMatchObject({ status: 'assigned' });
    const ben = await create(asA, '/Users', user('ben@acme.example'));
    expect(await seatkit.getLicense('tenant-a', ben)).toMatchObject({ status: 'pending' });
    expect((await asA('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
    expect(await seatkit.getLicense('tenant-a', ben)).toMatchObject({ status: 'pending' });
  });
});

describe('onLicenseChange', () => {
  it('receives typed assigned, pending, tier_changed and released effects with the tenantId', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    expect(changes).toEqual([{ tenantId: 'tenant-a', effects: [
      { type: 'license.assigned', userId: ada, tier: 'standard' },
      { type: 'seats.limit_reached', tier: 'standard', seats: 1 },
    ] }]);

    changes = [];
    const ben = await create(asA, '/Users', user('ben@acme.example'));
    expect(changes).toEqual([{ tenantId: 'tenant-a', effects: [{ type: 'license.pending', userId: ben, tier: 'standard' }] }]);

    changes = [];
    expect((await asA('PATCH', `/Users/${ben}`, patch({ op: 'add', path: 'roles', value: [{ value: 'pro' }] }))).status).toBe(200);
    expect(changes).toEqual([{
      tenantId: 'tenant-a',
      effects: [
        { type: 'license.tier_changed', userId: ben, from: 'standard', to: 'pro' },
        { type: 'license.assigned', userId: ben, tier: 'pro' },
        { type: 'seats.limit_reached', tier: 'pro', seats: 1 },
      ],
    }]);

    changes = [];
    expect((await asA('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
    expect(changes).toEqual([{ tenantId: 'tenant-a', effects: [{ type: 'license.released', userId: ada, tier: 'standard' }] }]);

    changes = [];
    const cleo = await create(asB, '/Users', user('cleo@beta.example'));
    expect(changes).toEqual([{ tenantId: 'tenant-b', effects: [
      { type: 'license.assigned', userId: cleo, tier: 'standard' },
      { type: 'seats.limit_reached', tier: 'standard', seats: 1 },
    ] }]);
  });

  it('a group change that moves members between tiers reports each member\'s effects', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    const ben = await create(asA, '/Users', user('ben@acme.example'));
    changes = [];
    const pro = await create(asA, '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Pro Users', members: [{ value: ada }] });
    // ada leaves standard for pro; ben, first in the standard queue, takes ada's seat.
    expect(changes).toHaveLength(1);
    expect(changes[0]!.tenantId).toBe('tenant-a');
    expect(changes[0]!.effects).toEqual(expect.arrayContaining([
      { type: 'license.tier_changed', userId: ada, from: 'standard', to: 'pro' },
      { type: 'license.assigned', userId: ada, tier: 'pro' },
      { type: 'license.assigned', userId: ben, tier: 'standard' },
      { type: 'seats.limit_reached', tier: 'pro', seats: 1 },
    ]));
    expect(changes[0]!.effects).toHaveLength(4);

    changes = [];
    expect((await asA('DELETE', `/Groups/${pro}`)).status).toBe(204);
    expect(changes).toEqual([{
      tenantId: 'tenant-a',
      effects: [
        { type: 'license.tier_changed', userId: ada, from: 'pro', to: 'standard' },
        { type: 'license.pending', userId: ada, tier: 'standard' },
      ],
    }]);
  });

  it('is called after the change is committed: the hook already reads the new licenses', async () => {
    const seen: unknown[] = [];
    const hooked: Seatkit = createSeatkit({
      storage: memoryStorage(),
      policy: lifecyclePolicy,
      onLicenseChange: async ({ tenantId, effects }) => {
        for (const effect of effects) {
          if (!('userId' in effect)) continue;
          const license = await hooked.getLicense(tenantId, effect.userId);
          seen.push({ type: effect.type, status: license?.status ?? null, usage: await hooked.usage(tenantId) });
        }
      },
    });
    await hooked.tenants.put(lifecycleTenant('tenant-h', 'token-h'));
    const send = sendThrough((r) => hooked.handle(r), BASE, 'token-h');
    const ada = await create(send, '/Users', user('ada@acme.example'));
    expect((await send('DELETE', `/Users/${ada}`)).status).toBe(204);
    expect(seen).toEqual([
      { type: 'license.assigned', status: 'assigned', usage: [expect.objectContaining({ tier: 'standard', assigned: 1 }), expect.anything()] },
      { type: 'license.released', status: null, usage: [expect.objectContaining({ tier: 'standard', assigned: 0 }), expect.anything()] },
    ]);
  });

  it('is not called for a write that changes no license, nor for a failed request', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    changes = [];
    expect((await asA('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'displayName', value: 'Ada' }))).status).toBe(200);
    expect((await asA('POST', '/Users', user('ADA@acme.example'))).status).toBe(409);
    expect((await asA('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'nope', value: 1 }))).status).toBe(400);
    expect(changes).toEqual([]);
  });

  it('a hook that throws does not fail the SCIM request; the error goes to onError', async () => {
    const onError = vi.fn();
    const boom = new Error('billing is down');
    const failing = createSeatkit({
      storage: memoryStorage(),
      policy: lifecyclePolicy,
      onLicenseChange: () => { throw boom; },
      onError,
    });
    await failing.tenants.put(lifecycleTenant('tenant-f', 'token-f'));
    const send = sendThrough((r) => failing.handle(r), BASE, 'token-f');

    const created = await send('POST', '/Users', user('ada@acme.example'));
    expect(created.status).toBe(201);
    expect(created.body[LICENSE]).toEqual({ tier: 'standard', status: 'assigned' });
    expect(onError).toHaveBeenCalledWith(boom);
    expect((await send('GET', `/Users/${created.body.id}`)).status).toBe(200);
    expect(await failing.getLicense('tenant-f', created.body.id)).toMatchObject({ status: 'assigned' });
  });

  it('a hook that rejects asynchronously does not fail the SCIM request either', async () => {
    const onError = vi.fn();
    const failing = createSeatkit({
      storage: memoryStorage(),
      policy: lifecyclePolicy,
      onLicenseChange: async () => { throw new Error('webhook timed out'); },
      onError,
    });
    await failing.tenants.put(lifecycleTenant('tenant-f', 'token-f'));
    const send = sendThrough((r) => failing.handle(r), BASE, 'token-f');
    const created = await send('POST', '/Users', user('ada@acme.example'));
    expect(created.status).toBe(201);
    expect((await send('DELETE', `/Users/${created.body.id}`)).status).toBe(204);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'webhook timed out' }));
  });
});

describe('password', () => {
  it('is accepted and never returned by POST, GET, list, PUT or PATCH', async () => {
    const created = await asA('POST', '/Users', user('ada@acme.example', { password: 'correct-horse-battery' }));
    expect(created.status).toBe(201);
    expect(created.body.password).toBeUndefined();
    const id = created.body.id;

    const got = await asA('GET', `/Users/${id}`);
    expect(got.body.password).toBeUndefined();

    const asked = await asA('GET', `/Users/${id}?attributes=password,userName`);
    expect(asked.status).toBe(200);
    expect(asked.body.password).toBeUndefined();

    const list = await asA('GET', '/Users');
    expect(list.body.Resources[0].password).toBeUndefined();

    const replaced = await asA('PUT', `/Users/${id}`, user('ada@acme.example', { password: 'another-secret', displayName: 'Ada' }));
    expect(replaced.status).toBe(200);
    expect(replaced.body.password).toBeUndefined();
    expect(replaced.body.displayName).toBe('Ada');

    const patched = await asA('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'password', value: 'third-secret' }));
    expect(patched.status).toBe(200);
    expect(patched.body.password).toBeUndefined();

    for (const response of [created, got, asked, list, replaced, patched]) {
      expect(JSON.stringify(response.body)).not.toMatch(/correct-horse-battery|another-secret|third-secret/);
    }
  });
});

describe('groups on a User', () => {
  it('are derived from group memberships and cannot be written through the User', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example', { groups: [{ value: 'made-up-group' }] }));
    expect((await asA('GET', `/Users/${ada}`)).body.groups).toBeUndefined();

    const team = await create(asA, '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Team', members: [{ value: ada }] });
    const member = await asA('GET', `/Users/${ada}`);
    expect(member.body.groups).toEqual([expect.objectContaining({ value: team, display: 'Team' })]);
    expect(member.body.groups[0].$ref).toBe(`${BASE}/Groups/${team}`);

    // PUT with groups: [] (as Okta sends) leaves the memberships alone.
    const put = await asA('PUT', `/Users/${ada}`, user('ada@acme.example', { groups: [] }));
    expect(put.status).toBe(200);
    expect(put.body.groups).toEqual([expect.objectContaining({ value: team })]);

    // PATCH on groups is refused; a path-less PATCH ignores the key.
    const refused = await asA('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'groups', value: [] }));
    expect(refused.status).toBe(400);
    expect(refused.body.scimType).toBe('mutability');
    const ignored = await asA('PATCH', `/Users/${ada}`, patch({ op: 'replace', value: { groups: [], displayName: 'Ada' } }));
    expect(ignored.status).toBe(200);
    expect(ignored.body.displayName).toBe('Ada');
    expect(ignored.body.groups).toEqual([expect.objectContaining({ value: team })]);

    // Renaming the group renames it on the user; removing the member removes it.
    expect((await asA('PATCH', `/Groups/${team}`, patch({ op: 'replace', path: 'displayName', value: 'Core Team' }))).status).toBeLessThan(300);
    expect((await asA('GET', `/Users/${ada}`)).body.groups).toEqual([expect.objectContaining({ value: team, display: 'Core Team' })]);
    expect((await asA('PATCH', `/Groups/${team}`, patch({ op: 'remove', path: 'members', value: [{ value: ada }] }))).status).toBeLessThan(300);
    expect((await asA('GET', `/Users/${ada}`)).body.groups).toBeUndefined();
  });

  it('can be filtered on: groups.value finds the members of a group', async () => {
    const ada = await create(asA, '/Users', user('ada@acme.example'));
    await create(asA, '/Users', user('ben@acme.example'));
    const team = await create(asA, '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Team', members: [{ value: ada }] });
    const found = await asA('GET', `/Users?filter=${encodeURIComponent(`groups.value eq "${team}"`)}`);
    expect(found.status).toBe(200);
    expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([ada]);
  });
});

describe('tenant set-up mistakes', () => {
  it('refuses an empty or missing token, as an unset environment variable gives', async () => {
    const { createSeatkit, memoryStorage, rulePolicy } = await import('seatkit');
    const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 's' }) });
    const contract = { tiers: [{ key: 's', seats: 1 }] };
    await expect(seatkit.tenants.put({ id: 'a', contract, tokens: [undefined as unknown as string] })).rejects.toThrow(/non-empty string/);
    await expect(seatkit.tenants.put({ id: 'a', contract, tokens: ['  '] })).rejects.toThrow(/non-empty string/);
  });
});
