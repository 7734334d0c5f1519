/**
 * Delivers a tenant's outbox to the host's hook: at least once, in order per tenant. An event is
 * marked delivered only after the hook returned; a hook that throws stops the tenant's delivery at
 * that event, which is tried again on the next delivery. Within one process deliveries of a tenant
 * never overlap; across processes the hook may see an event twice, so it de-duplicates by `id`.
 */
import type { OutboxEvent } from '../core/license/outbox-event';
import type { StorageAdapter } from '../ports/storage-adapter';

const BATCH = 100;

export type EventHook = (event: OutboxEvent) => void | Promise<void>;

export interface EventDelivery {
  /** Delivers everything the tenant's outbox holds; resolves to how many events were delivered. */
  deliver(tenantId: string): Promise<number>;
}

export const eventDelivery = (storage: StorageAdapter, hook: EventHook, onError: (error: unknown) => void): EventDelivery => {
  const running = new Map<string, Promise<number>>();

  const drain = async (tenantId: string): Promise<number> => {
    let delivered = 0;
    for (;;) {
      const batch = await storage.read(tenantId, (reader) => reader.undeliveredEvents(BATCH));
      if (batch.length === 0) return delivered;
      let through: number | null = null;
      let failed = false;
      for (const event of batch) {
        try {
          await hook(event);
          through = event.seq;
          delivered += 1;
        } catch (error) {
          onError(error);
          failed = true;
          break;
        }
      }
      if (through !== null) {
        const last = through;
        await storage.write(tenantId, (unit) => unit.commit({ deliveredThrough: last }));
      }
      if (failed || batch.length < BATCH) return delivered;
    }
  };

  return {
    deliver: (tenantId) => {
      // A delivery asked for while one runs waits for it, then drains what arrived meanwhile.
      const previous = running.get(tenantId) ?? Promise.resolve(0);
      const next = previous.catch(() => 0).then(() => drain(tenantId));
      running.set(tenantId, next);
      void next.finally(() => { if (running.get(tenantId) === next) running.delete(tenantId); }).catch(() => undefined);
      return next;
    },
  };
};
