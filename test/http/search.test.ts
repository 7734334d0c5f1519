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

  it('refuses an unknown or multi-valued sortBy and an unknown sortOrder with invalidValue', async () => {
    const send = await setup();
    for (const query of ['sortBy=nosuch', 'sortBy=emails', 'sortBy=userName&sortOrder=sideways']) {
      const r = await send('GET', `/Users?${query}`);
      expect(r.status).toBe(400);
      expect(r.body.scimType).toBe('invalidValue');
    }
  });
});

describe('methods an endpoint does not serve', () => {
  it('answers 405 with an Allow header naming the methods it does serve', async () => {
    const send = await setup();
    const seatkitResponse = await send('DELETE', '/Users');
    expect(seatkitResponse.status).toBe(405);
    expect(seatkitResponse.headers.get('allow')).toBe('GET, POST');
    const root = await send('GET', '/.search');
    expect(root.status).toBe(405);
    expect(root.body.detail).toBe('GET is not supported on /.search');
  });
});
