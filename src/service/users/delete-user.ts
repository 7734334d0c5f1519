/**
 * DELETE /Users/{id}: the seat is freed at once and the next pending user of its tier promoted.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import { inUnit, fromPort } from '../lift';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { settleLicenses } from '../settle-licenses';
import { checkIfMatch } from '../preconditions';
import { requireUser } from './load-user';
import { withTouches } from '../touch-users';

/** Deletes a user; never refused for licensing reasons. */
export const deleteUser = (deps: Deps, ctx: RequestContext, id: string): TE.TaskEither<ScimError, WriteResult<null>> =>
  inUnit(deps, ctx, (unit, ctx) => pipe(
    requireUser(unit, id),
      TE.flatMap(checkIfMatch(ctx)),
    TE.flatMap(() => settleLicenses(deps, ctx, unit, [{ userId: id, deleted: true }])),
    TE.flatMap((settlement) => pipe(
      fromPort(() => unit.commit(withTouches({ deleteUsers: [id], ...settlement.changes }, ctx.now))),
      TE.map(() => ({ value: null, effects: settlement.effects })),
    )),
  ));
