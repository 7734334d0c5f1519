/**
 * Validates a User or Group body against its resource type and returns the canonical document:
 * the form seatkit stores and patches. Built once per resource type from the schema definitions.
 */
import * as E from 'fp-ts/Either';
import type * as z from 'zod';
import { invalidValue, type Issue, type ScimError } from '../errors/scim-error';
import { findAttribute } from './attribute';
import { canonicalResource, type Json } from './canonicalize';
import { commonAttributes } from './common-attributes';
import type { ResourceTypeDefinition } from './resource-type';
import { attributesToZod } from './to-zod';

/** Turns zod's issues into seatkit's own, so `ZodError` never leaves the core. */
export const toIssues = (error: z.ZodError): Issue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));

const writable = <T extends { mutability: string }>(defs: readonly T[]) => defs.filter((d) => d.mutability !== 'readOnly');

/** A validator for the resource type: canonicalizes, then checks types and required attributes. */
export const resourceValidator = (resourceType: ResourceTypeDefinition) => {
  // A Group's members live in their own table, so a group of 20,000 is as cheap to filter as one of 20.
  const unbounded = resourceType.name === 'Group' ? ['members'] : [];
  const coreShape = attributesToZod([...writable(resourceType.core.attributes), findAttribute(commonAttributes, 'externalId')!], unbounded);
  const shape = resourceType.extensions.reduce(
    (acc, ext) => acc.extend({ [ext.id]: attributesToZod(writable(ext.attributes)).optional() }),
    coreShape,
  );
  return (input: Json): E.Either<ScimError, Json> => {
    const result = shape.safeParse(canonicalResource(resourceType, input));
    return result.success
      ? E.right(result.data as Json)
      : E.left(invalidValue(`The ${resourceType.name} is not valid`, toIssues(result.error)));
  };
};
