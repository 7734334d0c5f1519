import * as E from 'fp-ts/Either';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transition, type Assignment, type Contract, type LicenseEvent, type LicenseState, type TierCounts } from 'seatkit';

// Every state a user's license can be in, times every event, as docs/licensing.md tells it.
// Tiers `l` < `t` < `h` by rank, one seat each, queue at the limit, seats freed at once; `t` admits
// its queue by approval (a user cap), so a seat of `t` can be free while someone waits for it. The
// user is `u`. "free" / "full" says whether the tier the event asks for has a seat free.
const FROM = ['none', 'assigned t', 'pending t', 'degraded l (wants t)', 'releasing t', 'releasing t (then l)', 'released t'] as const;
const EVENTS = ['wants t', 'wants h', 'wants l', 'inactive', 'deleted', 'approve', 'clock', 'clock, hold over', 'more seats', 'fewer seats'] as const;
type From = (typeof FROM)[number];
type EventName = (typeof EVENTS)[number];
type Room = 'free' | 'full' | '-';
interface Row { from: From; event: EventName; room: Room; to: string; effects: string }

const rows: Row[] = [
  { from: 'none', event: 'wants t', room: 'free', to: 'assigned t', effects: 'assigned' },
  { from: 'none', event: 'wants t', room: 'full', to: 'pending t', effects: 'pending' },
  { from: 'none', event: 'wants h', room: 'free', to: 'assigned h', effects: 'assigned' },
  { from: 'none', event: 'wants h', room: 'full', to: 'pending h', effects: 'pending' },
  { from: 'none', event: 'wants l', room: 'free', to: 'assigned l', effects: 'assigned' },
  { from: 'none', event: 'wants l', room: 'full', to: 'pending l', effects: 'pending' },
  { from: 'none', event: 'inactive', room: '-', to: 'none', effects: '-' },
  { from: 'none', event: 'deleted', room: '-', to: 'none', effects: '-' },
  { from: 'none', event: 'approve', room: '-', to: 'refused', effects: '-' },
  { from: 'none', event: 'clock', room: '-', to: 'none', effects: '-' },
  { from: 'none', event: 'clock, hold over', room: '-', to: 'none', effects: '-' },
  { from: 'none', event: 'more seats', room: '-', to: 'none', effects: '-' },
  { from: 'none', event: 'fewer seats', room: '-', to: 'none', effects: '-' },

  { from: 'assigned t', event: 'wants t', room: '-', to: 'assigned t', effects: '-' },
  { from: 'assigned t', event: 'wants h', room: 'free', to: 'assigned h', effects: 'tier_changed, assigned' },
  { from: 'assigned t', event: 'wants h', room: 'full', to: 'pending h', effects: 'tier_changed, pending' },
  { from: 'assigned t', event: 'wants l', room: 'free', to: 'assigned l', effects: 'tier_changed, assigned' },
  { from: 'assigned t', event: 'wants l', room: 'full', to: 'pending l', effects: 'tier_changed, pending' },
  { from: 'assigned t', event: 'inactive', room: '-', to: 'released t', effects: 'released' },
  { from: 'assigned t', event: 'deleted', room: '-', to: 'none', effects: 'released' },
  { from: 'assigned t', event: 'approve', room: '-', to: 'refused', effects: '-' },
  { from: 'assigned t', event: 'clock', room: '-', to: 'assigned t', effects: '-' },
  { from: 'assigned t', event: 'clock, hold over', room: '-', to: 'assigned t', effects: '-' },
  { from: 'assigned t', event: 'more seats', room: '-', to: 'assigned t', effects: '-' },
  { from: 'assigned t', event: 'fewer seats', room: '-', to: 'assigned t', effects: '-' },

  { from: 'pending t', event: 'wants t', room: '-', to: 'pending t', effects: '-' },
  { from: 'pending t', event: 'wants h', room: 'free', to: 'assigned h', effects: 'tier_changed, assigned' },
  { from: 'pending t', event: 'wants h', room: 'full', to: 'pending h', effects: 'tier_changed, pending' },
  { from: 'pending t', event: 'wants l', room: 'free', to: 'assigned l', effects: 'tier_changed, assigned' },
  { from: 'pending t', event: 'wants l', room: 'full', to: 'pending l', effects: 'tier_changed, pending' },
  { from: 'pending t', event: 'inactive', room: '-', to: 'released t', effects: 'released' },
  { from: 'pending t', event: 'deleted', room: '-', to: 'none', effects: 'released' },
  { from: 'pending t', event: 'approve', room: 'free', to: 'assigned t', effects: 'assigned' },
  { from: 'pending t', event: 'approve', room: 'full', to: 'refused', effects: '-' },
  { from: 'pending t', event: 'clock', room: '-', to: 'pending t', effects: '-' },
  { from: 'pending t', event: 'clock, hold over', room: '-', to: 'pending t', effects: '-' },
  { from: 'pending t', event: 'more seats', room: '-', to: 'pending t', effects: '-' },
  { from: 'pending t', event: 'fewer seats', room: '-', to: 'pending t', effects: '-' },

  { from: 'degraded l (wants t)', event: 'wants t', room: 'free', to: 'degraded l (wants t)', effects: '-' },
  { from: 'degraded l (wants t)', event: 'wants t', room: 'full', to: 'degraded l (wants t)', effects: '-' },
  { from: 'degraded l (wants t)', event: 'wants h', room: 'free', to: 'assigned h', effects: 'tier_changed, assigned' },
  { from: 'degraded l (wants t)', event: 'wants h', room: 'full', to: 'pending h', effects: 'tier_changed, pending' },
  { from: 'degraded l (wants t)', event: 'wants l', room: '-', to: 'assigned l', effects: 'assigned' },
  { from: 'degraded l (wants t)', event: 'inactive', room: '-', to: 'released l', effects: 'released' },
  { from: 'degraded l (wants t)', event: 'deleted', room: '-', to: 'none', effects: 'released' },
  { from: 'degraded l (wants t)', event: 'approve', room: 'free', to: 'assigned t', effects: 'tier_changed, assigned' },
  { from: 'degraded l (wants t)', event: 'approve', room: 'full', to: 'refused', effects: '-' },
  { from: 'degraded l (wants t)', event: 'clock', room: '-', to: 'degraded l (wants t)', effects: '-' },
  { from: 'degraded l (wants t)', event: 'clock, hold over', room: '-', to: 'degraded l (wants t)', effects: '-' },
  { from: 'degraded l (wants t)', event: 'more seats', room: '-', to: 'degraded l (wants t)', effects: '-' },
  { from: 'degraded l (wants t)', event: 'fewer seats', room: '-', to: 'degraded l (wants t)', effects: '-' },

  { from: 'releasing t', event: 'wants t', room: '-', to: 'assigned t', effects: 'restored' },
  { from: 'releasing t', event: 'wants h', room: 'free', to: 'assigned h', effects: 'tier_changed, assigned' },
  { from: 'releasing t', event: 'wants h', room: 'full', to: 'pending h', effects: 'tier_changed, pending' },
  { from: 'releasing t', event: 'wants l', room: '-', to: 'releasing t (then l)', effects: '-' },
  { from: 'releasing t', event: 'inactive', room: '-', to: 'releasing t', effects: '-' },
  { from: 'releasing t', event: 'deleted', room: '-', to: 'none', effects: 'released' },
  { from: 'releasing t', event: 'approve', room: '-', to: 'refused', effects: '-' },
  { from: 'releasing t', event: 'clock', room: '-', to: 'releasing t', effects: '-' },
  { from: 'releasing t', event: 'clock, hold over', room: '-', to: 'released t', effects: 'released' },
  { from: 'releasing t', event: 'more seats', room: '-', to: 'releasing t', effects: '-' },
  { from: 'releasing t', event: 'fewer seats', room: '-', to: 'releasing t', effects: '-' },

  { from: 'releasing t (then l)', event: 'wants t', room: '-', to: 'assigned t', effects: 'restored' },
  { from: 'releasing t (then l)', event: 'wants h', room: 'free', to: 'assigned h', effects: 'tier_changed, assigned' },
  { from: 'releasing t (then l)', event: 'wants h', room: 'full', to: 'pending h', effects: 'tier_changed, pending' },
  { from: 'releasing t (then l)', event: 'wants l', room: '-', to: 'releasing t (then l)', effects: '-' },
  { from: 'releasing t (then l)', event: 'inactive', room: '-', to: 'releasing t', effects: '-' },
  { from: 'releasing t (then l)', event: 'deleted', room: '-', to: 'none', effects: 'released' },
  { from: 'releasing t (then l)', event: 'approve', room: '-', to: 'refused', effects: '-' },
  { from: 'releasing t (then l)', event: 'clock', room: '-', to: 'releasing t (then l)', effects: '-' },
  { from: 'releasing t (then l)', event: 'clock, hold over', room: 'free', to: 'assigned l', effects: 'tier_changed, assigned' },
  { from: 'releasing t (then l)', event: 'clock, hold over', room: 'full', to: 'pending l', effects: 'tier_changed, pending' },
  { from: 'releasing t (then l)', event: 'more seats', room: '-', to: 'releasing t (then l)', effects: '-' },
  { from: 'releasing t (then l)', event: 'fewer seats', room: '-', to: 'releasing t (then l)', effects: '-' },

  { from: 'released t', event: 'wants t', room: 'free', to: 'assigned t', effects: 'assigned' },
  { from: 'released t', event: 'wants t', room: 'full', to: 'pending t', effects: 'pending' },
  { from: 'released t', event: 'wants h', room: 'free', to: 'assigned h', effects: 'assigned' },
  { from: 'released t', event: 'wants h', room: 'full', to: 'pending h', effects: 'pending' },
  { from: 'released t', event: 'wants l', room: 'free', to: 'assigned l', effects: 'assigned' },
  { from: 'released t', event: 'wants l', room: 'full', to: 'pending l', effects: 'pending' },
  { from: 'released t', event: 'inactive', room: '-', to: 'released t', effects: '-' },
  { from: 'released t', event: 'deleted', room: '-', to: 'none', effects: '-' },
  { from: 'released t', event: 'approve', room: '-', to: 'refused', effects: '-' },
  { from: 'released t', event: 'clock', room: '-', to: 'released t', effects: '-' },
  { from: 'released t', event: 'clock, hold over', room: '-', to: 'released t', effects: '-' },
  { from: 'released t', event: 'more seats', room: '-', to: 'released t', effects: '-' },
  { from: 'released t', event: 'fewer seats', room: '-', to: 'released t', effects: '-' },
];

