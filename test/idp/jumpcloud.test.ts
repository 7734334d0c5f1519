/**
 * JumpCloud's "Custom SCIM" Identity Management connector, replayed from JumpCloud's documentation
 * and from request shapes other SCIM servers report. See docs/idp/jumpcloud.md.
 */
import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE, GROUP_SCHEMA, PATCH_OP, PROFILES, USER_SCHEMA,
  expectLicense, expectListResponse, idpHarness, memberIds, q,
} from './support';

const jumpcloud = () => idpHarness(PROFILES.jumpcloud);

const jcUser = (email: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName: email,
  name: { givenName: email.split('@')[0], familyName: 'Mills' },
  emails: [{ value: email, type: 'work', primary: true }],
  active: true,
  ...extra,
});

describe('JumpCloud', () => {
  it('JumpCloud: Test Connection creates a test user from the Test User Email, then deletes it', async () => {
    const idp = await jumpcloud();
    const created = await idp.send('POST', '/Users', jcUser('jc-test@acme.example'));
    expect(created.status, created.text).toBe(201);
    const deleted = await idp.send('DELETE', `/Users/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect(await idp.usage()).toEqual({
      standard: { assigned: 0, pending: 0, available: 3 },
      pro: { assigned: 0, pending: 0, available: 2 },
    });
  });

  it('JumpCloud: Test Connection creates a test group, then deletes it', async () => {
    const idp = await jumpcloud();
    const created = await idp.send('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'JumpCloud Test Group' });
    expect(created.status, created.text).toBe(201);
    expect((await idp.send('DELETE', `/Groups/${created.body.id}`)).status).toBe(204);
  });

  it('JumpCloud: looks a group up by displayName to take over an existing group of the same name', async () => {
    const idp = await jumpcloud();
    const existing = await idp.seedGroup('Pro Users');
    const res = await idp.send('GET', `/Groups?filter=${q('displayName eq "Pro Users"')}`);
    expectListResponse(res, 1);
    expect(res.body.Resources[0].id).toBe(existing);
  });

  it('JumpCloud: never creates an empty group; the group arrives with its members as value-only objects', async () => {
    const idp = await jumpcloud();
    const user = (await idp.send('POST', '/Users', jcUser('ivy@acme.example'))).body.id as string;
    const res = await idp.send('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Pro Users', members: [{ value: user }] });
    expect(res.status, res.text).toBe(201);
    expect(await idp.license(user)).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('JumpCloud: adds a member with a value-only object (no display, no type)', async () => {
    const idp = await jumpcloud();
    const [a, b] = [(await idp.send('POST', '/Users', jcUser('jo@acme.example'))).body.id as string, (await idp.send('POST', '/Users', jcUser('kit@acme.example'))).body.id as string];
    const group = await idp.seedGroup('Pro Users', [a]);
    const res = await idp.send('PATCH', `/Groups/${group}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: b }] }] });
    expect([200, 204]).toContain(res.status);
    expect(await memberIds(idp, group)).toEqual([a, b].sort());
  });

  it('JumpCloud: removes a member by listing it in value, like Entra, rather than with a filter', async () => {
    const idp = await jumpcloud();
    const [a, b] = [(await idp.send('POST', '/Users', jcUser('lu@acme.example'))).body.id as string, (await idp.send('POST', '/Users', jcUser('mo@acme.example'))).body.id as string];
    const group = await idp.seedGroup('Pro Users', [a, b]);
    const res = await idp.send('PATCH', `/Groups/${group}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members', value: [{ value: a }] }] });
    expect([200, 204]).toContain(res.status);
    expect(await memberIds(idp, group)).toEqual([b]);
    expect(await idp.license(a)).toEqual({ tier: 'standard', status: 'assigned' });
  });

  it('JumpCloud: updates a user with one replace operation per attribute path, active among them', async () => {
    const idp = await jumpcloud();
    const id = (await idp.send('POST', '/Users', jcUser('nia@acme.example'))).body.id;
    const res = await idp.send('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'name.givenName', value: 'Nia' },
        { op: 'replace', path: 'name.familyName', value: 'Moss' },
        { op: 'replace', path: 'active', value: false },
      ],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.name).toEqual({ givenName: 'Nia', familyName: 'Moss' });
    expectLicense(res.body, 'standard', 'released');
  });

  it('JumpCloud: renames a managed group; a group renamed away from the rule\'s name no longer gives pro', async () => {
    const idp = await jumpcloud();
    const user = (await idp.send('POST', '/Users', jcUser('oz@acme.example'))).body.id as string;
    const group = await idp.seedGroup('Pro Users', [user]);
    const res = await idp.send('PATCH', `/Groups/${group}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Power Users' }] });
    expect([200, 204]).toContain(res.status);
    expect(await idp.license(user)).toEqual({ tier: 'standard', status: 'assigned' });
  });

  it('JumpCloud: deletes a managed group deleted in JumpCloud, and its members lose the group\'s tier', async () => {
    const idp = await jumpcloud();
    const user = (await idp.send('POST', '/Users', jcUser('pam@acme.example'))).body.id as string;
    const group = await idp.seedGroup('Pro Users', [user]);
    expect((await idp.send('DELETE', `/Groups/${group}`)).status).toBe(204);
    expect(await idp.license(user)).toEqual({ tier: 'standard', status: 'assigned' });
  });

  it('JumpCloud: a numeric employee id mapped to the enterprise employeeNumber is stored as its decimal string (quirk numeric-string)', async () => {
    const idp = await jumpcloud();
    const res = await idp.send('POST', '/Users', jcUser('quinn@acme.example', { schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { employeeNumber: 40127, department: 'Ops' } }));
    expect(res.status, res.text).toBe(201);
    expect(res.body[ENTERPRISE]).toEqual({ employeeNumber: '40127', department: 'Ops' });
  });
});
