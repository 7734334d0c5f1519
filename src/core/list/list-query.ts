/**
 * Query parameters of a list or search request (RFC 7644 §3.4.2): filter, pagination and projection.
 */
import * as E from 'fp-ts/Either';
import type { ScimError } from '../errors/scim-error';
import type { FilterTree } from '../filter/filter-tree';
import { parseFilter } from '../filter/parse-filter';
import { parseProjection, type Projection } from '../resource/projection';
import type { ResourceTypeDefinition } from '../schema/resource-type';

export interface ListQueryParams {
  readonly filter: FilterTree | null;
  readonly startIndex: number;
  readonly count: number;
  readonly projection: Projection;
}

export interface PageLimits {
  /** Page size when the client names none. */
  readonly defaultCount: number;
  /** The largest page served, advertised as `filter.maxResults`. */
  readonly maxResults: number;
}

const integer = (text: string | null): number | null => {
  if (text === null || !/^\s*-?\d+\s*$/.test(text)) return null;
  return Number.parseInt(text, 10);
};

/** Reads `filter`, `startIndex`, `count`, `attributes` and `excludedAttributes`. */
export const parseListQuery = (
  resourceType: ResourceTypeDefinition,
  params: { get(name: string): string | null },
  limits: PageLimits,
): E.Either<ScimError, ListQueryParams> => {
  const filterText = params.get('filter');
  // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
  const startIndex = Math.max(1, integer(params.get('startIndex')) ?? 1);
  const count = Math.min(limits.maxResults, Math.max(0, integer(params.get('count')) ?? limits.defaultCount));
  const projection = parseProjection(resourceType, params.get('attributes'), params.get('excludedAttributes'));
  const filter = filterText === null || filterText.trim() === '' ? E.right(null) : parseFilter(resourceType, filterText);
  return E.map((f: FilterTree | null) => ({ filter: f, startIndex, count, projection }))(filter);
};
