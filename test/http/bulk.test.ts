import { describe, expect, it } from 'vitest';
import { attr, createSeatkit, memoryStorage, rulePolicy, type SchemaDefinition } from 'seatkit';
import { sendThrough } from '../support/lifecycle';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';

const setup = async (limits = {}) => {
  const seatkit = createSeatkit({
    storage: memoryStorage(),
    policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { group: 'Pro Users' }, tier: 'pro' }] }),
    limits,
  });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 5 }, { key: 'pro', seats: 5 }] }, tokens: ['tok'] });
  return async (method: string, path: string, body?: unknown) => {
    const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method,
      headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }));
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as any };
  };
};

describe('POST /Bulk (RFC 7644 §3.7)', () => {
  it('runs operations in order and resolves bulkId references, even to later operations', async () => {
    const send = await setup();
    const r = await send('POST', '/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'Pro Users', members: [{ value: 'bulkId:ada' }] } },
        { method: 'POST', path: '/Users', bulkId: 'ada', data: { userName: 'ada' } },
        { method: 'PATCH', path: '/Users/bulkId:ada', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Boss' }] } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201', '200']);
    expect(r.body.Operations[1].location).toMatch(/\/Users\/[\w-]+$/);
    const ada = await send('GET', r.body.Operations[1].location.replace('http://localhost/scim/v2', ''));
    expect(ada.body.title).toBe('Boss');
    expect(ada.body[LICENSE]).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('reports each failed operation with its SCIM error and goes on, until failOnErrors is reached', async () => {
    const send = await setup();
    const r = await send('POST', '/Bulk', {
      schemas: [BULK],
      failOnErrors: 2,
      Operations: [
        { method: 'POST', path: '/Users', data: { userName: 'ada' } },
        { method: 'POST', path: '/Users', data: { userName: 'ADA' } },
        { method: 'POST', path: '/Users', data: { userName: 'ben' } },
        { method: 'DELETE', path: '/Users/nope' },
        { method: 'POST', path: '/Users', data: { userName: 'cy' } },
      ],
    });
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '409', '201', '404']);
    expect(r.body.Operations[1].response.scimType).toBe('uniqueness');
    expect((await send('GET', '/Users')).body.totalResults).toBe(2);
  });

  it('fails an operation whose reference never resolves', async () => {
    const send = await setup();
    const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: [{ method: 'PATCH', path: '/Users/bulkId:missing', data: {} }] });
    expect(r.body.Operations[0].status).toBe('400');
  });

  it('advertises and enforces maxOperations and maxPayloadSize with 413', async () => {
    const send = await setup({ maxOperations: 2, maxPayloadSize: 2000 });
    const config = await send('GET', '/ServiceProviderConfig');
    expect(config.body.bulk).toEqual({ supported: true, maxOperations: 2, maxPayloadSize: 2000 });
    const three = Array.from({ length: 3 }, (_, i) => ({ method: 'POST', path: '/Users', data: { userName: `u${i}` } }));
    expect((await send('POST', '/Bulk', { schemas: [BULK], Operations: three })).status).toBe(413);
    expect((await send('POST', '/Bulk', { schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', data: { userName: 'x'.repeat(3000) } }] })).status).toBe(413);
    expect((await send('GET', '/Users')).body.totalResults).toBe(0);
  });

  it('refuses a body that is not a BulkRequest', async () => {
    const send = await setup();
    const r = await send('POST', '/Bulk', { Operations: [] });
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidValue');
  });
});

describe('bulk requests that try to misbehave', () => {
  const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

  it("checks each operation's own version, not the bulk request's If-Match", async () => {
    const send = await setup();
    const ada = await send('POST', '/Users', { userName: 'ada' });
    await send('PUT', `/Users/${ada.body.id}`, { userName: 'ada', title: 'v2' });
    const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: [
      { method: 'PATCH', path: `/Users/${ada.body.id}`, version: ada.body.meta.version, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'stale' }] } },
      { method: 'DELETE', path: `/Users/${ada.body.id}`, version: ada.body.meta.version },
    ] });
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['412', '412']);
    expect((await send('GET', `/Users/${ada.body.id}`)).body.title).toBe('v2');
  });

  it('refuses a nested bulk request and searches as operations', async () => {
    const send = await setup();
    const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: [
      { method: 'POST', path: '/Bulk', data: { schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', data: { userName: 'x' } }] } },
      { method: 'POST', path: '/Users/.search', data: {} },
    ] });
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['400', '400']);
    expect((await send('GET', '/Users')).body.totalResults).toBe(0);
  });

  it('treats only whole "bulkId:..." values as references, never text that contains one', async () => {
    const send = await setup();
    const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: [
      { method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'plain', title: 'see bulkId:a here' } },
    ] });
    expect(r.body.Operations[0].status).toBe('201');
    expect((await send('GET', '/Users')).body.Resources[0].title).toBe('see bulkId:a here');
  });

  it('fails an operation whose data nests too deeply, and refuses duplicate bulkIds', async () => {
    const send = await setup();
    // Built as text: the test's own JSON.stringify could not nest this deep.
    const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
    const r = await send('POST', '/Bulk', `{"schemas":["${BULK}"],"Operations":[{"method":"POST","path":"/Users","data":{"userName":"deep","x":${deep}}}]}`);
    expect(r.status).toBe(200);
    expect(r.body.Operations[0].status).toBe('400');
    const dup = await send('POST', '/Bulk', { schemas: [BULK], Operations: [
      { method: 'POST', path: '/Users', bulkId: 'same', data: { userName: 'a' } },
      { method: 'POST', path: '/Users', bulkId: 'same', data: { userName: 'b' } },
    ] });
    expect(dup.status).toBe(400);
  });
});

