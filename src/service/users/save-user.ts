/**
 * The common tail of every User write: uniqueness, the seat gate, one commit.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { uniqueness, type ScimError } from '../../core/errors/scim-error';
import type { Json } from '../../core/schema/canonicalize';
import { toUserResource } from '../../core/resource/user-resource';
import type { GroupRef, UnitOfWork, UserRecord } from '../../ports/storage-adapter';
import { fromPort } from '../lift';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { settleLicenses } from '../settle-licenses';
import { ensureAttributesUnique } from '../unique-attributes';
import { withTouches } from '../touch-users';

/** userName is unique per tenant, ignoring case (RFC 7643 §4.1.1 leaves case to the provider). */
export const ensureUserNameFree = (unit: UnitOfWork, user: UserRecord): TE.TaskEither<ScimError, void> =>
  pipe(
    fromPort(() => unit.findUserByUserName(String(user.doc.userName))),
    TE.flatMap((holder) => (holder && holder.id !== user.id
      ? TE.left(uniqueness('A User with this userName already exists in this tenant'))
      : TE.right(undefined))),
  );

/** Stores the user and its license decision together, and answers with its SCIM form. */
export const saveUser = (
  deps: Deps,
  ctx: RequestContext,
  unit: UnitOfWork,
  user: UserRecord,
  groups: readonly GroupRef[],
  /** The stored user as it is: only its license is settled, and its version moves only if that changes. */
  unchanged = false,
): TE.TaskEither<ScimError, WriteResult<Json>> =>
  pipe(
    ensureUserNameFree(unit, user),
    TE.flatMap(() => ensureAttributesUnique(deps.schemas.user, (query) => unit.listUsers(query), user)),
    TE.flatMap(() => settleLicenses(deps, ctx, unit, [{ userId: user.id, deleted: false, doc: user.doc, groups }])),
    TE.flatMap((settlement) => pipe(
      fromPort(() => unit.commit(withTouches({ ...(unchanged ? {} : { putUsers: [user] }), ...settlement.changes }, ctx.now))),
      TE.map(() => ({
        value: toUserResource({ record: user, groups, assignment: settlement.assignments.get(user.id) ?? null, baseUrl: ctx.baseUrl }),
        effects: settlement.effects,
      })),
    )),
  );
