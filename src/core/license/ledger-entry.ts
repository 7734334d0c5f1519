/**
 * One line of the license ledger: an append-only record of a license state change, written in the
 * same unit of work as the change itself.
 */
import type { LicenseStatus } from './assignment';

/** A license as the ledger records it on either side of a change; null where there was none. */
export interface LedgerSide {
  readonly tier: string;
  readonly status: LicenseStatus;
}

export interface LedgerEntryInput {
  /** When the change happened (the request's clock), ISO 8601. */
  readonly at: string;
  readonly userId: string;
  readonly before: LedgerSide | null;
  readonly after: LedgerSide | null;
  /** Who caused it: `token:<digest prefix>` for an IdP connection, `host` for the host's own calls, `clock` for time. */
  readonly actor: string;
  /** The request that caused it (the `X-Request-Id` header, or one seatkit made up). */
  readonly requestId: string | null;
  /** Why the engine put the license in this state. */
  readonly reason: string | null;
  /** The rule that chose the tier, as the policy described it; null when the policy was not asked. */
  readonly rule: string | null;
  /** The policy that decided, by name. */
  readonly policy: string | null;
}

export interface LedgerEntry extends LedgerEntryInput {
  /** Position in the tenant's ledger, from 1, without gaps. */
  readonly seq: number;
}
