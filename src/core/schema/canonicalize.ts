/**
 * Rewrites client JSON into the canonical spelling of the schema: attribute names in their defined
 * case, extension attributes under their URN, unknown and read-only attributes dropped (RFC 7644
 * §3.3 says read-only values sent by a client are ignored), nulls treated as unassigned (RFC 7643 §2.5).
 */
import { findAttribute, type AttributeDefinition } from './attribute';
import { commonAttributes } from './common-attributes';
import { wrapBareValue } from '../quirks/bare-value';
import { unpackJsonEncodedValue } from '../quirks/json-encoded-value';
import type { ResourceTypeDefinition } from './resource-type';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const isUnassigned = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

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
    out[def.name] = canonicalValue(def, value);
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
      if (def && def.mutability !== 'readOnly' && !isUnassigned(value)) out[def.name] = canonicalValue(def, value);
      continue;
    }
    const extension = resourceType.extensions.find((e) => e.id.toLowerCase() === key.toLowerCase());
    if (extension && isObject(value)) {
      const attributes = canonicalAttributes(extension.attributes, value);
      if (Object.keys(attributes).length > 0) out[extension.id] = attributes;
    }
  }
  return out;
};
