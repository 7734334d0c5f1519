/**
 * Provisions a few users over SCIM and prints the Stripe calls the billing sync made.
 * Run it with `node --import tsx examples/billing-sync/main.ts`.
 */
import { createSeatkit, memoryStorage, rulePolicy, type Seatkit } from 'seatkit';
import { fakeStripe } from './fake-stripe';
import { quantitySync } from './quantity-sync';

const TOKEN = 'acme-scim-token';
const ITEMS: Record<string, Record<string, string>> = { acme: { standard: 'si_acme_standard', pro: 'si_acme_pro' } };

const main = async () => {
  const stripe = fakeStripe({ si_acme_standard: 0, si_acme_pro: 0 });
  let seatkit: Seatkit | undefined;
  const onEvent = quantitySync({ stripe, usage: (tenantId) => seatkit!.usage(tenantId), itemFor: (tenantId, tier) => ITEMS[tenantId]?.[tier] });
  seatkit = createSeatkit({
    storage: memoryStorage(),
    policy: rulePolicy({ defaultTier: 'standard', rules: [{ when: { role: 'pro' }, tier: 'pro' }] }),
    onEvent,
  });
  await seatkit.tenants.put({
    id: 'acme',
    contract: { tiers: [{ key: 'standard', seats: 10 }, { key: 'pro', seats: 5 }, { key: 'viewer', seats: null, billable: false }] },
    tokens: [TOKEN],
  });

  const scim = (method: string, path: string, body?: unknown) => seatkit!.handle(new Request(`http://localhost/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  }));

  for (const [userName, roles] of [['ada', ['pro']], ['ben', []], ['cy', []]] as const) {
    await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, roles: roles.map((value) => ({ value })) });
  }
  await seatkit.events.deliver('acme');
  for (const call of stripe.calls) console.log(`update ${call.itemId} quantity=${call.quantity} key=${call.idempotencyKey}${call.replayed ? ' (replayed)' : ''}`);
  console.log(`standard: ${stripe.quantity('si_acme_standard')}, pro: ${stripe.quantity('si_acme_pro')}`);
};

await main();
