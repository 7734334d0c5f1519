/**
 * POST /.search at the service provider root (RFC 7644 §3.4.3): Users and Groups in one list.
 *
 * A filter that names attributes only one of them has searches that one. Without sortBy the list is
 * the Users, then the Groups. With sortBy both are merged into one order before paging: an attribute
 * one type does not have is a missing value for its resources, sorted last as missing values are
 * (see sort-resources.ts), ties keep Users first, and startIndex and count apply to the merged list.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { invalidValue, type ScimError } from '../core/errors/scim-error';
import { parseListQuery, parseSort, type ListQueryParams, type PageLimits } from '../core/list/list-query';
import { toListResponse } from '../core/list/list-response';
import { sortKeyOf } from '../core/list/sort-resources';
import type { SortSpec } from '../core/list/sort-spec';
import { including, project } from '../core/resource/projection';
import type { Json } from '../core/schema/canonicalize';
import { resolveAttribute } from '../core/schema/resolve-path';
import type { ResourceTypeDefinition } from '../core/schema/resource-type';
import { listGroups } from '../service/groups/read-groups';
import type { Deps, RequestContext } from '../service/service-context';
import { listUsers } from '../service/users/read-users';

type Params = { get(name: string): string | null };
type ListPage = { totalResults: number; Resources: Json[] };
type Run = (deps: Deps, ctx: RequestContext, query: ListQueryParams) => TE.TaskEither<ScimError, Json>;

interface Source {
  readonly type: ResourceTypeDefinition;
  readonly run: Run;
  /** null when the filter or the projection does not apply to this type: it contributes nothing. */
  readonly query: ListQueryParams | null;
}

export interface RootSearchInput {
  readonly deps: Deps;
  readonly ctx: RequestContext;
  readonly limits: PageLimits;
}

const withoutSort = (params: Params): Params => ({ get: (name) => (name === 'sortBy' || name === 'sortOrder' ? null : params.get(name)) });

const pageOf = (input: RootSearchInput, source: Source, startIndex: number, count: number): TE.TaskEither<ScimError, ListPage> =>
  source.query === null
    ? TE.right({ totalResults: 0, Resources: [] })
    : pipe(source.run(input.deps, input.ctx, { ...source.query, startIndex, count }), TE.map((r) => r as ListPage));

// The Users' page first; the Groups fill what is left of it.
const concatenated = (input: RootSearchInput, [users, groups]: readonly [Source, Source], startIndex: number, count: number) =>
  pipe(
    pageOf(input, users, startIndex, count),
    TE.flatMap((u) => pipe(
      pageOf(input, groups, Math.max(1, startIndex - u.totalResults), count - u.Resources.length),
      TE.map((g) => toListResponse([...u.Resources, ...g.Resources], u.totalResults + g.totalResults, startIndex)),
    )),
  );

type Key = ReturnType<typeof sortKeyOf>;

// As sortResources orders: missing values last in either direction.
const compareKeys = (a: Key, b: Key, descending: boolean): number => {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const direction = descending ? -1 : 1;
  return a < b ? -direction : a > b ? direction : 0;
};

interface Sorted extends Source {
  /** This type's sort, or null when the attribute is not one of its own: every resource lacks it. */
  readonly sort: SortSpec | null;
}

/**
 * Walks both sorted lists in step, a chunk at a time, so a page deep in the merged list never holds
 * more than a chunk of each type; each is fetched widened to carry the sort attribute, then projected.
 */
