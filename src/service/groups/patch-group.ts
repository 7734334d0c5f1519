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
import { idsAddedBy, isMemberOperation, needsCurrentMembers, planMembers, type MemberView } from '../../core/patch/member-plan';
import { parsePatchRequest } from '../../core/patch/patch-request';
import { onePrimary } from '../../core/quirks/one-primary';
import { checkImmutable } from '../../core/schema/attribute-rules';
import type { SchemaRegistry } from '../../core/schema/schema-registry';
import type { GroupRecord, MemberRef, UnitOfWork } from '../../ports/storage-adapter';
import { fromPort, inUnit } from '../lift';
import { nextMeta } from '../resource-records';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { checkIfMatch } from '../preconditions';
import { requireGroup } from './load-group';
import { saveGroup } from './save-group';

// A general member filter sees members as the group shows them, display included; users added earlier in
// the same request are read too, so the filter sees them as it would once they are members.
const memberView = (unit: UnitOfWork, id: string, ops: readonly TargetedOperation[], baseUrl: string): TE.TaskEither<ScimError, MemberView> =>
  needsCurrentMembers(ops)
    ? fromPort(async () => {
      const current = (await unit.groupMembers([id])).get(id) ?? [];
      const members = new Set(current.map((m) => m.userId));
      const added = (await unit.getUsers(idsAddedBy(ops).filter((userId) => !members.has(userId))))
        .map((user): MemberRef => ({ userId: user.id, display: String(user.doc.displayName ?? user.doc.userName) }));
      return { current, added, baseUrl };
    })
    : TE.right({ current: null, baseUrl });

const patchedDoc = (schemas: SchemaRegistry, group: GroupRecord, ops: readonly TargetedOperation[]) =>
  pipe(
    applyPatch(group.doc, ops),
    E.flatMap(schemas.validateGroup),
    E.map(onePrimary(schemas.group)),
    E.map(({ members: _members, ...doc }) => doc),
    E.tap((doc) => checkImmutable(schemas.group, group.doc, doc)),
  );

/** Applies a PatchOp to a group; gives the group as stored, for a 204 with its ETag (RFC 7644 §3.5.2 allows 204). */
export const patchGroup = (deps: Deps, ctx: RequestContext, id: string, body: unknown): TE.TaskEither<ScimError, WriteResult<GroupRecord>> =>
  pipe(
    TE.fromEither(pipe(parsePatchRequest(body), E.flatMap((ops) => expandOperations(deps.schemas.group, ops)))),
    TE.flatMap((operations) => inUnit(deps, ctx, (unit, ctx) => {
      const memberOps = operations.filter(isMemberOperation);
      const docOps = operations.filter((op) => !isMemberOperation(op));
      return pipe(
        TE.Do,
        TE.bind('previous', () => pipe(requireGroup(unit, id), TE.flatMap(checkIfMatch(ctx)))),
        TE.bind('doc', ({ previous }) => TE.fromEither(patchedDoc(deps.schemas, previous, docOps))),
        TE.bind('view', () => memberView(unit, id, memberOps, ctx.baseUrl)),
        TE.bind('plan', ({ view }) => TE.fromEither(planMembers(memberOps, view))),
        TE.flatMap(({ previous, doc, plan }) => {
          const group = { id, doc, meta: nextMeta(previous.meta, ctx) };
          return pipe(
            saveGroup(deps, ctx, unit, { group, groupId: id, previousName: String(previous.doc.displayName), plan, previous }),
            TE.map(({ value, effects }) => ({ value: value.record ?? group, effects })),
          );
        }),
      );
    })),
  );
