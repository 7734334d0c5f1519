import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type StorageAdapter } from 'seatkit';
import { sqliteStorage } from 'seatkit/sqlite';
import { sendThrough } from '../support/lifecycle';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const setup = async (storage: StorageAdapter | Promise<StorageAdapter>) => {
  const seatkit = createSeatkit({ storage: await storage, policy: rulePolicy({ defaultTier: 'standard' }) });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 5 }] }, tokens: ['tok'] });
  const send = sendThrough((request) => seatkit.handle(request), 'http://localhost/scim/v2', 'tok');
  const a = (await send('POST', '/Users', { userName: 'ada', displayName: 'Ada Lovelace' })).body.id as string;
  const b = (await send('POST', '/Users', { userName: 'ben' })).body.id as string;
  const group = (await send('POST', '/Groups', { displayName: 'Team', members: [{ value: a }, { value: b }] })).body.id as string;
  const members = async () => ((await send('GET', `/Groups/${group}`)).body.members ?? []).map((m: { value: string }) => m.value).sort();
  const found = async (filter: string) => (await send('GET', `/Groups?filter=${encodeURIComponent(filter)}`)).body.totalResults as number;
  const remove = (path: string) => send('PATCH', `/Groups/${group}`, { schemas: [PATCH], Operations: [{ op: 'remove', path }] });
  return { a, b, members, found, remove };
};

describe.each([
  ['memory', () => memoryStorage()],
  ['sqlite', () => sqliteStorage()],
] as const)('member value filters in PATCH and in list filters agree (%s)', (_name, storage) => {
  it('removes the members that the same filter finds the group by, matching type and display too', async () => {
    const { a, b, members, found, remove } = await setup(storage());
    expect(await found(`members[value eq "${a}" and type eq "User"]`)).toBe(1);
    const one = await remove(`members[value eq "${a}" and type eq "User"]`);
    expect(one.status).toBe(204);
    expect(await members()).toEqual([b]);
    expect(await found(`members[value eq "${a}" and type eq "User"]`)).toBe(0);
    expect(await found('members[display eq "ben"]')).toBe(1);
    await remove('members[type eq "Group"]');
    expect(await members()).toEqual([b]);
    await remove('members[type eq "User"]');
    expect(await members()).toEqual([]);
    expect(await found('members[type eq "User"]')).toBe(0);
  });

  it('removes by display, as the group shows it', async () => {
    const { b, members, remove } = await setup(storage());
    await remove('members[display co "lovelace"]');
    expect(await members()).toEqual([b]);
  });
});
