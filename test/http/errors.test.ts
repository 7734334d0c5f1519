import { beforeEach, describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, type Seatkit } from 'seatkit';
import {
  ERROR_SCHEMA_URN,
  GROUP_SCHEMA_URN,
  PATCH_OP,
  USER_SCHEMA_URN,
  expectScimJson,
  lifecyclePolicy,
  lifecycleTenant,
  readResponse,
  sendThrough,
  type Send,
  type SentResponse,
} from '../support/lifecycle';

const BASE = 'http://localhost/scim/v2';
const TOKEN = 'errors-token';
const TENANT = 'acme';
const MAX_PAYLOAD = 2048;

let seatkit: Seatkit;
let send: Send;
let ada: string;
let ben: string;
let team: string;

beforeEach(async () => {
  seatkit = createSeatkit({ storage: memoryStorage(), policy: lifecyclePolicy, limits: { maxPayloadSize: MAX_PAYLOAD }, onError: () => {} });
  await seatkit.tenants.put(lifecycleTenant(TENANT, TOKEN));
  send = sendThrough((r) => seatkit.handle(r), BASE, TOKEN);
  const created = async (path: string, body: unknown) => {
    const response = await send('POST', path, body);
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  ada = await created('/Users', {
    schemas: [USER_SCHEMA_URN], userName: 'ada@acme.example', displayName: 'Ada Byron',
    emails: [{ value: 'ada@acme.example', type: 'work', primary: true }], active: true,
  });
  ben = await created('/Users', { schemas: [USER_SCHEMA_URN], userName: 'ben@acme.example', active: true });
  team = await created('/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Team', members: [{ value: ada }] });
});

/** Everything a failed request must leave as it was. */
const snapshot = async () => {
  const users = await send('GET', '/Users?count=1000');
  const groups = await send('GET', '/Groups?count=1000');
  expect(users.status).toBe(200);
  expect(groups.status).toBe(200);
  return { users: users.body, groups: groups.body, usage: await seatkit.usage(TENANT) };
};

