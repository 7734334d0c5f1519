import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy } from 'seatkit';

const setup = async () => {
  const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'standard' }) });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 5 }] }, tokens: ['tok'] });
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method,
      headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
  return send;
};

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('resource versions and ETags (RFC 7644 §3.14)', () => {
  it('gives every resource a version, sent as the ETag header, that changes with each write', async () => {
    const send = await setup();
    const created = await send('POST', '/Users', { userName: 'ada' });
    const body = await created.json() as any;
    expect(created.headers.get('etag')).toBe(body.meta.version);
    const patched = await send('PATCH', `/Users/${body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'x' }] });
    expect(patched.headers.get('etag')).not.toBe(body.meta.version);
    expect((await patched.json() as any).meta.version).toBe(patched.headers.get('etag'));
  });

  it('answers 304 to If-None-Match with the current version, and 200 once it changed', async () => {
    const send = await setup();
    const body = await (await send('POST', '/Users', { userName: 'ada' })).json() as any;
    const same = await send('GET', `/Users/${body.id}`, undefined, { 'if-none-match': body.meta.version });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    await send('PUT', `/Users/${body.id}`, { userName: 'ada', title: 'new' });
    expect((await send('GET', `/Users/${body.id}`, undefined, { 'if-none-match': body.meta.version })).status).toBe(200);
  });

  it('applies a write with a matching If-Match and refuses a stale one with 412, changing nothing', async () => {
    const send = await setup();
    const body = await (await send('POST', '/Users', { userName: 'ada' })).json() as any;
    const first = await send('PUT', `/Users/${body.id}`, { userName: 'ada', title: 'one' }, { 'if-match': body.meta.version });
    expect(first.status).toBe(200);
    const stale = await send('PATCH', `/Users/${body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'two' }] }, { 'if-match': body.meta.version });
    expect(stale.status).toBe(412);
    expect((await stale.json() as any).status).toBe('412');
    expect((await (await send('GET', `/Users/${body.id}`)).json() as any).title).toBe('one');
    expect((await send('DELETE', `/Users/${body.id}`, undefined, { 'if-match': body.meta.version })).status).toBe(412);
    expect((await send('DELETE', `/Users/${body.id}`, undefined, { 'if-match': '*' })).status).toBe(204);
  });

  it('guards group writes the same way', async () => {
    const send = await setup();
    const group = await (await send('POST', '/Groups', { displayName: 'G' })).json() as any;
    await send('PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'H' }] });
    expect((await send('PUT', `/Groups/${group.id}`, { displayName: 'I' }, { 'if-match': group.meta.version })).status).toBe(412);
    expect((await send('DELETE', `/Groups/${group.id}`, undefined, { 'if-match': group.meta.version })).status).toBe(412);
  });

  it('sends the ETag even when the response leaves meta out', async () => {
    const send = await setup();
    const created = await send('POST', '/Users?excludedAttributes=meta', { userName: 'ada' });
    const body = await created.json() as any;
    expect(body.meta).toBeUndefined();
    const full = await (await send('GET', `/Users/${body.id}`)).json() as any;
    expect(created.headers.get('etag')).toBe(full.meta.version);
    const trimmed = await send('GET', `/Users/${body.id}?attributes=userName`);
    expect(trimmed.headers.get('etag')).toBe(full.meta.version);
    expect((await send('GET', `/Users/${body.id}?attributes=userName`, undefined, { 'if-none-match': full.meta.version })).status).toBe(304);
  });

  it('keeps a group\'s version and modify time when a write changes nothing', async () => {
    const send = await setup();
    const user = await (await send('POST', '/Users', { userName: 'ada' })).json() as any;
    const group = await (await send('POST', '/Groups', { displayName: 'G', members: [{ value: user.id }] })).json() as any;
    const samePatch = await send('PATCH', `/Groups/${group.id}?attributes=displayName`, { schemas: [PATCH], Operations: [
      { op: 'replace', path: 'displayName', value: 'G' },
      { op: 'add', path: 'members', value: [{ value: user.id }] },
    ] });
    expect(samePatch.headers.get('etag')).toBe(group.meta.version);
    const samePut = await send('PUT', `/Groups/${group.id}`, { displayName: 'G', members: [{ value: user.id }] });
    const put = await samePut.json() as any;
    expect(put.meta.version).toBe(group.meta.version);
    expect(put.meta.lastModified).toBe(group.meta.lastModified);
    const renamed = await (await send('PUT', `/Groups/${group.id}`, { displayName: 'H', members: [{ value: user.id }] })).json() as any;
    expect(renamed.meta.version).not.toBe(group.meta.version);
  });

  it('sends Location on a 201 even when the response leaves meta out (RFC 7644 §3.3)', async () => {
    const send = await setup();
    for (const [path, body] of [['/Users?attributes=userName', { userName: 'ada' }], ['/Groups?excludedAttributes=meta', { displayName: 'G' }]] as const) {
      const created = await send('POST', path, body);
      const resource = await created.json() as any;
      expect(created.status).toBe(201);
      expect(resource.meta).toBeUndefined();
      const endpoint = path.split('?')[0];
      expect(created.headers.get('location')).toBe(`http://localhost/scim/v2${endpoint}/${resource.id}`);
      const full = await (await send('GET', `${endpoint}/${resource.id}`)).json() as any;
      expect(created.headers.get('location')).toBe(full.meta.location);
      expect(created.headers.get('etag')).toBe(full.meta.version);
    }
  });

  it('answers a group PATCH with 204 and the new version as ETag, so If-Match can be chained (RFC 7644 §3.14)', async () => {
    const send = await setup();
    const ada = await (await send('POST', '/Users', { userName: 'ada' })).json() as any;
    const group = await (await send('POST', '/Groups', { displayName: 'G' })).json() as any;
    const first = await send('PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: ada.id }] }] }, { 'if-match': group.meta.version });
    expect(first.status).toBe(204);
    const etag = first.headers.get('etag');
    expect(etag).not.toBeNull();
    expect(etag).not.toBe(group.meta.version);
    expect((await send('GET', `/Groups/${group.id}`)).headers.get('etag')).toBe(etag);
    const second = await send('PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'H' }] }, { 'if-match': etag! });
    expect(second.status).toBe(204);
    expect(second.headers.get('etag')).not.toBe(etag);
    expect((await send('PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'I' }] }, { 'if-match': etag! })).status).toBe(412);
    // A PATCH that changes nothing keeps the version, and says so.
    const same = await send('PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'H' }] });
    expect(same.headers.get('etag')).toBe(second.headers.get('etag'));
  });

  it('moves a user\'s version when its groups or its license change through other resources', async () => {
    const send = await setup();
    const ada = await (await send('POST', '/Users', { userName: 'ada' })).json() as any;
    const version = async () => (await (await send('GET', `/Users/${ada.id}`)).json() as any).meta.version as string;
    const v1 = await version();
    const group = await (await send('POST', '/Groups', { displayName: 'G', members: [{ value: ada.id }] })).json() as any;
    const v2 = await version();
    expect(v2).not.toBe(v1);
    expect((await send('GET', `/Users/${ada.id}`, undefined, { 'if-none-match': v1 })).status).toBe(200);
    await send('PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'H' }] });
    const v3 = await version();
    expect(v3).not.toBe(v2);
    await send('DELETE', `/Groups/${group.id}`);
    const v4 = await version();
    expect(v4).not.toBe(v3);
    expect((await send('GET', `/Users/${ada.id}`, undefined, { 'if-none-match': v4 })).status).toBe(304);
  });

  it('moves a waiting user\'s version when a freed seat promotes it', async () => {
    const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'standard' }) });
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 1 }] }, tokens: ['tok'] });
    const send = (method: string, path: string, body?: unknown) => seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method, headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' }, body: body === undefined ? undefined : JSON.stringify(body),
    }));
    const holder = await (await send('POST', '/Users', { userName: 'holder' })).json() as any;
    const waiting = await (await send('POST', '/Users', { userName: 'waiting' })).json() as any;
    await send('DELETE', `/Users/${holder.id}`);
    const now = await send('GET', `/Users/${waiting.id}`, undefined);
    const body = await now.json() as any;
    expect(body['urn:seatkit:scim:schemas:extension:license:2.0:User'].status).toBe('assigned');
    expect(body.meta.version).not.toBe(waiting.meta.version);
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 0 }] } });
    const after = await (await send('GET', `/Users/${waiting.id}`)).json() as any;
    expect(after.meta.version).toBe(body.meta.version);
  });

  it('keeps a user\'s version when a PUT changes nothing, and moves it when one does', async () => {
    const send = await setup();
    const ada = await (await send('POST', '/Users', { userName: 'ada', title: 'x' })).json() as any;
    const same = await (await send('PUT', `/Users/${ada.id}`, { userName: 'ada', title: 'x', password: 'secret' })).json() as any;
    expect(same.meta.version).toBe(ada.meta.version);
    expect(same.meta.lastModified).toBe(ada.meta.lastModified);
    const changed = await (await send('PUT', `/Users/${ada.id}`, { userName: 'ada', title: 'y' })).json() as any;
    expect(changed.meta.version).not.toBe(ada.meta.version);
  });

  it('advertises ETag support', async () => {
    const send = await setup();
    expect((await (await send('GET', '/ServiceProviderConfig')).json() as any).etag).toEqual({ supported: true });
  });
});

