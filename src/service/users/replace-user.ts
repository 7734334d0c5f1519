/**
 * PUT /Users/{id}: the body replaces every writable attribute (RFC 7644 §3.5.1).
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import * as E from 'fp-ts/Either';
import { onePrimary } from '../../core/quirks/one-primary';
import { checkImmutable } from '../../core/schema/attribute-rules';
import type { Json } from '../../core/schema/canonicalize';
import { inUnit, fromPort } from '../lift';
import { nextMeta, withoutPassword } from '../resource-records';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { checkIfMatch } from '../preconditions';
import { requireUser } from './load-user';
import { saveUser } from './save-user';

/** Replaces a user; `groups` in the body is read-only and ignored (Okta sends it). */
export const replaceUser = (deps: Deps, ctx: RequestContext, id: string, body: Json): TE.TaskEither<ScimError, WriteResult<Json>> =>
  pipe(
    TE.fromEither(pipe(deps.schemas.validateUser(body), E.map(onePrimary(deps.schemas.user)))),
    TE.flatMap((doc) => inUnit(deps, ctx, (unit, ctx) => pipe(
      requireUser(unit, id),
      TE.flatMap(checkIfMatch(ctx)),
      TE.bindTo('user'),
      TE.bind('groups', () => pipe(fromPort(() => unit.groupsOfUsers([id])), TE.map((g) => g.get(id) ?? []))),
      TE.flatMap(({ user, groups }) => {
        const next = withoutPassword(doc);
        // RFC 7644 §3.14: a PUT that changes nothing (Okta's profile sync) keeps the version and modify time.
        const unchanged = JSON.stringify(next) === JSON.stringify(user.doc);
        const immutable = checkImmutable(deps.schemas.user, user.doc, next);
        if (E.isLeft(immutable)) return TE.left(immutable.left);
        return saveUser(deps, ctx, unit, unchanged ? user : { id, doc: next, meta: nextMeta(user.meta, ctx) }, groups, unchanged);
      }),
    ))),
  );
