/**
 * The attribute characteristics of RFC 7643 §2.2 that depend on more than one request body:
 * `mutability: immutable` (set once, never changed) and `uniqueness: server | global` (no two
 * resources share the value). They matter for host extensions; the core schemas declare neither
 * beyond `id` and `userName`, which seatkit guards itself.
 */
import * as E from 'fp-ts/Either';
import { mutability, type ScimError } from '../errors/scim-error';
import type { FilterTree } from '../filter/filter-tree';
import type { AttributeDefinition, SchemaDefinition } from './attribute';
import { isObject, type Json } from './canonicalize';
import type { ResourceTypeDefinition } from './resource-type';

interface Located {
  readonly schema: SchemaDefinition;
  readonly extension: SchemaDefinition | null;
  readonly attribute: AttributeDefinition;
}

const attributesOf = (type: ResourceTypeDefinition): Located[] => [
  ...type.core.attributes.map((attribute) => ({ schema: type.core, extension: null, attribute })),
  ...type.extensions.flatMap((ext) => ext.attributes.map((attribute) => ({ schema: ext, extension: ext, attribute }))),
];

const valueIn = (doc: Json, at: Located): unknown => {
  const container = at.extension ? doc[at.extension.id] : doc;
  return isObject(container) ? container[at.attribute.name] : undefined;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Refuses a change to an immutable attribute that already has a value (RFC 7643 §2.2). */
export const checkImmutable = (type: ResourceTypeDefinition, before: Json, after: Json): E.Either<ScimError, void> => {
  for (const at of attributesOf(type)) {
    if (at.attribute.mutability !== 'immutable') continue;
    const was = valueIn(before, at);
    if (was !== undefined && !same(was, valueIn(after, at))) {
      return E.left(mutability(`'${at.attribute.name}' is immutable: once set, it cannot be changed or removed`));
    }
  }
  return E.right(undefined);
};

/**
 * For each single-valued simple attribute the resource must hold uniquely (other than `id` and
 * `userName`), the equality filter that finds another resource holding the same value.
 */
export const uniquenessProbes = (type: ResourceTypeDefinition, doc: Json): { readonly name: string; readonly filter: FilterTree }[] =>
  attributesOf(type).flatMap((at) => {
    const { attribute } = at;
    if (attribute.uniqueness === 'none' || attribute.multiValued || attribute.type === 'complex' || at.schema === type.core && attribute.name === 'userName') return [];
    const value = valueIn(doc, at);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return [];
    const target = { extension: at.extension, attribute, subAttribute: null };
    return [{ name: attribute.name, filter: { kind: 'compare' as const, op: 'eq' as const, target, value } }];
  });
