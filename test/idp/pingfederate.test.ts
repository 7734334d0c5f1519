/**
 * PingFederate's SCIM Provisioner (outbound provisioning) and PingOne's SCIM outbound connector,
 * replayed from Ping Identity's documentation of their settings and behaviour. See
 * docs/idp/pingfederate.md.
 */
import { describe, expect, it } from 'vitest';
import {
  GROUP_SCHEMA, LICENSE, PATCH_OP, PROFILES, USER_SCHEMA,
  expectLicense, expectListResponse, expectScimError, idpHarness, memberIds, q,
} from './support';

const ping = () => idpHarness(PROFILES.ping);

const pingUser = (login: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName: login,
  name: { givenName: login.split('@')[0], familyName: 'Smith' },
  emails: [{ value: login, type: 'work', primary: true }],
  active: true,
  ...extra,
});

describe('PingFederate / PingOne', () => {
  it('PingFederate: matches an existing user on userName (the default Unique User Identifier) before creating it', async () => {
    const idp = await ping();
    const id = await idp.seedUser('jsmith@acme.example');
    const res = await idp.send('GET', `/Users?filter=${q('userName eq "jsmith@acme.example"')}`);
    expectListResponse(res, 1);
    expect(res.body.Resources[0].id).toBe(id);
  });

  it('PingFederate: "Provision disabled users" creates a user with active false, which takes no seat', async () => {
    const idp = await ping();
    const res = await idp.send('POST', '/Users', pingUser('disabled@acme.example', { active: false }));
    expect(res.status, res.text).toBe(201);
    expect(res.body.active).toBe(false);
    // Whether a never-licensed user shows a tier is seatkit's choice; what matters is that it holds no seat.
    expect(res.body[LICENSE].status).toBe('released');
    expect(await idp.usage()).toEqual({
      standard: { assigned: 0, pending: 0, available: 3 },
      pro: { assigned: 0, pending: 0, available: 2 },
    });
  });

  it('PingFederate: updates a user with PUT when a mapped attribute changes in the datastore', async () => {
    const idp = await ping();
    const id = (await idp.send('POST', '/Users', pingUser('kay@acme.example'))).body.id;
    const res = await idp.send('PUT', `/Users/${id}`, pingUser('kay@acme.example', { title: 'Director', roles: [{ value: 'Pro' }] }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.title).toBe('Director');
    expectLicense(res.body, 'pro', 'assigned');
  });

  it('PingFederate: Remove User Action "Disable" sends the user with active false', async () => {
    const idp = await ping();
    const id = (await idp.send('POST', '/Users', pingUser('lev@acme.example'))).body.id;
    const res = await idp.send('PUT', `/Users/${id}`, pingUser('lev@acme.example', { active: false }));
    expect(res.status, res.text).toBe(200);
    expectLicense(res.body, 'standard', 'released');
  });

  it('PingFederate: Remove User Action "Delete" sends DELETE', async () => {
    const idp = await ping();
    const id = (await idp.send('POST', '/Users', pingUser('mia@acme.example'))).body.id;
    expect((await idp.send('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await idp.send('GET', `/Users/${id}`)).status).toBe(404);
  });

  it('PingFederate: Group Update Method PUT replaces the group with its whole member list and gets the group back', async () => {
    const idp = await ping();
    const [a, b] = [await idp.seedUser('ned@acme.example'), await idp.seedUser('ora@acme.example')];
    const group = (await idp.send('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Pro Users', members: [{ value: a }] })).body.id;
    const res = await idp.send('PUT', `/Groups/${group}`, { schemas: [GROUP_SCHEMA], displayName: 'Pro Users', members: [{ value: b }] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.displayName).toBe('Pro Users');
    expect(await memberIds(idp, group)).toEqual([b]);
    expect(await idp.license(a)).toEqual({ tier: 'standard', status: 'assigned' });
    expect(await idp.license(b)).toEqual({ tier: 'pro', status: 'assigned' });
  });

  it('PingFederate: Group Update Method PATCH adds and removes members with PatchOp', async () => {
    const idp = await ping();
    const [a, b] = [await idp.seedUser('pia@acme.example'), await idp.seedUser('rex@acme.example')];
    const group = await idp.seedGroup('Pro Users', [a]);
    const res = await idp.send('PATCH', `/Groups/${group}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: b }] },
        { op: 'remove', path: `members[value eq "${a}"]` },
      ],
    });
    expect([200, 204]).toContain(res.status);
    expect(await memberIds(idp, group)).toEqual([b]);
  });

  it('PingFederate: reads groups page by page ("Results Per Page")', async () => {
    const idp = await ping();
    for (const name of ['G1', 'G2', 'G3']) await idp.seedGroup(name);
    const first = await idp.send('GET', '/Groups?startIndex=1&count=2');
    const second = await idp.send('GET', '/Groups?startIndex=3&count=2');
    expectListResponse(first, 3);
    expectListResponse(second, 3);
    expect(first.body.Resources).toHaveLength(2);
    expect(second.body.Resources).toHaveLength(1);
  });

  it('PingFederate: Basic Authentication is refused with 401 and a Bearer challenge (choose OAuth 2 Bearer Token)', async () => {
    const idp = await ping();
    const res = await idp.send('GET', '/Users', undefined, { headers: { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` } });
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
