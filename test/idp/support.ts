/**
 * Shared harness for the per-IdP compatibility suites in `test/idp/`.
 *
 * Every suite replays requests shaped exactly as one identity provider sends them (method, path
 * and query string as the IdP writes them, its headers, its body) against seatkit's raw handler,
 * `seatkit.handle(new Request(...))`, with no framework in between. Each test builds a fresh
 * harness, so tests never share state.
 *
 * The tenant is the README's Acme: 3 `standard` seats and 2 `pro` seats; a user wants `pro` when it
 * holds the role `pro` (any case) or belongs to the group "Pro Users", `standard` otherwise.
 *
 * Steps can also be replayed in the JSON shape of `examples/express/recordings/*.json` (the format
 * `examples/express/replay.ts` uses): `{{name}}` placeholders are filled from earlier `capture`s.
 */
import { expect } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type LicensePolicy, type Seatkit, type TenantInput } from 'seatkit';
import type { RecordedStep } from '../../examples/express/replay';

export const BASE_URL = 'http://localhost/scim/v2';
export const TENANT_ID = 'acme';
export const TOKEN = 'acme-idp-token-0f3b9c';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The rules of the README's demo tenant. */
export const idpPolicy = rulePolicy({
  defaultTier: 'standard',
  rules: [
    { when: { role: 'pro' }, tier: 'pro' },
    { when: { group: 'Pro Users' }, tier: 'pro' },
  ],
});

export const idpTenant = (token: string = TOKEN): TenantInput => ({
  id: TENANT_ID,
  name: 'Acme Corp',
  contract: { tiers: [{ key: 'standard', seats: 3 }, { key: 'pro', seats: 2 }] },
  tokens: [token],
});

/**
 * The headers an IdP puts on every request. `contentType` is only sent with a body. Where a
 * vendor's value is not documented, the profile says so and uses the RFC 7644 media type.
 */
export interface IdpProfile {
  readonly name: string;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
}

export const PROFILES = {
  // Okta's SCIM reference and its published request captures.
  okta: {
    name: 'Okta',
    contentType: 'application/scim+json; charset=utf-8',
    headers: { accept: 'application/scim+json', 'accept-charset': 'utf-8', 'user-agent': 'Okta SCIM Client 1.0.0' },
  },
  // Writes carry application/scim+json; charset=utf-8 (MicrosoftDocs/azure-docs#12728); the
  // Test Connection GET carries no SCIM Accept header (MicrosoftDocs/azure-docs#94189).
  entra: { name: 'Microsoft Entra ID', contentType: 'application/scim+json; charset=utf-8', headers: {} },
  // Not documented by Google; the RFC media type is assumed.
  google: { name: 'Google Workspace', contentType: 'application/scim+json', headers: {} },
  // Observed in a OneLogin SCIM v2 Enterprise trace (goauthentik/authentik#11249): an empty User-Agent.
  onelogin: { name: 'OneLogin', contentType: 'application/scim+json', headers: { 'user-agent': '' } },
  // Not documented by JumpCloud; the RFC media type is assumed.
  jumpcloud: { name: 'JumpCloud', contentType: 'application/scim+json', headers: {} },
  // The SCIM Provisioner sends application/scim+json since version 1.3 (Ping changelog).
  ping: { name: 'PingFederate / PingOne', contentType: 'application/scim+json', headers: {} },
  // Not documented by Rippling; the RFC media type is assumed.
  rippling: { name: 'Rippling', contentType: 'application/scim+json', headers: {} },
} satisfies Record<string, IdpProfile>;

