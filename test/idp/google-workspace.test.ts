/**
 * Google Workspace automated user provisioning ("auto-provisioning" of a SAML app), replayed from
 * what Google documents and from requests captured by other SCIM servers' users. Google does not
 * publish its SCIM client's requests; where a request shape is assumed rather than captured, the
 * test says so. See docs/idp/google-workspace.md.
 */
import { describe, expect, it } from 'vitest';
import { rulePolicy } from 'seatkit';
import {
  ENTERPRISE, PATCH_OP, PROFILES, USER_SCHEMA,
  expectLicense, expectListResponse, idpHarness, q,
} from './support';

const google = () => idpHarness(PROFILES.google);

// Captured from a Google auto-provisioning POST (grokability/snipe-it#12642): the legacy SCIM 1.0
// core URN next to the 2.0 one, the primary address as userName and as a work email.
const googleUser = (email: string, given: string, family: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:scim:schemas:core:1.0', USER_SCHEMA],
  userName: email,
  emails: [{ primary: true, value: email, type: 'work' }],
  displayName: `${given} ${family}`,
  name: { givenName: given, familyName: family },
  active: true,
  ...extra,
});

describe('Google Workspace', () => {
  it('Google Workspace: checks the endpoint with GET /Users and no query string', async () => {
    const idp = await google();
    const res = await idp.send('GET', '/Users');
    expectListResponse(res, 0);
  });

  it('Google Workspace: checks the endpoint with GET /Users?count=1 (reported by third parties)', async () => {
    const idp = await google();
    await idp.seedUser('probe@acme.example');
    await idp.seedUser('probe2@acme.example');
    const res = await idp.send('GET', '/Users?count=1');
    expectListResponse(res, 2);
    expect(res.body.Resources).toHaveLength(1);
  });

  it('Google Workspace: looks a user up by userName with startIndex=1 and no count', async () => {
    const idp = await google();
    const id = await idp.seedUser('lee@acme.example');
    const res = await idp.send('GET', `/Users?filter=${q('userName eq "lee@acme.example"')}&startIndex=1`);
    expectListResponse(res, 1);
    expect(res.body.Resources[0].id).toBe(id);
  });

  it('Google Workspace: creates users with the legacy urn:scim:schemas:core:1.0 listed next to the 2.0 schema', async () => {
    const idp = await google();
    const res = await idp.send('POST', '/Users', googleUser('mae@acme.example', 'Mae', 'Ortiz'));
    expect(res.status, res.text).toBe(201);
    expect(res.body.schemas).not.toContain('urn:scim:schemas:core:1.0');
    expectLicense(res.body, 'standard', 'assigned');
  });

  it('Google Workspace: may send the primary address only as userName, with no emails', async () => {
    const idp = await google();
    const { emails: _none, ...body } = googleUser('nat@acme.example', 'Nat', 'Ruiz');
    const res = await idp.send('POST', '/Users', body);
    expect(res.status, res.text).toBe(201);
    expect(res.body.emails).toBeUndefined();
  });

  it('Google Workspace: does not push groups, so a tier is chosen from a mapped user attribute instead', async () => {
    // Google maps directory fields (department, a custom attribute) onto the app's attributes; a host
    // whose customers use Google matches that attribute instead of a group.
    const idp = await idpHarness(PROFILES.google, {
      policy: rulePolicy({
        defaultTier: 'standard',
        rules: [
          { when: { role: 'pro' }, tier: 'pro' },
          { when: { group: 'Pro Users' }, tier: 'pro' },
          { when: { attribute: `${ENTERPRISE}:department`, equals: 'Engineering' }, tier: 'pro' },
        ],
      }),
    });
    const res = await idp.send('POST', '/Users', {
      ...googleUser('oli@acme.example', 'Oli', 'Park'),
      schemas: ['urn:scim:schemas:core:1.0', USER_SCHEMA, ENTERPRISE],
      [ENTERPRISE]: { department: 'Engineering' },
    });
    expect(res.status, res.text).toBe(201);
    expectLicense(res.body, 'pro', 'assigned');
  });

  it('Google Workspace: suspends the app account when the user is suspended or the app is turned off (active false; request shape assumed)', async () => {
    const idp = await google();
    const id = (await idp.send('POST', '/Users', googleUser('pat@acme.example', 'Pat', 'Quinn'))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(res.status, res.text).toBe(200);
    expectLicense(res.body, 'standard', 'released');
  });

  it('Google Workspace: deletes the app account after the configured deprovisioning delay with DELETE', async () => {
    const idp = await google();
    const id = (await idp.send('POST', '/Users', googleUser('ray@acme.example', 'Ray', 'Stone'))).body.id;
    const res = await idp.send('DELETE', `/Users/${id}`);
    expect(res.status).toBe(204);
    expect((await idp.usage()).standard.assigned).toBe(0);
  });
});
