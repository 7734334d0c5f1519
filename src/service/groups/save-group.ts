/**
 * The common tail of every Group write: members checked, every user whose groups change passed
 * through the seat gate, one commit.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { invalidValue, type ScimError } from '../../core/errors/scim-error';
import type { LicenseEffect } from '../../core/license/license-effect';
import type { MemberPlan } from '../../core/patch/member-plan';
import type { ChangeSet, GroupRecord, GroupRef, MemberRef, UnitOfWork } from '../../ports/storage-adapter';
import { fromPort } from '../lift';
import type { Deps, RequestContext, WriteResult } from '../service-context';
import { settleLicenses, type Settlement, type Subject } from '../settle-licenses';
import { ensureAttributesUnique } from '../unique-attributes';
import { withTouches } from '../touch-users';

export interface GroupWrite {
  /** The group after the write, or null when it is deleted. */
  readonly group: GroupRecord | null;
  readonly groupId: string;
  /** The group's displayName before the write; null for a new group. */
  readonly previousName: string | null;
  readonly plan: MemberPlan;
  /** The stored group before an update: kept as it is, version included, when the write changes nothing. */
  readonly previous?: GroupRecord;
}

interface MembershipChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Members who stay but whose group changed name (policies may match on it). */
  readonly renamedFor: readonly string[];
  /** The member list after the write, when it had to be read anyway. */
  readonly after: readonly string[] | null;
}

const displayName = (group: GroupRecord | null) => (group ? String(group.doc.displayName) : null);

// Reads only what the plan touches, unless the plan resets the list or the group is renamed or deleted.
const resolveMembership = async (unit: UnitOfWork, write: GroupWrite): Promise<MembershipChange> => {
  const { plan, groupId, group, previousName } = write;
  const renamed = previousName !== null && (group === null || displayName(group) !== previousName);
  const needAll = previousName !== null && (plan.reset || renamed);
  if (needAll) {
    const current = ((await unit.groupMembers([groupId])).get(groupId) ?? []).map((m) => m.userId);
    const currentSet = new Set(current);
    const added = plan.add.filter((id) => !currentSet.has(id));
    const removed = group === null ? current
      : plan.reset ? current.filter((id) => !plan.add.includes(id)) : plan.remove.filter((id) => currentSet.has(id));
    const removedSet = new Set(removed);
    const stay = current.filter((id) => !removedSet.has(id));
    return { added, removed, renamedFor: renamed ? stay : [], after: group === null ? [] : [...stay, ...added] };
  }
  const present = new Set(previousName === null ? [] : await unit.membersAmong(groupId, [...plan.add, ...plan.remove]));
  return {
    added: plan.add.filter((id) => !present.has(id)),
    removed: plan.remove.filter((id) => present.has(id)),
    renamedFor: [],
    after: previousName === null ? plan.add : null,
  };
};

const subjectsFor = async (unit: UnitOfWork, write: GroupWrite, change: MembershipChange): Promise<Subject[]> => {
  const affected = [...new Set([...change.added, ...change.removed, ...change.renamedFor])];
  if (affected.length === 0) return [];
  const [users, groupsOf] = await Promise.all([unit.getUsers(affected), unit.groupsOfUsers(affected)]);
  const removed = new Set(change.removed);
  const self: GroupRef | null = write.group ? { id: write.groupId, displayName: String(write.group.doc.displayName) } : null;
  return users.map((user) => {
    const others = (groupsOf.get(user.id) ?? []).filter((g) => g.id !== write.groupId);
    const groups = self && !removed.has(user.id) ? [...others, self] : others;
    return { userId: user.id, deleted: false as const, doc: user.doc, groups };
  });
};

/** Checks that every added member is a User of this tenant. */
const ensureMembersExist = (unit: UnitOfWork, ids: readonly string[]): TE.TaskEither<ScimError, ReadonlyMap<string, MemberRef>> =>
  pipe(
    fromPort(() => unit.getUsers(ids)),
    TE.flatMap((users) => (users.length === new Set(ids).size
      ? TE.right(new Map(users.map((u) => [u.id, { userId: u.id, display: String(u.doc.displayName ?? u.doc.userName) }])))
      : TE.left(invalidValue('Every member must be the id of an existing User of this tenant')))),
  );

const changeSetOf = (write: GroupWrite, change: MembershipChange): ChangeSet => ({
  ...(write.group ? { putGroups: [write.group] } : { deleteGroups: [write.groupId] }),
  ...(write.plan.reset && write.group ? { clearMembers: [write.groupId] } : {}),
  ...(change.removed.length > 0 && !write.plan.reset ? { removeMembers: change.removed.map((userId) => ({ groupId: write.groupId, userId })) } : {}),
  ...(write.group && (write.plan.reset ? write.plan.add.length > 0 : change.added.length > 0)
    ? { addMembers: (write.plan.reset ? write.plan.add : change.added).map((userId) => ({ groupId: write.groupId, userId })) }
    : {}),
});

export interface SavedGroup {
  /** Members after the write when they are known without another read; null otherwise. */
  readonly members: readonly MemberRef[] | null;
  /** The group as stored after the write (its previous version when nothing changed); null once deleted. */
  readonly record: GroupRecord | null;
}

// RFC 7644 §3.5.2: a write that changes nothing must not change the version or the modify time.
const changesNothing = (write: GroupWrite, change: MembershipChange): boolean =>
  write.previous !== undefined && write.group !== null && change.added.length === 0 && change.removed.length === 0
  && JSON.stringify(write.group.doc) === JSON.stringify(write.previous.doc);

/** Applies a group write and the license changes it causes, in one commit. */
export const saveGroup = (deps: Deps, ctx: RequestContext, unit: UnitOfWork, write: GroupWrite): TE.TaskEither<ScimError, WriteResult<SavedGroup>> =>
  pipe(
    TE.Do,
    TE.tap(() => (write.group ? ensureAttributesUnique(deps.schemas.group, (query) => unit.listGroups(query), write.group) : TE.right(undefined))),
    TE.bind('added', () => ensureMembersExist(unit, write.plan.add)),
    TE.bind('change', () => fromPort(() => resolveMembership(unit, write))),
    TE.bind('subjects', ({ change }) => fromPort(() => subjectsFor(unit, write, change))),
    TE.bind('settlement', ({ subjects }): TE.TaskEither<ScimError, Pick<Settlement, 'changes' | 'effects'>> => (subjects.length > 0
      ? settleLicenses(deps, ctx, unit, subjects)
      : TE.right({ changes: {}, effects: [] as LicenseEffect[] }))),
    TE.flatMap(({ added, change, settlement }) => {
      const idle = changesNothing(write, change);
      return pipe(
        fromPort(() => unit.commit(withTouches(
          { ...(idle ? {} : changeSetOf(write, change)), ...settlement.changes },
          ctx.now,
          idle ? [] : [...change.added, ...change.removed, ...change.renamedFor],
        ))),
        TE.map(() => ({
          value: {
            members: change.after && change.after.every((id) => added.has(id)) ? change.after.map((id) => added.get(id)!) : null,
            record: idle ? write.previous! : write.group,
          },
          effects: settlement.effects,
        })),
      );
    }),
  );
