/**
 * What the host's own calls (tenant changes, approvals, the clock, reconciliation) run with, and the
 * ledger context they record.
 */
import type { SettleContext } from './license-unit';

/** What the host's own calls record in the ledger. */
export interface HostCall {
  /** Read inside each unit of work, after the tenant's lock, so ledger times follow ledger order. */
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly outbox: boolean;
  readonly policyName: string | null;
}

export const hostSettleContext = (call: HostCall, at: string, actor = 'host'): SettleContext => ({
  at, actor, requestId: null, newId: call.newId, decisions: new Map(), policyName: call.policyName, outbox: call.outbox,
});
