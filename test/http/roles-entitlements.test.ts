import { beforeEach, describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type Contract, type Seatkit } from 'seatkit';
import { ERROR_SCHEMA_URN, LIST_RESPONSE, PATCH_OP, USER_SCHEMA_URN, expectScimJson, sendThrough, type Send } from '../support/lifecycle';

const ROLE = 'urn:ietf:params:scim:schemas:core:2.0:Role';
const ENTITLEMENT = 'urn:ietf:params:scim:schemas:core:2.0:Entitlement';
const BASE = 'http://localhost/scim/v2';
const TOKEN = 'acme-token';

// standard: 3 seats; pro: 2 seats, 5 from 1 February; viewer: no limit, free. A deactivated pro user
// keeps its seat for 24 hours (a reclaim hold), which still counts as used.
const contract: Contract = {
  tiers: [
    { key: 'standard', seats: 3, features: ['sso'] },
    { key: 'pro', seats: 2, features: ['sso', 'audit-log'], reclaim: { mode: 'delay', hours: 24 }, seatChanges: [{ from: '2027-02-01T00:00:00Z', seats: 5 }] },
    { key: 'viewer', seats: null, features: ['read-only'], billable: false },
  ],
};

let now: Date;
let seatkit: Seatkit;
let send: Send;

const createUser = async (userName: string, role?: string, active = true) => {
  const response = await send('POST', '/Users', {
    schemas: [USER_SCHEMA_URN], userName, active, ...(role ? { roles: [{ value: role }] } : {}),
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
};

beforeEach(async () => {
  now = new Date('2027-01-10T09:00:00Z');
  seatkit = createSeatkit({
    storage: memoryStorage(),
    policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { role: 'pro' }, tier: 'pro' }, { when: { role: 'viewer' }, tier: 'viewer' }] }),
    clock: () => now,
  });
  await seatkit.tenants.put({ id: 'acme', contract, tokens: [TOKEN] });
  await seatkit.tenants.put({ id: 'globex', contract: { tiers: [{ key: 'basic', seats: 7 }] }, tokens: ['globex-token'] });
  send = sendThrough((r) => seatkit.handle(r), BASE, TOKEN);
});

