/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5): which attributes a response carries.
 * Attributes with `returned: always` (id, schemas) are always kept.
 */
import { isObject, type Json } from '../schema/canonicalize';
import { resolveAttribute, type ResolvedAttribute } from '../schema/resolve-path';
import type { ResourceTypeDefinition } from '../schema/resource-type';

export interface Projection {
  /** Only these attributes (plus the always-returned ones); null for the default set. */
  readonly only: readonly ResolvedAttribute[] | null;
  readonly excluded: readonly ResolvedAttribute[];
}

export const defaultProjection: Projection = { only: null, excluded: [] };

// Unknown names are ignored, as clients ask for attributes of extensions the server may not have.
// A bare extension URN stands for all of that extension's attributes.
const resolveList = (resourceType: ResourceTypeDefinition, text: string | null): ResolvedAttribute[] =>
  (text ?? '').split(',').map((s) => s.trim()).filter(Boolean).flatMap((name) => {
    const extension = resourceType.extensions.find((e) => e.id.toLowerCase() === name.toLowerCase());
    if (extension) return extension.attributes.map((attribute) => ({ extension, attribute, subAttribute: null }));
    const resolved = resolveAttribute(resourceType, name);
    return resolved ? [resolved] : [];
  });

/** Reads the two query parameters into a projection. */
export const parseProjection = (resourceType: ResourceTypeDefinition, attributes: string | null, excluded: string | null): Projection => {
  const only = resolveList(resourceType, attributes);
  return { only: only.length > 0 ? only : null, excluded: resolveList(resourceType, excluded) };
};

const sameAttribute = (a: ResolvedAttribute, container: string | null, name: string) =>
  (a.extension?.id ?? null) === container && a.attribute.name === name;

/** True when the projection returns the named core attribute (e.g. whether to load `members`). */
export const returnsAttribute = (projection: Projection, name: string): boolean => {
  if (projection.excluded.some((a) => !a.subAttribute && sameAttribute(a, null, name))) return false;
  return projection.only === null || projection.only.some((a) => sameAttribute(a, null, name));
};

const pick = (value: unknown, subs: readonly string[]): unknown => {
  const keep = (item: unknown) => (isObject(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => subs.includes(k))) : item);
  return Array.isArray(value) ? value.map(keep) : keep(value);
};

const drop = (value: unknown, subs: readonly string[]): unknown => {
  const strip = (item: unknown) => (isObject(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => !subs.includes(k))) : item);
  return Array.isArray(value) ? value.map(strip) : strip(value);
};

const projectContainer = (object: Json, container: string | null, projection: Projection, alwaysKeep: readonly string[]): Json => {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (container === null && (alwaysKeep.includes(key) || key.startsWith('urn:'))) {
      out[key] = value;
      continue;
    }
    const excludedWhole = projection.excluded.some((a) => !a.subAttribute && sameAttribute(a, container, key));
    if (excludedWhole) continue;
    let next: unknown = value;
    if (projection.only) {
      const wanted = projection.only.filter((a) => sameAttribute(a, container, key));
      if (wanted.length === 0) continue;
      if (wanted.every((a) => a.subAttribute)) next = pick(next, wanted.map((a) => a.subAttribute!.name));
    }
    const excludedSubs = projection.excluded.filter((a) => a.subAttribute && sameAttribute(a, container, key)).map((a) => a.subAttribute!.name);
    if (excludedSubs.length > 0) next = drop(next, excludedSubs);
    out[key] = next;
  }
  return out;
};

/** Applies a projection to a resource in SCIM JSON form. */
export const project = (resource: Json, projection: Projection): Json => {
  if (projection.only === null && projection.excluded.length === 0) return resource;
  const top = projectContainer(resource, null, projection, ['schemas', 'id']);
  for (const key of Object.keys(top)) {
    if (!key.startsWith('urn:') || !isObject(top[key])) continue;
    const inner = projectContainer(top[key] as Json, key, projection, []);
    if (Object.keys(inner).length === 0) delete top[key];
    else top[key] = inner;
  }
  return top;
};
