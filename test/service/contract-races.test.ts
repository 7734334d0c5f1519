import { describe, expect, it } from 'vitest';
import { createSeatkit, LicenseCommandError, memoryStorage, rulePolicy, type LicensePolicy, type StorageAdapter } from 'seatkit';
import { sqliteStorage } from 'seatkit/sqlite';

const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

// A request body the test releases when it chooses, so a request can wait between its token check and its write.
const heldBody = (body: unknown) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await gate;
      controller.enqueue(new TextEncoder().encode(JSON.stringify(body)));
      controller.close();
    },
  });
  return { stream, release };
};

const tickingClock = () => {
  let t = Date.parse('2026-03-01T00:00:00.000Z');
  return () => new Date((t += 1000));
};

const setup = async (storage: StorageAdapter, policy: LicensePolicy, contract: object) => {
  const seatkit = createSeatkit({ storage, policy, clock: tickingClock(), onError: () => undefined });
  await seatkit.tenants.put({ id: 't', contract: contract as never, tokens: ['race-token'] });
  const request = (method: string, path: string, body?: unknown) => new Request(`http://localhost/scim/v2${path}`, {
    method,
    headers: { authorization: 'Bearer race-token', 'content-type': 'application/scim+json' },
    ...(body instanceof ReadableStream ? { body, duplex: 'half' } : body === undefined ? {} : { body: JSON.stringify(body) }),
  } as RequestInit);
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await seatkit.handle(request(method, path, body));
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as any };
  };
  return { seatkit, send, request };
};

const adapters: [string, () => Promise<StorageAdapter>][] = [
  ['memory', async () => memoryStorage()],
  ['sqlite', () => sqliteStorage({ file: ':memory:' })],
];

describe.each(adapters)('contract changes racing SCIM writes (%s)', (_name, open) => {
  it('a write that waited while seats were cut is judged by the new contract', async () => {
    const { seatkit, send, request } = await setup(await open(), rulePolicy({ defaultTier: 'standard' }), { tiers: [{ key: 'standard', seats: 10 }] });
    await send('POST', '/Users', { userName: 'a' });
    await send('POST', '/Users', { userName: 'b' });
    const slow = heldBody({ userName: 'late' });
    const pending = seatkit.handle(request('POST', '/Users', slow.stream));
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 2 }] } });
    slow.release();
    const late = await (await pending).json() as any;
    expect(late[LICENSE]).toEqual({ tier: 'standard', status: 'pending' });
    expect((await seatkit.usage('t'))[0]).toMatchObject({ limit: 2, assigned: 2, pending: 1 });
  });

  it('ledger times never run backwards in ledger order, whatever order requests arrive and commit in', async () => {
    const { seatkit, request } = await setup(await open(), rulePolicy({ defaultTier: 'standard' }), { tiers: [{ key: 'standard', seats: 2 }] });
    const bodies = ['u1', 'u2', 'u3', 'u4', 'u5'].map((userName) => heldBody({ userName }));
    const responses = bodies.map((b) => seatkit.handle(request('POST', '/Users', b.stream)));
    // The first to authenticate is the last to write.
    for (const b of [...bodies].reverse()) {
      b.release();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await Promise.all(responses)).map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const ledger = await seatkit.ledger('t');
    expect(ledger.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < ledger.length; i++) expect(Date.parse(ledger[i]!.at)).toBeGreaterThanOrEqual(Date.parse(ledger[i - 1]!.at));
  });
});

