import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../src/core/filter/evaluate-filter';
import { parseFilter } from '../../src/core/filter/parse-filter';
import { expandOperations } from '../../src/core/patch/expand-operations';
import { planMembers } from '../../src/core/patch/member-plan';
import { parsePatchRequest, PATCH_OP_SCHEMA } from '../../src/core/patch/patch-request';
import { groupResourceType } from '../../src/core/schema/resource-type';
import type { GroupRecord, MemberRef } from '../../src/ports/storage-adapter';
import { filterableGroup } from '../../src/storage/shared/filterable-user';

const IDS = ['u1', 'u2', 'U3', 'u-4', 'ada'];
const DISPLAYS = ['Ada Lovelace', 'ada', 'Ben', 'Élodie Müller', ''];
const VALUES = [...IDS, ...DISPLAYS.filter(Boolean), 'User', 'user', 'Group', 'u', 'A', 'e'];

const members = fc.uniqueArray(fc.record({ userId: fc.constantFrom(...IDS), display: fc.constantFrom(...DISPLAYS) }), { selector: (m) => m.userId, maxLength: 5 });

const comparison = fc.oneof(
  fc.tuple(fc.constantFrom('value', 'display', 'type'), fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'le'), fc.constantFrom(...VALUES))
    .map(([attribute, op, value]) => `${attribute} ${op} ${JSON.stringify(value)}`),
  fc.constantFrom('value pr', 'display pr', 'type pr', 'Type eq "USER"'),
);

// Value filters of members: comparisons on every sub-attribute filters can name, joined and negated.
const memberFilter: fc.Arbitrary<string> = fc.letrec<{ filter: string }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('filter'), fc.constantFrom('and', 'or'), tie('filter')).map(([a, join, b]) => `(${a}) ${join} (${b})`),
    tie('filter').map((f) => `not (${f})`),
  ),
})).filter;

const group: GroupRecord = { id: 'g1', doc: { displayName: 'Team' }, meta: { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', version: 1 } };

const removedByPatch = (current: readonly MemberRef[], filter: string): string[] | null => {
  const ops = E.flatMap(parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'remove', path: `members[${filter}]` }] }), (o) => expandOperations(groupResourceType, o));
  if (E.isLeft(ops)) return null;
  const plan = planMembers(ops.right, { current, baseUrl: 'https://app.example.com/scim/v2' });
  if (E.isLeft(plan)) throw new Error(plan.left.detail);
  // A filter naming ids directly may name non-members; the write removes only members.
  return current.map((m) => m.userId).filter((id) => plan.right.remove.includes(id) || plan.right.reset);
};

const selectedByListFilter = (current: readonly MemberRef[], filter: string): string[] | null => {
  const tree = parseFilter(groupResourceType, `members[${filter}]`);
  if (E.isLeft(tree)) return null;
  return current.filter((m) => matchesFilter(tree.right, filterableGroup(group, [m]))).map((m) => m.userId);
};

describe('member removal by value filter', () => {
  it('removes exactly the members the list filter evaluator selects with the same filter', () => {
    fc.assert(fc.property(members, memberFilter, (current, filter) => {
      const expected = selectedByListFilter(current, filter);
      const removed = removedByPatch(current, filter);
      // A filter the grammar refuses is refused by both.
      expect(removed === null).toBe(expected === null);
      if (expected !== null) expect(removed).toEqual(expected);
    }), { numRuns: 1500 });
  });

  it('matches on type and display, not only on value', () => {
    const current = [{ userId: 'u1', display: 'Ada' }, { userId: 'u2', display: 'Ben' }];
    expect(removedByPatch(current, 'value eq "u1" and type eq "User"')).toEqual(['u1']);
    expect(removedByPatch(current, 'type eq "User"')).toEqual(['u1', 'u2']);
    expect(removedByPatch(current, 'display eq "ben"')).toEqual(['u2']);
    expect(removedByPatch(current, 'type eq "Group"')).toEqual([]);
  });
});
