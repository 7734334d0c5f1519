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

  it('advertises ETag support', async () => {
    const send = await setup();
    expect((await (await send('GET', '/ServiceProviderConfig')).json() as any).etag).toEqual({ supported: true });
  });
});