/** Provisions: standard 2 held; pro 2 held + 1 pending, then one pro holder deactivated (held during the hold); viewer 1. */
const provision = async () => {
  await createUser('s1@acme.example');
  await createUser('s2@acme.example');
  const p1 = await createUser('p1@acme.example', 'pro');
  await createUser('p2@acme.example', 'pro');
  await createUser('p3@acme.example', 'pro');
  await createUser('v1@acme.example', 'viewer');
  const deactivated = await send('PATCH', `/Users/${p1}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
  expect(deactivated.status).toBe(200);
};

const byValue = (resources: { value: string }[]) => Object.fromEntries(resources.map((r) => [r.value, r]));

describe('GET /Roles: one Role per tier of the contract', () => {
  it('lists every tier with the seats in force and the seats held, releasing ones included', async () => {
    await provision();
    const response = await send('GET', '/Roles');
    expect(response.status).toBe(200);
    expectScimJson(response);
    expect(response.body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 3, startIndex: 1, itemsPerPage: 3 });
    expect(response.body.Resources.map((r: { value: string }) => r.value)).toEqual(['standard', 'pro', 'viewer']);
    const roles = byValue(response.body.Resources);
    expect(roles.standard).toEqual({
      schemas: [ROLE], id: 'standard', value: 'standard', display: 'standard', type: 'License', supported: true,
      limitedAssignmentsPermitted: true, totalAssignmentsPermitted: 3, totalAssignmentsUsed: 2,
      meta: { resourceType: 'Role', location: `${BASE}/Roles/standard`, version: 'W/"3-2"' },
    });
    // p1 is releasing, p2 assigned, p3 pending: two seats held of two.
    expect(roles.pro).toMatchObject({ totalAssignmentsPermitted: 2, totalAssignmentsUsed: 2 });
  });

  it('shows an unlimited tier as not limited, without totalAssignmentsPermitted', async () => {
    await provision();
    const viewer = (await send('GET', '/Roles/viewer')).body;
    expect(viewer).toMatchObject({ id: 'viewer', limitedAssignmentsPermitted: false, totalAssignmentsUsed: 1 });
    expect(viewer).not.toHaveProperty('totalAssignmentsPermitted');
  });

  it('follows dated seat changes and the end of a reclaim hold as the clock moves', async () => {
    await provision();
    now = new Date('2027-02-01T00:00:00Z');
    await seatkit.licenses.advance('acme');
    // The hold ended, p3 took the freed seat, and the contract now provides 5.
    expect((await send('GET', '/Roles/pro')).body).toMatchObject({ totalAssignmentsPermitted: 5, totalAssignmentsUsed: 2 });
  });

  it('GET /Roles/{id} returns one tier; an unknown tier or another case is 404', async () => {
    const pro = await send('GET', '/Roles/pro');
    expect(pro.status).toBe(200);
    expectScimJson(pro);
    expect(pro.body).toMatchObject({ schemas: [ROLE], id: 'pro', totalAssignmentsPermitted: 2, totalAssignmentsUsed: 0 });
    expect(pro.body.Resources).toBeUndefined();
    for (const id of ['enterprise', 'PRO']) {
      const missing = await send('GET', `/Roles/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.body.schemas).toEqual([ERROR_SCHEMA_URN]);
    }
  });

  it('gives a Role a version and ETag that move with its numbers, and answers 304 while they stay', async () => {
    const get = () => seatkit.handle(new Request(`${BASE}/Roles/pro`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    const first = await get();
    const etag = first.headers.get('etag');
    expect(etag).toBe((await first.json() as { meta: { version: string } }).meta.version);
    const again = await seatkit.handle(new Request(`${BASE}/Roles/pro`, { headers: { authorization: `Bearer ${TOKEN}`, 'if-none-match': etag! } }));
    expect(again.status).toBe(304);
    await createUser('ada', 'pro');
    expect((await get()).headers.get('etag')).not.toBe(etag);
  });

  it('a tier key with characters that need escaping round-trips through meta.location', async () => {
    await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'pro plus/eu', seats: 1 }] }, tokens: [TOKEN] });
    const [role] = (await send('GET', '/Roles')).body.Resources;
    expect(role.meta.location).toBe(`${BASE}/Roles/pro%20plus%2Feu`);
    const again = await sendThrough((r) => seatkit.handle(r, { basePath: '/scim/v2' }), BASE, TOKEN)('GET', '/Roles/pro%20plus%2Feu');
    expect(again.body.id).toBe('pro plus/eu');
  });

  it('says a Role is not supported once the contract has expired and admits nobody new', async () => {
    await seatkit.tenants.put({ id: 'acme', contract: { ...contract, term: { start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z' } }, tokens: [TOKEN] });
    expect((await send('GET', '/Roles/standard')).body.supported).toBe(false);
    await seatkit.tenants.put({ id: 'acme', contract: { ...contract, term: { start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z' }, onExpiry: 'maintain' }, tokens: [TOKEN] });
    expect((await send('GET', '/Roles/standard')).body.supported).toBe(true);
  });
});

describe('GET /Entitlements: one Entitlement per feature the tiers carry', () => {
  it('adds up the seats of every tier carrying a feature, and the seats they hold', async () => {
    await provision();
    const response = await send('GET', '/Entitlements');
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(3);
    const features = byValue(response.body.Resources);
    expect(Object.keys(features)).toEqual(['sso', 'audit-log', 'read-only']);
    expect(features.sso).toEqual({
      schemas: [ENTITLEMENT], id: 'sso', value: 'sso', display: 'sso', type: 'Feature', supported: true,
      limitedAssignmentsPermitted: true, totalAssignmentsPermitted: 5, totalAssignmentsUsed: 4,
      meta: { resourceType: 'Entitlement', location: `${BASE}/Entitlements/sso`, version: 'W/"5-4"' },
    });
    expect(features['audit-log']).toMatchObject({ totalAssignmentsPermitted: 2, totalAssignmentsUsed: 2 });
    expect(features['read-only']).toMatchObject({ limitedAssignmentsPermitted: false, totalAssignmentsUsed: 1 });
    expect(features['read-only']).not.toHaveProperty('totalAssignmentsPermitted');
  });

  it('a feature carried by an unlimited tier is unlimited', async () => {
    await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'a', seats: 4, features: ['x'] }, { key: 'b', seats: null, features: ['x'] }] }, tokens: [TOKEN] });
    const x = (await send('GET', '/Entitlements/x')).body;
    expect(x.limitedAssignmentsPermitted).toBe(false);
    expect(x).not.toHaveProperty('totalAssignmentsPermitted');
  });

  it('a contract without features has no Entitlements; an unknown one is 404', async () => {
    await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'a', seats: 4 }] }, tokens: [TOKEN] });
    expect((await send('GET', '/Entitlements')).body).toMatchObject({ totalResults: 0, Resources: [] });
    expect((await send('GET', '/Entitlements/sso')).status).toBe(404);
  });
});

