import { beforeEach, describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, type Seatkit } from 'seatkit';
import { LICENSE, LIST_RESPONSE, USER_SCHEMA_URN, expectScimJson, lifecyclePolicy, lifecycleTenant, sendThrough, type Send } from '../support/lifecycle';

const TOKEN = 'discovery-token';
const MAX_RESULTS = 2;

const SPC_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ROLE_URN = 'urn:ietf:params:scim:schemas:core:2.0:Role';
const ENTITLEMENT_URN = 'urn:ietf:params:scim:schemas:core:2.0:Entitlement';

let seatkit: Seatkit;

beforeEach(async () => {
  seatkit = createSeatkit({ storage: memoryStorage(), policy: lifecyclePolicy, limits: { maxResults: MAX_RESULTS } });
  await seatkit.tenants.put(lifecycleTenant('acme', TOKEN));
});

const at = (base: string): Send => sendThrough((r) => seatkit.handle(r), base, TOKEN);

interface AttributeDoc {
  name: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  subAttributes?: AttributeDoc[];
  [key: string]: unknown;
}

/** Every attribute and sub-attribute of a schema document, with its dotted name. */
const allAttributes = (attributes: AttributeDoc[], prefix = ''): [string, AttributeDoc][] =>
  attributes.flatMap((a) => [[`${prefix}${a.name}`, a] as [string, AttributeDoc], ...allAttributes(a.subAttributes ?? [], `${prefix}${a.name}.`)]);

const attribute = (schema: { attributes: AttributeDoc[] }, path: string) => {
  const found = allAttributes(schema.attributes).find(([name]) => name === path);
  expect(found, `attribute ${path}`).toBeDefined();
  return found![1];
};

// Bases as a host could mount them: the usual one, a short one, a deep one, and the origin root.
const BASES = ['http://localhost/scim/v2', 'http://localhost/v2', 'http://localhost/a/b/scim/v2', 'http://localhost'];

