/**
 * The reference order of `sortBy`: resources without a value come last in either direction; values
 * compare by the attribute's type (strings ignoring case unless caseExact, dateTimes as instants,
 * false before true); ties keep the storage's own order. A multi-valued attribute gives the value of
 * its primary item when that item has one, else its first value (RFC 7644 §3.4.2.3). SQL adapters are
 * tested against it.
 */
import { valuesIn } from '../filter/evaluate-filter';
import { isPrimary } from '../quirks/one-primary';
import { isObject, type Json } from '../schema/canonicalize';
import { parseInstant } from '../schema/parse-instant';
import type { SortSpec } from './sort-spec';

type Key = string | number | null;

// The primary items only, in the resource's shape, so they are read with the filters' rules of presence.
const primaryItemsOf = ({ target }: SortSpec, resource: Json): Json => {
  const container = target.extension ? resource[target.extension.id] : resource;
  const raw = isObject(container) ? container[target.attribute.name] : undefined;
  const primaries = { [target.attribute.name]: (Array.isArray(raw) ? raw : [raw]).filter(isPrimary) };
  return target.extension ? { [target.extension.id]: primaries } : primaries;
};

const sortValueOf = (spec: SortSpec, resource: Json): unknown => {
  const [primary] = spec.target.attribute.multiValued && spec.target.subAttribute ? valuesIn(primaryItemsOf(spec, resource))(spec.target) : [];
  return primary ?? valuesIn(resource)(spec.target)[0];
};

/** The value a resource is sorted by, or null when it has none. */
export const sortKeyOf = (spec: SortSpec, resource: Json): Key => {
  const value = sortValueOf(spec, resource);
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