const merged = (input: RootSearchInput, sources: readonly Sorted[], descending: boolean, startIndex: number, count: number): TE.TaskEither<ScimError, Json> => async () => {
  const chunk = Math.max(1, Math.min(input.limits.maxResults, startIndex - 1 + count));
  const cursors = sources.map((source) => ({
    source,
    query: source.query && source.sort ? { ...source.query, sort: source.sort, projection: including(source.query.projection, source.sort.target) } : source.query,
    items: [] as Json[],
    at: 0,
    next: 1,
    total: Number.POSITIVE_INFINITY,
  }));
  type Cursor = (typeof cursors)[number];
  const fill = async (c: Cursor): Promise<E.Either<ScimError, void>> => {
    if (c.at < c.items.length || c.next > c.total) return E.right(undefined);
    const page = await pageOf(input, { ...c.source, query: c.query }, c.next, chunk)();
    if (E.isLeft(page)) return page;
    c.total = page.right.Resources.length === 0 ? Math.min(page.right.totalResults, c.next - 1) : page.right.totalResults;
    c.items = page.right.Resources;
    c.at = 0;
    c.next += page.right.Resources.length;
    return E.right(undefined);
  };
  const page: { source: Sorted; resource: Json }[] = [];
  let skipped = 0;
  let totalResults: number | null = null;
  for (;;) {
    for (const c of cursors) {
      const filled = await fill(c);
      if (E.isLeft(filled)) return filled;
    }
    totalResults ??= cursors.reduce((sum, c) => sum + (c.source.query === null ? 0 : c.total), 0);
    if (page.length >= count || startIndex - 1 >= totalResults) break;
    const heads = cursors.filter((c) => c.at < c.items.length);
    if (heads.length === 0) break;
    const key = (c: Cursor) => (c.source.sort ? sortKeyOf(c.source.sort, c.items[c.at]!) : null);
    // reduce keeps the earlier cursor on a tie: Users before Groups.
    const best = heads.reduce((a, b) => (compareKeys(key(b), key(a), descending) < 0 ? b : a));
    const resource = best.items[best.at++]!;
    if (skipped < startIndex - 1) skipped += 1;
    else page.push({ source: best.source, resource });
  }
  const resources = page.map(({ source, resource }) => project(resource, source.query!.projection));
  return E.right(toListResponse(resources, totalResults ?? 0, startIndex));
};

// Each type's own sort; null for a type without the attribute; an error when neither has it or it cannot sort.
const sortsFor = (types: readonly ResourceTypeDefinition[], params: Params): E.Either<ScimError, (SortSpec | null)[] | null> => {
  const sortBy = params.get('sortBy');
  if (sortBy === null || sortBy.trim() === '') return E.right(null);
  if (types.every((type) => !resolveAttribute(type, sortBy.trim()))) return E.left(invalidValue(`sortBy names no attribute of ${types.map((t) => t.name).join(' or ')}`));
  const sorts = types.map((type) => (resolveAttribute(type, sortBy.trim()) ? parseSort(type, sortBy, params.get('sortOrder')) : E.right(null)));
  return E.map((all: readonly (SortSpec | null)[]) => [...all])(E.sequenceArray(sorts));
};

/** Answers a root search whose body was read into `params`. */
export const rootSearch = (input: RootSearchInput, params: Params): TE.TaskEither<ScimError, Json> => {
  const { user, group } = input.deps.schemas;
  const users = parseListQuery(user, withoutSort(params), input.limits);
  const groups = parseListQuery(group, withoutSort(params), input.limits);
  if (E.isLeft(users) && E.isLeft(groups)) return TE.left(users.left);
  const sources: [Source, Source] = [
    { type: user, run: listUsers, query: E.isRight(users) ? users.right : null },
    { type: group, run: listGroups, query: E.isRight(groups) ? groups.right : null },
  ];
  const { startIndex, count } = (sources[0].query ?? sources[1].query)!;
  return pipe(
    TE.fromEither(sortsFor([user, group], params)),
    TE.flatMap((sorts) => {
      if (sorts === null) return concatenated(input, sources, startIndex, count);
      const descending = sorts.some((s) => s?.descending === true);
      return merged(input, sources.map((s, i) => ({ ...s, sort: sorts[i] ?? null })), descending, startIndex, count);
    }),
  );
};