describe('HEAD (RFC 9110 §9.3.2)', () => {
  it('answers HEAD on a resource or a list as GET, with the same status and headers and no body', async () => {
    const send = await setup();
    const ada = await (await send('POST', '/Users', { userName: 'ada' })).json() as any;
    const group = await (await send('POST', '/Groups', { displayName: 'G' })).json() as any;
    for (const path of [`/Users/${ada.id}`, `/Groups/${group.id}`, '/Users', '/Groups?filter=displayName%20eq%20%22G%22', '/ServiceProviderConfig', '/Schemas']) {
      const get = await send('GET', path);
      const head = await send('HEAD', path);
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(head.headers.get('content-length')).toBe(String(new TextEncoder().encode(await get.text()).byteLength));
    }
    expect((await send('HEAD', `/Users/${ada.id}`)).headers.get('etag')).toBe(ada.meta.version);
  });

  it('answers HEAD with If-None-Match 304, and an unknown resource 404, without a body', async () => {
    const send = await setup();
    const ada = await (await send('POST', '/Users', { userName: 'ada' })).json() as any;
    const same = await send('HEAD', `/Users/${ada.id}`, undefined, { 'if-none-match': ada.meta.version });
    expect(same.status).toBe(304);
    const missing = await send('HEAD', '/Users/nobody');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
  });

  it('lists HEAD in Allow wherever GET is allowed', async () => {
    const send = await setup();
    expect((await send('DELETE', '/Users')).headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await send('POST', '/Users/x')).headers.get('allow')).toBe('GET, HEAD, PUT, PATCH, DELETE');
    expect((await send('PUT', '/ServiceProviderConfig')).headers.get('allow')).toBe('GET, HEAD');
    const root = await send('HEAD', '/.search');
    expect(root.status).toBe(405);
    expect(root.headers.get('allow')).toBe('POST');
  });
});
