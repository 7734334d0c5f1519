/**
 * Query parameters of a list or search request (RFC 7644 §3.4.2): filter, pagination and projection.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { invalidValue, type ScimError } from '../errors/scim-error';
import { findAttribute } from '../schema/attribute';
import { resolveAttribute, type ResolvedAttribute } from '../schema/resolve-path';
import type { SortSpec } from './sort-spec';
import type { FilterTree } from '../filter/filter-tree';
import { parseFilter } from '../filter/parse-filter';
import { parseProjection, type Projection } from '../resource/projection';
import type { ResourceTypeDefinition } from '../schema/resource-type';

export interface ListQueryParams {
  readonly filter: FilterTree | null;
  readonly sort: SortSpec | null;
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

// A user's groups and a group's members come from the membership index, which keeps no order to
// take a first value from.
const isMembership = (resourceType: ResourceTypeDefinition, target: ResolvedAttribute) =>
  target.extension === null && target.attribute.name === (resourceType.name === 'Group' ? 'members' : resourceType.name === 'User' ? 'groups' : null);

// RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else its first (see
// sort-resources.ts); a multi-valued complex one named alone, `emails`, sorts by its `value`, as it
// compares in filters.
const sortTarget = (target: ResolvedAttribute): ResolvedAttribute => {
  const value = target.attribute.multiValued && !target.subAttribute ? findAttribute(target.attribute.subAttributes ?? [], 'value') : undefined;
  return value ? { ...target, subAttribute: value } : target;
};

/** Reads `sortBy` and `sortOrder`; null when there is no sortBy. */
export const parseSort = (resourceType: ResourceTypeDefinition, sortBy: string | null, sortOrder: string | null): E.Either<ScimError, SortSpec | null> => {
  if (sortBy === null || sortBy.trim() === '') return E.right(null);
  const resolved = resolveAttribute(resourceType, sortBy.trim());
  if (!resolved) return E.left(invalidValue(`sortBy names no attribute of ${resourceType.name}`));
  if (isMembership(resourceType, resolved)) return E.left(invalidValue(`sortBy cannot name ${resolved.attribute.name}: memberships have no order to sort by`));
  // Ordering by a value that is never returned would reveal it, as a filter on it would.
  if (resolved.attribute.returned === 'never' || resolved.subAttribute?.returned === 'never') return E.left(invalidValue(`sortBy cannot name ${resolved.attribute.name}: it is never returned`));
  const target = sortTarget(resolved);
  if ((target.subAttribute ?? target.attribute).type === 'complex') {
    return E.left(invalidValue('sortBy must name a simple attribute or sub-attribute, such as userName, name.familyName or emails.value'));
  }
  // RFC 7644 §3.4.2.3: sortOrder is "ascending" (the default) or "descending".
  const order = (sortOrder ?? 'ascending').trim().toLowerCase();
  if (order !== 'ascending' && order !== 'descending') return E.left(invalidValue('sortOrder must be "ascending" or "descending"'));
  return E.right({ target, descending: order === 'descending' });
};

const integer = (text: string | null): number | null => {
  if (text === null || !/^\s*-?\d+\s*$/.test(text)) return null;
  return Number.parseInt(text, 10);
};

/** Reads `filter`, `sortBy`, `sortOrder`, `startIndex`, `count`, `attributes` and `excludedAttributes`. */
export const parseListQuery = (
  resourceType: ResourceTypeDefinition,
  params: { get(name: string): string | null },
  limits: PageLimits,
): E.Either<ScimError, ListQueryParams> => {
  const filterText = params.get('filter');
  // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
  const startIndex = Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, integer(params.get('startIndex')) ?? 1));
  const count = Math.min(limits.maxResults, Math.max(0, integer(params.get('count')) ?? limits.defaultCount));
  const projection = parseProjection(resourceType, params.get('attributes'), params.get('excludedAttributes'));
  const filter = filterText === null || filterText.trim() === '' ? E.right(null) : parseFilter(resourceType, filterText);
  return pipe(
    E.Do,
    E.bind('filter', () => filter),
    E.bind('sort', () => parseSort(resourceType, params.get('sortBy'), params.get('sortOrder'))),
    E.map(({ filter: f, sort }) => ({ filter: f, sort, startIndex, count, projection })),
  );
};
