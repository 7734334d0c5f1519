/**
 * Contract terms through the SCIM endpoint: at-limit modes, reclaim holds, flap damping, approvals,
 * the ledger, the outbox and the host's questions.
 */
import { describe, expect, it } from 'vitest';
import {
  createSeatkit, LicenseCommandError, memoryStorage, rulePolicy, type Contract, type OutboxEvent, type Seatkit, type StorageAdapter,
} from 'seatkit';
import { sqliteStorage } from 'seatkit/sqlite';
import { ERROR_SCHEMA_URN, GROUP_SCHEMA_URN, LICENSE, PATCH_OP, sendThrough, type Send } from '../support/lifecycle';

const BASE = 'http://localhost/scim/v2';
const policy = rulePolicy({ defaultTier: 'standard', rules: [{ when: { role: 'pro' }, tier: 'pro' }, { when: { group: 'Pro Users' }, tier: 'pro' }] });

interface Harness {
  seatkit: Seatkit;
  send: Send;
  /** Moves the injected clock forward. */
  tick: (ms: number) => void;
  events: OutboxEvent[];
}

const harness = async (
  contract: Contract,
  options: { storage?: StorageAdapter; onEvent?: (e: OutboxEvent) => void; onError?: (error: unknown) => void } = {},
): Promise<Harness> => {
  let now = Date.parse('2026-03-01T09:00:00.000Z');
  const events: OutboxEvent[] = [];
  const seatkit = createSeatkit({
    storage: options.storage ?? memoryStorage(),
    policy,
    clock: () => new Date(now),
    onEvent: options.onEvent ?? ((e) => { events.push(e); }),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  await seatkit.tenants.put({ id: 'acme', contract, tokens: ['tok'] });
  const send = sendThrough((r) => seatkit.handle(r), BASE, 'tok');
  return { seatkit, send, tick: (ms) => { now += ms; }, events };
};

const user = (userName: string, extra: Record<string, unknown> = {}) => ({ userName, ...extra });
const pro = (userName: string) => user(userName, { roles: [{ value: 'pro' }] });
const deactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] };
const reactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] };
const HOUR = 3600_000;

