import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy } from 'seatkit';
import { scimMiddleware } from 'seatkit/express';
import { sendThrough, USER_SCHEMA_URN, type Send } from '../support/lifecycle';

let server: http.Server;
let send: Send;
let base: string;

beforeAll(async () => {
  const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { role: 'pro' }, tier: 'pro' }] }) });
  await seatkit.tenants.put({
    id: 'acme',
    contract: { tiers: [{ key: 'standard', seats: 10, features: ['sso'] }, { key: 'pro', seats: 2, features: ['sso', 'audit-log'] }] },
    tokens: ['express-token'],
  });
  const app = express();
  app.use('/scim/v2', scimMiddleware(seatkit));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  send = sendThrough((request) => fetch(request), base, 'express-token');
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('/Roles and /Entitlements over HTTP through the Express binding', () => {
  it('an IdP admin sees pro: 2/2 once two pro users are provisioned', async () => {
    for (const name of ['ada', 'ben', 'cy']) {
      const created = await send('POST', '/Users', { schemas: [USER_SCHEMA_URN], userName: `${name}@acme.example`, roles: [{ value: 'pro' }] });
      expect(created.status).toBe(201);
    }
    const pro = await send('GET', '/Roles/pro');
    expect(pro.status).toBe(200);
    expect(pro.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(pro.body).toMatchObject({ id: 'pro', totalAssignmentsPermitted: 2, totalAssignmentsUsed: 2, meta: { location: `${base}/Roles/pro` } });
    const sso = (await send('GET', `/Entitlements?filter=${encodeURIComponent('value eq "sso"')}`)).body;
    expect(sso.Resources).toEqual([expect.objectContaining({ id: 'sso', totalAssignmentsPermitted: 12, totalAssignmentsUsed: 2 })]);
  });

  it('lists both resource types in /ResourceTypes and pages /Roles', async () => {
    const types = (await send('GET', '/ResourceTypes')).body.Resources.map((t: { endpoint: string }) => t.endpoint);
    expect(types).toEqual(expect.arrayContaining(['/Roles', '/Entitlements']));
    expect((await send('GET', '/Roles?startIndex=2&count=5')).body).toMatchObject({ totalResults: 2, startIndex: 2, itemsPerPage: 1 });
  });

  it('answers writes with 405 and Allow, a bad filter with 400, and no token with 401', async () => {
    const post = await send('POST', '/Roles', { value: 'enterprise' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const del = await send('DELETE', '/Entitlements/sso');
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    const bad = await send('GET', `/Roles?filter=${encodeURIComponent('seats gt 1')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidFilter');
    expect((await sendThrough((request) => fetch(request), base, null)('GET', '/Roles')).status).toBe(401);
  });
});
