/**
 * PUT /Groups/{id}: attributes and the member list are replaced.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import { toGroupResource } from '../../core/resource/group-resource';
import type { Json } from '../../core/schema/canonicalize';
import { checkImmutable } from '../../core/schema/attribute-rules';
import { inUnit } from '../lift';
import { nextMeta } from '../resource-records';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { splitGroupBody } from './group-body';
import { checkIfMatch } from '../preconditions';
import { requireGroup } from './load-group';
import { saveGroup } from './save-group';

/** Replaces a group and its members. */
export const replaceGroup = (deps: Deps, ctx: RequestContext, id: string, body: Json): TE.TaskEither<ScimError, WriteResult<Json>> =>
  pipe(
    TE.fromEither(splitGroupBody(deps.schemas, body)),
    TE.flatMap(({ doc, plan }) => inUnit(deps, ctx, (unit, ctx) => pipe(
      requireGroup(unit, id),
      TE.flatMap(checkIfMatch(ctx)),
      TE.flatMap((previous) => {
        const group = { id, doc, meta: nextMeta(previous.meta, ctx) };
        const immutable = checkImmutable(deps.schemas.group, previous.doc, doc);
        if (E.isLeft(immutable)) return TE.left(immutable.left);
        return pipe(
          saveGroup(deps, ctx, unit, { group, groupId: id, previousName: String(previous.doc.displayName), plan, previous }),
          TE.map(({ value, effects }) => ({ value: toGroupResource({ record: value.record ?? group, members: value.members, baseUrl: ctx.baseUrl }), effects })),
        );
      }),
    ))),
  );