/** Sends a raw request (any body text, any headers) to the handler. */
const raw = async (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
  readResponse(await seatkit.handle(new Request(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json', ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  })));

const expectScimError = (response: SentResponse, status: number, scimType?: string | readonly string[]) => {
  expect(response.status).toBe(status);
  expectScimJson(response);
  expect(response.body.schemas).toEqual([ERROR_SCHEMA_URN]);
  expect(response.body.status).toBe(String(status));
  if (typeof scimType === 'string') expect(response.body.scimType).toBe(scimType);
  else if (scimType) expect(scimType).toContain(response.body.scimType);
  expect(typeof response.body.detail).toBe('string');
  expect(response.body.detail.trim().length).toBeGreaterThan(0);
};

/** Runs a request that must fail, and checks that storage is unchanged afterwards. */
const failsWithoutChange = async (
  request: () => Promise<SentResponse>,
  status: number,
  scimType?: string | readonly string[],
): Promise<SentResponse> => {
  const before = await snapshot();
  const response = await request();
  expectScimError(response, status, scimType);
  expect(await snapshot()).toEqual(before);
  return response;
};

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('RFC 7644 §3.12 errors for bad request bodies', () => {
  it('a malformed JSON body is 400 invalidSyntax', async () => {
    await failsWithoutChange(() => raw('POST', '/Users', { body: '{"userName": "x@acme.example",' }), 400, 'invalidSyntax');
  });

  it('a body stream that breaks mid-way (the client went away) is 400 invalidSyntax, not a fault', async () => {
    const errors: unknown[] = [];
    seatkit = createSeatkit({ storage: memoryStorage(), policy: lifecyclePolicy, onError: (e) => errors.push(e) });
    await seatkit.tenants.put(lifecycleTenant(TENANT, TOKEN));
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"userName": "half'));
        controller.error(new Error('aborted'));
      },
    });
    const response = await seatkit.handle(new Request(`${BASE}/Users`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' }, body: broken, duplex: 'half',
    } as RequestInit));
    expect(response.status).toBe(400);
    expect((await response.json() as { scimType: string }).scimType).toBe('invalidSyntax');
    expect(errors).toEqual([]);
  });

  it('a body that is a JSON array is 400 invalidSyntax', async () => {
    await failsWithoutChange(() => raw('POST', '/Users', { body: JSON.stringify([{ userName: 'x@acme.example' }]) }), 400, 'invalidSyntax');
    await failsWithoutChange(() => raw('PUT', `/Users/${ada}`, { body: '[]' }), 400, 'invalidSyntax');
    await failsWithoutChange(() => raw('PATCH', `/Users/${ada}`, { body: '[]' }), 400, 'invalidSyntax');
  });

  it('a POST without a body is 400 invalidSyntax', async () => {
    await failsWithoutChange(() => raw('POST', '/Users'), 400, 'invalidSyntax');
  });

  it('a User without userName is 400 invalidValue', async () => {
    await failsWithoutChange(() => send('POST', '/Users', { schemas: [USER_SCHEMA_URN], displayName: 'No Name' }), 400, 'invalidValue');
    await failsWithoutChange(() => send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: '' }), 400, 'invalidValue');
  });

  it('a PUT without userName is 400 invalidValue and leaves the user as it was', async () => {
    await failsWithoutChange(() => send('PUT', `/Users/${ada}`, { schemas: [USER_SCHEMA_URN], displayName: 'No Name' }), 400, 'invalidValue');
  });

  it('an attribute of the wrong type (active: "maybe") is 400 invalidValue', async () => {
    await failsWithoutChange(
      () => send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'maybe@acme.example', active: 'maybe' }),
      400,
      'invalidValue',
    );
    await failsWithoutChange(
      () => send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'active', value: 'maybe' })),
      400,
      'invalidValue',
    );
  });

  it('a Group without displayName is 400 invalidValue', async () => {
    await failsWithoutChange(() => send('POST', '/Groups', { schemas: [GROUP_SCHEMA_URN], members: [] }), 400, 'invalidValue');
  });

  it('a group with a member id that is not a user of the tenant is 400 invalidValue', async () => {
    await failsWithoutChange(
      () => send('POST', '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Ghosts', members: [{ value: ada }, { value: 'no-such-user-7731' }] }),
      400,
      'invalidValue',
    );
    await failsWithoutChange(
      () => send('PATCH', `/Groups/${team}`, patch({ op: 'add', path: 'members', value: [{ value: 'no-such-user-7731' }] })),
      400,
      'invalidValue',
    );
    await failsWithoutChange(
      () => send('PUT', `/Groups/${team}`, { schemas: [GROUP_SCHEMA_URN], displayName: 'Team', members: [{ value: 'no-such-user-7731' }] }),
      400,
      'invalidValue',
    );
  });

  it('a group member that is a group id (not a user id) is 400 invalidValue', async () => {
    await failsWithoutChange(
      () => send('POST', '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Nested', members: [{ value: team }] }),
      400,
      'invalidValue',
    );
  });

  it('a body whose content-type is not JSON is 415', async () => {
    await failsWithoutChange(
      () => raw('POST', '/Users', { body: '<user><userName>x</userName></user>', headers: { 'content-type': 'application/xml' } }),
      415,
    );
  });

  it('a body over limits.maxPayloadSize is 413', async () => {
    const big = { schemas: [USER_SCHEMA_URN], userName: 'big@acme.example', displayName: 'x'.repeat(MAX_PAYLOAD * 2) };
    await failsWithoutChange(() => send('POST', '/Users', big), 413);
    await failsWithoutChange(() => send('PUT', `/Users/${ada}`, { ...big, userName: 'ada@acme.example' }), 413);
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'displayName', value: 'x'.repeat(MAX_PAYLOAD * 2) })), 413);
  });

  it('a body just under limits.maxPayloadSize is accepted', async () => {
    const body = { schemas: [USER_SCHEMA_URN], userName: 'fits@acme.example', displayName: '' };
    body.displayName = 'x'.repeat(MAX_PAYLOAD - JSON.stringify(body).length);
    expect(new TextEncoder().encode(JSON.stringify(body)).length).toBe(MAX_PAYLOAD);
    expect((await send('POST', '/Users', body)).status).toBe(201);
  });
});

