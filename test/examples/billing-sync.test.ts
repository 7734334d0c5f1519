import { beforeEach, describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, rulePolicy, type OutboxEvent, type Seatkit } from 'seatkit';
import { fakeStripe, StripeIdempotencyError, type FakeStripe } from '../../examples/billing-sync/fake-stripe';
import { quantitySync } from '../../examples/billing-sync/quantity-sync';

const TOKEN = 'acme-scim-token';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ITEMS: Record<string, string> = { standard: 'si_standard', pro: 'si_pro' };

let stripe: FakeStripe;
let seatkit: Seatkit;
let delivered: OutboxEvent[];
let errors: unknown[];

beforeEach(async () => {
  stripe = fakeStripe({ si_standard: 0, si_pro: 0 });
  delivered = [];
  errors = [];
  const sync = quantitySync({ stripe, usage: (tenantId) => seatkit.usage(tenantId), itemFor: (_tenant, tier) => ITEMS[tier] });
  seatkit = createSeatkit({
    storage: memoryStorage(),
    policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { role: 'pro' }, tier: 'pro' }, { when: { role: 'viewer' }, tier: 'viewer' }] }),
    onEvent: async (event) => {
      delivered.push(event);
      await sync(event);
    },
    onError: (error) => errors.push(error),
  });
  await seatkit.tenants.put({
    id: 'acme',
    contract: { tiers: [{ key: 'standard', seats: 2 }, { key: 'pro', seats: 1 }, { key: 'viewer', seats: null, billable: false }] },
    tokens: [TOKEN],
  });
});

const scim = async (method: string, path: string, body?: unknown) => {
  const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  }));
  // Delivery runs beside the response; waiting for it makes each step's effect on Stripe observable.
  await seatkit.events.deliver('acme');
  return { status: response.status, body: (response.status === 204 ? null : await response.json()) as any };
};

const createUser = async (userName: string, role?: string) => {
  const created = await scim('POST', '/Users', { schemas: [USER], userName, ...(role ? { roles: [{ value: role }] } : {}) });
  expect(created.status).toBe(201);
  return created.body.id as string;
};

const deactivate = (id: string) => scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
const quantities = () => ({ standard: stripe.quantity('si_standard'), pro: stripe.quantity('si_pro') });
const applied = () => stripe.calls.filter((c) => !c.replayed);

