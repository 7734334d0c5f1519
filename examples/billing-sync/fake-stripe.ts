/**
 * An in-process stand-in for the part of Stripe's API the billing sync uses:
 * `subscriptionItems.retrieve(id)` and `subscriptionItems.update(id, { quantity }, { idempotencyKey })`.
 *
 * Idempotency keys behave as Stripe documents them: a request repeated with the same key and the
 * same parameters gets the first response back and changes nothing; the same key with other
 * parameters is an error. Every request is recorded, so tests can count what was applied.
 */

export interface SubscriptionItem {
  readonly id: string;
  readonly quantity: number;
}

export interface UpdateCall {
  readonly itemId: string;
  readonly quantity: number;
  readonly idempotencyKey: string | null;
  /** True when the key had been seen: Stripe answered from its record and changed nothing. */
  readonly replayed: boolean;
}

export class StripeIdempotencyError extends Error {
  override readonly name = 'StripeIdempotencyError';
}

/** Thrown when a test asks for the next response to be lost after Stripe applied the update. */
export class StripeConnectionError extends Error {
  override readonly name = 'StripeConnectionError';
}

export interface FakeStripe {
  readonly subscriptionItems: {
    retrieve(id: string): Promise<SubscriptionItem>;
    update(id: string, params: { quantity: number }, options?: { idempotencyKey?: string }): Promise<SubscriptionItem>;
  };
  /** Every update request received, replays included, in order. */
  readonly calls: readonly UpdateCall[];
  /** The current quantity of each item. */
  quantity(itemId: string): number;
  /** The next update is applied, but its response is lost on the way back (a timeout). */
  loseNextResponse(): void;
}

/**
 * @example
 * const stripe = fakeStripe({ si_standard: 0, si_pro: 0 });
 * await stripe.subscriptionItems.update('si_pro', { quantity: 3 }, { idempotencyKey: 'evt_1:si_pro:3' });
 */
export const fakeStripe = (initial: Record<string, number>): FakeStripe => {
  const items = new Map(Object.entries(initial));
  const seen = new Map<string, { itemId: string; quantity: number; response: SubscriptionItem }>();
  const calls: UpdateCall[] = [];
  let loseResponse = false;

  const retrieve = async (id: string): Promise<SubscriptionItem> => {
    const quantity = items.get(id);
    if (quantity === undefined) throw new Error(`No such subscription item: ${id}`);
    return { id, quantity };
  };

  const update = async (id: string, params: { quantity: number }, options: { idempotencyKey?: string } = {}): Promise<SubscriptionItem> => {
    const key = options.idempotencyKey ?? null;
    const previous = key === null ? undefined : seen.get(key);
    calls.push({ itemId: id, quantity: params.quantity, idempotencyKey: key, replayed: previous !== undefined });
    if (previous) {
      if (previous.itemId !== id || previous.quantity !== params.quantity) {
        throw new StripeIdempotencyError(`Keys for idempotent requests can only be used with the same parameters (${key})`);
      }
      return previous.response;
    }
    await retrieve(id);
    items.set(id, params.quantity);
    const response = { id, quantity: params.quantity };
    if (key !== null) seen.set(key, { itemId: id, quantity: params.quantity, response });
    if (loseResponse) {
      loseResponse = false;
      throw new StripeConnectionError('The connection to Stripe was lost before the response arrived');
    }
    return response;
  };

  return {
    subscriptionItems: { retrieve, update },
    calls,
    quantity: (itemId) => items.get(itemId) ?? 0,
    loseNextResponse: () => { loseResponse = true; },
  };
};