describe.each(BASES)('discovery under the base %s', (base) => {
  it('GET /ServiceProviderConfig advertises PATCH, filtering with maxResults, and bearer-token authentication', async () => {
    const response = await at(base)('GET', '/ServiceProviderConfig');
    expect(response.status).toBe(200);
    expectScimJson(response);
    const spc = response.body;
    expect(spc.schemas).toEqual([SPC_URN]);
    expect(spc.patch).toEqual({ supported: true });
    expect(spc.filter).toEqual({ supported: true, maxResults: MAX_RESULTS });
    expect(spc.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: expect.any(Number) });
    expect(typeof spc.sort.supported).toBe('boolean');
    expect(spc.changePassword.supported).toBe(false);
    expect(typeof spc.etag.supported).toBe('boolean');
    expect(spc.authenticationSchemes.length).toBeGreaterThan(0);
    for (const scheme of spc.authenticationSchemes) {
      expect(typeof scheme.type).toBe('string');
      expect(typeof scheme.name).toBe('string');
      expect(typeof scheme.description).toBe('string');
    }
    expect(spc.authenticationSchemes.map((s: { type: string }) => s.type)).toContain('oauthbearertoken');
    expect(spc.meta.location).toBe(`${base}/ServiceProviderConfig`);
  });

  it('GET /ServiceProviderConfig advertises /Roles and /Entitlements (draft-ietf-scim-roles-entitlements §3.1)', async () => {
    const spc = (await at(base)('GET', '/ServiceProviderConfig')).body;
    expect(spc.RolesAndEntitlements.roles).toMatchObject({ supported: true, multipleRolesSupported: true });
    expect(spc.RolesAndEntitlements.entitlements).toMatchObject({ supported: true, multipleEntitlementsSupported: true });
  });

  it('GET /ResourceTypes lists User, with the enterprise and license extensions, Group, Role and Entitlement', async () => {
    const response = await at(base)('GET', '/ResourceTypes');
    expect(response.status).toBe(200);
    expectScimJson(response);
    expect(response.body.schemas).toEqual([LIST_RESPONSE]);
    expect(response.body.totalResults).toBe(4);
    const byId = Object.fromEntries(response.body.Resources.map((r: { id: string }) => [r.id, r]));
    expect(Object.keys(byId).sort()).toEqual(['Entitlement', 'Group', 'Role', 'User']);

    const user = byId.User;
    expect(user.schemas).toEqual([RESOURCE_TYPE_URN]);
    expect(user).toMatchObject({ name: 'User', endpoint: '/Users', schema: USER_SCHEMA_URN });
    expect(user.schemaExtensions).toEqual(expect.arrayContaining([
      { schema: ENTERPRISE_URN, required: false },
      { schema: LICENSE, required: false },
    ]));
    expect(user.schemaExtensions).toHaveLength(2);
    expect(user.meta).toMatchObject({ resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` });

    const group = byId.Group;
    expect(group).toMatchObject({ name: 'Group', endpoint: '/Groups', schema: GROUP_URN });
    expect(group.schemaExtensions ?? []).toEqual([]);
    expect(group.meta.location).toBe(`${base}/ResourceTypes/Group`);

    expect(byId.Role).toMatchObject({ name: 'Role', endpoint: '/Roles', schema: ROLE_URN, schemaExtensions: [] });
    expect(byId.Role.meta.location).toBe(`${base}/ResourceTypes/Role`);
    expect(byId.Entitlement).toMatchObject({ name: 'Entitlement', endpoint: '/Entitlements', schema: ENTITLEMENT_URN, schemaExtensions: [] });
  });

  it('GET /ResourceTypes/User returns that one resource type, and an unknown one is 404', async () => {
    const user = await at(base)('GET', '/ResourceTypes/User');
    expect(user.status).toBe(200);
    expectScimJson(user);
    expect(user.body).toMatchObject({ schemas: [RESOURCE_TYPE_URN], id: 'User', endpoint: '/Users', schema: USER_SCHEMA_URN });
    expect(user.body.Resources).toBeUndefined();

    const group = await at(base)('GET', '/ResourceTypes/Group');
    expect(group.body).toMatchObject({ id: 'Group', endpoint: '/Groups' });

    const unknown = await at(base)('GET', '/ResourceTypes/Printer');
    expect(unknown.status).toBe(404);
    expectScimJson(unknown);
  });

  it('GET /Schemas lists the core User and Group schemas, the enterprise and license extensions, Role and Entitlement', async () => {
    const response = await at(base)('GET', '/Schemas');
    expect(response.status).toBe(200);
    expectScimJson(response);
    expect(response.body.schemas).toEqual([LIST_RESPONSE]);
    const ids = response.body.Resources.map((s: { id: string }) => s.id);
    expect(ids.sort()).toEqual([USER_SCHEMA_URN, GROUP_URN, ENTERPRISE_URN, LICENSE, ROLE_URN, ENTITLEMENT_URN].sort());
    expect(response.body.totalResults).toBe(6);
    for (const schema of response.body.Resources) {
      expect(schema.schemas).toEqual([SCHEMA_URN]);
      expect(typeof schema.name).toBe('string');
      expect(Array.isArray(schema.attributes)).toBe(true);
      expect(schema.attributes.length).toBeGreaterThan(0);
      expect(schema.meta).toMatchObject({ resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` });
    }
  });

  it('GET /Schemas/{urn} returns that one schema, and an unknown URN is 404', async () => {
    for (const urn of [USER_SCHEMA_URN, GROUP_URN, ENTERPRISE_URN, LICENSE, ROLE_URN, ENTITLEMENT_URN]) {
      const response = await at(base)('GET', `/Schemas/${urn}`);
      expect(response.status).toBe(200);
      expectScimJson(response);
      expect(response.body.id).toBe(urn);
      expect(response.body.schemas).toEqual([SCHEMA_URN]);
      expect(response.body.Resources).toBeUndefined();
    }
    const unknown = await at(base)('GET', '/Schemas/urn:example:params:scim:schemas:extension:nothing:2.0:User');
    expect(unknown.status).toBe(404);
    expectScimJson(unknown);
  });

  it('the license extension\'s tier and status are readOnly strings', async () => {
    const license = (await at(base)('GET', `/Schemas/${LICENSE}`)).body;
    expect(license.attributes.map((a: AttributeDoc) => a.name).sort()).toEqual(['status', 'tier']);
    for (const name of ['tier', 'status']) {
      expect(attribute(license, name)).toMatchObject({ type: 'string', multiValued: false, mutability: 'readOnly' });
    }
    expect(attribute(license, 'status').canonicalValues).toEqual(expect.arrayContaining(['assigned', 'pending', 'released']));
  });

  it('the Role and Entitlement schemas carry the draft\'s capacity attributes, all readOnly', async () => {
    for (const urn of [ROLE_URN, ENTITLEMENT_URN]) {
      const schema = (await at(base)('GET', `/Schemas/${urn}`)).body;
      expect(schema.attributes.map((a: AttributeDoc) => a.name)).toEqual([
        'value', 'display', 'type', 'supported', 'limitedAssignmentsPermitted', 'totalAssignmentsPermitted', 'totalAssignmentsUsed',
      ]);
      expect(attribute(schema, 'value')).toMatchObject({ type: 'string', required: true });
      expect(attribute(schema, 'supported')).toMatchObject({ type: 'boolean' });
      expect(attribute(schema, 'totalAssignmentsPermitted')).toMatchObject({ type: 'integer' });
      expect(attribute(schema, 'totalAssignmentsUsed')).toMatchObject({ type: 'integer' });
      for (const a of schema.attributes as AttributeDoc[]) expect(a.mutability, `${urn} ${a.name}`).toBe('readOnly');
    }
  });

  it('the User schema describes userName as required and unique, password as writeOnly and never returned, groups as readOnly', async () => {
    const user = (await at(base)('GET', `/Schemas/${USER_SCHEMA_URN}`)).body;
    expect(attribute(user, 'userName')).toMatchObject({ type: 'string', required: true, uniqueness: 'server' });
    expect(attribute(user, 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(attribute(user, 'groups')).toMatchObject({ type: 'complex', multiValued: true, mutability: 'readOnly' });
    expect(attribute(user, 'active')).toMatchObject({ type: 'boolean' });
    expect(attribute(user, 'emails')).toMatchObject({ type: 'complex', multiValued: true });
    expect(attribute(user, 'emails.value')).toMatchObject({ type: 'string' });
    const group = (await at(base)('GET', `/Schemas/${GROUP_URN}`)).body;
    expect(attribute(group, 'displayName')).toMatchObject({ required: true });
    expect(attribute(group, 'members')).toMatchObject({ type: 'complex', multiValued: true });
  });

  it('every attribute of every schema has the RFC 7643 §7 characteristics', async () => {
    const schemas = (await at(base)('GET', '/Schemas')).body.Resources as { id: string; attributes: AttributeDoc[] }[];
    for (const schema of schemas) {
      for (const [name, a] of allAttributes(schema.attributes)) {
        const where = `${schema.id} ${name}`;
        expect(typeof a.name, where).toBe('string');
        expect(a.name.length, where).toBeGreaterThan(0);
        expect(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary'], where).toContain(a.type);
        expect(typeof a.multiValued, where).toBe('boolean');
        expect(typeof a.required, where).toBe('boolean');
        expect(typeof a.caseExact, where).toBe('boolean');
        expect(['readOnly', 'readWrite', 'immutable', 'writeOnly'], where).toContain(a.mutability);
        expect(['always', 'never', 'default', 'request'], where).toContain(a.returned);
        expect(['none', 'server', 'global'], where).toContain(a.uniqueness);
        if (a.type === 'complex') expect(a.subAttributes?.length ?? 0, where).toBeGreaterThan(0);
        else expect(a.subAttributes, where).toBeUndefined();
        if (a.type === 'reference') expect(Array.isArray(a.referenceTypes), where).toBe(true);
      }
    }
  });
});

describe('discovery and base paths', () => {
  it('a base path given to handle() is honoured, and paths outside it are 404', async () => {
    const send = sendThrough((r) => seatkit.handle(r, { basePath: '/a/b/scim/v2' }), 'http://localhost/a/b/scim/v2', TOKEN);
    const spc = await send('GET', '/ServiceProviderConfig');
    expect(spc.status).toBe(200);
    expect(spc.body.meta.location).toBe('http://localhost/a/b/scim/v2/ServiceProviderConfig');
    const outside = await sendThrough((r) => seatkit.handle(r, { basePath: '/a/b/scim/v2' }), 'http://localhost/other/v2', TOKEN)('GET', '/ServiceProviderConfig');
    expect(outside.status).toBe(404);
  });

  it('the basePath option of createSeatkit is honoured', async () => {
    const mounted = createSeatkit({ storage: memoryStorage(), policy: lifecyclePolicy, basePath: '/tenants/scim' });
    await mounted.tenants.put(lifecycleTenant('acme', TOKEN));
    const response = await sendThrough((r) => mounted.handle(r), 'http://localhost/tenants/scim', TOKEN)('GET', '/ResourceTypes/User');
    expect(response.status).toBe(200);
    expect(response.body.meta.location).toBe('http://localhost/tenants/scim/ResourceTypes/User');
  });

  it('endpoint names match ignoring case and a trailing slash', async () => {
    const send = at('http://localhost/scim/v2');
    expect((await send('GET', '/serviceproviderconfig')).status).toBe(200);
    expect((await send('GET', '/Schemas/')).status).toBe(200);
    expect((await send('GET', `/schemas/${LICENSE.toUpperCase()}`)).body.id).toBe(LICENSE);
  });

  it('resource locations follow the base path the request came in on', async () => {
    const created = await at('http://localhost/a/b/scim/v2')('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: 'deep@acme.example' });
    expect(created.status).toBe(201);
    expect(created.body.meta.location).toBe(`http://localhost/a/b/scim/v2/Users/${created.body.id}`);
    const again = await at('http://localhost/v2')('GET', `/Users/${created.body.id}`);
    expect(again.body.meta.location).toBe(`http://localhost/v2/Users/${created.body.id}`);
  });

  it('the advertised filter.maxResults is the largest page served', async () => {
    const send = at('http://localhost/scim/v2');
    for (const name of ['a', 'b', 'c']) {
      expect((await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: `${name}@acme.example` })).status).toBe(201);
    }
    const page = await send('GET', '/Users?count=50');
    expect(page.status).toBe(200);
    expect(page.body.totalResults).toBe(3);
    expect(page.body.Resources).toHaveLength(MAX_RESULTS);
    expect(page.body.itemsPerPage).toBe(MAX_RESULTS);
  });
});
