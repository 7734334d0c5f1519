/**
 * `createSeatkit`: the one object a host app builds. It serves SCIM through `handle` and answers
 * the host's own questions about tenants and seats.
 */
import type { LicenseEffect } from './core/license/license-effect';
import { createScimHandler, type ScimHandler } from './http/create-handler';
import { createSchemaRegistry, type ExtensionSchemas } from './core/schema/schema-registry';
import type { LicensePolicy } from './ports/license-policy';
import type { StorageAdapter, TenantRecord } from './ports/storage-adapter';
import type { LedgerEntry } from './core/license/ledger-entry';
import { eventDelivery, type EventHook } from './service/deliver-events';
import { meterUsage } from './core/metering/meter-usage';
import type { UsageRecord } from './core/metering/usage-record';
import { advance, approve } from './service/license-commands';
import { can, explain, getLicense, history, usage, type Explanation, type License, type TierUsage } from './service/license-queries';
import { applyReconcile, planReconcile, type ReconcileOptions, type ReconcilePlan } from './service/reconcile';
import type { HostCall } from './service/host-call';
import { putTenant, type TenantInput } from './service/tenant-admin';
import { hashToken } from './service/token-digest';

export interface LicenseChange {
  readonly tenantId: string;
  readonly effects: readonly LicenseEffect[];
}

export interface SeatkitOptions {
  readonly storage: StorageAdapter;
  readonly policy: LicensePolicy;
  /** Extension schemas the host adds to User or Group; validated, stored, filtered and patched like core attributes. */
  readonly extensions?: ExtensionSchemas;
  /** Where the SCIM endpoints are mounted (e.g. `/scim/v2`); found from the request path when omitted. */
  readonly basePath?: string;
  /** Called after each committed write that changed licenses: bill, email, provision. Errors are reported to `onError`, never to the IdP. */
  readonly onLicenseChange?: (change: LicenseChange) => void | Promise<void>;
  /**
   * Receives every license event from the outbox, written in the same transaction as the change:
   * at least once, in order per tenant. De-duplicate by `event.id`. A hook that throws is retried
   * from that event on the next delivery (after the next change, or `events.deliver`).
   */
  readonly onEvent?: EventHook;
  /** Faults that become 500 responses, and errors thrown by `onLicenseChange` or `onEvent`. Defaults to console.error. */
  readonly onError?: (error: unknown) => void;
  /** The clock; inject one in tests to move time. */
  readonly clock?: () => Date;
  /** Id generator for new resources; defaults to random UUIDs. */
  readonly generateId?: () => string;
  readonly limits?: {
    /** Page size when the IdP names none. Default 100. */
    readonly defaultCount?: number;
    /** Largest page served. Default 1000. */
    readonly maxResults?: number;
    /** Largest request body in bytes, bulk requests included. Default 1 MiB. */
    readonly maxPayloadSize?: number;
    /** Most operations in one bulk request. Default 1000. */
    readonly maxOperations?: number;
  };
}

export interface Seatkit {
  /** The SCIM endpoint: give it every request under the SCIM base path. Never rejects. */
  readonly handle: ScimHandler;
  readonly tenants: {
    /** Creates or updates a tenant and adds the given tokens. More seats promote pending users at once. */
    put(input: TenantInput): Promise<void>;
    get(tenantId: string): Promise<TenantRecord | null>;
    addToken(tenantId: string, token: string): Promise<void>;
    revokeToken(token: string): Promise<void>;
  };
  /** A user's license (tier, status, since, and why), or null. */
  getLicense(tenantId: string, userId: string): Promise<License | null>;
  /** Seats per tier: limit, assigned, pending, releasing, over, available. */
  usage(tenantId: string): Promise<readonly TierUsage[]>;
  /** Whether the user holds a seat of a tier that carries `feature`. */
  can(tenantId: string, userId: string, feature: string): Promise<boolean>;
  /** Why the user has its license: the policy's rules matched, the tier chosen, its queue place, its history. */
  explain(tenantId: string, userId: string): Promise<Explanation>;
  /** The user's ledger lines, oldest first. */
  history(tenantId: string, userId: string): Promise<readonly LedgerEntry[]>;
  /** The tenant's ledger after `afterSeq`, oldest first, up to `limit` lines (default 1000). */
  ledger(tenantId: string, query?: { afterSeq?: number; limit?: number }): Promise<readonly LedgerEntry[]>;
  /**
   * Usage records for billing over [from, to): seat-days, peak seats and true-up per tier and billing
   * period, monthly active users per tier and month, from the tenant's ledger.
   */
  metering(tenantId: string, range: { from: string; to: string }): Promise<readonly UsageRecord[]>;
  readonly licenses: {
    /** Grants a pending user a seat now (tiers with manual promotion); throws LicenseCommandError when none is free. */
    approve(tenantId: string, userId: string): Promise<void>;
    /** Lets time act on the tenant: holds that ran out end, the contract enters grace or expires. Call it on a schedule. */
    advance(tenantId: string): Promise<void>;
    /** What reconciling with a new contract or policy would change; writes nothing. */
    plan(tenantId: string, options?: ReconcileOptions): Promise<ReconcilePlan>;
    /** Reconciles and writes exactly what `plan` shows; running it again changes nothing. */
    apply(tenantId: string, options?: ReconcileOptions): Promise<ReconcilePlan>;
  };
  readonly events: {
    /** Delivers the tenant's undelivered outbox events to `onEvent`; resolves to how many were delivered. */
    deliver(tenantId: string): Promise<number>;
  };
}

