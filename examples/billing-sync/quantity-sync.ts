/**
 * An `onEvent` hook that keeps a Stripe subscription item per billable tier at the number of seats
 * the tenant holds. It sets absolute quantities read from `seatkit.usage()`, never adds or
 * subtracts per event, so an event delivered twice cannot count a seat twice.
 *
 * Delivery is at least once and in order per tenant. Two layers make a repeat harmless:
 * - events already handled are skipped by `event.id` (keep these ids in your database in production);
 * - each Stripe update carries the idempotency key `<event id>:<item id>:<quantity>`, so an update
 *   whose response was lost, and that seatkit therefore delivers again, is answered from Stripe's
 *   record. The quantity is part of the key because it is read when the event is handled: a change
 *   committed before the redelivery gives another quantity, which Stripe would refuse under the
 *   same key, and the tenant's events would stall behind that one for good.
 */
import type { OutboxEvent, TierUsage } from 'seatkit';
import type { FakeStripe } from './fake-stripe';

export interface QuantitySyncOptions {
  /** Stripe's client, or anything with the same `subscriptionItems` calls. */
  readonly stripe: Pick<FakeStripe, 'subscriptionItems'>;
  /** `seatkit.usage`; passed as a function because the hook is built before `createSeatkit` returns. */
  readonly usage: (tenantId: string) => Promise<readonly TierUsage[]>;
  /** The subscription item billing a tenant's tier, or undefined when the tier is not billed through Stripe. */
  readonly itemFor: (tenantId: string, tier: string) => string | undefined;
  /** Ids of events already handled. A Set works in one process; use a table with a unique key across several. */
  readonly handled?: { has(id: string): boolean | Promise<boolean>; add(id: string): unknown };
}

/** Seats a tier holds: assigned (and degraded) plus those kept during a reclaim hold, which are paid for too. */
export const heldSeats = (usage: TierUsage): number => usage.assigned + usage.releasing;

/**
 * @example
 * let seatkit: Seatkit;
 * const onEvent = quantitySync({ stripe, usage: (t) => seatkit.usage(t), itemFor: (t, tier) => items[t]?.[tier] });
 * seatkit = createSeatkit({ storage, policy, onEvent });
 */
export const quantitySync = (options: QuantitySyncOptions) => {
  const handled = options.handled ?? new Set<string>();
  return async (event: OutboxEvent): Promise<void> => {
    if (await handled.has(event.id)) return;
    // Any license event may change held seats (a promotion, a hold ending, a revoke at expiry): read them all.
    for (const tier of await options.usage(event.tenantId)) {
      const itemId = tier.billable ? options.itemFor(event.tenantId, tier.tier) : undefined;
      if (!itemId) continue;
      const quantity = heldSeats(tier);
      const current = await options.stripe.subscriptionItems.retrieve(itemId);
      if (current.quantity === quantity) continue;
      await options.stripe.subscriptionItems.update(itemId, { quantity }, { idempotencyKey: `${event.id}:${itemId}:${quantity}` });
    }
    // Only after every update succeeded: a throw above makes seatkit deliver this event again.
    await handled.add(event.id);
  };
};
