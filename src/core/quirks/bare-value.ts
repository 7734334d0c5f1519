/**
 * IdP quirk "bare value": a complex attribute sent as a plain string.
 *
 * Microsoft Entra ID sends the enterprise extension's `manager` as the manager's id string
 * (`"manager": "26118915-..."`, also as the value of a PATCH on `...:User:manager`) where RFC 7643
 * §4.3 has an object `{ "value": "26118915-..." }`. Some clients do the same for the elements of
 * multi-valued attributes (`"roles": ["pro"]`). Any complex attribute with a `value` sub-attribute
 * takes a bare string as `{ value }`.
 */
import { findAttribute, type AttributeDefinition } from '../schema/attribute';

const hasValue = (def: AttributeDefinition) => def.type === 'complex' && findAttribute(def.subAttributes ?? [], 'value') !== undefined;

/** Wraps a bare string (or number) as `{ value }` where the attribute is complex with a `value`. */
export const wrapBareValue = (def: AttributeDefinition, value: unknown): unknown =>
  hasValue(def) && (typeof value === 'string' || typeof value === 'number') ? { value: String(value) } : value;
