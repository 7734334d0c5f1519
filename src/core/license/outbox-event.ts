/**
 * A license event as the outbox holds it: written with the change, delivered at least once, in order
 * per tenant. `id` is stable across redeliveries, so hosts can drop duplicates.
 */
import type { LicenseEffect } from './license-effect';

export interface OutboxEventInput {
  readonly id: string;
  readonly at: string;
  readonly effect: LicenseEffect;
}

export interface OutboxEvent extends OutboxEventInput {
  readonly tenantId: string;
  /** Position in the tenant's outbox, from 1. */
  readonly seq: number;
}
