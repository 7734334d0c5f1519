/**
 * Parses a PATCH `path` (RFC 7644 §3.5.2): `attr`, `attr.sub`, `urn:...:attr`, `attr[filter]` or
 * `attr[filter].sub`, resolved against the resource type.
 */
import * as E from 'fp-ts/Either';
import { describeName } from '../errors/describe-name';
import { invalidPath, type ScimError } from '../errors/scim-error';
import type { FilterTree } from '../filter/filter-tree';
import { parseFilter } from '../filter/parse-filter';
import { findAttribute, type AttributeDefinition } from '../schema/attribute';
import { resolveAttribute, type ResolvedAttribute } from '../schema/resolve-path';
import type { ResourceTypeDefinition } from '../schema/resource-type';

export interface PatchTarget {
  /** The attribute, and its sub-attribute when the path is `attr.sub`. */
  readonly target: ResolvedAttribute;
  /** The value filter of `attr[filter]`, selecting elements of a multi-valued attribute. */
  readonly filter: FilterTree | null;
  /** The sub-attribute after the filter, in `attr[filter].sub`. */
  readonly filteredSub: AttributeDefinition | null;
}

const unknownPath = (path: string, resourceType: ResourceTypeDefinition) =>
  invalidPath(`The path ${describeName(path)} does not name an attribute of ${resourceType.name}`);

/** Parses a PATCH path for the given resource type. */
export const parsePatchPath = (resourceType: ResourceTypeDefinition, path: string): E.Either<ScimError, PatchTarget> => {
  const open = path.indexOf('[');
  if (open < 0) {
    const target = resolveAttribute(resourceType, path);
    return target ? E.right({ target, filter: null, filteredSub: null }) : E.left(unknownPath(path, resourceType));
  }
  const close = path.lastIndexOf(']');
  if (close < open) return E.left(invalidPath(`The path ${describeName(path)} has an unclosed '['`));
  const rest = path.slice(close + 1);
  if (rest !== '' && !/^\.[A-Za-z$][\w$-]*$/.test(rest)) return E.left(invalidPath(`The path ${describeName(path)} has text after ']' that is not one sub-attribute`));
  const attributePath = path.slice(0, open);
  const target = resolveAttribute(resourceType, attributePath);
  if (!target || target.subAttribute || target.attribute.type !== 'complex' || !target.attribute.multiValued) {
    return E.left(invalidPath(`${describeName(attributePath)} is not a multi-valued complex attribute of ${resourceType.name}, so it cannot take a [filter]`));
  }
  return E.flatMap(
    E.mapLeft(() => invalidPath(`The filter in the path ${describeName(path)} is not valid`))(parseFilter(resourceType, path.slice(0, close + 1))),
    (tree): E.Either<ScimError, PatchTarget> => {
      if (tree.kind !== 'valuePath') return E.left(invalidPath(`The path ${describeName(path)} is not a value path`));
      if (rest === '') return E.right({ target, filter: tree.filter, filteredSub: null });
      const sub = findAttribute(target.attribute.subAttributes ?? [], rest.slice(1));
      return sub
        ? E.right({ target, filter: tree.filter, filteredSub: sub })
        : E.left(unknownPath(path, resourceType));
    },
  );
};

