/**
 * OneLogin's "SCIM Provisioner with SAML (SCIM v2 Enterprise)" connector, replayed from OneLogin's
 * documentation and from request logs captured by other SCIM servers' users. OneLogin builds the
 * User body from the admin's "SCIM JSON Template", so its shape follows that template. See
 * docs/idp/onelogin.md.
 */
import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE, PATCH_OP, PROFILES, USER_SCHEMA,
  expectLicense, expectListResponse, idpHarness, memberIds,
} from './support';

const onelogin = () => idpHarness(PROFILES.onelogin);

// The body OneLogin builds from a typical SCIM v2 Enterprise template once placeholders resolve.
const templated = (email: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA, ENTERPRISE],
  userName: email,
  name: { familyName: 'Lind', givenName: email.split('@')[0] },
  title: 'Analyst',
  emails: [{ value: email, type: 'work', primary: true }],
  [ENTERPRISE]: { department: 'Finance' },
  ...extra,
});

describe('OneLogin', () => {
  it('OneLogin: looks a user up with + for spaces and a trailing & on the query string', async () => {
    const idp = await onelogin();
    const id = await idp.seedUser('onelogin-test-user01@acme.example');
    const res = await idp.send('GET', '/Users?filter=userName+eq+%22onelogin-test-user01%40acme.example%22&');
    expectListResponse(res, 1);
    expect(res.body.Resources[0].id).toBe(id);
  });

  it('OneLogin: updates a user with PUT to a URL that ends in a bare ?', async () => {
    const idp = await onelogin();
    const id = (await idp.send('POST', '/Users', templated('ana@acme.example'))).body.id;
    const res = await idp.send('PUT', `/Users/${id}?`, templated('ana@acme.example', { title: 'Senior Analyst' }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.title).toBe('Senior Analyst');
  });

  it('OneLogin: a SCIM JSON Template may list legacy schema URNs (urn:scim:schemas:core:2.0, urn:scim:schemas:core:1.0)', async () => {
    const idp = await onelogin();
    const res = await idp.send('POST', '/Users', templated('bo@acme.example', {
      schemas: ['urn:scim:schemas:core:2.0', 'urn:scim:schemas:extension:enterprise:2.0', 'urn:scim:schemas:core:1.0'],
    }));
    expect(res.status, res.text).toBe(201);
    expect(res.body[ENTERPRISE]).toEqual({ department: 'Finance' });
    expectLicense(res.body, 'standard', 'assigned');
  });

  it('OneLogin: template placeholders with no value arrive as empty strings', async () => {
    const idp = await onelogin();
    const res = await idp.send('POST', '/Users', templated('cy@acme.example', {
      title: '',
      userType: '',
      timezone: '',
      [ENTERPRISE]: { organization: '', division: '', department: '', manager: { value: '', displayName: ' ' } },
    }));
    expect(res.status, res.text).toBe(201);
    expectLicense(res.body, 'standard', 'assigned');
  });

  it('OneLogin: sends emails as a single object instead of an array', async () => {
    const idp = await onelogin();
    const res = await idp.send('POST', '/Users', templated('di@acme.example', {
      emails: { value: 'di@acme.example', type: 'work', primary: true },
    }));
    expect(res.status, res.text).toBe(201);
    expect(res.body.emails).toEqual([{ value: 'di@acme.example', type: 'work', primary: true }]);
  });

  it('OneLogin: Refresh Entitlements imports the groups the app already has with GET /Groups', async () => {
    const idp = await onelogin();
    // OneLogin never creates groups: the host creates them, OneLogin imports them.
    const pro = await idp.seedGroup('Pro Users');
    await idp.seedGroup('Standard Users');
    const res = await idp.send('GET', '/Groups');
    expectListResponse(res, 2);
    expect(res.body.Resources.map((g: { id: string }) => g.id)).toContain(pro);
  });

  it('OneLogin: a rule that puts a user in an imported group arrives as PATCH add on members, and the user takes a pro seat', async () => {
    const idp = await onelogin();
    const user = (await idp.send('POST', '/Users', templated('eli@acme.example'))).body.id as string;
    const pro = await idp.seedGroup('Pro Users');
    const res = await idp.send('PATCH', `/Groups/${pro}?`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user }] }] });
    expect([200, 204]).toContain(res.status);
    expect(await memberIds(idp, pro)).toEqual([user]);
    expect(await idp.license(user)).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('OneLogin: taking the group away arrives as PATCH remove, and the user returns to standard', async () => {
    const idp = await onelogin();
    const user = (await idp.send('POST', '/Users', templated('flo@acme.example'))).body.id as string;
    const pro = await idp.seedGroup('Pro Users', [user]);
    const res = await idp.send('PATCH', `/Groups/${pro}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${user}"]` }] });
    expect([200, 204]).toContain(res.status);
    expect(await idp.license(user)).toEqual({ tier: 'standard', status: 'assigned' });
  });

  it('OneLogin: the Suspend deprovisioning action sends the templated user again with active false', async () => {
    const idp = await onelogin();
    const id = (await idp.send('POST', '/Users', templated('gil@acme.example'))).body.id;
    const res = await idp.send('PUT', `/Users/${id}?`, templated('gil@acme.example', { active: false }));
    expect(res.status, res.text).toBe(200);
    expectLicense(res.body, 'standard', 'released');
  });

  it('OneLogin: the Delete deprovisioning action sends DELETE and frees the seat', async () => {
    const idp = await onelogin();
    const id = (await idp.send('POST', '/Users', templated('hal@acme.example'))).body.id;
    const res = await idp.send('DELETE', `/Users/${id}`);
    expect(res.status).toBe(204);
    expect((await idp.usage()).standard.assigned).toBe(0);
  });
});