describe('RFC 7644 §3.12 errors for filters', () => {
  it('filter text that does not parse is 400 invalidFilter', async () => {
    for (const filter of ['userName eq', 'userName eq "a" and', '(userName eq "a"', 'userName xx "a"']) {
      await failsWithoutChange(() => send('GET', `/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
    }
    await failsWithoutChange(() => send('GET', `/Groups?filter=${encodeURIComponent('displayName eq')}`), 400, 'invalidFilter');
  });

  it('a filter on an unknown attribute is 400 invalidFilter, never an empty result', async () => {
    await failsWithoutChange(() => send('GET', `/Users?filter=${encodeURIComponent('favouriteColour eq "blue"')}`), 400, 'invalidFilter');
    await failsWithoutChange(() => send('GET', `/Users?filter=${encodeURIComponent('emails[colour eq "blue"]')}`), 400, 'invalidFilter');
    await failsWithoutChange(() => send('GET', `/Groups?filter=${encodeURIComponent('userName eq "ada@acme.example"')}`), 400, 'invalidFilter');
  });
});

describe('RFC 7644 §3.12 errors for PATCH', () => {
  it('a PATCH path that names no attribute is 400 invalidPath', async () => {
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'favouriteColour', value: 'blue' })), 400, 'invalidPath');
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'name.nickname', value: 'x' })), 400, 'invalidPath');
    await failsWithoutChange(() => send('PATCH', `/Groups/${team}`, patch({ op: 'replace', path: 'title', value: 'x' })), 400, 'invalidPath');
  });

  it('a PATCH remove without a path is 400 noTarget', async () => {
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, patch({ op: 'remove' })), 400, 'noTarget');
    await failsWithoutChange(() => send('PATCH', `/Groups/${team}`, patch({ op: 'remove' })), 400, 'noTarget');
  });

  it('a PATCH with an unknown op is 400', async () => {
    await failsWithoutChange(
      () => send('PATCH', `/Users/${ada}`, patch({ op: 'move', path: 'displayName', value: 'x' })),
      400,
      ['invalidSyntax', 'invalidValue'],
    );
  });

  it('a PATCH without the PatchOp schema or without operations is 400', async () => {
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }), 400, ['invalidSyntax', 'invalidValue']);
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, { schemas: [PATCH_OP], Operations: [] }), 400, ['invalidSyntax', 'invalidValue']);
  });

  it('a PATCH on a read-only attribute (id, groups, meta, the license) is 400 mutability', async () => {
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'id', value: 'mine' })), 400, 'mutability');
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, patch({ op: 'add', path: 'groups', value: [{ value: team }] })), 400, 'mutability');
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, patch({ op: 'remove', path: 'groups' })), 400, 'mutability');
    await failsWithoutChange(() => send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' })), 400, 'mutability');
    await failsWithoutChange(
      () => send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'urn:seatkit:scim:schemas:extension:license:2.0:User:tier', value: 'pro' })),
      400,
      'mutability',
    );
    await failsWithoutChange(() => send('PATCH', `/Groups/${team}`, patch({ op: 'replace', path: 'id', value: 'mine' })), 400, 'mutability');
  });

  it('a PATCH whose later operation has a bad path applies none of the earlier ones', async () => {
    await failsWithoutChange(
      () => send('PATCH', `/Users/${ada}`, patch(
        { op: 'replace', path: 'displayName', value: 'Changed' },
        { op: 'add', path: 'roles', value: [{ value: 'pro' }] },
        { op: 'replace', path: 'favouriteColour', value: 'blue' },
      )),
      400,
      'invalidPath',
    );
  });

  it('a PATCH whose later operation gives a wrong type applies none of the earlier ones', async () => {
    await failsWithoutChange(
      () => send('PATCH', `/Users/${ada}`, patch(
        { op: 'replace', path: 'displayName', value: 'Changed' },
        { op: 'replace', path: 'active', value: false },
        { op: 'replace', path: 'nickName', value: true },
      )),
      400,
      'invalidValue',
    );
  });

  it('a PATCH whose later operation has no target applies none of the earlier ones', async () => {
    await failsWithoutChange(
      () => send('PATCH', `/Users/${ada}`, patch(
        { op: 'replace', path: 'active', value: false },
        { op: 'replace', path: 'emails[type eq "work"]', value: true },
      )),
      400,
      'noTarget',
    );
  });

  it('a group PATCH whose later operation fails applies neither the rename nor the member changes before it', async () => {
    await failsWithoutChange(
      () => send('PATCH', `/Groups/${team}`, patch(
        { op: 'replace', path: 'displayName', value: 'Pro Users' },
        { op: 'add', path: 'members', value: [{ value: ben }] },
        { op: 'remove', path: `members[value eq "${ada}"]` },
        { op: 'add', path: 'members', value: [{ value: 'no-such-user-7731' }] },
      )),
      400,
      'invalidValue',
    );
  });

  it('a PATCH on a group that would leave it without displayName is 400 and changes nothing', async () => {
    await failsWithoutChange(
      () => send('PATCH', `/Groups/${team}`, patch({ op: 'add', path: 'members', value: [{ value: ben }] }, { op: 'remove', path: 'displayName' })),
      400,
      'invalidValue',
    );
  });
});

describe('RFC 7644 §3.12 uniqueness conflicts', () => {
  it('a userName that differs from an existing one only in case is 409 uniqueness', async () => {
    await failsWithoutChange(() => send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'ADA@Acme.Example' }), 409, 'uniqueness');
  });

  it('a PUT that renames a user onto another user\'s userName is 409 uniqueness', async () => {
    await failsWithoutChange(
      () => send('PUT', `/Users/${ben}`, { schemas: [USER_SCHEMA_URN], userName: 'Ada@acme.example', active: false }),
      409,
      'uniqueness',
    );
  });

  it('a PATCH that renames a user onto another user\'s userName is 409 uniqueness', async () => {
    await failsWithoutChange(
      () => send('PATCH', `/Users/${ben}`, patch({ op: 'replace', path: 'userName', value: 'ada@ACME.example' })),
      409,
      'uniqueness',
    );
  });

  it('a user may change the case of its own userName', async () => {
    const response = await send('PATCH', `/Users/${ada}`, patch({ op: 'replace', path: 'userName', value: 'Ada@Acme.Example' }));
    expect(response.status).toBe(200);
    expect(response.body.userName).toBe('Ada@Acme.Example');
  });
});

describe('RFC 7644 §3.12 not found', () => {
  const missing = 'c0ffee00-0000-4000-8000-000000000000';

  it('an unknown User id is 404 on GET, PUT, PATCH and DELETE', async () => {
    await failsWithoutChange(() => send('GET', `/Users/${missing}`), 404);
    await failsWithoutChange(() => send('PUT', `/Users/${missing}`, { schemas: [USER_SCHEMA_URN], userName: 'new@acme.example' }), 404);
    await failsWithoutChange(() => send('PATCH', `/Users/${missing}`, patch({ op: 'replace', path: 'displayName', value: 'x' })), 404);
    await failsWithoutChange(() => send('DELETE', `/Users/${missing}`), 404);
  });

  it('an unknown Group id is 404 on GET, PUT, PATCH and DELETE', async () => {
    await failsWithoutChange(() => send('GET', `/Groups/${missing}`), 404);
    await failsWithoutChange(() => send('PUT', `/Groups/${missing}`, { schemas: [GROUP_SCHEMA_URN], displayName: 'New' }), 404);
    await failsWithoutChange(() => send('PATCH', `/Groups/${missing}`, patch({ op: 'replace', path: 'displayName', value: 'x' })), 404);
    await failsWithoutChange(() => send('DELETE', `/Groups/${missing}`), 404);
  });

  it('a User id used as a Group id, or the reverse, is 404', async () => {
    await failsWithoutChange(() => send('GET', `/Groups/${ada}`), 404);
    await failsWithoutChange(() => send('DELETE', `/Users/${team}`), 404);
  });

  it('an unknown endpoint is 404', async () => {
    await failsWithoutChange(() => send('GET', '/Widgets'), 404);
    await failsWithoutChange(() => send('POST', '/Widgets', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }), 404);
    await failsWithoutChange(() => send('GET', `/Users/${ada}/extra`), 404);
  });
});

describe('RFC 7644 §3.12 methods', () => {
  it('a method the endpoint does not support is 405', async () => {
    await failsWithoutChange(() => send('DELETE', '/Users'), 405);
    await failsWithoutChange(() => send('PUT', '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'x' }), 405);
    await failsWithoutChange(() => send('POST', `/Users/${ada}`, { schemas: [USER_SCHEMA_URN], userName: 'x@acme.example' }), 405);
    await failsWithoutChange(() => send('POST', '/Schemas', {}), 405);
    await failsWithoutChange(() => send('DELETE', '/ServiceProviderConfig'), 405);
  });
});

describe('RFC 7644 §3.12 authentication', () => {
  it('a request without Authorization is 401 with a www-authenticate header', async () => {
    const response = await failsWithoutChange(() => sendThrough((r) => seatkit.handle(r), BASE, null)('GET', '/Users'), 401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/i);
    const write = await failsWithoutChange(
      () => sendThrough((r) => seatkit.handle(r), BASE, null)('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'anon@acme.example' }),
      401,
    );
    expect(write.headers.get('www-authenticate')).toMatch(/^Bearer/i);
  });

  it('an Authorization header that is not a bearer token is 401', async () => {
    await failsWithoutChange(() => raw('GET', '/Users', { headers: { authorization: `Basic ${btoa('user:pass')}` } }), 401);
    await failsWithoutChange(() => raw('GET', '/Users', { headers: { authorization: 'Bearer' } }), 401);
  });

  it('a wrong token is 401', async () => {
    const response = await failsWithoutChange(
      () => sendThrough((r) => seatkit.handle(r), BASE, 'not-the-token')('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'intruder@acme.example' }),
      401,
    );
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/i);
  });

  it('a revoked token is 401 while the tenant\'s other tokens keep working', async () => {
    await seatkit.tenants.addToken(TENANT, 'second-token');
    const second = sendThrough((r) => seatkit.handle(r), BASE, 'second-token');
    expect((await second('GET', '/Users')).status).toBe(200);
    await seatkit.tenants.revokeToken('second-token');
    await failsWithoutChange(() => second('GET', '/Users'), 401);
    await failsWithoutChange(() => second('DELETE', `/Users/${ada}`), 401);
    expect((await send('GET', '/Users')).status).toBe(200);
  });
});

describe('error details never echo user data', () => {
  const secretName = 'zelda.secret-7319@acme.example';
  const secretMember = 'member-id-secret-4402';

  const detailOf = async (request: () => Promise<SentResponse>, status: number) => {
    const response = await request();
    expect(response.status).toBe(status);
    expect(response.body.schemas).toEqual([ERROR_SCHEMA_URN]);
    return String(response.body.detail);
  };

  it('no error detail contains the submitted userName', async () => {
    const zelda = await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: secretName });
    expect(zelda.status).toBe(201);
    const details = [
      await detailOf(() => send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: secretName.toUpperCase() }), 409),
      await detailOf(() => send('PUT', `/Users/${ben}`, { schemas: [USER_SCHEMA_URN], userName: secretName }), 409),
      await detailOf(() => send('PATCH', `/Users/${ben}`, patch({ op: 'replace', path: 'userName', value: secretName })), 409),
      await detailOf(() => send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: `other-${secretName}`, active: 'maybe' }), 400),
      await detailOf(() => send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: `other-${secretName}`, name: 'not-an-object' }), 400),
      await detailOf(() => send('GET', `/Users?filter=${encodeURIComponent(`userName eq "${secretName}" and`)}`), 400),
    ];
    for (const detail of details) expect(detail.toLowerCase()).not.toContain(secretName.toLowerCase());
  });

  it('no error detail contains a userName or email given as a value in a PATCH path filter', async () => {
    const details = [
      await detailOf(() => send('PATCH', `/Users/${ben}`, patch({ op: 'replace', path: `emails[value eq "${secretName}"].colour`, value: 'x' })), 400),
      await detailOf(() => send('PATCH', `/Users/${ben}`, patch({ op: 'replace', path: `emails[value eq "${secretName}"`, value: 'x' })), 400),
    ];
    for (const detail of details) expect(detail.toLowerCase()).not.toContain(secretName.toLowerCase());
  });

  it('no error detail contains a member id submitted in a members list', async () => {
    const details = [
      await detailOf(() => send('POST', '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Ghosts', members: [{ value: secretMember }] }), 400),
      await detailOf(() => send('PATCH', `/Groups/${team}`, patch({ op: 'add', path: 'members', value: [{ value: secretMember }] })), 400),
      await detailOf(() => send('PATCH', `/Groups/${team}`, patch({ op: 'remove', path: 'members', value: [{ value: secretMember }] }, { op: 'add', path: 'members', value: [{ value: secretMember }] })), 400),
      await detailOf(() => send('PUT', `/Groups/${team}`, { schemas: [GROUP_SCHEMA_URN], displayName: 'Team', members: [{ value: secretMember }] }), 400),
    ];
    for (const detail of details) expect(detail).not.toContain(secretMember);
  });

  it('no error detail contains a member id given in a members[value eq "..."] PATCH path', async () => {
    const details = [
      await detailOf(() => send('PATCH', `/Groups/${team}`, patch({ op: 'replace', path: `members[value eq "${secretMember}"]`, value: { value: ben } })), 400),
      await detailOf(() => send('PATCH', `/Groups/${team}`, patch({ op: 'remove', path: `members[value eq "${secretMember}"].display` })), 400),
      await detailOf(() => send('PATCH', `/Groups/${team}`, patch({ op: 'remove', path: `members[value eq "${secretMember}"` })), 400),
    ];
    for (const detail of details) expect(detail).not.toContain(secretMember);
  });
});
