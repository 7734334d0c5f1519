/**
 * Normalisation "one primary": RFC 7643 §2.4 says the `primary` value true MUST appear no more than
 * once in a multi-valued attribute (emails, phoneNumbers, addresses, ims, photos, roles,
 * entitlements, x509Certificates, and any extension attribute with a `primary` sub-attribute).
 *
 * Clients send more: a body with two primary emails, or `replace emails.primary true`, which
 * addresses every email. Refusing the request would fail the IdP's provisioning over a flag, so
 * seatkit keeps one and sets the others false:
 * - an operation that sets primary true leaves it on the last item it set ({@link keepPrimary});
 * - a POST or PUT body, and the result of every PATCH, keeps the first ({@link onePrimary}).
 */
import { findAttribute, type AttributeDefinition } from '../schema/attribute';
import { isObject, type Json } from '../schema/canonicalize';
import type { ResourceTypeDefinition } from '../schema/resource-type';

/** True for a multi-valued complex attribute with a `primary` sub-attribute. */
export const hasPrimary = (def: AttributeDefinition): boolean =>
  def.type === 'complex' && def.multiValued && findAttribute(def.subAttributes ?? [], 'primary') !== undefined;

// Before validation, Entra's "True" is primary too.
/** True when the item is marked primary. */
export const isPrimary = (item: unknown): boolean =>
  isObject(item) && (item.primary === true || (typeof item.primary === 'string' && item.primary.toLowerCase() === 'true'));

/** The items with `primary` true on `winner` only; the others that were primary become false. */
export const keepPrimary = (items: readonly unknown[], winner: unknown): unknown[] =>
  items.map((item) => (item !== winner && isPrimary(item) ? { ...(item as Json), primary: false } : item));

const keepFirst = (value: unknown): unknown => {
  if (!Array.isArray(value)) return value;
  const primaries = value.filter(isPrimary);
  return primaries.length > 1 ? keepPrimary(value, primaries[0]) : value;
};

const inContainer = (container: Json, defs: readonly AttributeDefinition[]): Json => {
  const out = { ...container };
  for (const def of defs) if (hasPrimary(def) && def.name in out) out[def.name] = keepFirst(out[def.name]);
  return out;
};

/** The document with at most one primary item in each multi-valued attribute: the first keeps it. */
export const onePrimary = (resourceType: ResourceTypeDefinition) => (doc: Json): Json => {
  const out = inContainer(doc, resourceType.core.attributes);
  for (const extension of resourceType.extensions) {
    if (isObject(out[extension.id])) out[extension.id] = inContainer(out[extension.id] as Json, extension.attributes);
  }
  return out;
};
