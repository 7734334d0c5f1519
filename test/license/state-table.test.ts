import * as E from 'fp-ts/Either';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transition, type Assignment, type LicenseEvent, type LicenseState } from 'seatkit';

// Every state a user's license can be in, times every event, as docs/licensing.md tells it.
// The user is `u`; it holds or wants tier `t`; `o` is another tier. "free" / "full" says whether the
// tier the event asks for has a seat free.
type From = 'none' | 'assigned t' | 'pending t' | 'released t';
type EventName = 'active, wants t' | 'active, wants o' | 'inactive' | 'deleted';
type Room = 'free' | 'full' | '-';
interface Row { from: From; event: EventName; room: Room; to: string; effects: string }

const rows: Row[] = [
  { from: 'none', event: 'active, wants t', room: 'free', to: 'assigned t', effects: 'assigned' },
  { from: 'none', event: 'active, wants t', room: 'full', to: 'pending t', effects: 'pending' },
  { from: 'none', event: 'inactive', room: '-', to: 'none', effects: '-' },
  { from: 'none', event: 'deleted', room: '-', to: 'none', effects: '-' },
  { from: 'assigned t', event: 'active, wants t', room: '-', to: 'assigned t', effects: '-' },
  { from: 'assigned t', event: 'active, wants o', room: 'free', to: 'assigned o', effects: 'tier_changed, assigned' },
  { from: 'assigned t', event: 'active, wants o', room: 'full', to: 'pending o', effects: 'tier_changed, pending' },
  { from: 'assigned t', event: 'inactive', room: '-', to: 'released t', effects: 'released' },
  { from: 'assigned t', event: 'deleted', room: '-', to: 'none', effects: 'released' },
  { from: 'pending t', event: 'active, wants t', room: '-', to: 'pending t', effects: '-' },
  { from: 'pending t', event: 'active, wants o', room: 'free', to: 'assigned o', effects: 'tier_changed, assigned' },
  { from: 'pending t', event: 'active, wants o', room: 'full', to: 'pending o', effects: 'tier_changed, pending' },
  { from: 'pending t', event: 'inactive', room: '-', to: 'released t', effects: 'released' },
  { from: 'pending t', event: 'deleted', room: '-', to: 'none', effects: 'released' },
  { from: 'released t', event: 'active, wants t', room: 'free', to: 'assigned t', effects: 'assigned' },
  { from: 'released t', event: 'active, wants t', room: 'full', to: 'pending t', effects: 'pending' },
  { from: 'released t', event: 'inactive', room: '-', to: 'released t', effects: '-' },
  { from: 'released t', event: 'deleted', room: '-', to: 'none', effects: '-' },
];

const at = '2026-03-01T00:00:00.000Z';
const held = (userId: string, tier: string, status: Assignment['status'], queuedAt: number | null = null): Assignment =>
  ({ userId, tier, status, queuedAt, since: '2026-01-01T00:00:00.000Z' });

// One seat in each tier. "full" fills the asked-for tier with another holder `x`; a pending `u`
// waits behind holder `h` of t.
const setup = (row: Row): LicenseState => {
  const asked = row.event === 'active, wants o' ? 'o' : 't';
  const assignments = new Map<string, Assignment>();
  if (row.from === 'assigned t') assignments.set('u', held('u', 't', 'assigned'));
  if (row.from === 'pending t') {
    assignments.set('h', held('h', 't', 'assigned'));
    assignments.set('u', held('u', 't', 'pending', 1));
  }
  if (row.from === 'released t') assignments.set('u', held('u', 't', 'released'));
  if (row.room === 'full' && !(asked === 't' && row.from === 'pending t')) assignments.set('x', held('x', asked, 'assigned'));
  const count = (tier: string, status: string) => [...assignments.values()].filter((a) => a.tier === tier && a.status === status).length;
  return {
    seq: 1,
    tiers: new Map(['t', 'o'].map((tier) => [tier, { limit: 1, assigned: count(tier, 'assigned'), pending: count(tier, 'pending') }])),
    assignments,
  };
};

const eventOf = (row: Row): LicenseEvent =>
  row.event === 'deleted' ? { kind: 'userDeleted', userId: 'u', at }
    : row.event === 'inactive' ? { kind: 'userInactive', userId: 'u', at }
      : { kind: 'userActive', userId: 'u', wantedTier: row.event === 'active, wants o' ? 'o' : 't', at };

describe('the license state table', () => {
  it.each(rows)('$from + $event ($room) -> $to, effects: $effects', (row) => {
    const result = transition(setup(row), eventOf(row));
    expect(E.isRight(result)).toBe(true);
    if (E.isLeft(result)) return;
    const u = result.right.state.assignments.get('u');
    expect(u ? `${u.status} ${u.tier}` : 'none').toBe(row.to);
    const own = result.right.effects.filter((e) => e.userId === 'u').map((e) => e.type.replace('license.', ''));
    expect(own.length === 0 ? '-' : own.join(', ')).toBe(row.effects);
  });

  it('is the table docs/licensing.md shows', () => {
    const doc = readFileSync(new URL('../../docs/licensing.md', import.meta.url), 'utf8');
    const section = doc.split('## State table')[1]!.split('\n## ')[0]!;
    const documented = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| from') && !l.startsWith('|--'))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, '')));
    expect(documented).toEqual(rows.map((r) => [r.from, r.event, r.room, r.to, r.effects]));
  });
});