describe('bulk results carry location and version whatever the operation asks to be returned (RFC 7644 §3.7.3)', () => {
  it('reports them for operations whose responses leave meta out', async () => {
    const send = await setup();
    const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: [
      { method: 'POST', path: '/Users?attributes=userName', bulkId: 'ada', data: { userName: 'ada' } },
      { method: 'POST', path: '/Groups?excludedAttributes=meta', bulkId: 'g', data: { displayName: 'G' } },
      { method: 'PATCH', path: '/Groups/bulkId:g', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:ada' }] }] } },
      { method: 'PUT', path: '/Users/bulkId:ada?excludedAttributes=meta', data: { userName: 'ada', title: 'Boss' } },
    ] });
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201', '204', '200']);
    const [user, group, patch, put] = r.body.Operations;
    const ada = await send('GET', user.location.replace('http://localhost/scim/v2', ''));
    const g = await send('GET', group.location.replace('http://localhost/scim/v2', ''));
    expect(user.location).toBe(ada.body.meta.location);
    expect(group.location).toBe(g.body.meta.location);
    expect(put.location).toBe(ada.body.meta.location);
    expect(put.version).toBe(ada.body.meta.version);
    expect(typeof user.version).toBe('string');
    expect(patch.version).toBe(g.body.meta.version);
  });
});

