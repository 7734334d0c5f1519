/**
 * One scripted IdP lifecycle, run through any transport: the raw handler, Express, Hono or Next.
 *
 * The tenant it expects (see {@link lifecycleTenant} and {@link lifecyclePolicy}) has one standard
 * and one pro seat; the role `pro` or membership of the group "Pro Users" wants pro, everyone else
 * standard. Each step checks the status, the license extension, the SCIM media type, and for
 * creations the Location and ETag headers.
 */
import { expect } from 'vitest';
import { rulePolicy, type TenantInput } from 'seatkit';

export const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';
export const USER_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface SentResponse {
  readonly status: number;
  /** The parsed JSON body, or null when the response has none. */
  readonly body: any;
  readonly headers: Headers;
}

/** Sends one SCIM request; `path` is relative to the SCIM base URL, e.g. `/Users?filter=...`. */
export type Send = (method: string, path: string, body?: unknown) => Promise<SentResponse>;

export const lifecyclePolicy = rulePolicy({
  defaultTier: 'standard',
  rules: [
    { when: { role: 'pro' }, tier: 'pro' },
    { when: { group: 'Pro Users' }, tier: 'pro' },
  ],
});

export const lifecycleTenant = (id: string, token: string): TenantInput => ({
  id,
  name: `Tenant ${id}`,
  contract: { tiers: [{ key: 'standard', seats: 1 }, { key: 'pro', seats: 1 }] },
  tokens: [token],
});

/** Reads a fetch Response into a {@link SentResponse}. */
export const readResponse = async (response: Response): Promise<SentResponse> => {
  const text = await response.text();
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, body, headers: response.headers };
};

/**
 * A {@link Send} over any `(Request) => Promise<Response>`: `seatkit.handle`, a Next route handler,
 * or `fetch` against a listening server. `baseUrl` is the SCIM base, e.g. `http://localhost/scim/v2`.
 */
