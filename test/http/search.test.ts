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
    return { status: response.status, body: (await response.json()) as any };
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