describe.each(adapters)('contract changes that cannot apply (%s)', (_name, open) => {
  const byRole = rulePolicy({ defaultTier: 'standard', rules: [{ when: { role: 'legacy' }, tier: 'legacy' }] });
  const withLegacy = { tiers: [{ key: 'standard', seats: 5 }, { key: 'legacy', seats: 5 }] };
  const withoutLegacy = { tiers: [{ key: 'standard', seats: 5 }] };

  it('refuses a contract that leaves out a tier users still hold, and keeps the old one', async () => {
    const { seatkit, send } = await setup(await open(), byRole, withLegacy);
    await send('POST', '/Users', { userName: 'old', roles: [{ value: 'legacy' }] });
    await expect(seatkit.tenants.put({ id: 't', contract: withoutLegacy, tokens: ['second-token'] })).rejects.toThrow(LicenseCommandError);
    await expect(seatkit.licenses.apply('t', { contract: withoutLegacy })).rejects.toThrow(/legacy/);
    expect((await seatkit.tenants.get('t'))!.contract.tiers.map((t) => t.key)).toEqual(['standard', 'legacy']);
    expect((await seatkit.usage('t')).find((u) => u.tier === 'legacy')).toMatchObject({ assigned: 1 });
    // The refused call added no token either.
    const probe = await seatkit.handle(new Request('http://localhost/scim/v2/Users', { headers: { authorization: 'Bearer second-token' } }));
    expect(probe.status).toBe(401);
  });

  it('retires a tier in one apply: the new policy moves its users and the new contract drops it', async () => {
    const { seatkit, send } = await setup(await open(), byRole, withLegacy);
    const old = await send('POST', '/Users', { userName: 'old', roles: [{ value: 'legacy' }] });
    const plan = await seatkit.licenses.apply('t', { contract: withoutLegacy, policy: rulePolicy({ defaultTier: 'standard' }) });
    expect(plan.changes).toEqual([expect.objectContaining({ userId: old.body.id, kind: 'moved', to: { tier: 'standard', status: 'assigned' } })]);
    expect((await seatkit.tenants.get('t'))!.contract.tiers.map((t) => t.key)).toEqual(['standard']);
  });

  it('stores neither the contract nor any license change when reconciling fails', async () => {
    let fail = false;
    const flaky: LicensePolicy = { decideTier: () => { if (fail) throw new Error('policy down'); return { tier: 'standard', reason: 'flat' }; } };
    const { seatkit, send } = await setup(await open(), flaky, { tiers: [{ key: 'standard', seats: 1 }] });
    await send('POST', '/Users', { userName: 'a' });
    await send('POST', '/Users', { userName: 'b' });
    fail = true;
    await expect(seatkit.licenses.apply('t', { contract: { tiers: [{ key: 'standard', seats: 5 }] } })).rejects.toThrow('policy down');
    expect((await seatkit.tenants.get('t'))!.contract.tiers[0]!.seats).toBe(1);
    expect((await seatkit.usage('t'))[0]).toMatchObject({ limit: 1, assigned: 1, pending: 1 });
  });
});

describe.each(adapters)('group swaps (%s)', (_name, open) => {
  it('moves a full reject-mode tier from one member to another in one request', async () => {
    const policy = rulePolicy({ defaultTier: 'standard', rules: [{ when: { group: 'Pro' }, tier: 'pro' }] });
    const { send } = await setup(await open(), policy, {
      tiers: [{ key: 'standard', seats: 10 }, { key: 'pro', seats: 1, rank: 1, atLimit: { mode: 'reject' } }],
    });
    const a = (await send('POST', '/Users', { userName: 'a' })).body.id;
    const b = (await send('POST', '/Users', { userName: 'b' })).body.id;
    const c = (await send('POST', '/Users', { userName: 'c' })).body.id;
    const group = (await send('POST', '/Groups', { displayName: 'Pro', members: [{ value: a }] })).body;
    const patched = await send('PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: [
      { op: 'add', path: 'members', value: [{ value: b }] },
      { op: 'remove', path: `members[value eq "${a}"]` },
    ] });
    expect(patched.status).toBe(204);
    expect((await send('GET', `/Users/${b}`)).body[LICENSE]).toEqual({ tier: 'pro', status: 'assigned' });
    expect((await send('GET', `/Users/${a}`)).body[LICENSE]).toEqual({ tier: 'standard', status: 'assigned' });
    const put = await send('PUT', `/Groups/${group.id}`, { displayName: 'Pro', members: [{ value: c }] });
    expect(put.status).toBe(200);
    expect((await send('GET', `/Users/${c}`)).body[LICENSE]).toEqual({ tier: 'pro', status: 'assigned' });
    // A real second holder is still refused.
    const both = await send('PATCH', `/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: a }] }] });
    expect(both.status).toBe(403);
  });
});
