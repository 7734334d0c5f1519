/**
 * Rippling's custom app "User Management via SCIM", replayed from the options Rippling's custom app
 * form offers and from integration guides published by other SCIM vendors. Rippling does not
 * publish its SCIM client's requests; shapes follow RFC 7644 unless a source says otherwise. See
 * docs/idp/rippling.md.
 */
import { describe, expect, it } from 'vitest';
import { rulePolicy } from 'seatkit';
import {
  ENTERPRISE, GROUP_SCHEMA, PATCH_OP, PROFILES, USER_SCHEMA,
  expectLicense, expectListResponse, expectScimError, idpHarness, memberIds,
} from './support';

const rippling = () => idpHarness(PROFILES.rippling);

// What Rippling sends when the custom app's "Supported SCIM Attributes" list externalId,
// emails.primary, name.givenName, name.familyName and employeeNumber, plus userName.
const ripplingUser = (email: string, employeeId: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA, ENTERPRISE],
  userName: email,
  externalId: employeeId,
  emails: [{ value: email, primary: true }],
  name: { givenName: email.split('@')[0], familyName: 'Berg' },
  [ENTERPRISE]: { employeeNumber: employeeId.replace(/\D/g, '') },
  active: true,
  ...extra,
});

describe('Rippling', () => {
  it('Rippling: Test connection reads /ServiceProviderConfig', async () => {
    const idp = await rippling();
    const res = await idp.send('GET', '/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.body.patch.supported).toBe(true);
    expect(res.body.filter.supported).toBe(true);
    expect(res.body.authenticationSchemes[0].type).toBe('oauthbearertoken');
  });

  it('Rippling: creates a user with the supported attributes (externalId, emails.primary, name, employeeNumber)', async () => {
    const idp = await rippling();
    const res = await idp.send('POST', '/Users', ripplingUser('ada@acme.example', 'emp-1001'));
    expect(res.status, res.text).toBe(201);
    expect(res.body.externalId).toBe('emp-1001');
    expect(res.body[ENTERPRISE]).toEqual({ employeeNumber: '1001' });
    expectLicense(res.body, 'standard', 'assigned');
  });

  it('Rippling: a create without userName (not listed in Supported SCIM Attributes) is refused with 400 invalidValue', async () => {
    const idp = await rippling();
    const { userName: _none, ...body } = ripplingUser('bea@acme.example', 'emp-1002');
    const res = await idp.send('POST', '/Users', body);
    expectScimError(res, 400, 'invalidValue');
  });

  it('Rippling: a retried create for the same person gets 409 and no second user', async () => {
    const idp = await rippling();
    expect((await idp.send('POST', '/Users', ripplingUser('cal@acme.example', 'emp-1003'))).status).toBe(201);
    const retry = await idp.send('POST', '/Users', ripplingUser('cal@acme.example', 'emp-1003'));
    expectScimError(retry, 409, 'uniqueness');
    expect((await idp.send('GET', '/Users')).body.totalResults).toBe(1);
  });

  it('Rippling: "Create & Delete Groups" and "Use PATCH to edit Groups" create a group, then PATCH its members', async () => {
    const idp = await rippling();
    const user = (await idp.send('POST', '/Users', ripplingUser('dee@acme.example', 'emp-1004'))).body.id as string;
    const group = await idp.send('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Pro Users', members: [] });
    expect(group.status, group.text).toBe(201);
    const res = await idp.send('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user }] }] });
    expect([200, 204]).toContain(res.status);
    expect(await idp.license(user)).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('Rippling: without "Use PATCH to edit Groups", a group is edited with PUT carrying every member', async () => {
    const idp = await rippling();
    const user = (await idp.send('POST', '/Users', ripplingUser('eli@acme.example', 'emp-1005'))).body.id as string;
    const group = await idp.seedGroup('Pro Users');
    const res = await idp.send('PUT', `/Groups/${group}`, { schemas: [GROUP_SCHEMA], displayName: 'Pro Users', members: [{ value: user }] });
    expect(res.status, res.text).toBe(200);
    expect(await idp.license(user)).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('Rippling: with "Mutually Exclusive Groups", a user moves from one group to the other', async () => {
    const idp = await rippling();
    const user = (await idp.send('POST', '/Users', ripplingUser('fox@acme.example', 'emp-1006'))).body.id as string;
    const standard = await idp.seedGroup('Standard Users', [user]);
    const pro = await idp.seedGroup('Pro Users');
    await idp.send('PATCH', `/Groups/${standard}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${user}"]` }] });
    await idp.send('PATCH', `/Groups/${pro}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user }] }] });
    expect(await memberIds(idp, standard)).toEqual([]);
    expect(await memberIds(idp, pro)).toEqual([user]);
    const read = await idp.send('GET', `/Users/${user}`);
    expect(read.body.groups.map((g: { display: string }) => g.display)).toEqual(['Pro Users']);
    expectLicense(read.body, 'pro', 'assigned');
  });

  it('Rippling: a termination arrives as PATCH active false and frees the seat', async () => {
    const idp = await rippling();
    const id = (await idp.send('POST', '/Users', ripplingUser('gwen@acme.example', 'emp-1007'))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(res.status, res.text).toBe(200);
    expectLicense(res.body, 'standard', 'released');
  });

  it('Rippling: "Supports Pagination" reads users with startIndex and count', async () => {
    const idp = await rippling();
    for (const n of ['h1', 'h2', 'h3']) await idp.send('POST', '/Users', ripplingUser(`${n}@acme.example`, `emp-${n}`));
    const res = await idp.send('GET', '/Users?startIndex=2&count=2');
    expectListResponse(res, 3);
    expect(res.body.startIndex).toBe(2);
    expect(res.body.Resources).toHaveLength(2);
  });

  it('Rippling: an HR department sent in the enterprise extension can choose the tier through an attribute rule', async () => {
    const idp = await idpHarness(PROFILES.rippling, {
      policy: rulePolicy({
        defaultTier: 'standard',
        rules: [
          { when: { role: 'pro' }, tier: 'pro' },
          { when: { group: 'Pro Users' }, tier: 'pro' },
          { when: { attribute: `${ENTERPRISE}:department`, equals: 'Engineering' }, tier: 'pro' },
        ],
      }),
    });
    const id = (await idp.send('POST', '/Users', ripplingUser('ida@acme.example', 'emp-1008'))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Engineering' }] });
    expect(res.status, res.text).toBe(200);
    expectLicense(res.body, 'pro', 'assigned');
  });

  it('Rippling: an employeeNumber sent as a JSON number is stored as its decimal string (quirk numeric-string)', async () => {
    const idp = await rippling();
    const created = await idp.send('POST', '/Users', ripplingUser('jo@acme.example', 'emp-1009', { [ENTERPRISE]: { employeeNumber: 1009 } }));
    expect(created.status, created.text).toBe(201);
    expect(created.body[ENTERPRISE]).toEqual({ employeeNumber: '1009' });
    const found = await idp.send('GET', `/Users?filter=${encodeURIComponent(`${ENTERPRISE}:employeeNumber eq "1009"`)}`);
    expectListResponse(found, 1);
    const res = await idp.send('PATCH', `/Users/${created.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: `${ENTERPRISE}:employeeNumber`, value: 2009 }] });
    expect(res.status, res.text).toBe(200);
    expect(res.body[ENTERPRISE]).toEqual({ employeeNumber: '2009' });
  });
});
