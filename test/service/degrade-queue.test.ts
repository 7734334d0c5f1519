import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type StorageAdapter } from 'seatkit';
import { sqliteStorage } from 'seatkit/sqlite';

const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';

const adapters: [string, () => Promise<StorageAdapter>][] = [
  ['memory', async () => memoryStorage()],
  ['sqlite', () => sqliteStorage({ file: ':memory:' })],
];

describe.each(adapters)('users degraded below a full tier wait in its queue (%s)', (_name, open) => {
  const setup = async () => {
    const seatkit = createSeatkit({
      storage: await open(),
      policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { role: 'pro' }, tier: 'pro' }] }),
      onError: () => undefined,
    });
    await seatkit.tenants.put({ id: 't', tokens: ['degrade-token'], contract: {
      tiers: [{ key: 'standard', seats: 5 }, { key: 'pro', seats: 1, rank: 1, atLimit: { mode: 'degrade', to: 'standard' } }],
    } });
    const send = async (method: string, path: string, body?: unknown) => {
      const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
        method,
        headers: { authorization: 'Bearer degrade-token', 'content-type': 'application/scim+json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }));
      return (response.status === 204 ? null : await response.json()) as any;
    };
    const pro = async (userName: string) => (await send('POST', '/Users', { userName, roles: [{ value: 'pro' }] })).id as string;
    return { seatkit, send, pro };
  };

  it('moves the first degraded user up as soon as the seat it waits for comes free, then the next', async () => {
    const { seatkit, send, pro } = await setup();
    const holder = await pro('holder');
    const first = await pro('first');
    const second = await pro('second');
    expect((await send('GET', `/Users/${first}`))[LICENSE]).toEqual({ tier: 'standard', status: 'degraded' });
    await send('DELETE', `/Users/${holder}`);
    expect((await send('GET', `/Users/${first}`))[LICENSE]).toEqual({ tier: 'pro', status: 'assigned' });
    expect((await send('GET', `/Users/${second}`))[LICENSE]).toEqual({ tier: 'standard', status: 'degraded' });
    await send('DELETE', `/Users/${first}`);
    expect((await send('GET', `/Users/${second}`))[LICENSE]).toEqual({ tier: 'pro', status: 'assigned' });
    expect(await seatkit.usage('t')).toEqual(expect.arrayContaining([
      expect.objectContaining({ tier: 'pro', assigned: 1, pending: 0 }),
      expect.objectContaining({ tier: 'standard', assigned: 0 }),
    ]));
  });

  it('gives a seat added by the contract to the degraded user, and a newcomer after it waits below', async () => {
    const { seatkit, send, pro } = await setup();
    await pro('holder');
    const waiting = await pro('waiting');
    await seatkit.tenants.put({ id: 't', contract: {
      tiers: [{ key: 'standard', seats: 5 }, { key: 'pro', seats: 2, rank: 1, atLimit: { mode: 'degrade', to: 'standard' } }],
    } });
    expect((await send('GET', `/Users/${waiting}`))[LICENSE]).toEqual({ tier: 'pro', status: 'assigned' });
    const newcomer = await pro('newcomer');
    expect((await send('GET', `/Users/${newcomer}`))[LICENSE]).toEqual({ tier: 'standard', status: 'degraded' });
  });

  it('refuses to approve a degraded user while its tier is full, and serves it once a seat frees', async () => {
    const { seatkit, send, pro } = await setup();
    const holder = await pro('holder');
    const waiting = await pro('waiting');
    await expect(seatkit.licenses.approve('t', waiting)).rejects.toThrow(/No free seat in 'pro'/);
    await send('PATCH', `/Users/${holder}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect((await send('GET', `/Users/${waiting}`))[LICENSE]).toEqual({ tier: 'pro', status: 'assigned' });
  });
});
