/**
 * Filter, sort and page resources held in memory, with the reference semantics the storage adapters
 * are tested against. For small computed collections (Roles, Entitlements), never for Users.
 */
import { matchesFilter } from '../filter/evaluate-filter';
import { project } from '../resource/projection';
import type { Json } from '../schema/canonicalize';
import type { ListQueryParams } from './list-query';
import { toListResponse } from './list-response';
import { sortResources } from './sort-resources';

/**
 * One page of `resources` as a ListResponse.
 * @example pageResources(roles, { filter, sort: null, startIndex: 1, count: 100, projection })
 */
export const pageResources = (resources: readonly Json[], query: ListQueryParams): Json => {
  const matching = query.filter ? resources.filter((r) => matchesFilter(query.filter!, r)) : resources;
  const ordered = query.sort ? sortResources(matching, query.sort, (r) => r) : matching;
  const page = ordered.slice(query.startIndex - 1, query.startIndex - 1 + query.count);
  return toListResponse(page.map((r) => project(r, query.projection)), matching.length, query.startIndex);
};
