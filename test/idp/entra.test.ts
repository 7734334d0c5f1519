/**
 * Microsoft Entra ID (Azure AD) provisioning service, replayed as it talks to a non-gallery SCIM
 * app: the request/response samples and the SCIM compliance notes in Microsoft's provisioning
 * documentation, plus bug reports filed against other SCIM servers. See docs/idp/entra.md.
 */
import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE, GROUP_SCHEMA, PATCH_OP, PROFILES, USER_SCHEMA,
  expectLicense, expectListResponse, expectScimJson, idpHarness, memberIds,
} from './support';

const entra = () => idpHarness(PROFILES.entra);

// The body Entra POSTs with the default attribute mappings.
const entraUser = (upn: string, mailNickname: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA, ENTERPRISE],
  externalId: mailNickname,
  userName: upn,
  active: true,
  displayName: `${mailNickname} Sato`,
  emails: [{ primary: true, type: 'work', value: upn }],
  meta: { resourceType: 'User' },
  name: { formatted: `${mailNickname} Sato`, familyName: 'Sato', givenName: mailNickname },
  roles: [],
  ...extra,
});

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('Microsoft Entra ID', () => {
  it('Entra: Test Connection filters on a random userName, spaces encoded as +, and expects an empty ListResponse', async () => {
    const idp = await entra();
    const res = await idp.send('GET', '/Users?filter=userName+eq+%227d420df3-9995-4831-a406-ecf8166f5f6a%22', undefined, { headers: { accept: null } });
    expectListResponse(res, 0);
    const groups = await idp.send('GET', '/Groups?excludedAttributes=members&filter=displayName+eq+%2216b3c0a4-7b4e-4f0e-9d7a-2f1a3c5e8b90%22', undefined, { headers: { accept: null } });
    expectListResponse(groups, 0);
  });

  it('Entra: keeps working with the aadOptscim062020 flag that admins append to the Tenant URL', async () => {
    const idp = await entra();
    const created = await idp.send('POST', '/Users?aadOptscim062020', entraUser('erin@fabrikam.example', 'erin'));
    expect(created.status, created.text).toBe(201);
    const found = await idp.send('GET', '/Users?aadOptscim062020&filter=userName+eq+%22erin%40fabrikam.example%22');
    expectListResponse(found, 1);
    const patched = await idp.send('PATCH', `/Users/${created.body.id}?aadOptscim062020`, patch({ op: 'replace', path: 'active', value: false }));
    expect(patched.status, patched.text).toBe(200);
    expectLicense(patched.body, 'standard', 'released');
  });

  it('Entra: creates a user with the enterprise extension, meta.resourceType and an empty roles list', async () => {
    const idp = await entra();
    const res = await idp.send('POST', '/Users', entraUser('femi@fabrikam.example', 'femi', {
      [ENTERPRISE]: { department: 'Design', employeeNumber: '2001' },
    }));
    expect(res.status, res.text).toBe(201);
    expectScimJson(res);
    expect(res.body[ENTERPRISE]).toEqual({ department: 'Design', employeeNumber: '2001' });
    expect(res.body.roles).toBeUndefined();
    expectLicense(res.body, 'standard', 'assigned');
  });

  it('Entra: matches an existing user on externalId', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('gia@fabrikam.example', '0a21f0f2-8d2a'))).body.id;
    const res = await idp.send('GET', '/Users?filter=externalId+eq+%220a21f0f2-8d2a%22');
    expectListResponse(res, 1);
    expect(res.body.Resources[0].id).toBe(id);
  });

  it('Entra: queries users on emails[type eq "work"].value when the work email is a matching attribute', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('hana@fabrikam.example', 'hana'))).body.id;
    await idp.send('POST', '/Users', entraUser('ivo@fabrikam.example', 'ivo'));
    const res = await idp.send('GET', `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "hana@fabrikam.example"')}`);
    expectListResponse(res, 1);
    expect(res.body.Resources[0].id).toBe(id);
  });

  it('Entra: capitalises PATCH ops ("Replace", "Add", "Remove")', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('jan@fabrikam.example', 'jan', { title: 'Designer', nickName: 'J' }))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, patch(
      { op: 'Replace', path: 'displayName', value: 'Jan Sato-Kim' },
      { op: 'Add', path: 'title', value: 'Lead Designer' },
      { op: 'Remove', path: 'nickName' },
    ));
    expect(res.status, res.text).toBe(200);
    expect(res.body.displayName).toBe('Jan Sato-Kim');
    expect(res.body.title).toBe('Lead Designer');
    expect(res.body.nickName).toBeUndefined();
  });

  it('Entra: disables a user with the string "False" and re-enables it with "True"', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('kai@fabrikam.example', 'kai'))).body.id;
    const off = await idp.send('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.status, off.text).toBe(200);
    expect(off.body.active).toBe(false);
    expectLicense(off.body, 'standard', 'released');
    const on = await idp.send('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'True' }));
    expect(on.status, on.text).toBe(200);
    expect(on.body.active).toBe(true);
    expectLicense(on.body, 'standard', 'assigned');
  });

  it('Entra: adds a work email through emails[type eq "work"].value when the user has none yet, and expects it created', async () => {
    const idp = await entra();
    const { emails: _none, ...withoutEmail } = entraUser('lea@fabrikam.example', 'lea');
    const id = (await idp.send('POST', '/Users', withoutEmail)).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, patch({ op: 'Add', path: 'emails[type eq "work"].value', value: 'lea.sato@fabrikam.example' }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.emails).toEqual([expect.objectContaining({ type: 'work', value: 'lea.sato@fabrikam.example' })]);
  });

  it('Entra: replaces several attributes in one path-less replace keyed by dotted and URN-qualified paths (aadOptscim062020)', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('max@fabrikam.example', 'max'))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}?aadOptscim062020`, patch(
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'max.sato@fabrikam.example' },
      { op: 'replace', value: {
        displayName: 'Bjfe',
        'name.givenName': 'Kkom',
        'name.familyName': 'Unua',
        [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
      } },
    ));
    expect(res.status, res.text).toBe(200);
    expect(res.body.displayName).toBe('Bjfe');
    expect(res.body.name).toMatchObject({ givenName: 'Kkom', familyName: 'Unua', formatted: 'max Sato' });
    expect(res.body[ENTERPRISE]).toEqual({ employeeNumber: 'Aklq' });
    expect(res.body.emails).toEqual([expect.objectContaining({ type: 'work', value: 'max.sato@fabrikam.example' })]);
  });

  it('Entra: sends manager in the enterprise extension as a plain id string in PATCH', async () => {
    const idp = await entra();
    const boss = (await idp.send('POST', '/Users', entraUser('nia@fabrikam.example', 'nia'))).body.id as string;
    const report = (await idp.send('POST', '/Users', entraUser('oto@fabrikam.example', 'oto'))).body.id as string;
    const res = await idp.send('PATCH', `/Users/${report}`, patch({ op: 'Add', path: `${ENTERPRISE}:manager`, value: boss }));
    expect(res.status, res.text).toBe(200);
    expect(res.body[ENTERPRISE]?.manager?.value).toBe(boss);
  });

  it('Entra: assigns app roles on create with AppRoleAssignmentsComplex, and the Pro role takes a pro seat', async () => {
    const idp = await entra();
    const res = await idp.send('POST', '/Users', entraUser('pia@fabrikam.example', 'pia', {
      roles: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Pro', value: 'Pro' }],
    }));
    expect(res.status, res.text).toBe(201);
    expectLicense(res.body, 'pro', 'assigned');
  });

  it('Entra: adds app roles in PATCH with each role stringified as JSON inside value (AppRoleAssignmentsComplex)', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('quin@fabrikam.example', 'quin'))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, patch({
      op: 'Add',
      path: 'roles',
      value: [{ value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"Pro","displayName":"Pro"}' }],
    }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.roles).toEqual([expect.objectContaining({ value: 'Pro' })]);
    expectLicense(res.body, 'pro', 'assigned');
  });

  it('Entra: replaces the whole role list with PATCH replace (AssertiveAppRoleAssignmentsComplex), dropping roles no longer assigned', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('rui@fabrikam.example', 'rui', {
      roles: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Pro', value: 'Pro' }],
    }))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, patch({
      op: 'replace',
      path: 'roles',
      value: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' }],
    }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.roles.map((r: { value: string }) => r.value)).toEqual(['User']);
    expectLicense(res.body, 'standard', 'assigned');
  });

  it('Entra: writes a single app role to roles[primary eq "True"].value (SingleAppRoleAssignment)', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('sol@fabrikam.example', 'sol'))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, patch({ op: 'Add', path: 'roles[primary eq "True"].value', value: 'pro' }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.roles).toEqual([expect.objectContaining({ primary: true, value: 'pro' })]);
    expectLicense(res.body, 'pro', 'assigned');
  });

  it('Entra: creates a group with Microsoft\'s non-URN ADSCIM schema, an externalId and no members', async () => {
    const idp = await entra();
    const res = await idp.send('POST', '/Groups', {
      schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Pro Users',
      meta: { resourceType: 'Group' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.externalId).toBe('8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    expect(res.body.members ?? []).toEqual([]);
  });

  it('Entra: reads groups with excludedAttributes=members, by id and by displayName', async () => {
    const idp = await entra();
    const user = await idp.seedUser('tia@fabrikam.example');
    const group = await idp.seedGroup('Pro Users', [user]);
    const byId = await idp.send('GET', `/Groups/${group}?excludedAttributes=members`);
    expect(byId.status).toBe(200);
    expect(byId.body.members).toBeUndefined();
    expect(byId.body.displayName).toBe('Pro Users');
    const byName = await idp.send('GET', `/Groups?excludedAttributes=members&filter=displayName+eq+%22Pro+Users%22`);
    expectListResponse(byName, 1);
    expect(byName.body.Resources[0].members).toBeUndefined();
  });

  it('Entra: adds group members with "$ref": null and gets 204 No Content', async () => {
    const idp = await entra();
    const user = await idp.seedUser('uma@fabrikam.example');
    const group = await idp.seedGroup('Pro Users');
    const res = await idp.send('PATCH', `/Groups/${group}`, patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: user }] }));
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');
    expect(await memberIds(idp, group)).toEqual([user]);
    expect(await idp.license(user)).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('Entra: removes members by listing them in value ({"op":"Remove","path":"members","value":[{"value":id}]})', async () => {
    const idp = await entra();
    const [a, b] = [await idp.seedUser('vik@fabrikam.example'), await idp.seedUser('wes@fabrikam.example')];
    const group = await idp.seedGroup('Pro Users', [a, b]);
    const res = await idp.send('PATCH', `/Groups/${group}`, patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: a }] }));
    expect(res.status, res.text).toBe(204);
    expect(await memberIds(idp, group)).toEqual([b]);
    expect(await idp.license(a)).toEqual({ tier: 'standard', status: 'assigned' });
    expect(await idp.license(b)).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('Entra: with aadOptscim062020, removes a member with a lower-case remove on members[value eq "id"]', async () => {
    const idp = await entra();
    const a = await idp.seedUser('xia@fabrikam.example');
    const group = await idp.seedGroup('Pro Users', [a]);
    const res = await idp.send('PATCH', `/Groups/${group}?aadOptscim062020`, patch({ op: 'remove', path: `members[value eq "${a}"]` }));
    expect(res.status, res.text).toBe(204);
    expect(await memberIds(idp, group)).toEqual([]);
  });

  it('Entra: renames a group with Replace on displayName and expects 204', async () => {
    const idp = await entra();
    const group = await idp.seedGroup('Support');
    const res = await idp.send('PATCH', `/Groups/${group}`, patch({ op: 'Replace', path: 'displayName', value: 'Support Tier 2' }));
    expect(res.status, res.text).toBe(204);
    expect((await idp.send('GET', `/Groups/${group}?excludedAttributes=members`)).body.displayName).toBe('Support Tier 2');
  });

  it('Entra: re-sends values that did not change, and still gets 200 with the user', async () => {
    const idp = await entra();
    const created = await idp.send('POST', '/Users', entraUser('yan@fabrikam.example', 'yan'));
    const res = await idp.send('PATCH', `/Users/${created.body.id}`, patch({ op: 'Replace', path: 'displayName', value: created.body.displayName }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.meta.version).toBe(created.body.meta.version);
  });

  it('Entra: changes userName with Replace on a single-valued attribute', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('zed@fabrikam.example', 'zed'))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'userName', value: 'zed.sato@fabrikam.example' }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.userName).toBe('zed.sato@fabrikam.example');
  });

  it('Entra: deletes a user (hard delete after the soft-delete period) with DELETE and 204', async () => {
    const idp = await entra();
    const id = (await idp.send('POST', '/Users', entraUser('abe@fabrikam.example', 'abe'))).body.id;
    const res = await idp.send('DELETE', `/Users/${id}`);
    expect(res.status).toBe(204);
    expect((await idp.send('GET', `/Users/${id}`)).status).toBe(404);
    expect((await idp.usage()).standard.assigned).toBe(0);
  });
});
