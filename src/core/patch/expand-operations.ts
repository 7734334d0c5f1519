/**
 * Turns each PATCH operation into operations on one resolved target each. An operation without a
 * path carries an object whose keys are attribute paths (plain, dotted or URN-qualified, or an
 * extension URN holding an object); each key becomes its own operation, as RFC 7644 §3.5.2.1 and
 * §3.5.2.3 describe.
 */
import * as E from 'fp-ts/Either';
import { mutability, noTarget, invalidValue, type ScimError } from '../errors/scim-error';
import { isObject } from '../schema/canonicalize';
import type { ResourceTypeDefinition } from '../schema/resource-type';
import { describeName } from '../errors/describe-name';
import { parsePatchPath, type PatchTarget } from './patch-path';
import type { PatchOperation, PatchOpName } from './patch-request';

export interface TargetedOperation {
  readonly op: PatchOpName;
  readonly path: string;
  readonly target: PatchTarget;
  readonly value: unknown;
}

const isReadOnly = ({ target }: PatchTarget) =>
  target.attribute.mutability === 'readOnly' || target.subAttribute?.mutability === 'readOnly';

const keyedPaths = (resourceType: ResourceTypeDefinition, value: Record<string, unknown>): [string, unknown][] =>
  Object.entries(value).flatMap(([key, v]): [string, unknown][] => {
    const extension = resourceType.extensions.find((e) => e.id.toLowerCase() === key.toLowerCase());
    if (extension && isObject(v)) return Object.entries(v).map(([sub, sv]) => [`${extension.id}:${sub}`, sv]);
    return key.toLowerCase() === 'schemas' ? [] : [[key, v]];
  });

const expandOne = (resourceType: ResourceTypeDefinition, operation: PatchOperation): E.Either<ScimError, TargetedOperation[]> => {
  // A path that is a whole extension's URN addresses all of its attributes.
  const extension = operation.path === undefined ? undefined : resourceType.extensions.find((e) => e.id.toLowerCase() === operation.path!.toLowerCase());
  if (extension && operation.op === 'remove') {
    return expandAll(resourceType, extension.attributes.filter((a) => a.mutability !== 'readOnly').map((a) => ({ op: 'remove', path: `${extension.id}:${a.name}` })));
  }
  if (extension) {
    return isObject(operation.value)
      ? expandOne(resourceType, { op: operation.op, value: { [extension.id]: operation.value } })
      : E.left(invalidValue(`An ${operation.op} on a whole extension needs an object of its attributes`));
  }
  if (operation.path !== undefined) {
    const path = operation.path;
    return E.flatMap(parsePatchPath(resourceType, path), (target) =>
      isReadOnly(target)
        ? E.left(mutability(`The attribute ${describeName(path)} is read-only and cannot be changed with ${operation.op}`))
        : E.right([{ op: operation.op, path, target, value: operation.value }]));
  }
  if (operation.op === 'remove') return E.left(noTarget('A remove operation needs a path (RFC 7644 §3.5.2.2)'));
  if (!isObject(operation.value)) return E.left(invalidValue(`An ${operation.op} operation without a path needs an object value`));
  // An extension's URN holds an object of its attributes (RFC 7643 §3.3), as in a POST body.
  const notObject = resourceType.extensions.find((e) =>
    Object.entries(operation.value as Record<string, unknown>).some(([key, v]) => key.toLowerCase() === e.id.toLowerCase() && v !== null && !isObject(v)));
  if (notObject) return E.left(invalidValue(`The value for '${notObject.id}' must be an object of its attributes`));
  // Unknown and read-only keys in a path-less value are ignored, as they are in a POST body; Okta
  // sends `id` along with a group rename.
  return E.right(keyedPaths(resourceType, operation.value).flatMap(([path, value]) => {
    const parsed = parsePatchPath(resourceType, path);
    return E.isRight(parsed) && !isReadOnly(parsed.right) ? [{ op: operation.op, path, target: parsed.right, value }] : [];
  }));
};

const expandAll = (resourceType: ResourceTypeDefinition, operations: readonly PatchOperation[]): E.Either<ScimError, TargetedOperation[]> =>
  E.map((lists: readonly TargetedOperation[][]) => lists.flat())(E.sequenceArray(operations.map((o) => expandOne(resourceType, o))));

/** Expands and resolves every operation; the first invalid one fails the whole request. */
export const expandOperations = (
  resourceType: ResourceTypeDefinition,
  operations: readonly PatchOperation[],
): E.Either<ScimError, readonly TargetedOperation[]> => expandAll(resourceType, operations);
