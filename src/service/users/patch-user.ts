/**
 * PATCH /Users/{id} (RFC 7644 §3.5.2): all operations apply, or none.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import { applyPatch } from '../../core/patch/apply-patch';
import { expandOperations } from '../../core/patch/expand-operations';
import { parsePatchRequest } from '../../core/patch/patch-request';
import { onePrimary } from '../../core/quirks/one-primary';
import { checkImmutable } from '../../core/schema/attribute-rules';
import type { Json } from '../../core/schema/canonicalize';
import { inUnit, fromPort } from '../lift';
import { nextMeta, withoutPassword } from '../resource-records';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { checkIfMatch } from '../preconditions';
import { requireUser, toUserResources } from './load-user';
import { saveUser } from './save-user';

/** Applies a PatchOp to a user; a PATCH that changes nothing writes nothing. */
export const patchUser = (deps: Deps, ctx: RequestContext, id: string, body: unknown): TE.TaskEither<ScimError, WriteResult<Json>> =>
  pipe(
    TE.fromEither(pipe(parsePatchRequest(body), E.flatMap((ops) => expandOperations(deps.schemas.user, ops)))),
    TE.flatMap((operations) => inUnit(deps, ctx, (unit, ctx) => pipe(
      requireUser(unit, id),
      TE.flatMap(checkIfMatch(ctx)),
      TE.flatMap((user) => pipe(
        TE.fromEither(pipe(applyPatch(user.doc, operations), E.flatMap(deps.schemas.validateUser), E.map(onePrimary(deps.schemas.user)), E.map(withoutPassword),
          E.tap((doc) => checkImmutable(deps.schemas.user, user.doc, doc)))),
        TE.flatMap((doc) => (JSON.stringify(doc) === JSON.stringify(user.doc)
          ? pipe(toUserResources(unit, [user], ctx.baseUrl), TE.map(([value]) => ({ value: value!, effects: [] })))
          : pipe(
            fromPort(() => unit.groupsOfUsers([id])),
            TE.flatMap((groups) => saveUser(deps, ctx, unit, { id, doc, meta: nextMeta(user.meta, ctx) }, groups.get(id) ?? [])),
          ))),
      )),
    ))),
  );
