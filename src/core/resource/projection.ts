/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5), with each attribute's `returned`
 * characteristic (RFC 7643 §7): `always` is returned even when excluded or not asked for, `never`
 * never, `request` only when named in `attributes`, `default` unless excluded or left out.
 */
import { findAttribute, type AttributeDefinition } from '../schema/attribute';
import { isObject, type Json } from '../schema/canonicalize';
import { commonAttributes } from '../schema/common-attributes';
import { resolveAttribute, type ResolvedAttribute } from '../schema/resolve-path';
import type { ResourceTypeDefinition } from '../schema/resource-type';

export interface Projection {
  readonly type: ResourceTypeDefinition;
  /** Only these attributes (plus the always-returned ones); null for the default set. */
  readonly only: readonly ResolvedAttribute[] | null;
  readonly excluded: readonly ResolvedAttribute[];
}

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
  return { type: resourceType, only: only.length > 0 ? only : null, excluded: resolveList(resourceType, excluded) };
};

/**
 * The projection widened to return `target` whole, however the client narrowed it: what a caller
 * that must read the attribute (to merge sorted lists) fetches, before projecting again.
 */
export const including = (projection: Projection, target: ResolvedAttribute): Projection => {
  const whole = { ...target, subAttribute: null };
  const same = (a: ResolvedAttribute) => (a.extension?.id ?? null) === (target.extension?.id ?? null) && a.attribute.name === target.attribute.name;
  return {
    ...projection,
    only: projection.only === null ? null : [...projection.only.filter((a) => !same(a)), whole],
    excluded: projection.excluded.filter((a) => !same(a)),
  };
};

/** The default set of attributes of a resource type. */
export const defaultProjection = (resourceType: ResourceTypeDefinition): Projection => ({ type: resourceType, only: null, excluded: [] });

const sameAttribute = (a: ResolvedAttribute, container: string | null, name: string) =>
  (a.extension?.id ?? null) === container && a.attribute.name === name;

/** True when the projection returns the named core attribute (e.g. whether to load `members`). */
export const returnsAttribute = (projection: Projection, name: string): boolean => {
  if (projection.excluded.some((a) => !a.subAttribute && sameAttribute(a, null, name))) return false;
  return projection.only === null || projection.only.some((a) => sameAttribute(a, null, name));
};

const definitionsOf = (type: ResourceTypeDefinition, container: string | null): readonly AttributeDefinition[] =>
  container === null
    ? [...type.core.attributes, ...commonAttributes]
    : type.extensions.find((e) => e.id === container)?.attributes ?? [];

const keepSubs = (value: unknown, keep: (sub: string) => boolean): unknown => {
  const strip = (item: unknown) => (isObject(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => keep(k))) : item);
  return Array.isArray(value) ? value.map(strip) : strip(value);
};

const projectContainer = (object: Json, container: string | null, projection: Projection): Json => {
  const out: Json = {};
  const definitions = definitionsOf(projection.type, container);
  for (const [key, value] of Object.entries(object)) {
    if (container === null && (key === 'schemas' || key.startsWith('urn:'))) {
      out[key] = value;
      continue;
    }
    const returned = findAttribute(definitions, key)?.returned ?? 'default';
    const named = projection.only?.filter((a) => sameAttribute(a, container, key)) ?? [];
    if (returned === 'never') continue;
    if (returned === 'always') {
      out[key] = value;
      continue;
    }
    if (returned === 'request' && named.length === 0) continue;
    if (projection.excluded.some((a) => !a.subAttribute && sameAttribute(a, container, key))) continue;
    let next: unknown = value;
    if (projection.only) {
      if (named.length === 0) continue;
      if (named.every((a) => a.subAttribute)) next = keepSubs(next, (sub) => named.some((a) => a.subAttribute!.name === sub));
    }
    const excludedSubs = projection.excluded.filter((a) => a.subAttribute && sameAttribute(a, container, key)).map((a) => a.subAttribute!.name);
    if (excludedSubs.length > 0) next = keepSubs(next, (sub) => !excludedSubs.includes(sub));
    out[key] = next;
  }
  return out;
};

/** Applies a projection to a resource in SCIM JSON form. */
export const project = (resource: Json, projection: Projection): Json => {
  const top = projectContainer(resource, null, projection);
  for (const key of Object.keys(top)) {
    if (!key.startsWith('urn:') || !isObject(top[key])) continue;
    const inner = projectContainer(top[key] as Json, key, projection);
    if (Object.keys(inner).length === 0) delete top[key];
    else top[key] = inner;
  }
  metas.set(top, metaOf(resource));
  return top;
};

/** What a response needs from `meta` whatever the client asked for: the ETag and, for a 201, the Location. */
export interface ResourceMeta {
  readonly version?: string;
  readonly location?: string;
}

// The version and location belong to the whole resource, so a response trimmed of `meta` still sends
// its ETag (RFC 7644 §3.14) and, when created, its Location (RFC 7644 §3.3).
const metas = new WeakMap<Json, ResourceMeta>();

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

const metaIn = (resource: Json): ResourceMeta => {
  const meta = isObject(resource.meta) ? resource.meta : {};
  const version = text(meta.version);
  const location = text(meta.location);
  return { ...(version !== undefined ? { version } : {}), ...(location !== undefined ? { location } : {}) };
};

/** The version and location of the resource a projection was taken from, or of the resource itself. */
export const metaOf = (resource: Json): ResourceMeta => metas.get(resource) ?? metaIn(resource);
