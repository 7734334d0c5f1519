/**
 * The reference order of `sortBy`: resources without a value come last in either direction; values
 * compare by the attribute's type (strings ignoring case unless caseExact, dateTimes as instants,
 * false before true); ties keep the storage's own order. SQL adapters are tested against it.
 */
import { valuesIn } from '../filter/evaluate-filter';
import type { Json } from '../schema/canonicalize';
import { parseInstant } from '../schema/parse-instant';
import type { SortSpec } from './sort-spec';

type Key = string | number | null;

/** The value a resource is sorted by, or null when it has none. */
export const sortKeyOf = (spec: SortSpec, resource: Json): Key => {
  const [value] = valuesIn(resource)(spec.target);
  if (value === undefined) return null;
  const def = spec.target.subAttribute ?? spec.target.attribute;
  switch (def.type) {
    case 'boolean': return value === true || (typeof value === 'string' && value.toLowerCase() === 'true') ? 1 : 0;
    case 'integer':
    case 'decimal': return typeof value === 'number' ? value : null;
    case 'dateTime': return parseInstant(String(value));
    default: return typeof value === 'string' || typeof value === 'number' ? (def.caseExact ? String(value) : String(value).toLowerCase()) : null;
  }
};

/** Sorts items by the spec, reading each item's SCIM JSON through `view`; a stable sort. */
export const sortResources = <T>(items: readonly T[], spec: SortSpec, view: (item: T) => Json): T[] => {
  const keyed = items.map((item) => ({ item, key: sortKeyOf(spec, view(item)) }));
  const direction = spec.descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
    return a.key < b.key ? -direction : a.key > b.key ? direction : 0;
  });
  return keyed.map((k) => k.item);
};
