/**
 * Group membership changes as a plan of ids to add and remove, so that adding one member to a
 * group of 20,000 never loads or rewrites the other 19,999.
 *
 * Operations on `members` are folded in order into { reset, add, remove }. A remove whose filter
 * is `value eq "id"` (or several joined by `or`) names its ids directly; any other filter needs the
 * current member list, which the caller loads only then. Such a filter sees each member as the group
 * shows it (value, display, type, $ref), the same form list filters match, so
 * `members[value eq "a" and type eq "User"]` removes exactly the members that
 * `GET /Groups?filter=members[value eq "a" and type eq "User"]` finds the group by.
 */
import * as E from 'fp-ts/Either';
import { invalidPath, invalidValue, type ScimError } from '../errors/scim-error';
import { elementMatches } from '../filter/evaluate-filter';
import type { FilterTree } from '../filter/filter-tree';
import { isObject } from '../schema/canonicalize';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../schema/storable-text';
import { toMemberValue } from '../resource/group-resource';
import type { MemberRef } from '../../ports/storage-adapter';
import type { TargetedOperation } from './expand-operations';
import { describeName } from '../errors/describe-name';

export interface MemberPlan {
  /** Every current member is removed first (PUT, `replace members`, `remove members`). */
  readonly reset: boolean;
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

export const emptyMemberPlan: MemberPlan = { reset: false, add: [], remove: [] };

/** What a general member filter is evaluated against. */
export interface MemberView {
  /** The current members; null when no operation needs them (see {@link needsCurrentMembers}). */
  readonly current: readonly MemberRef[] | null;
  /** Users an earlier operation of the same request adds, so a later filter sees their display too. */
  readonly added?: readonly MemberRef[];
  /** The SCIM base URL, for `$ref` as the group shows it. */
  readonly baseUrl: string;
}

/** True for operations that change `members` rather than the group's own attributes. */
export const isMemberOperation = (op: TargetedOperation): boolean =>
  op.target.target.attribute.name === 'members' && op.target.target.extension === null;

// `value eq "a" or value eq "b"` names its ids; anything else must be evaluated against the members.
const idsNamedBy = (filter: FilterTree): string[] | null => {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.target.subAttribute?.name === 'value' && typeof filter.value === 'string') {
    return [filter.value];
  }
  if (filter.kind !== 'or') return null;
  const parts = filter.filters.map(idsNamedBy);
  return parts.every((p) => p !== null) ? parts.flat() : null;
};

/** True when the plan cannot be made without the current member list. */
export const needsCurrentMembers = (ops: readonly TargetedOperation[]): boolean =>
  ops.some((op) => op.target.filter !== null && idsNamedBy(op.target.filter) === null);

/** The ids that add and replace operations on `members` name, valid or not. */
export const idsAddedBy = (ops: readonly TargetedOperation[]): string[] =>
  ops.filter((op) => op.op !== 'remove' && op.target.filter === null).flatMap((op) => {
    const ids = idsIn(op.value);
    return E.isRight(ids) ? ids.right : [];
  });

const idsIn = (value: unknown): E.Either<ScimError, string[]> => {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const ids = items.map((item) => (isObject(item) ? item.value : item));
  if (!ids.every((id): id is string => typeof id === 'string' && id.length > 0)) {
    return E.left(invalidValue('Each member must be an object with the member\'s id in "value"'));
  }
  // Member ids skip the resource validator, so the check every stored string gets is made here.
  return ids.every(isStorableText) ? E.right(ids) : E.left(invalidValue(`members.value ${UNSTORABLE_TEXT_MESSAGE}`));
};

/** Folds member operations, in order, into one plan. `view.current` is needed only for general filters. */
export const planMembers = (
  ops: readonly TargetedOperation[],
  view: MemberView,
  start: MemberPlan = emptyMemberPlan,
): E.Either<ScimError, MemberPlan> => {
  let reset = start.reset;
  const add = new Set(start.add);
  const remove = new Set(start.remove);
  const current = new Map((view.current ?? []).map((m) => [m.userId, m] as const));
  const known = new Map([...(view.added ?? []).map((m) => [m.userId, m] as const), ...current]);
  const isMember = (id: string) => add.has(id) || (!reset && !remove.has(id) && current.has(id));
  // A user whose display is unknown shows none, as a member without displayName or userName would.
  const shown = (id: string) => toMemberValue(known.get(id) ?? { userId: id, display: '' }, view.baseUrl);
  const removeIds = (ids: readonly string[]) => ids.forEach((id) => { add.delete(id); if (!reset) remove.add(id); });
  for (const op of ops) {
    const { filter, filteredSub, target } = op.target;
    if (target.subAttribute || filteredSub || (filter && op.op !== 'remove')) {
      return E.left(invalidPath(`Members are changed with add, replace or remove on 'members' or remove on 'members[value eq "..."]', not ${describeName(op.path)}`));
    }
    if (filter) {
      const named = idsNamedBy(filter);
      const candidates = [...new Set([...current.keys(), ...add])];
      removeIds(named ?? candidates.filter((id) => isMember(id) && elementMatches(filter, shown(id))));
      continue;
    }
    const ids = idsIn(op.value);
    if (E.isLeft(ids)) return ids;
    if (op.op === 'add') {
      ids.right.forEach((id) => { remove.delete(id); add.add(id); });
    } else if (op.op === 'replace' || op.value === undefined || op.value === null) {
      // replace sets the list; remove without a value empties it (a value of [] removes nobody).
      reset = true;
      add.clear();
      remove.clear();
      ids.right.forEach((id) => add.add(id));
    } else {
      removeIds(ids.right);
    }
  }
  return E.right({ reset, add: [...add], remove: [...remove] });
};
