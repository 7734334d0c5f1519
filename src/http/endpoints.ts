/**
 * The SCIM endpoints: for each endpoint and method, the service call and the response it gives.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { methodNotAllowed, notFound, type ScimError } from '../core/errors/scim-error';
import { parseListQuery, type PageLimits } from '../core/list/list-query';
import { searchParams } from '../core/list/search-request';
import { toListResponse } from '../core/list/list-response';
import { toETag } from '../core/resource/etag';
import { parseProjection, project } from '../core/resource/projection';
import { isObject, type Json } from '../core/schema/canonicalize';
import { resourceTypeDocuments, schemaDocuments, serviceProviderConfig, type ServiceLimits } from '../core/schema/discovery';
import type { ResourceTypeDefinition } from '../core/schema/resource-type';
import type { SchemaRegistry } from '../core/schema/schema-registry';
import { invalidSyntax } from '../core/errors/scim-error';
import { getEntitlement, getRole, listEntitlements, listRoles } from '../service/capacity/read-capacity';
import { createGroup } from '../service/groups/create-group';
import { deleteGroup } from '../service/groups/delete-group';
import { patchGroup } from '../service/groups/patch-group';
import { getGroup, listGroups } from '../service/groups/read-groups';
import { replaceGroup } from '../service/groups/replace-group';
import type { Deps, RequestContext, WriteResult } from '../service/service-context';
import { createUser } from '../service/users/create-user';
import { deleteUser } from '../service/users/delete-user';
import { patchUser } from '../service/users/patch-user';
import { getUser, listUsers } from '../service/users/read-users';
import { replaceUser } from '../service/users/replace-user';
import { runBulk } from './bulk';
import { rootSearch } from './root-search';
import { readJsonBody } from './read-body';
import { conditionalResponse, noContent, resourceResponse, scimJson } from './respond';
import { SEARCH, type Route } from './route';

export interface EndpointInput {
  readonly deps: Deps;
  readonly ctx: RequestContext;
  readonly route: Route;
  readonly request: Request;
  readonly url: URL;
  readonly limits: PageLimits & ServiceLimits;
  /** Receives the license effects of a committed write. */
  readonly afterCommit: (result: WriteResult<unknown>) => Promise<void>;
}

type Handler = (input: EndpointInput) => TE.TaskEither<ScimError, Response>;

const body = ({ request, limits }: EndpointInput): TE.TaskEither<ScimError, unknown> => () => readJsonBody(request, limits.maxPayloadSize);

const objectBody = (input: EndpointInput): TE.TaskEither<ScimError, Json> =>
  pipe(body(input), TE.flatMap((b) => (isObject(b) ? TE.right(b) : TE.left(invalidSyntax('The request body must be a JSON object')))));

const committed = <A, B>(input: EndpointInput, respond: (value: A) => B) => (result: WriteResult<A>): TE.TaskEither<ScimError, B> =>
  TE.fromTask(async () => {
    await input.afterCommit(result);
    return respond(result.value);
  });

const idOf = (route: Route) => route.id!;

const asksForAttributes = (url: URL) => url.searchParams.has('attributes') || url.searchParams.has('excludedAttributes');

// Write responses honour attributes / excludedAttributes too (RFC 7644 §3.9).
const written = (i: EndpointInput, typeOf: (s: SchemaRegistry) => ResourceTypeDefinition, status: 200 | 201) => (resource: Json) =>
  resourceResponse(status, project(resource, projectionOf(typeOf(i.deps.schemas), i.url)));

const projectionOf = (type: ResourceTypeDefinition, url: URL) =>
  parseProjection(type, url.searchParams.get('attributes'), url.searchParams.get('excludedAttributes'));

type Params = { get(name: string): string | null };

const userType = (s: SchemaRegistry) => s.user;
const groupType = (s: SchemaRegistry) => s.group;

const list = (typeOf: (s: SchemaRegistry) => ResourceTypeDefinition, run: typeof listUsers, paramsOf: (i: EndpointInput) => TE.TaskEither<ScimError, Params>): Handler => (input) =>
  pipe(
    paramsOf(input),
    TE.flatMapEither((params) => parseListQuery(typeOf(input.deps.schemas), params, input.limits)),
    TE.flatMap((query) => run(input.deps, input.ctx, query)),
    TE.map((page) => scimJson(200, page)),
  );

const queryParams = (i: EndpointInput): TE.TaskEither<ScimError, Params> => TE.right(i.url.searchParams);
const searchBody = (i: EndpointInput): TE.TaskEither<ScimError, Params> => pipe(body(i), TE.flatMapEither(searchParams));

const rootSearchHandler: Handler = (input) =>
  pipe(searchBody(input), TE.flatMap((params) => rootSearch(input, params)), TE.map((page) => scimJson(200, page)));

const users: Record<string, Handler> = {
  'GET collection': list(userType, listUsers, queryParams),
  'POST search': list(userType, listUsers, searchBody),
  'GET item': (i) => pipe(getUser(i.deps, i.ctx, idOf(i.route), projectionOf(i.deps.schemas.user, i.url)), TE.map((r) => conditionalResponse(i.request, r))),
  'POST collection': (i) => pipe(objectBody(i), TE.flatMap((b) => createUser(i.deps, i.ctx, b)), TE.flatMap(committed(i, written(i, userType, 201)))),
  'PUT item': (i) => pipe(objectBody(i), TE.flatMap((b) => replaceUser(i.deps, i.ctx, idOf(i.route), b)), TE.flatMap(committed(i, written(i, userType, 200)))),
  'PATCH item': (i) => pipe(body(i), TE.flatMap((b) => patchUser(i.deps, i.ctx, idOf(i.route), b)), TE.flatMap(committed(i, written(i, userType, 200)))),
  'DELETE item': (i) => pipe(deleteUser(i.deps, i.ctx, idOf(i.route)), TE.flatMap(committed(i, () => noContent()))),
};

