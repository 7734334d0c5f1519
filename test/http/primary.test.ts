import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy } from 'seatkit';
import { sendThrough } from '../support/lifecycle';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const setup = async () => {
  const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'standard' }) });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 5 }] }, tokens: ['tok'] });
  return sendThrough((request) => seatkit.handle(request), 'http://localhost/scim/v2', 'tok');
};

const primaries = (items: { value: string; primary?: boolean }[] | undefined) => (items ?? []).filter((i) => i.primary === true).map((i) => i.value);

describe('at most one primary per multi-valued attribute (RFC 7643 §2.4)', () => {
  it('keeps the first primary of a POST or PUT body and sets the others false', async () => {
    const send = await setup();
    const created = await send('POST', '/Users', {
      userName: 'ada',
      emails: [{ value: 'a@work.example', primary: true }, { value: 'a@home.example', primary: 'True' }],
      phoneNumbers: [{ value: '+1 555 0100' }, { value: '+1 555 0101', primary: true }, { value: '+1 555 0102', primary: true }],
      addresses: [{ locality: 'London', primary: true }, { locality: 'Paris', primary: true }],
    });
    expect(created.status).toBe(201);
    expect(created.body.emails).toEqual([{ value: 'a@work.example', primary: true }, { value: 'a@home.example', primary: false }]);
    expect(primaries(created.body.phoneNumbers)).toEqual(['+1 555 0101']);
    expect(created.body.addresses.map((a: { primary: boolean }) => a.primary)).toEqual([true, false]);
    const replaced = await send('PUT', `/Users/${created.body.id}`, { userName: 'ada', roles: [{ value: 'pro', primary: true }, { value: 'admin', primary: true }] });
    expect(primaries(replaced.body.roles)).toEqual(['pro']);
  });

  it('a PATCH that sets primary on several items leaves it on the last of them', async () => {
    const send = await setup();
    const ada = await send('POST', '/Users', { userName: 'ada', emails: [{ value: 'a@x', type: 'work', primary: true }, { value: 'b@x', type: 'home' }, { value: 'c@x', type: 'work' }] });
    const all = await send('PATCH', `/Users/${ada.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'emails.primary', value: true }] });
    expect(all.status).toBe(200);
    expect(all.body.emails.map((e: { primary: boolean }) => e.primary)).toEqual([false, false, true]);
    const home = await send('PATCH', `/Users/${ada.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }] });
    expect(primaries(home.body.emails)).toEqual(['b@x']);
    const added = await send('PATCH', `/Users/${ada.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'emails', value: [{ value: 'd@x', primary: true }, { value: 'e@x', primary: true }] }] });
    expect(primaries(added.body.emails)).toEqual(['e@x']);
    expect(added.body.emails).toHaveLength(5);
    expect(primaries((await send('GET', `/Users/${ada.body.id}`)).body.emails)).toEqual(['e@x']);
  });
});
