/**
 * DELETE /Groups/{id}: the group's members lose it, and their tiers are decided again.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import { emptyMemberPlan } from '../../core/patch/member-plan';
import { inUnit } from '../lift';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { checkIfMatch } from '../preconditions';
import { requireGroup } from './load-group';
import { saveGroup } from './save-group';

/** Deletes a group. */
export const deleteGroup = (deps: Deps, ctx: RequestContext, id: string): TE.TaskEither<ScimError, WriteResult<null>> =>
  inUnit(deps, ctx, (unit, ctx) => pipe(
    requireGroup(unit, id),
      TE.flatMap(checkIfMatch(ctx)),
    TE.flatMap((previous) => saveGroup(deps, ctx, unit, { group: null, groupId: id, previousName: String(previous.doc.displayName), plan: emptyMemberPlan })),
    TE.map(({ effects }) => ({ value: null, effects })),
  ));
