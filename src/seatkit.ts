/**
 * `createSeatkit`: the one object a host app builds. It serves SCIM through `handle` and answers
 * the host's own questions about tenants and seats.
 */
import type { LicenseEffect } from './core/license/license-effect';
import { createScimHandler, type ScimHandler } from './http/create-handler';
import { createSchemaRegistry, type ExtensionSchemas } from './core/schema/schema-registry';
import type { LicensePolicy } from './ports/license-policy';
import type { StorageAdapter, TenantRecord } from './ports/storage-adapter';
import { getLicense, putTenant, usage, type License, type TenantInput, type TierUsage } from './service/tenant-admin';
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
  /** Faults that become 500 responses, and errors thrown by `onLicenseChange`. Defaults to console.error. */
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
  /** A user's license (tier, status, since), or null. */
  getLicense(tenantId: string, userId: string): Promise<License | null>;
  /** Seats per tier: limit, assigned, pending, available. */
  usage(tenantId: string): Promise<readonly TierUsage[]>;
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
  const deps = { storage: options.storage, policy: options.policy, schemas: createSchemaRegistry(options.extensions) };

  const notify = async (tenantId: string, effects: readonly LicenseEffect[]) => {
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
    newId: options.generateId ?? (() => crypto.randomUUID()),
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
      put: async (input) => notify(input.id, await putTenant(options.storage, input, clock().toISOString())),
      get: (tenantId) => options.storage.getTenant(tenantId),
      addToken: async (tenantId, token) => options.storage.addToken(tenantId, await hashToken(token)),
      revokeToken: async (token) => options.storage.revokeToken(await hashToken(token)),
    },
    getLicense: (tenantId, userId) => getLicense(options.storage, tenantId, userId),
    usage: (tenantId) => usage(options.storage, tenantId),
  };
};