const at = '2026-03-01T00:00:00.000Z';
const holdEnds = '2026-03-15T00:00:00.000Z';
const later = '2026-04-01T00:00:00.000Z';

const contract: Contract = {
  tiers: [{ key: 'l', seats: 1 }, { key: 't', seats: 1, promotion: 'manual' }, { key: 'h', seats: 1 }],
};

const withSeatsOfT = (seats: number): Contract => ({ tiers: contract.tiers.map((t) => (t.key === 't' ? { ...t, seats } : t)) });

const license = (userId: string, tier: string, status: Assignment['status'], extra: Partial<Assignment> = {}): Assignment =>
  ({ userId, tier, status, queuedAt: null, since: '2026-01-01T00:00:00.000Z', ...extra });

// The tier whose room the row's event depends on.
const asked = (row: Row): string | null => {
  switch (row.event) {
    case 'wants t': case 'approve': return 't';
    case 'wants h': return 'h';
    case 'wants l': return 'l';
    case 'clock, hold over': return row.from === 'releasing t (then l)' ? 'l' : null;
    default: return null;
  }
};

// Where the outcome depends on whether the asked tier has a seat free, the table has both rows.
const ROOM_DECIDES: Record<From, readonly EventName[]> = {
  'none': ['wants t', 'wants h', 'wants l'],
  'assigned t': ['wants h', 'wants l'],
  'pending t': ['wants h', 'wants l', 'approve'],
  'degraded l (wants t)': ['wants t', 'wants h', 'approve'],
  'releasing t': ['wants h'],
  'releasing t (then l)': ['wants h', 'clock, hold over'],
  'released t': ['wants t', 'wants h', 'wants l'],
};

