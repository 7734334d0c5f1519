import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transition, type Assignment, type LicenseEvent, type LicenseState } from 'seatkit';

// A model of the world the engine serves: users who exist, whether they are active, what they want.
interface World {
  state: LicenseState;
  users: Map<string, { active: boolean; tier: string }>;
  /** FIFO model: per tier, user ids in the order they started waiting. */
  queues: Map<string, string[]>;
}

// Small limits and mostly-active users, so queues form and seats free up often.
const LIMITS = { standard: 2, pro: 1, free: null } as const;
const TIERS = Object.keys(LIMITS) as (keyof typeof LIMITS)[];
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'];

const emptyState = (): LicenseState => ({
  seq: 0,
  tiers: new Map(TIERS.map((t) => [t, { limit: LIMITS[t], assigned: 0, pending: 0 }])),
  assignments: new Map(),
});

type Step = { kind: 'upsert'; user: string; active: boolean; tier: string } | { kind: 'delete'; user: string } | { kind: 'contract' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('upsert' as const), user: fc.constantFrom(...USERS), active: fc.constantFrom(true, true, true, false), tier: fc.constantFrom('standard', 'standard', 'pro', 'free') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), user: fc.constantFrom(...USERS) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'contract' as const }) },
);

const toEvent = (step: Step, at: string): LicenseEvent =>
  step.kind === 'upsert' ? (step.active ? { kind: 'userActive', userId: step.user, wantedTier: step.tier, at } : { kind: 'userInactive', userId: step.user, at })
    : step.kind === 'delete' ? { kind: 'userDeleted', userId: step.user, at }
      : { kind: 'contractChanged', at };

const consuming = (state: LicenseState, tier: string) => [...state.assignments.values()].filter((a) => a.tier === tier && a.status === 'assigned');
const waiting = (state: LicenseState, tier: string) => [...state.assignments.values()].filter((a) => a.tier === tier && a.status === 'pending');

const removeFromQueues = (world: World, user: string) => {
  for (const queue of world.queues.values()) {
    const i = queue.indexOf(user);
    if (i >= 0) queue.splice(i, 1);
  }
};

// Runs one step, checks every invariant of docs/licensing.md that a single step can break, and
// advances the model.
const runStep = (world: World, step: Step, n: number) => {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
  const before = world.state;
  const result = transition(before, toEvent(step, at));

  // Invariant 1: deactivation and deletion never fail; with known tiers nothing fails.
  expect(E.isRight(result)).toBe(true);
  if (E.isLeft(result)) return;
  const after = result.right.state;

  // Invariant 3: a holder is never evicted by someone else's event.
  for (const [id, a] of before.assignments) {
    const touched = step.kind !== 'contract' && step.user === id;
    if (a.status === 'assigned' && !touched) expect(after.assignments.get(id)).toEqual(a);
  }

  // Effects describe exactly what changed: a release for every seat or place given up, an
  // assignment for every seat taken, a pending for every place taken in a queue.
  const live = (a?: Assignment) => a !== undefined && a.status !== 'released';
  const expected: string[] = [];
  for (const id of new Set([...before.assignments.keys(), ...after.assignments.keys()])) {
    const was = before.assignments.get(id), now = after.assignments.get(id);
    const moved = live(was) && live(now) && was!.tier !== now!.tier;
    if (live(was) && !live(now)) expected.push(`${id} license.released ${was!.tier}`);
    if (moved) expected.push(`${id} license.tier_changed ${now!.tier}`);
    if (now?.status === 'assigned' && (was?.status !== 'assigned' || moved)) expected.push(`${id} license.assigned ${now.tier}`);
    if (now?.status === 'pending' && (was?.status !== 'pending' || moved)) expected.push(`${id} license.pending ${now.tier}`);
  }
  const described = result.right.effects.map((e) => `${e.userId} ${e.type} ${'tier' in e ? e.tier : e.to}`);
  expect(described.sort()).toEqual(expected.sort());

  // The model: who exists, who is active, what they want.
  if (step.kind === 'upsert') {
    const previous = world.users.get(step.user);
    const keepsPlace = previous?.active && step.active && previous.tier === step.tier;
    if (!keepsPlace) removeFromQueues(world, step.user);
    world.users.set(step.user, { active: step.active, tier: step.active ? step.tier : previous?.tier ?? step.tier });
  } else if (step.kind === 'delete') {
    removeFromQueues(world, step.user);
    world.users.delete(step.user);
  }

  // Invariant 5, FIFO: promotions in this step take each tier's queue from its head, in order.
  for (const effect of result.right.effects) {
    if (effect.type === 'license.pending') (world.queues.get(effect.tier) ?? world.queues.set(effect.tier, []).get(effect.tier)!).push(effect.userId);
    if (effect.type === 'license.assigned') {
      const queue = world.queues.get(effect.tier) ?? [];
      if (queue.includes(effect.userId)) expect(queue[0]).toBe(effect.userId);
      removeFromQueues(world, effect.userId);
    }
  }

  for (const tier of TIERS) {
    const seats = after.tiers.get(tier)!;
    const holders = consuming(after, tier);
    const pending = waiting(after, tier);
    // Invariant 2: no tier holds more than its limit.
    if (seats.limit !== null) expect(holders.length).toBeLessThanOrEqual(seats.limit);
    // The counters agree with the assignments they summarise.
    expect(seats.assigned).toBe(holders.length);
    expect(seats.pending).toBe(pending.length);
    // Invariant 5: nobody waits beside a free seat.
    if (seats.limit === null || holders.length < seats.limit) expect(pending).toEqual([]);
    // The model's queue is the engine's queue, in queue order.
    expect([...pending].sort((a, b) => a.queuedAt! - b.queuedAt!).map((a) => a.userId)).toEqual(world.queues.get(tier) ?? []);
  }

  // Invariant 4: every active user holds exactly one live assignment of the tier it wants;
  // inactive users hold none; deleted users have no assignment at all.
  for (const id of USERS) {
    const user = world.users.get(id);
    const a: Assignment | undefined = after.assignments.get(id);
    if (!user) expect(a).toBeUndefined();
    else if (user.active) {
      expect(['assigned', 'pending']).toContain(a?.status);
      expect(a?.tier).toBe(user.tier);
    } else expect(a === undefined || a.status === 'released').toBe(true);
  }
  world.state = after;
};

