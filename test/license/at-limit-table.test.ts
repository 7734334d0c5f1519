import * as E from 'fp-ts/Either';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transition, type AtLimit, type Assignment, type Contract, type LicenseEvent, type LicenseState, type TierCounts } from 'seatkit';

// What each at-limit mode does, as docs/licensing.md tells it. Tiers `l` < `h`, one seat each and
// promoting by themselves. Unless the row says otherwise, `h` is full (held by `y`) and `l` has its
// seat free. The mode is `h`'s, except in the downgrade rows, where it is `l`'s and `l` is full.
// "a seat of h frees" deletes `y` while `p` (pending, queued first) and `d` (degraded, queued
// second) wait for it, or the other way round.
type Mode = 'queue' | 'degrade' | 'reject' | 'overage';
type Case = 'newcomer wants h' | 'l holder wants h' | 'h holder wants l (l full)' | 'a seat of h frees, p first' | 'a seat of h frees, d first';
interface Row { mode: Mode; case: Case; to: string; effects: string }

const rows: Row[] = [
  { mode: 'queue', case: 'newcomer wants h', to: 'pending h', effects: 'pending' },
  { mode: 'degrade', case: 'newcomer wants h', to: 'degraded l (wants h)', effects: 'degraded' },
  { mode: 'reject', case: 'newcomer wants h', to: 'refused', effects: '-' },
  { mode: 'overage', case: 'newcomer wants h', to: 'assigned h', effects: 'assigned (overage), overage_started' },
  { mode: 'queue', case: 'l holder wants h', to: 'pending h', effects: 'tier_changed, pending' },
  { mode: 'degrade', case: 'l holder wants h', to: 'degraded l (wants h)', effects: 'tier_changed, degraded' },
  { mode: 'reject', case: 'l holder wants h', to: 'refused', effects: '-' },
  { mode: 'overage', case: 'l holder wants h', to: 'assigned h', effects: 'tier_changed, assigned (overage), overage_started' },
  { mode: 'queue', case: 'h holder wants l (l full)', to: 'pending l', effects: 'tier_changed, pending' },
  { mode: 'reject', case: 'h holder wants l (l full)', to: 'pending l', effects: 'tier_changed, pending' },
  { mode: 'overage', case: 'h holder wants l (l full)', to: 'assigned l', effects: 'tier_changed, assigned (overage), overage_started' },
  { mode: 'degrade', case: 'a seat of h frees, p first', to: 'p: assigned h; d: degraded l (wants h)', effects: 'p: assigned' },
  { mode: 'degrade', case: 'a seat of h frees, d first', to: 'p: pending h; d: assigned h', effects: 'd: tier_changed, assigned' },
];

const at = '2026-03-01T00:00:00.000Z';

const contractFor = (row: Row): Contract => {
  const mode: AtLimit = row.mode === 'degrade' ? { mode: 'degrade', to: 'l' } : row.mode === 'overage' ? { mode: 'overage', seats: 1 } : { mode: row.mode };
  const onL = row.case === 'h holder wants l (l full)';
  return { tiers: [{ key: 'l', seats: 1, ...(onL ? { atLimit: mode } : {}) }, { key: 'h', seats: 1, ...(onL ? {} : { atLimit: mode }) }] };
};

const license = (userId: string, tier: string, status: Assignment['status'], extra: Partial<Assignment> = {}): Assignment =>
  ({ userId, tier, status, queuedAt: null, since: '2026-01-01T00:00:00.000Z', ...extra });

const stateFor = (row: Row): LicenseState => {
  const all: Assignment[] = [license('y', 'h', 'assigned')];
  if (row.case === 'l holder wants h') all.push(license('u', 'l', 'assigned'));
  if (row.case === 'h holder wants l (l full)') all.splice(0, 1, license('u', 'h', 'assigned'), license('x', 'l', 'assigned'));
  if (row.case.startsWith('a seat of h frees')) {
    const pFirst = row.case.endsWith('p first');
    all.push(license('p', 'h', 'pending', { queuedAt: pFirst ? 1 : 2 }), license('d', 'l', 'degraded', { wantedTier: 'h', queuedAt: pFirst ? 2 : 1 }));
  }
  const assignments = new Map(all.map((a) => [a.userId, a]));
  const counts = new Map<string, TierCounts>(['l', 'h'].map((key) => {
    const of = (s: Assignment['status'][]) => all.filter((a) => a.tier === key && s.includes(a.status)).length;
    return [key, { assigned: of(['assigned', 'degraded']), releasing: of(['releasing']), pending: of(['pending']) }];
  }));
  return { contract: contractFor(row), phase: 'active', seq: 2, counts, assignments };
};

const eventFor = (row: Row): LicenseEvent => {
  if (row.case.startsWith('a seat of h frees')) return { kind: 'userDeleted', userId: 'y', at };
  return { kind: 'userActive', userId: 'u', wantedTier: row.case === 'h holder wants l (l full)' ? 'l' : 'h', at };
};

const describeLicense = (a: Assignment | undefined): string => {
  if (!a) return 'none';
  return a.status === 'degraded' ? `degraded ${a.tier} (wants ${a.wantedTier})` : `${a.status} ${a.tier}`;
};

const effectName = (e: { type: string; overage?: boolean }) => `${e.type.replace(/^(license|seats)\./, '')}${e.overage ? ' (overage)' : ''}`;

describe('the at-limit table', () => {
  it.each(rows)('$mode: $case -> $to, effects: $effects', (row) => {
    const result = transition(stateFor(row), eventFor(row));
    if (row.to === 'refused') {
      expect(E.isLeft(result) && result.left._tag).toBe('SeatLimitReached');
      return;
    }
    if (E.isLeft(result)) throw new Error(`refused: ${JSON.stringify(result.left)}`);
    const { state, effects } = result.right;
    if (row.case.startsWith('a seat of h frees')) {
      expect(`p: ${describeLicense(state.assignments.get('p'))}; d: ${describeLicense(state.assignments.get('d'))}`).toBe(row.to);
      const moved = effects.filter((e) => 'userId' in e && (e.userId === 'p' || e.userId === 'd'));
      const who = [...new Set(moved.map((e) => (e as { userId: string }).userId))];
      expect(who.map((id) => `${id}: ${moved.filter((e) => (e as { userId: string }).userId === id).map(effectName).join(', ')}`).join('; ')).toBe(row.effects);
      return;
    }
    expect(describeLicense(state.assignments.get('u'))).toBe(row.to);
    const own = effects.filter((e) => !('userId' in e) || e.userId === 'u').filter((e) => e.type !== 'seats.limit_reached').map(effectName);
    expect(own.length === 0 ? '-' : own.join(', ')).toBe(row.effects);
  });

  it('is the table docs/licensing.md shows', () => {
    const doc = readFileSync(new URL('../../docs/licensing.md', import.meta.url), 'utf8');
    const section = doc.split('### At the limit')[1]!.split('\n## ')[0]!;
    const documented = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| mode') && !l.startsWith('|--'))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, '')));
    expect(documented).toEqual(rows.map((r) => [r.mode, r.case, r.to, r.effects]));
  });
});
