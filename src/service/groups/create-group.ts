/**
 * POST /Groups.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import { toGroupResource } from '../../core/resource/group-resource';
import type { Json } from '../../core/schema/canonicalize';
import { inUnit } from '../lift';
import { freshMeta } from '../resource-records';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { splitGroupBody } from './group-body';
import { saveGroup } from './save-group';

/** Creates a group; its members' tiers are decided again at once. */
export const createGroup = (deps: Deps, ctx: RequestContext, body: Json): TE.TaskEither<ScimError, WriteResult<Json>> =>
  pipe(
    TE.fromEither(splitGroupBody(deps.schemas, body)),
    TE.flatMap(({ doc, plan }) => inUnit(deps, ctx, (unit, ctx) => {
      const group = { id: ctx.newId(), doc, meta: freshMeta(ctx) };
      return pipe(
        saveGroup(deps, ctx, unit, { group, groupId: group.id, previousName: null, plan }),
        TE.map(({ value, effects }) => ({ value: toGroupResource({ record: group, members: value.members, baseUrl: ctx.baseUrl }), effects })),
      );
    })),
  );
