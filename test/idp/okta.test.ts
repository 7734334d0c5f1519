/**
 * Okta, replayed as it talks to a SCIM 2.0 app (Okta's "SCIM 2.0 Protocol Reference" and its
 * published request captures). See docs/idp/okta.md.
 */
import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE, GROUP_SCHEMA, PATCH_OP, PROFILES, USER_SCHEMA,
  expectLicense, expectListResponse, expectScimError, expectScimJson, idpHarness, memberIds, q,
} from './support';

const okta = () => idpHarness(PROFILES.okta);

// The body Okta POSTs for a new assignment (documented shape): password, empty groups, externalId.
const oktaUser = (login: string, externalId: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName: login,
  name: { givenName: login.split('@')[0], familyName: 'Tester' },
  emails: [{ primary: true, value: login, type: 'work' }],
  displayName: `${login.split('@')[0]} Tester`,
  locale: 'en-US',
  externalId,
  groups: [],
  password: '1mz050nq',
  active: true,
  ...extra,
});

describe('Okta', () => {
  it('Okta: Test Connector Configuration lists users with startIndex=1&count=2', async () => {
    const idp = await okta();
    const res = await idp.send('GET', '/Users?startIndex=1&count=2');
    expectListResponse(res, 0);
    expect(res.body.startIndex).toBe(1);
  });

  it('Okta: checks whether a user exists with a userName eq filter and count=100 before creating it', async () => {
    const idp = await okta();
    const res = await idp.send('GET', `/Users?filter=${q('userName eq "test.user@okta.local"')}&startIndex=1&count=100`);
    expectListResponse(res, 0);
    expect(res.body.Resources).toEqual([]);
  });

  it('Okta: creates a user with a password and an empty groups list; the password is never returned', async () => {
    const idp = await okta();
    const res = await idp.send('POST', '/Users', oktaUser('ada@acme.example', '00ujl29u0le5T6Aj10h7'));
    expect(res.status, res.text).toBe(201);
    expectScimJson(res);
    expect(res.body.userName).toBe('ada@acme.example');
    expect(res.body.externalId).toBe('00ujl29u0le5T6Aj10h7');
    expect(res.body.password).toBeUndefined();
    expect(res.text).not.toContain('1mz050nq');
    expectLicense(res.body, 'standard', 'assigned');
  });

  it('Okta: finds an existing user whatever the case of the userName it filters on', async () => {
    const idp = await okta();
    const id = await idp.seedUser('Ben.Adeyemi@acme.example');
    const res = await idp.send('GET', `/Users?filter=${q('userName eq "ben.adeyemi@ACME.example"')}&startIndex=1&count=100`);
    expectListResponse(res, 1);
    expect(res.body.Resources[0].id).toBe(id);
  });

  it('Okta: a create for a user that already exists gets 409 with scimType uniqueness', async () => {
    const idp = await okta();
    await idp.send('POST', '/Users', oktaUser('cleo@acme.example', '00uC3'));
    const res = await idp.send('POST', '/Users', oktaUser('CLEO@acme.example', '00uC3'));
    expectScimError(res, 409, 'uniqueness');
    expect((await idp.send('GET', '/Users?startIndex=1&count=100')).body.totalResults).toBe(1);
  });

  it('Okta: reading a user id that does not exist answers 404 with a SCIM error body', async () => {
    const idp = await okta();
    expectScimError(await idp.send('GET', '/Users/010101'), 404);
  });

  it('Okta: a role attribute mapped to roles.^[primary==true].value arrives as a primary role and takes a pro seat', async () => {
    const idp = await okta();
    const res = await idp.send('POST', '/Users', oktaUser('dan@acme.example', '00uD4', { roles: [{ primary: true, value: 'pro' }] }));
    expect(res.status, res.text).toBe(201);
    expectLicense(res.body, 'pro', 'assigned');
  });

  it('Okta: updates a profile with PUT carrying id, meta, password and an empty groups list, which leaves memberships alone', async () => {
    const idp = await okta();
    const created = await idp.send('POST', '/Users', oktaUser('eve@acme.example', '00uE5'));
    const id = created.body.id as string;
    await idp.seedGroup('Pro Users', [id]);
    expect(await idp.license(id)).toEqual({ tier: 'pro', status: 'assigned' });

    // Okta GETs the user, changes what changed, and PUTs the whole object back.
    const res = await idp.send('PUT', `/Users/${id}`, {
      ...oktaUser('eve@acme.example', '00uE5'),
      id,
      name: { givenName: 'Eve', middleName: 'Excited', familyName: 'Tester' },
      groups: [],
      meta: { resourceType: 'User' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.name.middleName).toBe('Excited');
    expect(res.body.password).toBeUndefined();
    expect(res.body.groups).toEqual([expect.objectContaining({ display: 'Pro Users' })]);
    expectLicense(res.body, 'pro', 'assigned');
  });

  it('Okta: deactivates with a path-less replace {"active": false} and gets the updated user back with 200', async () => {
    const idp = await okta();
    const ids = [];
    for (const n of ['a1', 'a2', 'a3', 'a4']) ids.push((await idp.send('POST', '/Users', oktaUser(`${n}@acme.example`, `00u${n}`))).body.id as string);
    expect(await idp.license(ids[3]!)).toEqual({ tier: 'standard', status: 'pending' });

    const res = await idp.send('PATCH', `/Users/${ids[0]}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.id).toBe(ids[0]);
    expect(res.body.active).toBe(false);
    expectLicense(res.body, 'standard', 'released');
    // The freed seat goes to the oldest pending user at once.
    expect(await idp.license(ids[3]!)).toEqual({ tier: 'standard', status: 'assigned' });
  });

  it('Okta: reactivates with a path-less replace {"active": true}', async () => {
    const idp = await okta();
    const id = (await idp.send('POST', '/Users', oktaUser('fay@acme.example', '00uF6'))).body.id as string;
    await idp.send('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    const res = await idp.send('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.active).toBe(true);
    expectLicense(res.body, 'standard', 'assigned');
  });

  it('Okta: a deactivated user can still be read by id and found by filter', async () => {
    const idp = await okta();
    const id = (await idp.send('POST', '/Users', oktaUser('ivo@acme.example', '00uI9'))).body.id as string;
    await idp.send('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    const read = await idp.send('GET', `/Users/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.active).toBe(false);
    const found = await idp.send('GET', `/Users?filter=${q('userName eq "ivo@acme.example"')}&startIndex=1&count=100`);
    expectListResponse(found, 1);
  });

  it('Okta: App Integration Wizard apps deactivate with a PUT of the whole user carrying active false', async () => {
    const idp = await okta();
    const id = (await idp.send('POST', '/Users', oktaUser('gus@acme.example', '00uG7'))).body.id as string;
    const res = await idp.send('PUT', `/Users/${id}`, { ...oktaUser('gus@acme.example', '00uG7'), id, active: false });
    expect(res.status, res.text).toBe(200);
    expect(res.body.active).toBe(false);
    expectLicense(res.body, 'standard', 'released');
    expect((await idp.usage()).standard).toEqual({ assigned: 0, pending: 0, available: 3 });
  });

  it('Okta: syncs a password with a path-less replace and never sees it echoed', async () => {
    const idp = await okta();
    const id = (await idp.send('POST', '/Users', oktaUser('hal@acme.example', '00uH8'))).body.id as string;
    const res = await idp.send('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { password: 'n3w-Secret!' } }],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).not.toContain('n3w-Secret!');
    expectLicense(res.body, 'standard', 'assigned');
  });

  it('Okta: pushes a group with an empty members list', async () => {
    const idp = await okta();
    const res = await idp.send('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv2', members: [] });
    expect(res.status, res.text).toBe(201);
    expectScimJson(res);
    expect(res.body.displayName).toBe('Test SCIMv2');
    expect(typeof res.body.id).toBe('string');
    expect(res.headers.get('location')).toBe(res.body.meta.location);
  });

  it('Okta: looks a pushed group up with a displayName filter and excludedAttributes=members', async () => {
    const idp = await okta();
    const user = await idp.seedUser('ida@acme.example');
    const group = await idp.seedGroup('Pro Users', [user]);
    const res = await idp.send('GET', `/Groups?filter=${q('displayName eq "Pro Users"')}&excludedAttributes=members&startIndex=1&count=100`);
    expectListResponse(res, 1);
    expect(res.body.Resources[0].id).toBe(group);
    expect(res.body.Resources[0].members).toBeUndefined();
  });

  it('Okta: renames a group with a path-less replace that carries the group id (sent with every membership update)', async () => {
    const idp = await okta();
    const user = await idp.seedUser('jon@acme.example');
    const group = await idp.seedGroup('Pro Users', [user]);
    const res = await idp.send('PATCH', `/Groups/${group}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: group, displayName: 'Pro Users' } }],
    });
    expect([200, 204]).toContain(res.status);
    expect(await memberIds(idp, group)).toEqual([user]);
    expect(await idp.license(user)).toEqual({ tier: 'pro', status: 'assigned' });

    const renamed = await idp.send('PATCH', `/Groups/${group}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: group, displayName: 'Pro Users (EMEA)' } }],
    });
    expect([200, 204]).toContain(renamed.status);
    expect((await idp.send('GET', `/Groups/${group}?excludedAttributes=members`)).body.displayName).toBe('Pro Users (EMEA)');
    // The rule names "Pro Users", so the members want standard again.
    expect(await idp.license(user)).toEqual({ tier: 'standard', status: 'assigned' });
  });

  it('Okta: removes one member with a value filter and adds another in the same PATCH', async () => {
    const idp = await okta();
    const kim = await idp.seedUser('kim@acme.example');
    const lou = await idp.seedUser('lou@acme.example');
    const group = await idp.seedGroup('Pro Users', [kim]);
    const res = await idp.send('PATCH', `/Groups/${group}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'remove', path: `members[value eq "${kim}"]` },
        { op: 'add', path: 'members', value: [{ value: lou, display: 'lou@acme.example' }] },
      ],
    });
    expect([200, 204]).toContain(res.status);
    expect(await memberIds(idp, group)).toEqual([lou]);
    expect(await idp.license(kim)).toEqual({ tier: 'standard', status: 'assigned' });
    expect(await idp.license(lou)).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('Okta: pushes the full membership with replace on members', async () => {
    const idp = await okta();
    const [a, b, c] = [await idp.seedUser('m1@acme.example'), await idp.seedUser('m2@acme.example'), await idp.seedUser('m3@acme.example')];
    const group = await idp.seedGroup('Pro Users', [a!]);
    const res = await idp.send('PATCH', `/Groups/${group}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'members', value: [{ value: b, display: 'm2@acme.example' }, { value: c, display: 'm3@acme.example' }] }],
    });
    expect([200, 204]).toContain(res.status);
    expect(await memberIds(idp, group)).toEqual([b, c].sort());
    expect(await idp.license(a!)).toEqual({ tier: 'standard', status: 'assigned' });
    expect(await idp.license(b!)).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('Okta: imports users page by page, startIndex moving by 100 with count=100, in a stable order', async () => {
    const idp = await okta();
    const created: string[] = [];
    for (let i = 0; i < 101; i += 1) created.push(await idp.seedUser(`bulk${String(i).padStart(3, '0')}@acme.example`));
    const first = await idp.send('GET', '/Users?startIndex=1&count=100');
    const second = await idp.send('GET', '/Users?startIndex=101&count=100');
    expectListResponse(first, 101);
    expectListResponse(second, 101);
    expect(first.body.itemsPerPage).toBe(100);
    expect(second.body.startIndex).toBe(101);
    expect(second.body.itemsPerPage).toBe(1);
    const seen = [...first.body.Resources, ...second.body.Resources].map((u: { id: string }) => u.id);
    expect(new Set(seen).size).toBe(101);
    expect([...seen].sort()).toEqual([...created].sort());
    const again = await idp.send('GET', '/Users?startIndex=1&count=100');
    expect(again.body.Resources.map((u: { id: string }) => u.id)).toEqual(first.body.Resources.map((u: { id: string }) => u.id));
  });

  it('Okta: imports groups with startIndex=1&count=100', async () => {
    const idp = await okta();
    await idp.seedGroup('Pro Users');
    await idp.seedGroup('Support');
    const res = await idp.send('GET', '/Groups?startIndex=1&count=100');
    expectListResponse(res, 2);
  });

  it('Okta: deletes a pushed group when it is unlinked, and its members lose the tier it gave them', async () => {
    const idp = await okta();
    const user = await idp.seedUser('ned@acme.example');
    const group = await idp.seedGroup('Pro Users', [user]);
    const res = await idp.send('DELETE', `/Groups/${group}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await idp.license(user)).toEqual({ tier: 'standard', status: 'assigned' });
  });

  it('Okta: reads /ServiceProviderConfig and finds PATCH and filtering supported', async () => {
    const idp = await okta();
    const res = await idp.send('GET', '/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.body.patch).toEqual({ supported: true });
    expect(res.body.filter.supported).toBe(true);
  });

  it('Okta: an enterprise department mapped through the extension namespace is stored and returned', async () => {
    const idp = await okta();
    const res = await idp.send('POST', '/Users', {
      ...oktaUser('ola@acme.example', '00uO1'),
      schemas: [USER_SCHEMA, ENTERPRISE],
      [ENTERPRISE]: { department: 'Engineering', employeeNumber: '1042' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body[ENTERPRISE]).toEqual({ department: 'Engineering', employeeNumber: '1042' });
  });
});
