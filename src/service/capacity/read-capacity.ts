/**
 * GET /Roles and GET /Entitlements, one by id or as a list: the tenant's tiers and features with
 * their seats in force and in use, computed from the contract and the seat counts at request time.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { featureCapacities, tierCapacities, type Capacity } from '../../core/capacity/capacity';
import { capacityResource } from '../../core/capacity/capacity-resource';
import { notFound, type ScimError } from '../../core/errors/scim-error';
import type { Contract } from '../../core/license/contract';
import { admitsNewcomers, phaseAt } from '../../core/license/contract-terms';
import type { TierCounts } from '../../core/license/license-state';
import type { ListQueryParams } from '../../core/list/list-query';
import { pageResources } from '../../core/list/page-resources';
import { project, type Projection } from '../../core/resource/projection';
import type { Json } from '../../core/schema/canonicalize';
import type { ResourceTypeDefinition } from '../../core/schema/resource-type';
import type { SchemaRegistry } from '../../core/schema/schema-registry';
import { fromPort } from '../lift';
import type { Deps, RequestContext } from '../service-context';

type Capacities = (contract: Contract, counts: ReadonlyMap<string, TierCounts>, at: string) => readonly Capacity[];

interface CapacityKind {
  readonly typeOf: (schemas: SchemaRegistry) => ResourceTypeDefinition;
  readonly capacities: Capacities;
  readonly label: string;
  readonly noun: string;
}

const roles: CapacityKind = { typeOf: (s) => s.role, capacities: tierCapacities, label: 'License', noun: 'role' };
const entitlements: CapacityKind = { typeOf: (s) => s.entitlement, capacities: featureCapacities, label: 'Feature', noun: 'entitlement' };

// Counts are read outside a unit of work: a page of capacities is a snapshot, like any list.
const resourcesOf = (kind: CapacityKind) => (deps: Deps, ctx: RequestContext): TE.TaskEither<ScimError, readonly Json[]> =>
  pipe(
    fromPort(() => deps.storage.read(ctx.tenant.id, (reader) => reader.seatCounts())),
    TE.map((counts) => {
      const contract = ctx.tenant.contract;
      const options = {
        type: kind.typeOf(deps.schemas),
        label: kind.label,
        supported: admitsNewcomers(contract, phaseAt(contract, ctx.now)),
        baseUrl: ctx.baseUrl,
      };
      return kind.capacities(contract, counts, ctx.now).map((c) => capacityResource(c, options));
    }),
  );

const listOf = (kind: CapacityKind) => (deps: Deps, ctx: RequestContext, query: ListQueryParams): TE.TaskEither<ScimError, Json> =>
  pipe(resourcesOf(kind)(deps, ctx), TE.map((resources) => pageResources(resources, query)));

// Ids are tier keys and feature names, which the contract spells exactly: no case folding.
const getOf = (kind: CapacityKind) => (deps: Deps, ctx: RequestContext, id: string, projection: Projection): TE.TaskEither<ScimError, Json> =>
  pipe(
    resourcesOf(kind)(deps, ctx),
    TE.flatMap((resources) => {
      const found = resources.find((r) => r.id === id);
      return found ? TE.right(project(found, projection)) : TE.left(notFound(`The tenant's contract has no such ${kind.noun}`));
    }),
  );

/** A filtered page of the tenant's tiers as Roles. */
export const listRoles = listOf(roles);
/** One tier as a Role, by its key. */
export const getRole = getOf(roles);
/** A filtered page of the tenant's features as Entitlements. */
export const listEntitlements = listOf(entitlements);
/** One feature as an Entitlement, by its name. */
export const getEntitlement = getOf(entitlements);