const setup = (row: Row): LicenseState => {
  const assignments = new Map<string, Assignment>();
  const put = (a: Assignment) => assignments.set(a.userId, a);
  if (row.from === 'assigned t') put(license('u', 't', 'assigned'));
  if (row.from === 'pending t') put(license('u', 't', 'pending', { queuedAt: 1 }));
  if (row.from === 'degraded l (wants t)') put(license('u', 'l', 'degraded', { wantedTier: 't', queuedAt: 1 }));
  if (row.from === 'releasing t') put(license('u', 't', 'releasing', { releaseAt: holdEnds }));
  if (row.from === 'releasing t (then l)') put(license('u', 't', 'releasing', { releaseAt: holdEnds, wantedTier: 'l' }));
  if (row.from === 'released t') put(license('u', 't', 'released'));
  // A full tier gets another holder `x`, unless `u` already fills it.
  const tier = asked(row);
  const filledByU = [...assignments.values()].some((a) => a.tier === tier && a.status !== 'pending' && a.status !== 'released');
  if (row.room === 'full' && tier && !filledByU) put(license('x', tier, 'assigned'));
  // A degraded user wants a full tier unless the row says its seat has come free.
  if (row.from === 'degraded l (wants t)' && row.room !== 'free') put(license('y', 't', 'assigned'));
  const counts = new Map<string, TierCounts>(['l', 't', 'h'].map((key) => {
    const of = (status: Assignment['status'][]) => [...assignments.values()].filter((a) => a.tier === key && status.includes(a.status)).length;
    return [key, { assigned: of(['assigned', 'degraded']), releasing: of(['releasing']), pending: of(['pending']) }];
  }));
  return { contract, phase: 'active', seq: 1, counts, assignments };
};