/**
 * Creates a seatkit instance.
 * @example
 * const seatkit = createSeatkit({ storage: memoryStorage(), policy: rulePolicy({ defaultTier: 'standard' }) });
 * await seatkit.tenants.put({ id: 'acme', contract: { tiers: [{ key: 'standard', seats: 10 }] }, tokens: [process.env.ACME_SCIM_TOKEN!] });
 */
export const createSeatkit = (options: SeatkitOptions): Seatkit => {
  const clock = options.clock ?? (() => new Date());
  const onError = options.onError ?? ((error: unknown) => console.error('seatkit:', error));
  const deps = { storage: options.storage, policy: options.policy, schemas: createSchemaRegistry(options.extensions), outbox: options.onEvent !== undefined, clock };
  const newId = options.generateId ?? (() => crypto.randomUUID());
  const hostCall = (): HostCall => ({ clock, newId, outbox: deps.outbox, policyName: options.policy.name ?? 'custom' });
  const delivery = options.onEvent ? eventDelivery(options.storage, options.onEvent, onError) : null;
  // Delivery runs beside the response, never in front of it: a slow hook must not slow the IdP down.
  const kickDelivery = (tenantId: string) => {
    if (delivery) delivery.deliver(tenantId).catch(onError);
  };

  const notify = async (tenantId: string, effects: readonly LicenseEffect[]) => {
    if (effects.length > 0) kickDelivery(tenantId);
    if (effects.length === 0 || !options.onLicenseChange) return;
    try {
      await options.onLicenseChange({ tenantId, effects });
    } catch (error) {
      onError(error);
    }
  };

  const handle = createScimHandler({
    deps,
    basePath: options.basePath,
    clock,
    newId,
    limits: {
      defaultCount: options.limits?.defaultCount ?? 100,
      maxResults: options.limits?.maxResults ?? 1000,
      maxPayloadSize: options.limits?.maxPayloadSize ?? 1024 * 1024,
      maxOperations: options.limits?.maxOperations ?? 1000,
    },
    afterCommit: (tenantId, result) => notify(tenantId, result.effects),
    onError,
  });

  return {
    handle,
    tenants: {
      put: async (input) => notify(input.id, await putTenant(options.storage, input, hostCall())),
      get: (tenantId) => options.storage.getTenant(tenantId),
      addToken: async (tenantId, token) => options.storage.addToken(tenantId, await hashToken(token)),
      revokeToken: async (token) => options.storage.revokeToken(await hashToken(token)),
    },
    getLicense: (tenantId, userId) => getLicense(options.storage, tenantId, userId),
    usage: (tenantId) => usage(options.storage, tenantId, clock().toISOString()),
    can: (tenantId, userId, feature) => can(options.storage, tenantId, userId, feature),
    explain: (tenantId, userId) => explain(deps, tenantId, userId, clock().toISOString()),
    history: (tenantId, userId) => history(options.storage, tenantId, userId),
    ledger: (tenantId, query = {}) => options.storage.read(tenantId, (reader) => reader.ledger({ afterSeq: query.afterSeq, limit: query.limit ?? 1000 })),
    metering: async (tenantId, range) => {
      const tenant = await options.storage.getTenant(tenantId);
      if (!tenant) throw new Error(`Unknown tenant ${tenantId}`);
      const entries = [];
      // The whole ledger up to the range's end: earlier lines say who already held a seat when it starts.
      for (let afterSeq = 0; ;) {
        const page = await options.storage.read(tenantId, (reader) => reader.ledger({ afterSeq, limit: 10_000 }));
        entries.push(...page);
        if (page.length < 10_000 || Date.parse(page.at(-1)!.at) >= Date.parse(range.to)) break;
        afterSeq = page.at(-1)!.seq;
      }
      return meterUsage({ tenantId, contract: tenant.contract, entries, from: range.from, to: range.to });
    },
    licenses: {
      approve: async (tenantId, userId) => notify(tenantId, await approve(options.storage, tenantId, userId, hostCall())),
      advance: async (tenantId) => notify(tenantId, await advance(options.storage, tenantId, hostCall())),
      plan: (tenantId, reconcile = {}) => planReconcile(deps, tenantId, reconcile, hostCall()),
      apply: async (tenantId, reconcile = {}) => {
        const plan = await applyReconcile(deps, tenantId, reconcile, hostCall());
        await notify(tenantId, plan.effects);
        return plan;
      },
    },
    events: {
      deliver: (tenantId) => (delivery ? delivery.deliver(tenantId) : Promise.resolve(0)),
    },
  };
};
