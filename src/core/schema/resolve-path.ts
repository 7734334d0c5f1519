/**
 * Resolves attribute paths such as `name.familyName` or
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` against a resource type.
 * Names match ignoring case (RFC 7643 §2.1); the result carries the canonical spelling.
 */
import { findAttribute, type AttributeDefinition, type SchemaDefinition } from './attribute';
import { commonAttributes } from './common-attributes';
import type { ResourceTypeDefinition } from './resource-type';

export interface ResolvedAttribute {
  /** The extension schema holding the attribute, or null for core and common attributes. */
  readonly extension: SchemaDefinition | null;
  readonly attribute: AttributeDefinition;
  readonly subAttribute: AttributeDefinition | null;
}

/** Splits `urn:...:User:attr.sub` into the schema and the rest; the URN itself may contain dots (`2.0`). */
export const splitSchemaPrefix = (
  resourceType: ResourceTypeDefinition,
  path: string,
): { schema: SchemaDefinition | null; rest: string } | undefined => {
  if (!path.toLowerCase().startsWith('urn:')) return { schema: null, rest: path };
  const lower = path.toLowerCase();
  const schemas = [resourceType.core, ...resourceType.extensions];
  const match = schemas
    .filter((s) => lower.startsWith(s.id.toLowerCase() + ':') || lower === s.id.toLowerCase())
    .sort((a, b) => b.id.length - a.id.length)[0];
  if (!match) return undefined;
  return { schema: match === resourceType.core ? null : match, rest: path.slice(match.id.length + 1) };
};

/** Resolves `attr`, `attr.sub`, or a URN-qualified form; undefined when the attribute is unknown. */
export const resolveAttribute = (resourceType: ResourceTypeDefinition, path: string): ResolvedAttribute | undefined => {
  const split = splitSchemaPrefix(resourceType, path);
  if (!split || split.rest === '') return undefined;
  const [name, sub, ...extra] = split.rest.split('.');
  if (!name || extra.length > 0) return undefined;
  const candidates = split.schema ? split.schema.attributes : [...resourceType.core.attributes, ...commonAttributes];
  const attribute = findAttribute(candidates, name);
  if (!attribute) return undefined;
  if (sub === undefined) return { extension: split.schema, attribute, subAttribute: null };
  const subAttribute = attribute.subAttributes ? findAttribute(attribute.subAttributes, sub) : undefined;
  return subAttribute ? { extension: split.schema, attribute, subAttribute } : undefined;
};

/** The key a resolved attribute lives under in a stored document: extension attributes nest under their URN. */
export const containerKey = (resolved: ResolvedAttribute): string | null => resolved.extension?.id ?? null;
