import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy } from 'seatkit';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

const setup = async () => {
  const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'standard' }) });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 5 }] }, tokens: ['tok'] });
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method,
      headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };
  for (const name of ['ada', 'ben', 'cy']) await send('POST', '/Users', { userName: `${name}@example.com`, displayName: name });
  await send('POST', '/Groups', { displayName: 'Admins' });
  return send;
};

describe('POST .search (RFC 7644 §3.4.3)', () => {
  it('searches users with a filter, attributes and paging from the body', async () => {
    const send = await setup();
    const r = await send('POST', '/Users/.search', { schemas: [SEARCH], filter: 'userName sw "a" or userName sw "b"', attributes: ['userName'], startIndex: 1, count: 1 });
    expect(r.status).toBe(200);
    expect(r.body.totalResults).toBe(2);
    expect(r.body.Resources).toHaveLength(1);
    expect(Object.keys(r.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('searches groups', async () => {
    const send = await setup();
    const r = await send('POST', '/Groups/.search', { schemas: [SEARCH], filter: 'displayName eq "admins"' });
    expect(r.body.totalResults).toBe(1);
  });

  it('searches every resource type from the root, paging across them', async () => {
    const send = await setup();
    const all = await send('POST', '/.search', { schemas: [SEARCH] });
    expect(all.body.totalResults).toBe(4);
    const last = await send('POST', '/.search', { schemas: [SEARCH], startIndex: 3, count: 2 });
    expect(last.body.Resources.map((r: { userName?: string; displayName: string }) => r.userName ?? r.displayName)).toEqual(['cy@example.com', 'Admins']);
    const users = await send('POST', '/.search', { schemas: [SEARCH], filter: 'userName ew "example.com"' });
    expect(users.body.totalResults).toBe(3);
  });

  it('sorts the root search over Users and Groups as one list: an attribute a type lacks is missing, sorted last', async () => {
    const send = await setup();
    const byUserName = await send('POST', '/.search', { schemas: [SEARCH], sortBy: 'userName' });
    expect(byUserName.status).toBe(200);
    expect(byUserName.body.totalResults).toBe(4);
    expect(byUserName.body.Resources.map((r: { userName?: string; displayName: string }) => r.userName ?? r.displayName))
      .toEqual(['ada@example.com', 'ben@example.com', 'cy@example.com', 'Admins']);
    const down = await send('POST', '/.search', { schemas: [SEARCH], sortBy: 'userName', sortOrder: 'descending' });
    expect(down.body.Resources.map((r: { userName?: string; displayName: string }) => r.userName ?? r.displayName))
      .toEqual(['cy@example.com', 'ben@example.com', 'ada@example.com', 'Admins']);
    // displayName belongs to both: Users and Groups interleave.
    await send('POST', '/Groups', { displayName: 'bots' });
    const merged = await send('POST', '/.search', { schemas: [SEARCH], sortBy: 'displayName', attributes: ['id'] });
    expect(merged.body.totalResults).toBe(5);
    expect(merged.body.Resources.every((r: Record<string, unknown>) => r.displayName === undefined)).toBe(true);
    const page = await send('POST', '/.search', { schemas: [SEARCH], sortBy: 'displayName', startIndex: 2, count: 3 });
    expect(page.body.Resources.map((r: { displayName: string }) => r.displayName)).toEqual(['Admins', 'ben', 'bots']);
    expect(page.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 3 });
  });

  it('refuses a root search sortBy that names an attribute of neither type', async () => {
    const send = await setup();
    const r = await send('POST', '/.search', { schemas: [SEARCH], sortBy: 'nosuch' });
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidValue');
  });

  it('pages the merged root search the same at every startIndex, however small the pages it reads', async () => {
    const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'standard' }), limits: { maxResults: 2 } });
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: null }] }, tokens: ['tok'] });
    const send = async (path: string, body: unknown) => (await (await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method: 'POST', headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' }, body: JSON.stringify(body),
    }))).json()) as any;
    for (const name of ['kim', 'Al', 'dan', 'zed']) await send('/Users', { userName: `${name}@example.com`, displayName: name });
    await send('/Users', { userName: 'nodisplay@example.com' });
    for (const name of ['bee', 'Max', 'ann', 'kim']) await send('/Groups', { displayName: name });
    const expected = ['Al', 'ann', 'bee', 'dan', 'kim', 'kim', 'Max', 'zed', 'nodisplay@example.com'];
    for (const [sortOrder, order] of [['ascending', expected], ['descending', [...expected.slice(0, 8).reverse(), expected[8]]]] as const) {
      const seen: string[] = [];
      for (let startIndex = 1; startIndex <= 10; startIndex += 1) {
        const page = await send('/.search', { sortBy: 'displayName', sortOrder, startIndex, count: 1 });
        expect(page.totalResults).toBe(9);
        seen.push(...page.Resources.map((r: { displayName?: string; userName?: string }) => r.displayName ?? r.userName));
      }
      expect(seen).toEqual(order);
    }
  });

  it('refuses a bad filter in the body with invalidFilter', async () => {
    const send = await setup();
    const r = await send('POST', '/Users/.search', { schemas: [SEARCH], filter: 'userName eq' });
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidFilter');
  });
});

