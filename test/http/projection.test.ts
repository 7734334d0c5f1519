import { describe, expect, it } from 'vitest';
import { attr, createSeatkit, memoryStorage, rulePolicy, type SchemaDefinition } from 'seatkit';

const HR = 'urn:acme:scim:schemas:extension:hr:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const hr: SchemaDefinition = {
  id: HR,
  name: 'Hr',
  description: 'HR data returned only on request',
  attributes: [attr.string('salaryBand', { returned: 'request' }), attr.string('office')],
};

const setup = async () => {
  const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'standard' }), extensions: { user: [hr] } });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 5 }] }, tokens: ['tok'] });
  return async (method: string, path: string, body?: unknown) => {
    const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method,
      headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as any };
  };
};

describe('attributes, excludedAttributes and returned (RFC 7644 §3.4.2.5, RFC 7643 §7)', () => {
  it('returns only the named attributes, plus id and schemas, which are always returned', async () => {
    const send = await setup();
    const ada = await send('POST', '/Users', { userName: 'ada', displayName: 'Ada', name: { givenName: 'Ada', familyName: 'L' } });
    const r = await send('GET', `/Users/${ada.body.id}?attributes=userName,name.givenName`);
    expect(Object.keys(r.body).sort()).toEqual(['id', 'name', 'schemas', 'userName']);
    expect(r.body.name).toEqual({ givenName: 'Ada' });
    const excluded = await send('GET', `/Users/${ada.body.id}?excludedAttributes=id,displayName,meta`);
    expect(excluded.body.id).toBe(ada.body.id);
    expect(excluded.body.displayName).toBeUndefined();
    expect(excluded.body.meta).toBeUndefined();
  });

  it('returns a returned:request attribute only when asked for by name', async () => {
    const send = await setup();
    const ada = await send('POST', '/Users', { userName: 'ada', [HR]: { salaryBand: 'B3', office: 'Oslo' } });
    expect(ada.body[HR]).toEqual({ office: 'Oslo' });
    const asked = await send('GET', `/Users/${ada.body.id}?attributes=${HR}:salaryBand`);
    expect(asked.body[HR]).toEqual({ salaryBand: 'B3' });
    const list = await send('GET', '/Users');
    expect(list.body.Resources[0][HR]).toEqual({ office: 'Oslo' });
  });

  it('never returns the password, even when asked for', async () => {
    const send = await setup();
    const ada = await send('POST', '/Users?attributes=password,userName', { userName: 'ada', password: 'secret' });
    expect(ada.body.password).toBeUndefined();
    expect(ada.body.userName).toBe('ada');
  });

  it('projects write responses too', async () => {
    const send = await setup();
    const ada = await send('POST', '/Users?attributes=userName', { userName: 'ada', displayName: 'Ada' });
    expect(Object.keys(ada.body).sort()).toEqual(['id', 'schemas', 'userName']);
    const patched = await send('PATCH', `/Users/${ada.body.id}?excludedAttributes=urn:seatkit:scim:schemas:extension:license:2.0:User`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'x' }] });
    expect(patched.body.title).toBe('x');
    expect(patched.body['urn:seatkit:scim:schemas:extension:license:2.0:User']).toBeUndefined();
  });

  it('answers a group PATCH with 204, or with the group when attributes are asked for', async () => {
    const send = await setup();
    const ada = await send('POST', '/Users', { userName: 'ada' });
    const group = await send('POST', '/Groups', { displayName: 'G' });
    const plain = await send('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: ada.body.id }] }] });
    expect(plain.status).toBe(204);
    const asked = await send('PATCH', `/Groups/${group.body.id}?excludedAttributes=members`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'H' }] });
    expect(asked.status).toBe(200);
    expect(asked.body.displayName).toBe('H');
    expect(asked.body.members).toBeUndefined();
  });
});