describe('at a full tier', () => {
  it('reject: answers 403 with a SCIM error naming the tier and the count, and stores nothing', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 5 }, { key: 'pro', seats: 1, atLimit: { mode: 'reject' } }] });
    expect((await h.send('POST', '/Users', pro('ada'))).status).toBe(201);
    const refused = await h.send('POST', '/Users', pro('ben'));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ schemas: [ERROR_SCHEMA_URN], status: '403', detail: "Seat limit reached for 'pro' (1/1); an admin must free or buy a seat" });
    expect((await h.send('GET', '/Users?filter=userName%20eq%20%22ben%22')).body.totalResults).toBe(0);
    // A user that does not want the full tier is not affected, and a downgrade into it never fails.
    const cy = await h.send('POST', '/Users', user('cy'));
    expect(cy.status).toBe(201);
    expect((await h.seatkit.usage('acme')).find((u) => u.tier === 'pro')).toMatchObject({ assigned: 1, pending: 0 });
  });

  it('reject: a reactivation into a full tier is refused and the user stays inactive', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 5 }, { key: 'pro', seats: 1, atLimit: { mode: 'reject' } }] });
    const ada = (await h.send('POST', '/Users', pro('ada'))).body.id;
    expect((await h.send('PATCH', `/Users/${ada}`, deactivate)).status).toBe(200);
    await h.send('POST', '/Users', pro('ben'));
    const again = await h.send('PATCH', `/Users/${ada}`, reactivate);
    expect(again.status).toBe(403);
    expect((await h.send('GET', `/Users/${ada}`)).body).toMatchObject({ active: false, [LICENSE]: { status: 'released' } });
  });

  it('overage: grants seats beyond the limit up to the allowance, flagged and evented, then queues', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 2, atLimit: { mode: 'overage', seats: 1 } }, { key: 'pro', seats: 1 }] });
    for (const name of ['a', 'b', 'c', 'd']) await h.send('POST', '/Users', user(name));
    expect((await h.seatkit.usage('acme'))[0]).toMatchObject({ limit: 2, assigned: 3, pending: 1, over: 1, available: 0 });
    await h.seatkit.events.deliver('acme');
    const types = h.events.map((e) => e.effect.type);
    expect(types).toContain('license.overage_started');
    expect(h.events.find((e) => e.effect.type === 'license.assigned' && 'overage' in e.effect)?.effect).toMatchObject({ overage: true });
  });

  it('degrade: takes a seat of the lower tier while one is free, and moves up when the user is next touched with a seat free', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 5 }, { key: 'pro', seats: 1, atLimit: { mode: 'degrade', to: 'standard' } }] });
    const ada = (await h.send('POST', '/Users', pro('ada'))).body.id;
    const ben = await h.send('POST', '/Users', pro('ben'));
    expect(ben.body[LICENSE]).toEqual({ tier: 'standard', status: 'degraded' });
    expect(await h.seatkit.getLicense('acme', ben.body.id)).toMatchObject({ tier: 'standard', status: 'degraded', wantedTier: 'pro' });
    expect((await h.send('DELETE', `/Users/${ada}`)).status).toBe(204);
    const touched = await h.send('PATCH', `/Users/${ben.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Ben' }] });
    expect(touched.body[LICENSE]).toEqual({ tier: 'pro', status: 'assigned' });
  });
});

describe('giving a seat up', () => {
  it('reclaim after a delay: the seat stays held, a reactivation inside the hold keeps it, the clock frees it afterwards', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 1, reclaim: { mode: 'delay', hours: 24 } }, { key: 'pro', seats: 1 }] });
    const ada = (await h.send('POST', '/Users', user('ada'))).body.id;
    const ben = (await h.send('POST', '/Users', user('ben'))).body.id;
    expect((await h.send('PATCH', `/Users/${ada}`, deactivate)).body[LICENSE]).toEqual({ tier: 'standard', status: 'releasing' });
    expect(await h.seatkit.getLicense('acme', ben)).toMatchObject({ status: 'pending' });
    expect((await h.seatkit.usage('acme'))[0]).toMatchObject({ assigned: 0, releasing: 1, pending: 1, available: 0 });
    h.tick(2 * HOUR);
    expect((await h.send('PATCH', `/Users/${ada}`, reactivate)).body[LICENSE]).toEqual({ tier: 'standard', status: 'assigned' });
    expect((await h.send('PATCH', `/Users/${ada}`, deactivate)).body[LICENSE]).toEqual({ tier: 'standard', status: 'releasing' });
    h.tick(25 * HOUR);
    await h.seatkit.licenses.advance('acme');
    expect(await h.seatkit.getLicense('acme', ada)).toMatchObject({ status: 'released' });
    expect(await h.seatkit.getLicense('acme', ben)).toMatchObject({ status: 'assigned' });
  });

  it('reclaim at period end holds the seat until the billing period is over', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 3, reclaim: { mode: 'periodEnd' } }], term: { start: '2026-01-01T00:00:00.000Z', end: null }, billingPeriod: 'quarter' });
    const ada = (await h.send('POST', '/Users', user('ada'))).body.id;
    await h.send('PATCH', `/Users/${ada}`, deactivate);
    expect(await h.seatkit.getLicense('acme', ada)).toMatchObject({ status: 'releasing', releaseAt: '2026-04-01T00:00:00.000Z' });
  });

  it('flap damping: a group move sent as remove then add never releases and re-grants the seat', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 5 }, { key: 'pro', seats: 1 }], flapWindowSeconds: 600 });
    const ada = (await h.send('POST', '/Users', user('ada'))).body.id;
    const groupA = (await h.send('POST', '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Pro Users', members: [{ value: ada }] })).body.id;
    const groupB = (await h.send('POST', '/Groups', { schemas: [GROUP_SCHEMA_URN], displayName: 'Pro Users', members: [] })).body.id;
    expect(await h.seatkit.getLicense('acme', ada)).toMatchObject({ tier: 'pro', status: 'assigned' });
    const waiting = (await h.send('POST', '/Users', pro('ben'))).body.id;
    await h.send('PATCH', `/Groups/${groupA}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${ada}"]` }] });
    expect(await h.seatkit.getLicense('acme', ada)).toMatchObject({ tier: 'pro', status: 'releasing', wantedTier: 'standard' });
    expect(await h.seatkit.getLicense('acme', waiting)).toMatchObject({ status: 'pending' });
    h.tick(30_000);
    await h.send('PATCH', `/Groups/${groupB}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: ada }] }] });
    expect(await h.seatkit.getLicense('acme', ada)).toMatchObject({ tier: 'pro', status: 'assigned' });
    expect(await h.seatkit.getLicense('acme', waiting)).toMatchObject({ status: 'pending' });
    await h.seatkit.events.deliver('acme');
    const adaEvents = h.events.filter((e) => 'userId' in e.effect && e.effect.userId === ada).map((e) => e.effect.type);
    expect(adaEvents).not.toContain('license.released');
    expect(adaEvents.slice(-2)).toEqual(['license.releasing', 'license.restored']);
  });
});

describe('manual approval (a user cap)', () => {
  it('leaves newcomers pending at the cap until the host approves one, and refuses approval without a free seat', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 1, promotion: 'manual' }] });
    const ada = (await h.send('POST', '/Users', user('ada'))).body.id;
    const ben = (await h.send('POST', '/Users', user('ben'))).body.id;
    await expect(h.seatkit.licenses.approve('acme', ben)).rejects.toBeInstanceOf(LicenseCommandError);
    await h.send('DELETE', `/Users/${ada}`);
    expect(await h.seatkit.getLicense('acme', ben)).toMatchObject({ status: 'pending' });
    await h.seatkit.licenses.approve('acme', ben);
    expect(await h.seatkit.getLicense('acme', ben)).toMatchObject({ status: 'assigned', reason: 'approved by an admin' });
  });
});

describe.each([
  ['memory', () => memoryStorage()],
  ['sqlite', () => sqliteStorage()],
] as const)('ledger, outbox and explain on %s storage', (_, open) => {
  it('records every change once, with actor, request id, rule and policy; a replayed request records nothing', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 1 }, { key: 'pro', seats: 1 }] }, { storage: await open() });
    const response = await h.seatkit.handle(new Request(`${BASE}/Users`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json', 'x-request-id': 'req-42' },
      body: JSON.stringify(pro('ada')),
    }));
    const ada = ((await response.json()) as { id: string }).id;
    const promote = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'roles', value: [] }] };
    await h.send('PATCH', `/Users/${ada}`, promote);
    await h.send('PATCH', `/Users/${ada}`, promote);
    const history = await h.seatkit.history('acme', ada);
    expect(history.map((e) => [e.seq, e.before?.tier ?? null, e.before?.status ?? null, e.after?.tier, e.after?.status])).toEqual([
      [1, null, null, 'pro', 'assigned'],
      [2, 'pro', 'assigned', 'standard', 'assigned'],
    ]);
    expect(history[0]).toMatchObject({ requestId: 'req-42', rule: "rule 1: role 'pro'", policy: 'rules', reason: 'a seat was free' });
    expect(history[0]!.actor).toMatch(/^token:[0-9a-f]{12}$/);
    expect(history[1]).toMatchObject({ rule: 'default tier' });
    expect(history[1]!.requestId).not.toBe('req-42');
  });

  it('delivers events in order, at least once, with stable ids, retrying from a failed one', async () => {
    const seen: OutboxEvent[] = [];
    const errors: string[] = [];
    let failNext = true;
    const h = await harness({ tiers: [{ key: 'standard', seats: 1 }] }, {
      storage: await open(),
      onError: (error) => errors.push((error as Error).message),
      onEvent: (e) => {
        if (e.effect.type === 'license.pending' && failNext) {
          failNext = false;
          throw new Error('webhook down');
        }
        seen.push(e);
      },
    });
    await h.send('POST', '/Users', user('ada'));
    await h.send('POST', '/Users', user('ben'));
    // The delivery started by ben's request stopped at the failing event; this one resumes there.
    await h.seatkit.events.deliver('acme');
    expect(errors).toEqual(['webhook down']);
    expect(seen.map((e) => [e.seq, e.effect.type])).toEqual([[1, 'license.assigned'], [2, 'seats.limit_reached'], [3, 'license.pending']]);
    expect(new Set(seen.map((e) => e.id)).size).toBe(3);
    expect(await h.seatkit.events.deliver('acme')).toBe(0);
  });

  it('explains a pending user: rules matched, tier chosen, queue place, history', async () => {
    const h = await harness({ tiers: [{ key: 'standard', seats: 1 }, { key: 'pro', seats: 1, features: ['export'] }] }, { storage: await open() });
    const ada = (await h.send('POST', '/Users', pro('ada'))).body.id;
    await h.send('POST', '/Users', pro('ben'));
    const cy = (await h.send('POST', '/Users', pro('cy'))).body.id;
    const why = await h.seatkit.explain('acme', cy);
    expect(why).toMatchObject({
      exists: true,
      active: true,
      policy: 'rules',
      decision: { tier: 'pro', reason: "rule 1: role 'pro'", matched: ["rule 1: role 'pro' -> 'pro'"] },
      license: { tier: 'pro', status: 'pending' },
      queue: { position: 2, held: 1, seats: 1, manualApproval: false },
    });
    expect(why.summary).toContain('number 2 in the queue');
    expect(why.history.map((e) => e.after?.status)).toEqual(['pending']);
    expect(why.decidedBy).toMatchObject({ policy: 'rules', rule: "rule 1: role 'pro'", actor: expect.stringMatching(/^token:/) });
    expect(await h.seatkit.can('acme', ada, 'export')).toBe(true);
    expect(await h.seatkit.can('acme', cy, 'export')).toBe(false);
  });
});
