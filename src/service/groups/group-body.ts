/**
 * Splitting a validated Group body into the stored document and the member plan.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { invalidValue, type ScimError } from '../../core/errors/scim-error';
import type { MemberPlan } from '../../core/patch/member-plan';
import { onePrimary } from '../../core/quirks/one-primary';
import type { Json } from '../../core/schema/canonicalize';
import type { SchemaRegistry } from '../../core/schema/schema-registry';

/** The group's own attributes, and `members` as a plan that replaces the whole list. */
export const splitGroupBody = (schemas: SchemaRegistry, body: Json): E.Either<ScimError, { doc: Json; plan: MemberPlan }> =>
  pipe(
    schemas.validateGroup(body),
    E.map(onePrimary(schemas.group)),
    E.flatMap(({ members, ...doc }) => {
      const ids = (Array.isArray(members) ? members : []).map((m) => (m as Json).value);
      if (!ids.every((id): id is string => typeof id === 'string' && id !== '')) return E.left(invalidValue('Each member needs the id of a User in "value"'));
      return E.right({ doc, plan: { reset: true, add: [...new Set(ids)], remove: [] } });
    }),
  );