describe('list parameters on /Roles and /Entitlements', () => {
  const q = (text: string) => encodeURIComponent(text);

  it('filters on value and display with eq, ignoring case as the draft schema says, and with other operators', async () => {
    const eq = (await send('GET', `/Roles?filter=${q('value eq "PRO"')}`)).body;
    expect(eq.totalResults).toBe(1);
    expect(eq.Resources[0].id).toBe('pro');
    const display = (await send('GET', `/Entitlements?filter=${q('display eq "audit-log"')}`)).body;
    expect(display.Resources.map((r: { id: string }) => r.id)).toEqual(['audit-log']);
    const limited = (await send('GET', `/Roles?filter=${q('limitedAssignmentsPermitted eq true and totalAssignmentsPermitted gt 2')}`)).body;
    expect(limited.Resources.map((r: { id: string }) => r.id)).toEqual(['standard']);
    const none = (await send('GET', `/Roles?filter=${q('value eq "enterprise"')}`)).body;
    expect(none).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('refuses a filter on an unknown attribute or with bad syntax with 400 invalidFilter', async () => {
    for (const filter of ['userName eq "x"', 'value eq', 'value[type eq "x"]']) {
      const response = await send('GET', `/Roles?filter=${q(filter)}`);
      expect(response.status, filter).toBe(400);
      expect(response.body.scimType, filter).toBe('invalidFilter');
    }
  });

  it('pages with startIndex and count, and reports totalResults of the whole match', async () => {
    const page = (await send('GET', '/Roles?startIndex=2&count=1')).body;
    expect(page).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(page.Resources.map((r: { id: string }) => r.id)).toEqual(['pro']);
    expect((await send('GET', '/Roles?count=0')).body).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
    expect((await send('GET', '/Roles?startIndex=9')).body).toMatchObject({ totalResults: 3, Resources: [] });
  });

  it('sorts with sortBy and projects with attributes and excludedAttributes', async () => {
    const sorted = (await send('GET', '/Roles?sortBy=value&sortOrder=descending&attributes=totalAssignmentsUsed')).body;
    expect(sorted.Resources).toEqual([
      { schemas: [ROLE], id: 'viewer', totalAssignmentsUsed: 0 },
      { schemas: [ROLE], id: 'standard', totalAssignmentsUsed: 0 },
      { schemas: [ROLE], id: 'pro', totalAssignmentsUsed: 0 },
    ]);
    const one = (await send('GET', '/Roles/pro?excludedAttributes=meta,display,type')).body;
    expect(one).not.toHaveProperty('display');
    expect(one).not.toHaveProperty('meta');
    expect(one).toHaveProperty('totalAssignmentsUsed');
  });

  it('answers POST /Roles/.search and POST /Entitlements/.search like GET', async () => {
    const response = await send('POST', '/Roles/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'value eq "standard"' });
    expect(response.status).toBe(200);
    expect(response.body.Resources.map((r: { id: string }) => r.id)).toEqual(['standard']);
    const features = await send('POST', '/Entitlements/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], count: 1 });
    expect(features.body).toMatchObject({ totalResults: 3, itemsPerPage: 1 });
  });
});

describe('/Roles and /Entitlements are read-only and per tenant', () => {
  it('answers every write with 405 and an Allow header', async () => {
    for (const endpoint of ['/Roles', '/Entitlements']) {
      const post = await send('POST', endpoint, { value: 'x' });
      expect(post.status, `POST ${endpoint}`).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      expect(post.body.schemas).toEqual([ERROR_SCHEMA_URN]);
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        const write = await send(method, `${endpoint}/sso`, method === 'DELETE' ? undefined : { value: 'x' });
        expect(write.status, `${method} ${endpoint}/sso`).toBe(405);
        expect(write.headers.get('allow')).toBe('GET, HEAD');
      }
    }
  });

  it('refuses a missing or unknown token with 401', async () => {
    for (const token of [null, 'nobody']) {
      const response = await sendThrough((r) => seatkit.handle(r), BASE, token)('GET', '/Roles');
      expect(response.status).toBe(401);
    }
  });

  it('shows each tenant its own contract and its own counts', async () => {
    await provision();
    const globex = sendThrough((r) => seatkit.handle(r), BASE, 'globex-token');
    const roles = (await globex('GET', '/Roles')).body;
    expect(roles.Resources).toEqual([expect.objectContaining({ id: 'basic', totalAssignmentsPermitted: 7, totalAssignmentsUsed: 0 })]);
    expect((await globex('GET', '/Roles/pro')).status).toBe(404);
    expect((await globex('GET', '/Entitlements')).body.totalResults).toBe(0);
  });

  it('a bulk operation on /Roles fails on its own (bulk serves /Users and /Groups only) and leaves the rest alone', async () => {
    const response = await send('POST', '/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', path: '/Roles', bulkId: 'r', data: { value: 'x' } },
        { method: 'POST', path: '/Users', bulkId: 'u', data: { schemas: [USER_SCHEMA_URN], userName: 'bulk@acme.example' } },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.Operations.map((o: { status: string }) => o.status)).toEqual(['400', '201']);
  });
});
