/**
 * GET /Groups/{id} and GET /Groups.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import type { ListQueryParams } from '../../core/list/list-query';
import { toListResponse } from '../../core/list/list-response';
import type { Projection } from '../../core/resource/projection';
import type { Json } from '../../core/schema/canonicalize';
import { fromPort, inReader } from '../lift';
import type { Deps, RequestContext } from '../service-context';
import { requireGroup, toGroupResources } from './load-group';

/** One group by id. */
export const getGroup = (deps: Deps, ctx: RequestContext, id: string, projection: Projection): TE.TaskEither<ScimError, Json> =>
  inReader(deps.storage, ctx.tenant.id, (reader) => pipe(
    requireGroup(reader, id),
    TE.flatMap((group) => toGroupResources(reader, [group], projection, ctx.baseUrl)),
    TE.map(([resource]) => resource!),
  ));

/** A filtered page of groups, as a ListResponse. */
export const listGroups = (deps: Deps, ctx: RequestContext, query: ListQueryParams): TE.TaskEither<ScimError, Json> =>
  inReader(deps.storage, ctx.tenant.id, (reader) => pipe(
    fromPort(() => reader.listGroups(query)),
    TE.flatMap((page) => pipe(
      toGroupResources(reader, page.items, query.projection, ctx.baseUrl),
      TE.map((resources) => toListResponse(resources, page.totalResults, query.startIndex)),
    )),
  ));
