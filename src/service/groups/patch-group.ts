/**
 * PATCH /Groups/{id}: attribute operations patch the group's document; member operations become a
 * plan of ids, so a large group is never loaded to add or remove one member.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ScimError } from '../../core/errors/scim-error';
import { applyPatch } from '../../core/patch/apply-patch';
import { expandOperations, type TargetedOperation } from '../../core/patch/expand-operations';
import { isMemberOperation, needsCurrentMembers, planMembers } from '../../core/patch/member-plan';
import { parsePatchRequest } from '../../core/patch/patch-request';
import type { SchemaRegistry } from '../../core/schema/schema-registry';
import type { GroupRecord, UnitOfWork } from '../../ports/storage-adapter';
import { fromPort, inUnit } from '../lift';
import { nextMeta } from '../resource-records';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { checkIfMatch } from '../preconditions';
import { requireGroup } from './load-group';
import { saveGroup } from './save-group';

const currentMembersIfNeeded = (unit: UnitOfWork, id: string, ops: readonly TargetedOperation[]) =>
  needsCurrentMembers(ops)
    ? fromPort(async () => (await unit.groupMembers([id])).get(id) ?? [])
    : TE.right(null);

const patchedDoc = (schemas: SchemaRegistry, group: GroupRecord, ops: readonly TargetedOperation[]) =>
  pipe(
    applyPatch(group.doc, ops),
    E.flatMap(schemas.validateGroup),
    E.map(({ members: _members, ...doc }) => doc),
  );

/** Applies a PatchOp to a group; answers with no content (RFC 7644 §3.5.2 allows 204). */
export const patchGroup = (deps: Deps, ctx: RequestContext, id: string, body: unknown): TE.TaskEither<ScimError, WriteResult<null>> =>
  pipe(
    TE.fromEither(pipe(parsePatchRequest(body), E.flatMap((ops) => expandOperations(deps.schemas.group, ops)))),
    TE.flatMap((operations) => inUnit(deps, ctx, (unit, ctx) => {
      const memberOps = operations.filter(isMemberOperation);
      const docOps = operations.filter((op) => !isMemberOperation(op));
      return pipe(
        TE.Do,
        TE.bind('previous', () => pipe(requireGroup(unit, id), TE.flatMap(checkIfMatch(ctx)))),
        TE.bind('doc', ({ previous }) => TE.fromEither(patchedDoc(deps.schemas, previous, docOps))),
        TE.bind('current', () => currentMembersIfNeeded(unit, id, memberOps)),
        TE.bind('plan', ({ current }) => TE.fromEither(planMembers(memberOps, current))),
        TE.flatMap(({ previous, doc, plan }) => {
          const group = { id, doc, meta: nextMeta(previous.meta, ctx) };
          return saveGroup(deps, ctx, unit, { group, groupId: id, previousName: String(previous.doc.displayName), plan, previous });
        }),
        TE.map(({ effects }) => ({ value: null, effects })),
      );
    })),
  );
