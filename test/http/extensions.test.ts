import { describe, expect, it } from 'vitest';
import { attr, createSeatkit, memoryStorage, rulePolicy, type SchemaDefinition } from 'seatkit';
import { sendThrough } from '../support/lifecycle';

const SEAT = 'urn:acme:scim:schemas:extension:seat:2.0:User';
const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const seatSchema: SchemaDefinition = {
  id: SEAT,
  name: 'AcmeSeat',
  description: 'Seat settings pushed by the IdP',
  attributes: [
    attr.string('seatType', { canonicalValues: ['viewer', 'editor'] }),
    attr.boolean('billable'),
    attr.integer('level'),
    attr.string('badge', { mutability: 'readOnly' }),
  ],
};

const setup = async () => {
  const seatkit = createSeatkit({
    storage: memoryStorage(),
    policy: rulePolicy({ defaultTier: 'viewer', rules: [{ when: { attribute: `${SEAT}:seatType`, equals: 'editor' }, tier: 'editor' }] }),
    extensions: { user: [seatSchema] },
  });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'viewer', seats: null }, { key: 'editor', seats: 1 }] }, tokens: ['tok'] });
  return sendThrough((request) => seatkit.handle(request), 'http://localhost/scim/v2', 'tok');
};

describe('extension schemas registered by the host', () => {
  it('are validated, stored, returned and listed in the discovery documents', async () => {
    const send = await setup();
    const created = await send('POST', '/Users', { userName: 'ada', [SEAT]: { seatType: 'editor', billable: 'True', level: '3', badge: 'ignored' } });
    expect(created.status).toBe(201);
    expect(created.body[SEAT]).toEqual({ seatType: 'editor', billable: true, level: 3 });
    expect(created.body.schemas).toContain(SEAT);
    const bad = await send('POST', '/Users', { userName: 'ben', [SEAT]: { level: 'high' } });
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidValue');
    const schemas = await send('GET', '/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toContain(SEAT);
    const userType = await send('GET', '/ResourceTypes/User');
    expect(userType.body.schemaExtensions).toContainEqual({ schema: SEAT, required: false });
  });

  it('are filtered and patched like core attributes, and drive the policy', async () => {
    const send = await setup();
    const ada = await send('POST', '/Users', { userName: 'ada', [SEAT]: { seatType: 'editor' } });
    const ben = await send('POST', '/Users', { userName: 'ben', [SEAT]: { seatType: 'viewer' } });
    expect(ada.body[LICENSE]).toEqual({ tier: 'editor', status: 'assigned' });
    expect(ben.body[LICENSE]).toEqual({ tier: 'viewer', status: 'assigned' });
    const found = await send('GET', `/Users?filter=${encodeURIComponent(`${SEAT}:seatType eq "EDITOR"`)}`);
    expect(found.body.totalResults).toBe(1);
    const promoted = await send('PATCH', `/Users/${ben.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: `${SEAT}:seatType`, value: 'editor' }] });
    expect(promoted.body[LICENSE]).toEqual({ tier: 'editor', status: 'pending' });
    const readOnly = await send('PATCH', `/Users/${ben.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: `${SEAT}:badge`, value: 'x' }] });
    expect(readOnly.body.scimType).toBe('mutability');
  });

  it('must have unique URN ids', () => {
    expect(() => createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'a' }), extensions: { user: [seatSchema, seatSchema] } })).toThrow(/registered twice/);
  });
});

describe('characteristics of host extension attributes beyond one request (RFC 7643 §2.2)', () => {
  const HR = 'urn:acme:scim:schemas:extension:hr:2.0:User';
  const TEAM = 'urn:acme:scim:schemas:extension:team:2.0:Group';
  const hr: SchemaDefinition = {
    id: HR, name: 'AcmeHr', description: 'HR identifiers',
    attributes: [
      attr.string('badgeId', { mutability: 'immutable', caseExact: true }),
      attr.string('payrollId', { uniqueness: 'server', caseExact: true }),
      attr.string('pin', { returned: 'never' }),
    ],
  };
  const team: SchemaDefinition = { id: TEAM, name: 'AcmeTeam', description: 'Team codes', attributes: [attr.string('code', { uniqueness: 'server' })] };

  const open = async () => {
    const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'viewer' }), extensions: { user: [hr], group: [team] } });
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'viewer', seats: null }] }, tokens: ['tok'] });
    return sendThrough((request) => seatkit.handle(request), 'http://localhost/scim/v2', 'tok');
  };

  it('an immutable attribute may be set once, then neither changed nor removed, by PUT or PATCH', async () => {
    const send = await open();
    const ada = (await send('POST', '/Users', { userName: 'ada' })).body;
    const set = await send('PATCH', `/Users/${ada.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: `${HR}:badgeId`, value: 'B-1' }] });
    expect(set.status).toBe(200);
    const changed = await send('PATCH', `/Users/${ada.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: `${HR}:badgeId`, value: 'B-2' }] });
    expect(changed.status).toBe(400);
    expect(changed.body.scimType).toBe('mutability');
    expect((await send('PUT', `/Users/${ada.id}`, { userName: 'ada' })).body.scimType).toBe('mutability');
    expect((await send('PUT', `/Users/${ada.id}`, { userName: 'ada', title: 'x', [HR]: { badgeId: 'B-1' } })).status).toBe(200);
    expect((await send('GET', `/Users/${ada.id}`)).body[HR]).toEqual({ badgeId: 'B-1' });
  });

  it('a server-unique attribute is 409 uniqueness when another resource holds the value', async () => {
    const send = await open();
    await send('POST', '/Users', { userName: 'ada', [HR]: { payrollId: 'P-7' } });
    const taken = await send('POST', '/Users', { userName: 'ben', [HR]: { payrollId: 'P-7' } });
    expect(taken.status).toBe(409);
    expect(taken.body.scimType).toBe('uniqueness');
    const ben = (await send('POST', '/Users', { userName: 'ben', [HR]: { payrollId: 'P-8' } })).body;
    expect((await send('PATCH', `/Users/${ben.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: `${HR}:payrollId`, value: 'P-7' }] })).status).toBe(409);
    expect((await send('PUT', `/Users/${ben.id}`, { userName: 'ben', title: 'x', [HR]: { payrollId: 'P-8' } })).status).toBe(200);
    await send('POST', '/Groups', { displayName: 'A', [TEAM]: { code: 'red' } });
    expect((await send('POST', '/Groups', { displayName: 'B', [TEAM]: { code: 'RED' } })).status).toBe(409);
    expect((await send('GET', '/Users')).body.totalResults).toBe(2);
  });

  it('a never-returned attribute is stored but neither returned, filtered nor sorted on', async () => {
    const send = await open();
    const ada = (await send('POST', '/Users', { userName: 'ada', [HR]: { pin: '1234' } })).body;
    expect(ada[HR]).toBeUndefined();
    const probe = await send('GET', `/Users?filter=${encodeURIComponent(`${HR}:pin eq "1234"`)}`);
    expect(probe.status).toBe(400);
    expect(probe.body.scimType).toBe('invalidFilter');
    expect((await send('GET', `/Users?sortBy=${encodeURIComponent(`${HR}:pin`)}`)).status).toBe(400);
    expect((await send('GET', '/Users?filter=password pr')).body.scimType).toBe('invalidFilter');
  });
});
