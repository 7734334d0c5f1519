/**
 * GET /Users/{id} and GET /Users.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import type { ListQueryParams } from '../../core/list/list-query';
import { toListResponse } from '../../core/list/list-response';
import { project, type Projection } from '../../core/resource/projection';
import type { Json } from '../../core/schema/canonicalize';
import { inReader } from '../lift';
import { fromPort } from '../lift';
import type { Deps, RequestContext } from '../service-context';
import { requireUser, toUserResources } from './load-user';

/** One user by id. */
export const getUser = (deps: Deps, ctx: RequestContext, id: string, projection: Projection): TE.TaskEither<ScimError, Json> =>
  inReader(deps.storage, ctx.tenant.id, (reader) => pipe(
    requireUser(reader, id),
    TE.flatMap((user) => toUserResources(reader, [user], ctx.baseUrl)),
    TE.map(([resource]) => project(resource!, projection)),
  ));

/** A filtered page of users, as a ListResponse. */
export const listUsers = (deps: Deps, ctx: RequestContext, query: ListQueryParams): TE.TaskEither<ScimError, Json> =>
  inReader(deps.storage, ctx.tenant.id, (reader) => pipe(
    fromPort(() => reader.listUsers(query)),
    TE.flatMap((page) => pipe(
      toUserResources(reader, page.items, ctx.baseUrl),
      TE.map((resources) => toListResponse(resources.map((r) => project(r, query.projection)), page.totalResults, query.startIndex)),
    )),
  ));