describe('sortBy and sortOrder (RFC 7644 §3.4.2.3)', () => {
  it('sorts lists by a simple attribute in either order and advertises sorting', async () => {
    const send = await setup();
    const down = await send('GET', '/Users?sortBy=userName&sortOrder=descending');
    expect(down.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['cy@example.com', 'ben@example.com', 'ada@example.com']);
    const up = await send('POST', '/Users/.search', { sortBy: 'displayName' });
    expect(up.body.Resources.map((u: { displayName: string }) => u.displayName)).toEqual(['ada', 'ben', 'cy']);
    expect((await send('GET', '/ServiceProviderConfig')).body.sort).toEqual({ supported: true });
  });

  it('refuses an unknown or complex sortBy, memberships and an unknown sortOrder with invalidValue', async () => {
    const send = await setup();
    for (const query of ['/Users?sortBy=nosuch', '/Users?sortBy=name', '/Users?sortBy=groups.value', '/Groups?sortBy=members', '/Users?sortBy=userName&sortOrder=sideways']) {
      const r = await send('GET', query);
      expect(r.status).toBe(400);
      expect(r.body.scimType).toBe('invalidValue');
    }
  });

  it('sorts by a multi-valued attribute: the primary item\'s value, else the first value, missing last', async () => {
    const send = await setup();
    await send('POST', '/Users', { userName: 'dee@example.com', emails: [{ value: 'z@dee.example', type: 'work' }, { value: 'a@dee.example', type: 'home', primary: true }] });
    await send('POST', '/Users', { userName: 'eve@example.com', emails: [{ value: 'm@eve.example', type: 'home' }, { value: 'b@eve.example', type: 'work' }] });
    await send('POST', '/Users', { userName: 'fay@example.com', emails: [{ value: 'c@fay.example', type: 'work', primary: true }] });
    const names = (r: { body: { Resources: { userName: string }[] } }) => r.body.Resources.map((u) => u.userName.split('@')[0]);
    const byValue = await send('GET', '/Users?sortBy=emails.value');
    expect(byValue.status).toBe(200);
    expect(names(byValue)).toEqual(['dee', 'fay', 'eve', 'ada', 'ben', 'cy']);
    expect(names(await send('GET', '/Users?sortBy=emails'))).toEqual(names(byValue));
    expect(names(await send('GET', '/Users?sortBy=emails.value&sortOrder=descending')).slice(0, 3)).toEqual(['eve', 'fay', 'dee']);
    // dee's primary email is home; eve has no primary, so her first email (home) counts.
    expect(names(await send('GET', '/Users?sortBy=emails.type')).slice(0, 3)).toEqual(['dee', 'eve', 'fay']);
  });
});

describe('methods an endpoint does not serve', () => {
  it('answers 405 with an Allow header naming the methods it does serve', async () => {
    const send = await setup();
    const seatkitResponse = await send('DELETE', '/Users');
    expect(seatkitResponse.status).toBe(405);
    expect(seatkitResponse.headers.get('allow')).toBe('GET, HEAD, POST');
    const root = await send('GET', '/.search');
    expect(root.status).toBe(405);
    expect(root.body.detail).toBe('GET is not supported on /.search');
  });
});
