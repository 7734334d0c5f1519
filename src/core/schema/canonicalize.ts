/**
 * Rewrites client JSON into the canonical spelling of the schema: attribute names in their defined
 * case, extension attributes under their URN, unknown and read-only attributes dropped (RFC 7644
 * §3.3 says read-only values sent by a client are ignored), nulls treated as unassigned (RFC 7643 §2.5).
 *
 * Keys are only ever looked up among the schema's names and written under the schema's spelling, so
 * `__proto__` or `constructor` in a body is an unknown attribute like any other and never reaches an
 * object as a key. A single complex value left with no known sub-attribute (`"name": {}`,
 * `"name": {"__proto__": {}}`) is unassigned too: nothing of it would be stored.
 */
import { findAttribute, type AttributeDefinition } from './attribute';
import { commonAttributes } from './common-attributes';
import { wrapBareValue } from '../quirks/bare-value';
import { unpackJsonEncodedValue } from '../quirks/json-encoded-value';
import type { ResourceTypeDefinition } from './resource-type';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const isUnassigned = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

const isEmptyComplex = (def: AttributeDefinition, v: unknown) =>
  def.type === 'complex' && !def.multiValued && isObject(v) && Object.keys(v).length === 0;

const canonicalValue = (def: AttributeDefinition, value: unknown): unknown => {
  if (def.type !== 'complex') return value;
  const subs = def.subAttributes ?? [];
  if (def.multiValued) {
    const items = (Array.isArray(value) ? value : [value]).map((item) => unpackJsonEncodedValue(wrapBareValue(def, item)));
    return items.map((item) => (isObject(item) ? canonicalAttributes(subs, item) : item));
  }
  const wrapped = wrapBareValue(def, value);
  return isObject(wrapped) ? canonicalAttributes(subs, wrapped) : wrapped;
};

/** Canonicalizes an object against a list of attribute definitions. */
export const canonicalAttributes = (defs: readonly AttributeDefinition[], input: Json): Json => {
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    const def = findAttribute(defs, key);
    if (!def || def.mutability === 'readOnly' || isUnassigned(value)) continue;
    const canonical = canonicalValue(def, value);
    if (!isEmptyComplex(def, canonical)) out[def.name] = canonical;
  }
  return out;
};

/** Canonicalizes a whole resource body (POST or PUT) of the given resource type. */
export const canonicalResource = (resourceType: ResourceTypeDefinition, input: Json): Json => {
  const coreDefs = [...resourceType.core.attributes, ...commonAttributes];
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    if (!key.toLowerCase().startsWith('urn:')) {
      const def = findAttribute(coreDefs, key);
      if (!def || def.mutability === 'readOnly' || isUnassigned(value)) continue;
      const canonical = canonicalValue(def, value);
      if (!isEmptyComplex(def, canonical)) out[def.name] = canonical;
      continue;
    }
    const extension = resourceType.extensions.find((e) => e.id.toLowerCase() === key.toLowerCase());
    if (!extension || value === null || value === undefined) continue;
    // An extension is an object of its attributes (RFC 7643 §3.3); anything else is kept as sent so
    // that validation refuses it under the URN, rather than losing what the client meant to set.
    if (!isObject(value)) {
      out[extension.id] = value;
      continue;
    }
    const attributes = canonicalAttributes(extension.attributes, value);
    if (Object.keys(attributes).length > 0) out[extension.id] = attributes;
  }
  return out;
};
