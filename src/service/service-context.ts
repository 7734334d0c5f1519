/**
 * What every SCIM operation runs with: the adapters, the tenant, and injected time and ids.
 */
import type { LicenseEffect } from '../core/license/license-effect';
import type { SchemaRegistry } from '../core/schema/schema-registry';
import type { LicensePolicy } from '../ports/license-policy';
import type { StorageAdapter, TenantRecord } from '../ports/storage-adapter';

export interface Deps {
  readonly storage: StorageAdapter;
  readonly policy: LicensePolicy;
  readonly schemas: SchemaRegistry;
  /** Whether license events go to the outbox (only when the host consumes them). */
  readonly outbox: boolean;
  /** The injected clock. */
  readonly clock: () => Date;
}

export interface RequestContext {
  readonly tenant: TenantRecord;
  /** The SCIM base URL as the client sees it, for `meta.location`. */
  readonly baseUrl: string;
  /** The request's time (ISO 8601), from the injected clock. */
  readonly now: string;
  readonly newId: () => string;
  /** The request's If-Match header: writes to a resource with another version fail with 412. */
  readonly ifMatch: string | null;
  /** Who is acting, for the ledger: `token:<digest prefix>` for an IdP connection, `host` for the host. */
  readonly actor: string;
  /** The request's id (`X-Request-Id`, or made up), for the ledger. */
  readonly requestId: string | null;
}

/** The result of a write: what to answer, and the license effects to hand to the host after commit. */
export interface WriteResult<A> {
  readonly value: A;
  readonly effects: readonly LicenseEffect[];
}
