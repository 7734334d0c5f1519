/**
 * Group membership changes as a plan of ids to add and remove, so that adding one member to a
 * group of 20,000 never loads or rewrites the other 19,999.
 *
 * Operations on `members` are folded in order into { reset, add, remove }. A remove whose filter
 * is `value eq "id"` (or several joined by `or`) names its ids directly; any other filter needs the
 * current member list, which the caller loads only then.
 */
import * as E from 'fp-ts/Either';
import { invalidPath, invalidValue, type ScimError } from '../errors/scim-error';
import { elementMatches } from '../filter/evaluate-filter';
import type { FilterTree } from '../filter/filter-tree';
import { isObject } from '../schema/canonicalize';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../schema/storable-text';
import type { TargetedOperation } from './expand-operations';
import { describeName } from '../errors/describe-name';

export interface MemberPlan {
  /** Every current member is removed first (PUT, `replace members`, `remove members`). */
  readonly reset: boolean;
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

export const emptyMemberPlan: MemberPlan = { reset: false, add: [], remove: [] };

export interface CurrentMember {
  readonly userId: string;
  readonly display: string;
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

const idsIn = (value: unknown): E.Either<ScimError, string[]> => {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const ids = items.map((item) => (isObject(item) ? item.value : item));
  if (!ids.every((id): id is string => typeof id === 'string' && id.length > 0)) {
    return E.left(invalidValue('Each member must be an object with the member\'s id in "value"'));
  }
  // Member ids skip the resource validator, so the check every stored string gets is made here.
  return ids.every(isStorableText) ? E.right(ids) : E.left(invalidValue(`members.value ${UNSTORABLE_TEXT_MESSAGE}`));
};

/** Folds member operations, in order, into one plan. `current` is needed only for general filters. */
export const planMembers = (
  ops: readonly TargetedOperation[],
  current: readonly CurrentMember[] | null,
  start: MemberPlan = emptyMemberPlan,
): E.Either<ScimError, MemberPlan> => {
  let reset = start.reset;
  const add = new Set(start.add);
  const remove = new Set(start.remove);
  const isMember = (id: string) => add.has(id) || (!reset && !remove.has(id) && (current?.some((m) => m.userId === id) ?? false));
  const removeIds = (ids: readonly string[]) => ids.forEach((id) => { add.delete(id); if (!reset) remove.add(id); });
  for (const op of ops) {
    const { filter, filteredSub, target } = op.target;
    if (target.subAttribute || filteredSub || (filter && op.op !== 'remove')) {
      return E.left(invalidPath(`Members are changed with add, replace or remove on 'members' or remove on 'members[value eq "..."]', not ${describeName(op.path)}`));
    }
    if (filter) {
      const named = idsNamedBy(filter);
      const candidates = [...(current ?? []).map((m) => m.userId), ...add];
      removeIds(named ?? candidates.filter((id) => isMember(id) && elementMatches(filter, { value: id, display: current?.find((m) => m.userId === id)?.display })));
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