describe('circular bulkId references (RFC 7644 §3.7.1)', () => {
  const TEAM = 'urn:example:scim:schemas:extension:team:2.0:User';
  const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
  const team: SchemaDefinition = { id: TEAM, name: 'Team', description: 'The group a user belongs to first', attributes: [attr.string('homeGroup')] };

  const setupWithTeams = async () => {
    const seatkit = createSeatkit({
      storage: memoryStorage(),
      policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { group: 'Pro Users' }, tier: 'pro' }] }),
      extensions: { user: [team] },
    });
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 5 }, { key: 'pro', seats: 5 }] }, tokens: ['tok'] });
    return async (method: string, path: string, body?: unknown) => {
      const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
        method,
        headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }));
      return { status: response.status, headers: response.headers, body: (response.status === 204 ? null : await response.json()) as any };
    };
  };
  const local = (location: string) => location.replace('http://localhost/scim/v2', '');
  const groupOp = (bulkId: string, displayName: string, members: string[]) =>
    ({ method: 'POST', path: '/Groups', bulkId, data: { displayName, members: members.map((m) => ({ value: `bulkId:${m}` })) } });
  const userOp = (bulkId: string, homeGroup: string) =>
    ({ method: 'POST', path: '/Users', bulkId, data: { userName: bulkId, [TEAM]: { homeGroup: `bulkId:${homeGroup}` } } });

  // Every result 201 with its location; a group's version is the one it has with its members in. (A
  // user's version may move on after its own result, as when a later group adds it: its seat changes.)
  const expectAllCreated = async (send: Awaited<ReturnType<typeof setupWithTeams>>, operations: { bulkId: string; status: string; location: string; version: string }[]) => {
    for (const o of operations) {
      expect([o.bulkId, o.status]).toEqual([o.bulkId, '201']);
      const resource = await send('GET', local(o.location));
      expect(resource.body.meta.location).toBe(o.location);
      expect(typeof o.version).toBe('string');
      if (o.location.includes('/Groups/')) expect([o.bulkId, o.version]).toEqual([o.bulkId, resource.body.meta.version]);
    }
  };

  it('creates a group and a user that refer to each other: the member is added once the user exists', async () => {
    const send = await setupWithTeams();
    const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: [groupOp('g', 'Pro Users', ['ada']), userOp('ada', 'g')] });
    await expectAllCreated(send, r.body.Operations);
    const [g, ada] = r.body.Operations;
    const group = await send('GET', local(g.location));
    const user = await send('GET', local(ada.location));
    expect(group.body.members.map((m: { value: string }) => m.value)).toEqual([user.body.id]);
    expect(user.body[TEAM].homeGroup).toBe(group.body.id);
    expect(user.body[LICENSE]).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('resolves a circle through three groups and their users, whatever the order of the operations', async () => {
    const send = await setupWithTeams();
    const operations = [userOp('u1', 'g2'), groupOp('g1', 'One', ['u1']), userOp('u3', 'g1'), groupOp('g3', 'Three', ['u3']), groupOp('g2', 'Two', ['u2']), userOp('u2', 'g3')];
    const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: operations });
    expect(r.body.Operations.map((o: { bulkId: string }) => o.bulkId)).toEqual(['u1', 'g1', 'u3', 'g3', 'g2', 'u2']);
    await expectAllCreated(send, r.body.Operations);
    const byBulkId = new Map(r.body.Operations.map((o: { bulkId: string; location: string }) => [o.bulkId, o.location.split('/').pop()]));
    for (const [g, u, next] of [['g1', 'u1', 'g2'], ['g2', 'u2', 'g3'], ['g3', 'u3', 'g1']]) {
      expect((await send('GET', `/Groups/${byBulkId.get(g)}`)).body.members.map((m: { value: string }) => m.value)).toEqual([byBulkId.get(u)]);
      expect((await send('GET', `/Users/${byBulkId.get(u)}`)).body[TEAM].homeGroup).toBe(byBulkId.get(next));
    }
  });

  it('refuses groups as members, two or three in a circle, with the reason, and creates none of them', async () => {
    const send = await setupWithTeams();
    for (const operations of [
      [groupOp('a', 'A', ['b']), groupOp('b', 'B', ['a'])],
      [groupOp('a', 'A', ['b']), groupOp('b', 'B', ['c']), groupOp('c', 'C', ['a'])],
    ]) {
      const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: operations });
      for (const o of r.body.Operations) {
        expect(o.status).toBe('400');
        expect(o.response.detail).toMatch(/members are Users/);
      }
    }
    expect((await send('GET', '/Groups')).body.totalResults).toBe(0);
  });

  it('answers 409 for a circle through attributes other than members, and creates nothing', async () => {
    const send = await setupWithTeams();
    const manager = (bulkId: string, of: string) => ({ method: 'POST', path: '/Users', bulkId, data: { userName: bulkId, [ENTERPRISE]: { manager: { value: `bulkId:${of}` } } } });
    const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: [manager('ada', 'ben'), manager('ben', 'ada'), { method: 'POST', path: '/Users', bulkId: 'cy', data: { userName: 'cy' } }] });
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['409', '409', '201']);
    expect(r.body.Operations[0].response.detail).toMatch(/circle of bulkId references/);
    expect(r.body.Operations[0].response.scimType).toBeUndefined();
    expect((await send('GET', '/Users')).body.totalResults).toBe(1);
  });

  it('removes a group again when failOnErrors stops the request before its held-back members could be added', async () => {
    const send = await setupWithTeams();
    const r = await send('POST', '/Bulk', { schemas: [BULK], failOnErrors: 1, Operations: [
      groupOp('g', 'Pro Users', ['u']),
      { method: 'PATCH', path: '/Groups/bulkId:g', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'nosuch', value: 1 }] } },
      userOp('u', 'g'),
    ] });
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['409', '400']);
    expect(r.body.Operations[0].response.detail).toMatch(/failOnErrors/);
    expect((await send('GET', '/Groups')).body.totalResults).toBe(0);
    expect((await send('GET', '/Users')).body.totalResults).toBe(0);
  });

  it('removes a group again when the user its held-back member refers to fails, so it fails as it would without the circle', async () => {
    const send = await setupWithTeams();
    await send('POST', '/Users', { userName: 'taken' });
    const r = await send('POST', '/Bulk', { schemas: [BULK], Operations: [
      groupOp('g', 'Pro Users', ['u']),
      { method: 'POST', path: '/Users', bulkId: 'u', data: { userName: 'taken', [TEAM]: { homeGroup: 'bulkId:g' } } },
    ] });
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['400', '409']);
    expect(r.body.Operations[0].response.detail).toMatch(/bulkId whose operation failed/);
    expect((await send('GET', '/Groups')).body.totalResults).toBe(0);
  });

  it('leaves every seat where it was when the user a held-back member waits for fails', async () => {
    const seatkit = createSeatkit({
      storage: memoryStorage(),
      policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { group: 'Pro Users' }, tier: 'pro' }] }),
      extensions: { user: [team] },
    });
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 1 }, { key: 'pro', seats: 5 }] }, tokens: ['tok'] });
    const send = sendThrough((request) => seatkit.handle(request), 'http://localhost/scim/v2', 'tok');
    const holder = (await send('POST', '/Users', { userName: 'holder' })).body;
    const waiting = (await send('POST', '/Users', { userName: 'waiting' })).body;
    const bulk = await send('POST', '/Bulk', { schemas: [BULK], Operations: [
      { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'Pro Users', members: [{ value: holder.id }, { value: 'bulkId:nu' }] } },
      // A userName that is taken: this operation fails, so the group's reference to it does too.
      { method: 'POST', path: '/Users', bulkId: 'nu', data: { userName: 'HOLDER', [TEAM]: { homeGroup: 'bulkId:g' } } },
    ] });
    expect(bulk.body.Operations.map((o: any) => o.status)).toEqual(['400', '409']);
    const after = (await send('GET', `/Users/${holder.id}`)).body;
    expect(after[LICENSE]).toEqual({ tier: 'standard', status: 'assigned' });
    expect((await send('GET', `/Users/${waiting.id}`)).body[LICENSE]).toEqual({ tier: 'standard', status: 'pending' });
    expect((await send('GET', '/Groups')).body.totalResults).toBe(0);
    expect(await seatkit.ledger('t')).toHaveLength(2);
  });
});