describe('license state machine properties', () => {
  it('keeps every invariant over random sequences of creates, changes, deactivations, deletions and contract events', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const world: World = { state: emptyState(), users: new Map(), queues: new Map() };
        steps.forEach((step, n) => runStep(world, step, n));
      }),
      { numRuns: 400 },
    );
  });

  it('gives a freed seat to the oldest pending user of that tier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), (limit, waiting) => {
        let state: LicenseState = { seq: 0, tiers: new Map([['t', { limit, assigned: 0, pending: 0 }]]), assignments: new Map() };
        const at = '2026-01-01T00:00:00.000Z';
        const ids = Array.from({ length: limit + waiting }, (_, i) => `u${i}`);
        for (const userId of ids) state = E.getOrElseW(() => { throw new Error('create failed'); })(transition(state, { kind: 'userActive', userId, wantedTier: 't', at })).state;
        const released = transition(state, { kind: 'userDeleted', userId: 'u0', at });
        expect(E.isRight(released)).toBe(true);
        if (E.isLeft(released)) return;
        expect(released.right.effects).toEqual([
          { type: 'license.released', userId: 'u0', tier: 't' },
          { type: 'license.assigned', userId: `u${limit}`, tier: 't' },
        ]);
      }),
    );
  });

  it('a tier unknown to the contract is an error for an active user and nothing changes', () => {
    const state = emptyState();
    const result = transition(state, { kind: 'userActive', userId: 'u1', wantedTier: 'platinum', at: '2026-01-01T00:00:00.000Z' });
    expect(result).toEqual(E.left({ _tag: 'UnknownTier', tier: 'platinum' }));
    expect(state.assignments.size).toBe(0);
  });

  it('deactivating a user never fails, and a user that never held a license gets none', () => {
    const result = transition(emptyState(), { kind: 'userInactive', userId: 'u1', at: '2026-01-01T00:00:00.000Z' });
    expect(E.isRight(result) && result.right.state.assignments.size).toBe(0);
  });

  it('a seat cut evicts nobody; the tier serves its queue again once holders leave', () => {
    const at = '2026-01-01T00:00:00.000Z';
    let state: LicenseState = { seq: 0, tiers: new Map([['t', { limit: 3, assigned: 0, pending: 0 }]]), assignments: new Map() };
    for (const userId of ['a', 'b', 'c', 'd']) state = (transition(state, { kind: 'userActive', userId, wantedTier: 't', at }) as E.Right<{ state: LicenseState }>).right.state;
    state = { ...state, tiers: new Map([['t', { ...state.tiers.get('t')!, limit: 1 }]]) };
    const cut = transition(state, { kind: 'contractChanged', at });
    expect(E.isRight(cut) && cut.right.effects).toEqual([]);
    const afterLeave = transition(state, { kind: 'userDeleted', userId: 'a', at });
    expect(E.isRight(afterLeave) && [...afterLeave.right.state.assignments.values()].filter((x) => x.status === 'assigned').length).toBe(2);
  });
});