export const sendThrough = (
  call: (request: Request) => Promise<Response>,
  baseUrl: string,
  token: string | null,
): Send => async (method, path, body) => {
  const headers: Record<string, string> = { accept: 'application/scim+json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/scim+json';
  const request = new Request(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return readResponse(await call(request));
};

/** Asserts the SCIM media type on a response that carries JSON. */
export const expectScimJson = (response: SentResponse) => {
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/scim\+json/);
};

const expectCreated = (response: SentResponse, endpoint: 'Users' | 'Groups', baseUrl: string | undefined) => {
  expect(response.status).toBe(201);
  expectScimJson(response);
  const { id, meta } = response.body;
  expect(typeof id).toBe('string');
  expect(meta.location).toMatch(new RegExp(`/${endpoint}/${id}$`));
  if (baseUrl !== undefined) expect(meta.location).toBe(`${baseUrl}/${endpoint}/${id}`);
  expect(response.headers.get('location')).toBe(meta.location);
  expect(typeof meta.version).toBe('string');
  expect(response.headers.get('etag')).toBe(meta.version);
};

const expectLicense = (user: any, tier: string, status: 'assigned' | 'pending' | 'released') => {
  expect(user.schemas).toContain(LICENSE);
  expect(user[LICENSE]).toEqual({ tier, status });
};

const expectOk = (response: SentResponse) => {
  expect(response.status).toBe(200);
  expectScimJson(response);
};

const expectNoContent = (response: SentResponse) => {
  expect(response.status).toBe(204);
  expect(response.body).toBeNull();
};

const expectNotFound = (response: SentResponse) => {
  expect(response.status).toBe(404);
  expectScimJson(response);
  expect(response.body.schemas).toEqual([ERROR_SCHEMA_URN]);
  expect(response.body.status).toBe('404');
};

export interface LifecycleOptions {
  /** The SCIM base URL the client sees; when given, every `meta.location` must start with it. */
  readonly baseUrl?: string;
}

export interface LifecycleIds {
  readonly userA: string;
  readonly userB: string;
  readonly group: string;
}

const q = (text: string) => encodeURIComponent(text);

/** Runs the scripted lifecycle against a fresh tenant made from {@link lifecycleTenant}. */
export const runLifecycle = async (send: Send, options: LifecycleOptions = {}): Promise<LifecycleIds> => {
  const { baseUrl } = options;

  // 1. A takes the only standard seat.
  const createdA = await send('POST', '/Users', {
    schemas: [USER_SCHEMA_URN],
    userName: 'alice@lifecycle.example',
    name: { givenName: 'Alice', familyName: 'Arden' },
    emails: [{ value: 'alice@lifecycle.example', type: 'work', primary: true }],
    active: true,
  });
  expectCreated(createdA, 'Users', baseUrl);
  expect(createdA.body.userName).toBe('alice@lifecycle.example');
  expectLicense(createdA.body, 'standard', 'assigned');
  const userA: string = createdA.body.id;

  // 2. B is created too, and waits for a standard seat.
  const createdB = await send('POST', '/Users', {
    schemas: [USER_SCHEMA_URN],
    userName: 'bob@lifecycle.example',
    displayName: 'Bob Brandt',
    active: true,
  });
  expectCreated(createdB, 'Users', baseUrl);
  expectLicense(createdB.body, 'standard', 'pending');
  const userB: string = createdB.body.id;
  expect(userB).not.toBe(userA);

  // 3. "Pro Users" with B: B leaves the standard queue for the free pro seat.
  const createdGroup = await send('POST', '/Groups', {
    schemas: [GROUP_SCHEMA_URN],
    displayName: 'Pro Users',
    members: [{ value: userB, display: 'Bob Brandt' }],
  });
  expectCreated(createdGroup, 'Groups', baseUrl);
  expect(createdGroup.body.displayName).toBe('Pro Users');
  expect(createdGroup.body.members.map((m: { value: string }) => m.value)).toEqual([userB]);
  const group: string = createdGroup.body.id;

  const bAsPro = await send('GET', `/Users/${userB}`);
  expectOk(bAsPro);
  expectLicense(bAsPro.body, 'pro', 'assigned');
  expect(bAsPro.body.groups).toEqual([expect.objectContaining({ value: group, display: 'Pro Users' })]);
  expect(bAsPro.headers.get('etag')).toBe(bAsPro.body.meta.version);

  // 4. A is deactivated: the standard seat is released.
  const deactivated = await send('PATCH', `/Users/${userA}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: 'replace', path: 'active', value: false }],
  });
  expectOk(deactivated);
  expect(deactivated.body.id).toBe(userA);
  expect(deactivated.body.active).toBe(false);
  expectLicense(deactivated.body, 'standard', 'released');
  expect(deactivated.body.meta.version).not.toBe(createdA.body.meta.version);

  // 5. B still holds pro.
  const bStillPro = await send('GET', `/Users/${userB}`);
  expectOk(bStillPro);
  expectLicense(bStillPro.body, 'pro', 'assigned');

  // 6. Filters, as an IdP uses them to find what it already pushed.
  const byUserName = await send('GET', `/Users?filter=${q('userName eq "BOB@lifecycle.example"')}`);
  expectOk(byUserName);
  expect(byUserName.body.schemas).toEqual([LIST_RESPONSE]);
  expect(byUserName.body.totalResults).toBe(1);
  expect(byUserName.body.Resources.map((u: { id: string }) => u.id)).toEqual([userB]);
  expectLicense(byUserName.body.Resources[0], 'pro', 'assigned');

  const inactive = await send('GET', `/Users?filter=${q('active eq false')}`);
  expectOk(inactive);
  expect(inactive.body.totalResults).toBe(1);
  expect(inactive.body.Resources[0].id).toBe(userA);
  expectLicense(inactive.body.Resources[0], 'standard', 'released');

  const nobody = await send('GET', `/Users?filter=${q('userName eq "nobody@lifecycle.example"')}`);
  expectOk(nobody);
  expect(nobody.body.totalResults).toBe(0);

  const groupByName = await send('GET', `/Groups?filter=${q('displayName eq "Pro Users"')}&excludedAttributes=members`);
  expectOk(groupByName);
  expect(groupByName.body.totalResults).toBe(1);
  expect(groupByName.body.Resources[0].id).toBe(group);
  expect(groupByName.body.Resources[0].members).toBeUndefined();

  // 7. B leaves the group: back to standard, and A's released seat is free for B.
  const removed = await send('PATCH', `/Groups/${group}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: 'remove', path: `members[value eq "${userB}"]` }],
  });
  expect([200, 204]).toContain(removed.status);
  if (removed.status === 200) expectScimJson(removed);
  else expect(removed.body).toBeNull();

  const bBack = await send('GET', `/Users/${userB}`);
  expectOk(bBack);
  expectLicense(bBack.body, 'standard', 'assigned');
  expect(bBack.body.groups).toBeUndefined();

  const emptyGroup = await send('GET', `/Groups/${group}`);
  expectOk(emptyGroup);
  expect(emptyGroup.body.members ?? []).toEqual([]);

  // 8. A is deleted.
  expectNoContent(await send('DELETE', `/Users/${userA}`));
  expectNotFound(await send('GET', `/Users/${userA}`));

  // 9. The group is deleted.
  expectNoContent(await send('DELETE', `/Groups/${group}`));
  expectNotFound(await send('GET', `/Groups/${group}`));

  // What is left: B alone, on standard.
  const users = await send('GET', '/Users');
  expectOk(users);
  expect(users.body.totalResults).toBe(1);
  expect(users.body.Resources.map((u: { id: string }) => u.id)).toEqual([userB]);
  expectLicense(users.body.Resources[0], 'standard', 'assigned');
  const groups = await send('GET', '/Groups');
  expectOk(groups);
  expect(groups.body.totalResults).toBe(0);

  return { userA, userB, group };
};