describe('examples/billing-sync: Stripe quantities follow the seats held', () => {
  it('sets each billable tier\'s quantity to its held seats as users are provisioned, queued, promoted and removed', async () => {
    const ada = await createUser('ada@acme.example');
    expect(quantities()).toEqual({ standard: 1, pro: 0 });
    await createUser('ben@acme.example');
    expect(quantities()).toEqual({ standard: 2, pro: 0 });

    // A third standard user waits: nothing more is held, so nothing more is billed.
    const cy = await createUser('cy@acme.example');
    expect(quantities()).toEqual({ standard: 2, pro: 0 });
    expect(applied()).toHaveLength(2);

    await createUser('dee@acme.example', 'pro');
    expect(quantities()).toEqual({ standard: 2, pro: 1 });

    // Ada leaves and Cy takes her seat in the same request: still 2, and Stripe is not called.
    expect((await deactivate(ada)).status).toBe(200);
    expect(quantities()).toEqual({ standard: 2, pro: 1 });
    expect(applied()).toHaveLength(3);

    expect((await scim('DELETE', `/Users/${cy}`)).status).toBe(204);
    expect(quantities()).toEqual({ standard: 1, pro: 1 });
    expect(await seatkit.usage('acme')).toEqual(expect.arrayContaining([expect.objectContaining({ tier: 'standard', assigned: 1 })]));
    expect(errors).toEqual([]);
  });

  it('never bills a free tier: viewers change no quantity', async () => {
    await createUser('vi@acme.example', 'viewer');
    await createUser('vo@acme.example', 'viewer');
    expect(stripe.calls).toEqual([]);
    expect(delivered.map((e) => e.effect.type)).toEqual(['license.assigned', 'license.assigned']);
  });

  it('uses the event id in the idempotency key of every update', async () => {
    await createUser('ada@acme.example');
    const [event] = delivered;
    expect(stripe.calls).toEqual([{ itemId: 'si_standard', quantity: 1, idempotencyKey: `${event!.id}:si_standard:1`, replayed: false }]);
  });

  it('a redelivered event does not count its seat twice', async () => {
    await createUser('ada@acme.example');
    await createUser('ben@acme.example');
    const before = { quantities: quantities(), calls: stripe.calls.length };
    // The outbox may hand the same event over again (at least once): the hook skips what it handled.
    const sync = quantitySync({ stripe, usage: (t) => seatkit.usage(t), itemFor: (_t, tier) => ITEMS[tier] });
    for (const event of delivered) {
      const handledOnce = quantitySync({ stripe, usage: (t) => seatkit.usage(t), itemFor: (_t, tier) => ITEMS[tier], handled: new Set([event.id]) });
      await handledOnce(event);
    }
    // Even a process that never saw the events sets the same absolute quantity, not one more.
    for (const event of delivered) await sync(event);
    expect(quantities()).toEqual(before.quantities);
    expect(applied()).toHaveLength(2);
    expect(stripe.calls.length).toBe(before.calls);
  });

  it('a response lost after Stripe applied the update: seatkit delivers the event again, and nothing is applied twice', async () => {
    await createUser('ada@acme.example');
    stripe.loseNextResponse();
    // The hook throws for Ben's event, so it stays undelivered; the next delivery (the one this step
    // waits for) starts again from it. The quantity is already right then, so nothing is sent twice.
    await createUser('ben@acme.example');
    expect(errors).toHaveLength(1);
    const ben = delivered.find((e) => e.effect.type === 'license.assigned' && e.seq === 2)!;
    expect(delivered.filter((e) => e.id === ben.id)).toHaveLength(2);
    expect(quantities().standard).toBe(2);
    expect(applied()).toHaveLength(2);
    expect(await seatkit.events.deliver('acme')).toBe(0);
  });

  it('a lost response followed by another change before the redelivery: the redelivery sets the new quantity instead of stalling', async () => {
    await createUser('ada@acme.example');
    stripe.loseNextResponse();
    // Ben's create is delivered beside the response; Stripe applies quantity 2 and the answer is lost.
    const created = await seatkit.handle(new Request('http://localhost/scim/v2/Users', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER], userName: 'ben@acme.example' }),
    }));
    const ben = (await created.json() as any).id as string;
    await expect.poll(() => errors.length).toBe(1);
    expect(stripe.quantity('si_standard')).toBe(2);
    // Ben leaves before Ben's event is delivered again: the redelivery now reads one seat.
    await deactivate(ben);
    expect(errors).toHaveLength(1);
    expect(quantities().standard).toBe(1);
    expect(await seatkit.events.deliver('acme')).toBe(0);
  });

  it('a retried update with the same idempotency key is answered from Stripe\'s record, not applied twice', async () => {
    const first = await stripe.subscriptionItems.update('si_pro', { quantity: 3 }, { idempotencyKey: 'evt_1:si_pro' });
    await stripe.subscriptionItems.update('si_pro', { quantity: 4 }, { idempotencyKey: 'evt_2:si_pro' });
    const again = await stripe.subscriptionItems.update('si_pro', { quantity: 3 }, { idempotencyKey: 'evt_1:si_pro' });
    expect(again).toEqual(first);
    expect(stripe.quantity('si_pro')).toBe(4);
    expect(stripe.calls.map((c) => c.replayed)).toEqual([false, false, true]);
    await expect(stripe.subscriptionItems.update('si_pro', { quantity: 9 }, { idempotencyKey: 'evt_1:si_pro' })).rejects.toBeInstanceOf(StripeIdempotencyError);
  });

  it('events arrive in order per tenant, each with a stable id and its sequence number', async () => {
    await createUser('ada@acme.example');
    await createUser('ben@acme.example', 'pro');
    await createUser('cy@acme.example', 'pro');
    expect(delivered.map((e) => e.seq)).toEqual(delivered.map((_, i) => i + 1));
    expect(delivered.map((e) => e.effect.type)).toEqual(expect.arrayContaining(['license.assigned', 'license.pending']));
    expect(new Set(delivered.map((e) => e.id)).size).toBe(delivered.length);
    expect(quantities()).toEqual({ standard: 1, pro: 1 });
  });
});