export interface IdpResponse {
  readonly status: number;
  /** The parsed JSON body, or null when there is none. */
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

export interface SendOptions {
  /** Extra or overriding headers; a header set to null is left out. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** Overrides the profile's Content-Type for this request. */
  readonly contentType?: string;
}

export interface IdpHarness {
  readonly seatkit: Seatkit;
  /** Sends one request; `path` is relative to the SCIM base URL and kept byte for byte (`/Users?filter=userName+eq+...&`). */
  send(method: string, path: string, body?: unknown, options?: SendOptions): Promise<IdpResponse>;
  /** Replays steps in the recordings' JSON format and returns the variables they captured. */
  replay(steps: readonly RecordedStep[], vars?: Record<string, string>): Promise<Record<string, string>>;
  /** Seats per tier of the demo contract, as the host sees them. */
  usage(): Promise<Record<'standard' | 'pro', TierSeats>>;
  /** The license of a user, as the host sees it. */
  license(userId: string): Promise<{ tier: string; status: string } | null>;
  /**
   * Creates a user through SCIM in the generic RFC form, for tests whose subject is a later
   * request. Returns its id.
   */
  seedUser(userName: string, extra?: Record<string, unknown>): Promise<string>;
  /** Creates a group through SCIM in the generic RFC form (what a host does for IdPs that only import groups). */
  seedGroup(displayName: string, memberIds?: readonly string[]): Promise<string>;
}

export interface TierSeats {
  readonly assigned: number;
  readonly pending: number;
  readonly available: number | null;
}

export interface HarnessOptions {
  readonly policy?: LicensePolicy;
  readonly tenant?: TenantInput;
}

const parse = (text: string): unknown => {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** A fresh seatkit with an in-memory store, the demo tenant, and an IdP's request profile. */
export const idpHarness = async (profile: IdpProfile, options: HarnessOptions = {}): Promise<IdpHarness> => {
  let counter = 0;
  const seatkit = createSeatkit({
    storage: memoryStorage(),
    policy: options.policy ?? idpPolicy,
    // Deterministic ids keep failure messages readable.
    generateId: () => `id-${String(++counter).padStart(4, '0')}`,
    onError: () => undefined,
  });
  await seatkit.tenants.put(options.tenant ?? idpTenant());

  const send: IdpHarness['send'] = async (method, path, body, sendOptions = {}) => {
    const headers = new Headers();
    headers.set('authorization', `Bearer ${TOKEN}`);
    for (const [k, v] of Object.entries(profile.headers)) headers.set(k, v);
    if (body !== undefined) headers.set('content-type', sendOptions.contentType ?? profile.contentType);
    for (const [k, v] of Object.entries(sendOptions.headers ?? {})) {
      if (v === null) headers.delete(k);
      else headers.set(k, v);
    }
    const request = new Request(`${BASE_URL}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const response = await seatkit.handle(request);
    const text = await response.text();
    return { status: response.status, body: parse(text), text, headers: response.headers };
  };

  const fill = (value: unknown, vars: Record<string, string>): unknown => {
    if (typeof value === 'string') return value.replace(/\{\{(\w+)\}\}/g, (m, name: string) => vars[name] ?? m);
    if (Array.isArray(value)) return value.map((v) => fill(v, vars));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
    return value;
  };
  const at = (doc: unknown, path: string): unknown =>
    path.split('.').reduce<unknown>((o, key) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), doc);

  const replay: IdpHarness['replay'] = async (steps, initial = {}) => {
    const vars = { ...initial };
    for (const raw of steps) {
      const step = fill(raw, vars) as RecordedStep;
      const response = await send(step.method, step.path, step.body, { headers: step.headers ?? {} });
      const statuses = ([] as number[]).concat(step.expect.status);
      expect(statuses, `${step.name}: status ${response.status}, body ${response.text}`).toContain(response.status);
      if (step.expect.bodyIncludes !== undefined) expect(response.body, step.name).toMatchObject(step.expect.bodyIncludes as object);
      for (const path of step.expect.absent ?? []) expect(at(response.body, path), `${step.name}: ${path}`).toBeUndefined();
      for (const [path, value] of Object.entries(step.expect.equals ?? {})) expect(at(response.body, path), `${step.name}: ${path}`).toEqual(value);
      for (const [name, path] of Object.entries(step.capture ?? {})) {
        const value = at(response.body, path);
        if (typeof value === 'string') vars[name] = value;
      }
    }
    return vars;
  };

  const seedUser: IdpHarness['seedUser'] = async (userName, extra = {}) => {
    const res = await send('POST', '/Users', { schemas: [USER_SCHEMA], userName, active: true, ...extra }, { contentType: 'application/scim+json' });
    expect(res.status, `seeding ${userName}: ${res.text}`).toBe(201);
    return res.body.id as string;
  };

  const seedGroup: IdpHarness['seedGroup'] = async (displayName, memberIds = []) => {
    const res = await send('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName,
      members: memberIds.map((value) => ({ value })),
    }, { contentType: 'application/scim+json' });
    expect(res.status, `seeding group ${displayName}: ${res.text}`).toBe(201);
    return res.body.id as string;
  };

  return {
    seatkit,
    send,
    replay,
    usage: async () => Object.fromEntries((await seatkit.usage(TENANT_ID)).map((u) => [u.tier, { assigned: u.assigned, pending: u.pending, available: u.available }])) as Record<'standard' | 'pro', TierSeats>,
    license: async (userId) => {
      const license = await seatkit.getLicense(TENANT_ID, userId);
      return license ? { tier: license.tier, status: license.status } : null;
    },
    seedUser,
    seedGroup,
  };
};

/** A filter as an IdP writes it in a query string, with `%20` for spaces. */
export const q = (filter: string): string => encodeURIComponent(filter);

/** Asserts the license extension a User response carries. */
export const expectLicense = (user: any, tier: string, status: 'assigned' | 'pending' | 'released') => {
  expect(user.schemas).toContain(LICENSE);
  expect(user[LICENSE]).toEqual({ tier, status });
};

/** Asserts a SCIM JSON response: the media type and, for errors, the RFC 7644 §3.12 body. */
export const expectScimJson = (res: IdpResponse) => {
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/scim\+json/);
};

export const expectScimError = (res: IdpResponse, status: number, scimType?: string) => {
  expect(res.status, res.text).toBe(status);
  expectScimJson(res);
  expect(res.body.schemas).toEqual([ERROR_SCHEMA]);
  expect(res.body.status).toBe(String(status));
  if (scimType !== undefined) expect(res.body.scimType).toBe(scimType);
};

/** Asserts a ListResponse whose paging numbers are integers (Okta rejects strings). */
export const expectListResponse = (res: IdpResponse, totalResults: number) => {
  expect(res.status, res.text).toBe(200);
  expectScimJson(res);
  expect(res.body.schemas).toEqual([LIST_RESPONSE]);
  expect(res.body.totalResults).toBe(totalResults);
  expect(Number.isInteger(res.body.startIndex)).toBe(true);
  expect(Number.isInteger(res.body.itemsPerPage)).toBe(true);
  expect(Array.isArray(res.body.Resources)).toBe(true);
};

/** Ids of a group's members, read back through SCIM. */
export const memberIds = async (idp: IdpHarness, groupId: string): Promise<string[]> => {
  const res = await idp.send('GET', `/Groups/${groupId}`);
  expect(res.status, res.text).toBe(200);
  return ((res.body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
};