const eventOf = (row: Row): LicenseEvent => {
  const tier = asked(row);
  switch (row.event) {
    case 'deleted': return { kind: 'userDeleted', userId: 'u', at };
    case 'inactive': return { kind: 'userInactive', userId: 'u', at };
    case 'approve': return { kind: 'approve', userId: 'u', at };
    case 'clock': return { kind: 'clock', at };
    case 'clock, hold over': return { kind: 'clock', at: later };
    case 'more seats': return { kind: 'contractChanged', contract: withSeatsOfT(2), at };
    case 'fewer seats': return { kind: 'contractChanged', contract: withSeatsOfT(0), at };
    default: return { kind: 'userActive', userId: 'u', wantedTier: tier!, at };
  }
};

const describeLicense = (a: Assignment | undefined): string => {
  if (!a) return 'none';
  if (a.status === 'degraded') return `degraded ${a.tier} (wants ${a.wantedTier})`;
  if (a.status === 'releasing' && a.wantedTier) return `releasing ${a.tier} (then ${a.wantedTier})`;
  return `${a.status} ${a.tier}`;
};

describe('the license state table', () => {
  it.each(rows)('$from + $event ($room) -> $to, effects: $effects', (row) => {
    const result = transition(setup(row), eventOf(row));
    if (row.to === 'refused') {
      expect(E.isLeft(result)).toBe(true);
      return;
    }
    if (E.isLeft(result)) throw new Error(`refused: ${JSON.stringify(result.left)}`);
    expect(describeLicense(result.right.state.assignments.get('u'))).toBe(row.to);
    const own = result.right.effects.filter((e) => 'userId' in e && e.userId === 'u').map((e) => e.type.replace('license.', ''));
    expect(own.length === 0 ? '-' : own.join(', ')).toBe(row.effects);
  });

  it('covers every state with every event, and both free and full where room decides', () => {
    for (const from of FROM) {
      for (const event of EVENTS) {
        const rooms = rows.filter((r) => r.from === from && r.event === event).map((r) => r.room).sort();
        expect(rooms, `${from} + ${event}`).toEqual(ROOM_DECIDES[from].includes(event) ? ['free', 'full'] : ['-']);
      }
    }
  });

  it('is the table docs/licensing.md shows', () => {
    const doc = readFileSync(new URL('../../docs/licensing.md', import.meta.url), 'utf8');
    const section = doc.split('## State table')[1]!.split(/\n##+ /)[0]!;
    const documented = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| from') && !l.startsWith('|--'))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, '')));
    expect(documented).toEqual(rows.map((r) => [r.from, r.event, r.room, r.to, r.effects]));
  });
});