const groups: Record<string, Handler> = {
  'GET collection': list(groupType, listGroups, queryParams),
  'POST search': list(groupType, listGroups, searchBody),
  'GET item': (i) => pipe(getGroup(i.deps, i.ctx, idOf(i.route), projectionOf(i.deps.schemas.group, i.url)), TE.map((r) => conditionalResponse(i.request, r))),
  'POST collection': (i) => pipe(objectBody(i), TE.flatMap((b) => createGroup(i.deps, i.ctx, b)), TE.flatMap(committed(i, written(i, groupType, 201)))),
  'PUT item': (i) => pipe(objectBody(i), TE.flatMap((b) => replaceGroup(i.deps, i.ctx, idOf(i.route), b)), TE.flatMap(committed(i, written(i, groupType, 200)))),
  // 204 keeps a PATCH on a large group from reading its members back; asking for attributes gets the group.
  // The 204 still carries the new version, so the client can chain If-Match (RFC 7644 §3.14).
  'PATCH item': (i) => pipe(
    body(i),
    TE.flatMap((b) => patchGroup(i.deps, i.ctx, idOf(i.route), b)),
    TE.flatMap(committed(i, (group) => group)),
    TE.flatMap((group) => (asksForAttributes(i.url)
      ? pipe(getGroup(i.deps, i.ctx, idOf(i.route), projectionOf(i.deps.schemas.group, i.url)), TE.map((r) => resourceResponse(200, r)))
      : TE.right(noContent({ etag: toETag(group.meta.version) })))),
  ),
  'DELETE item': (i) => pipe(deleteGroup(i.deps, i.ctx, idOf(i.route)), TE.flatMap(committed(i, () => noContent()))),
};

// Roles and Entitlements are read-only views of the contract (draft-ietf-scim-roles-entitlements):
// writes get 405 with Allow, and lists take filter, sortBy, startIndex and count like /Users.
const capacity = (typeOf: (s: SchemaRegistry) => ResourceTypeDefinition, run: typeof listRoles, get: typeof getRole): Record<string, Handler> => ({
  'GET collection': list(typeOf, run, queryParams),
  'POST search': list(typeOf, run, searchBody),
  'GET item': (i) => pipe(get(i.deps, i.ctx, idOf(i.route), projectionOf(typeOf(i.deps.schemas), i.url)), TE.map((r) => conditionalResponse(i.request, r))),
});

const discoveryList = (documents: (schemas: SchemaRegistry, baseUrl: string) => Json[]): Record<string, Handler> => ({
  'GET collection': ({ ctx, deps }) => {
    const docs = documents(deps.schemas, ctx.baseUrl);
    return TE.right(scimJson(200, toListResponse(docs, docs.length, 1)));
  },
  'GET item': ({ ctx, route, deps }) => {
    const doc = documents(deps.schemas, ctx.baseUrl).find((d) => String(d.id).toLowerCase() === idOf(route).toLowerCase());
    return doc ? TE.right(scimJson(200, doc)) : TE.left(notFound('No such discovery document'));
  },
});

const table: Record<Route['endpoint'], Record<string, Handler>> = {
  Users: users,
  Groups: groups,
  Roles: capacity((s) => s.role, listRoles, getRole),
  Entitlements: capacity((s) => s.entitlement, listEntitlements, getEntitlement),
  ServiceProviderConfig: { 'GET collection': ({ ctx, limits }) => TE.right(scimJson(200, serviceProviderConfig(limits, ctx.baseUrl))) },
  ResourceTypes: discoveryList(resourceTypeDocuments),
  Schemas: discoveryList(schemaDocuments),
  Root: { 'POST search': rootSearchHandler },
  Bulk: { 'POST collection': (i) => pipe(body(i), TE.flatMap((b) => runBulk(i, b, i.limits, runEndpoint))) },
};

// RFC 9110 §9.3.2: HEAD is answered as GET is; the handler drops the body (see withoutBody).
const handlerMethod = (method: string) => (method === 'HEAD' ? 'GET' : method);

const allowed = (handlers: Record<string, Handler>, kind: string): string[] =>
  Object.keys(handlers).filter((k) => k.endsWith(` ${kind}`)).map((k) => k.split(' ')[0]!).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));

/** Runs the endpoint the route and method name; 405 when the endpoint exists but not for this method. */
export const runEndpoint = (input: EndpointInput): TE.TaskEither<ScimError, Response> => {
  const kind = input.route.id === null ? 'collection' : input.route.id === SEARCH ? 'search' : 'item';
  const key = `${handlerMethod(input.request.method.toUpperCase())} ${kind}`;
  const handlers = table[input.route.endpoint];
  const handler = handlers[key];
  if (handler) return handler(input);
  const where = input.route.endpoint === 'Root' ? `/${SEARCH}` : `/${input.route.endpoint}${kind === 'collection' ? '' : kind === 'search' ? `/${SEARCH}` : '/{id}'}`;
  return TE.left(methodNotAllowed(`${input.request.method} is not supported on ${where}`, allowed(handlers, kind)));
};
