/**
 * Input every backend must refuse or read the same way, through the HTTP endpoint on memory storage:
 * text no database can hold, non-object extensions, literals in any case, dateTimes, and keys that
 * name Object.prototype's members. test/storage/postgres-input-boundary.test.ts runs the same
 * requests against PostgreSQL, where the text once failed with 500.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type Seatkit } from 'seatkit';
import { ERROR_SCHEMA_URN, GROUP_SCHEMA_URN, PATCH_OP, USER_SCHEMA_URN, readResponse, sendThrough, type Send } from '../support/lifecycle';

const BASE = 'http://localhost/scim/v2';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SECRET = 'QJKsecretQJK';

let seatkit: Seatkit;
let send: Send;
let ada: string;
let team: string;

beforeEach(async () => {
  seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'standard' }), onError: () => {} });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 10 }] }, tokens: ['tok'] });
  send = sendThrough((r) => seatkit.handle(r), BASE, 'tok');
  ada = (await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'ada', emails: [{ value: 'ada@x', type: 'work', primary: true }] })).body.id as string;
  team = (await send('POST', '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Team', members: [{ value: ada }] })).body.id as string;
});

const raw = async (method: string, path: string, body: string) =>
  readResponse(await seatkit.handle(new Request(`${BASE}${path}`, {
    method,
    headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
    body,
  })));

const expectRefused = (response: { status: number; body: Record<string, unknown> }, scimType: string, attribute?: string) => {
  expect(response.status).toBe(400);
  expect(response.body.schemas).toEqual([ERROR_SCHEMA_URN]);
  expect(response.body.scimType).toBe(scimType);
  const detail = String(response.body.detail);
  if (attribute) expect(detail).toContain(attribute);
  expect(detail).not.toMatch(/QJK|\u0000|[\ud800-\udfff]/);
};

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('text no storage can hold (U+0000, unpaired surrogates) is refused at the edge', () => {
  const bad = [`${SECRET}\u0000`, `${SECRET}\ud800`, `\udfff${SECRET}`];

  it('is 400 invalidValue naming the attribute on POST, PUT and PATCH of users and groups', async () => {
    for (const text of bad) {
      expectRefused(await send('POST', '/Users', { userName: 'ben', displayName: text }), 'invalidValue', 'displayName');
      expectRefused(await send('POST', '/Users', { userName: 'ben', [ENTERPRISE]: { employeeNumber: text } }), 'invalidValue', 'employeeNumber');
      expectRefused(await send('POST', '/Users', { userName: 'ben', name: { givenName: text } }), 'invalidValue', 'name.givenName');
      expectRefused(await send('PUT', `/Users/${ada}`, { userName: 'ada', emails: [{ value: text }] }), 'invalidValue', 'emails.0.value');
      expectRefused(await send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'title', value: text })), 'invalidValue', 'title');
      expectRefused(await send('POST', '/Groups', { displayName: text }), 'invalidValue', 'displayName');
      expectRefused(await send('PATCH', `/Groups/${team}`, patch({ op: 'replace', path: 'displayName', value: text })), 'invalidValue', 'displayName');
      expectRefused(await send('PATCH', `/Groups/${team}`, patch({ op: 'add', path: 'members', value: [{ value: text }] })), 'invalidValue', 'members.value');
    }
    expect((await send('GET', '/Users')).body.totalResults).toBe(1);
    expect((await send('GET', `/Users/${ada}`)).body.title).toBeUndefined();
  });

  it('is 400 invalidFilter in a filter value, in GET, .search and a PATCH path filter', async () => {
    for (const value of ['a\\u0000b', '\\ud800', 'x\\udc00']) {
      expectRefused(await send('GET', `/Users?filter=${encodeURIComponent(`userName eq "${SECRET}${value}"`)}`), 'invalidFilter');
      expectRefused(await send('POST', '/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: `displayName co "${SECRET}${value}"` }), 'invalidFilter');
      expectRefused(await send('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${value}"]`)}`), 'invalidFilter');
      expectRefused(await send('PATCH', `/Users/${ada}`, patch({ op: 'remove', path: `emails[value eq "${SECRET}${value}"]` })), 'invalidPath');
    }
    expectRefused(await send('GET', `/Users?filter=${encodeURIComponent(`userName eq "${SECRET}\u0000"`)}`), 'invalidFilter');
  });

  it('is 404 as a resource id in the URL, on every method', async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const body = (put: Record<string, unknown>, attribute: string) =>
        method === 'PUT' ? put : method === 'PATCH' ? patch({ op: 'replace', path: attribute, value: 'x' }) : undefined;
      expect((await send(method, '/Users/a%00b', body({ userName: 'ada' }, 'title'))).status, method).toBe(404);
      expect((await send(method, '/Groups/%00', body({ displayName: 'T' }, 'displayName'))).status, method).toBe(404);
    }
  });
});

describe('an extension must be an object of its attributes', () => {
  it('is 400 invalidValue on POST, PUT and path-less PATCH when it is a string, and changes nothing', async () => {
    expectRefused(await send('POST', '/Users', { userName: 'ben', [ENTERPRISE]: 'oops' }), 'invalidValue', ENTERPRISE);
    expectRefused(await send('PUT', `/Users/${ada}`, { userName: 'ada', [ENTERPRISE]: ['oops'] }), 'invalidValue', ENTERPRISE);
    expectRefused(await send('PATCH', `/Users/${ada}`, patch({ op: 'add', value: { [ENTERPRISE]: 'oops' } })), 'invalidValue', ENTERPRISE);
    expect((await send('GET', '/Users')).body.totalResults).toBe(1);
    expect((await send('GET', `/Users/${ada}`)).body.emails).toEqual([{ value: 'ada@x', type: 'work', primary: true }]);
  });
});

describe('filters read literals in any case and dateTimes strictly', () => {
  it('answers active eq True and a PATCH on emails[primary eq True].value', async () => {
    expect((await send('GET', `/Users?filter=${encodeURIComponent('active eq True or externalId eq NULL')}`)).body.totalResults).toBe(1);
    expect((await send('GET', `/Users?filter=${encodeURIComponent('emails[primary eq TRUE]')}`)).body.totalResults).toBe(1);
    const patched = await send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'emails[primary eq True].value', value: 'new@x' }));
    expect(patched.status).toBe(200);
    expect(patched.body.emails).toEqual([{ value: 'new@x', type: 'work', primary: true }]);
  });

  it('is 400 invalidFilter for a dateTime value that is not xsd:dateTime', async () => {
    for (const value of ['March 7, 2024', '1', '2024-02-30T00:00:00Z']) {
      expectRefused(await send('GET', `/Users?filter=${encodeURIComponent(`meta.lastModified gt "${value}"`)}`), 'invalidFilter');
    }
    expect((await send('GET', `/Users?filter=${encodeURIComponent('meta.lastModified gt "2000-01-01"')}`)).body.totalResults).toBe(1);
  });
});

describe('keys named __proto__ or constructor', () => {
  // Counts every assignment through Object.prototype's __proto__ setter while a request runs.
  const countingPrototypeSets = async (run: () => Promise<unknown>) => {
    const original = Object.getOwnPropertyDescriptor(Object.prototype, '__proto__')!;
    let sets = 0;
    Object.defineProperty(Object.prototype, '__proto__', {
      ...original,
      set(this: object, value: unknown) {
        sets++;
        original.set!.call(this, value);
      },
    });
    try {
      await run();
    } finally {
      Object.defineProperty(Object.prototype, '__proto__', original);
    }
    return sets;
  };

  const body = (userName: string) => `{"userName":"${userName}","__proto__":{"title":"polluted"},"constructor":{"title":"c"},`
    + `"name":{"__proto__":{"givenName":"polluted"}},"${ENTERPRISE}":{"__proto__":{"department":"polluted"}}}`;

  it('are ignored as unknown attributes in POST, PATCH and Bulk, and never set a prototype', async () => {
    const responses: { status: number; body: Record<string, unknown> }[] = [];
    const sets = await countingPrototypeSets(async () => {
      responses.push(await raw('POST', '/Users', body('ben')));
      responses.push(await raw('PATCH', `/Users/${ada}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","value":${body('ada')}}]}`));
      responses.push(await raw('POST', '/Bulk', `{"schemas":["${BULK}"],"Operations":[{"method":"POST","path":"/Users","bulkId":"c","data":${body('cal')}}]}`));
    });
    expect(sets).toBe(0);
    expect(responses.map((r) => r.status)).toEqual([201, 200, 200]);
    for (const user of (await send('GET', '/Users')).body.Resources as Record<string, unknown>[]) {
      expect(JSON.stringify(user)).not.toContain('polluted');
      expect(user.name).toBeUndefined();
      expect(user[ENTERPRISE]).toBeUndefined();
      expect(Object.getPrototypeOf(user)).toBe(Object.prototype);
    }
    expect(({} as Record<string, unknown>).title).toBeUndefined();
  });
});

describe('bounds on one request\'s work', () => {
  const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `e${i}@x`, type: 'work' }));

  it('takes 1000 values of a multi-valued attribute and refuses 1001, in POST and through PATCH, changing nothing', async () => {
    expect((await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'many', emails: emails(1000) })).status).toBe(201);
    const over = await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'more', emails: emails(1001) });
    expectRefused(over, 'invalidValue', 'emails');
    const patched = await send('PATCH', `/Users/${ada}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'emails', value: emails(1000) }] });
    expectRefused(patched, 'invalidValue', 'emails');
    expect((await send('GET', `/Users/${ada}`)).body.emails).toEqual([{ value: 'ada@x', type: 'work', primary: true }]);
  });

  it('takes 1000 operations in one PatchOp and refuses 1001', async () => {
    const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ op: 'replace', path: 'title', value: `t${i}` }));
    expect((await send('PATCH', `/Users/${ada}`, { schemas: [PATCH_OP], Operations: ops(1000) })).status).toBe(200);
    expectRefused(await send('PATCH', `/Users/${ada}`, { schemas: [PATCH_OP], Operations: ops(1001) }), 'invalidValue');
    expect((await send('GET', `/Users/${ada}`)).body.title).toBe('t999');
  });

  it('does not bound a group\'s members, which are stored apart', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 1005; i++) ids.push((await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: `m${i}` })).body.id as string);
    const big = await send('POST', '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Big', members: ids.map((value) => ({ value })) });
    expect(big.status).toBe(201);
    expect((big.body.members as unknown[]).length).toBe(1005);
  });
});
