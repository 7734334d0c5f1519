/**
 * POST /Users.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import * as E from 'fp-ts/Either';
import { onePrimary } from '../../core/quirks/one-primary';
import type { Json } from '../../core/schema/canonicalize';
import { inUnit } from '../lift';
import { freshMeta, withoutPassword } from '../resource-records';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { saveUser } from './save-user';

/** Creates a user; at a full tier it is still created, and waits for a seat. */
export const createUser = (deps: Deps, ctx: RequestContext, body: Json): TE.TaskEither<ScimError, WriteResult<Json>> =>
  pipe(
    TE.fromEither(pipe(deps.schemas.validateUser(body), E.map(onePrimary(deps.schemas.user)))),
    TE.flatMap((doc) => inUnit(deps, ctx, (unit, ctx) =>
      saveUser(deps, ctx, unit, { id: ctx.newId(), doc: withoutPassword(doc), meta: freshMeta(ctx) }, []))),
  );
