/**
 * Splitting a validated Group body into the stored document and the member plan.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import type { ScimError } from '../../core/errors/scim-error';
import type { MemberPlan } from '../../core/patch/member-plan';
import type { Json } from '../../core/schema/canonicalize';
import type { SchemaRegistry } from '../../core/schema/schema-registry';

/** The group's own attributes, and `members` as a plan that replaces the whole list. */
export const splitGroupBody = (schemas: SchemaRegistry, body: Json): E.Either<ScimError, { doc: Json; plan: MemberPlan }> =>
  pipe(
    schemas.validateGroup(body),
    E.map(({ members, ...doc }) => {
      const ids = Array.isArray(members) ? members.map((m) => String((m as Json).value)).filter((id) => id !== 'undefined') : [];
      return { doc, plan: { reset: true, add: [...new Set(ids)], remove: [] } };
    }),
  );
