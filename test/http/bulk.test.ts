import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy } from 'seatkit';

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
