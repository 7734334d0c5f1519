import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  tierTerms, transition, type Assignment, type AtLimit, type Contract, type LicenseEvent, type LicenseState, type Reclaim, type TierCounts,
} from 'seatkit';
import { admitsNewcomers } from '../../src/core/license/contract-terms';

// The invariants of docs/licensing.md, checked after every step of random sequences of SCIM-driven
// events, contract changes, approvals and clock moves, under random contract terms.

const TIERS = ['basic', 'standard', 'pro'] as const;
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];
const START = Date.UTC(2026, 0, 1);
const HOUR = 3600_000;

interface Terms {
  seats: [number, number, number];
  /** The tier the at-limit mode and manual promotion apply to. */
  limited: 'standard' | 'pro';
  atLimit: AtLimit;
  reclaim: Reclaim;
  flapSeconds: number;
  /** The tier that promotes its queue only by approval (a user cap), if any. */
  manual: (typeof TIERS)[number] | null;
  /** Hours after the start when the term ends, with grace days and what expiry does; null for no term. */
  expiry: { hours: number; graceDays: number; onExpiry: 'restrict' | 'revoke' | 'maintain' } | null;
}

const termsArb: fc.Arbitrary<Terms> = fc.record({
  seats: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })),
  atLimit: fc.constantFrom<AtLimit>({ mode: 'queue' }, { mode: 'overage', seats: 1 }, { mode: 'overage', factor: 1.5 }, { mode: 'degrade', to: 'basic' }, { mode: 'reject' }),
  reclaim: fc.constantFrom<Reclaim>({ mode: 'immediate' }, { mode: 'delay', hours: 2 }, { mode: 'periodEnd' }),
  limited: fc.constantFrom('standard' as const, 'pro' as const),
  flapSeconds: fc.constantFrom(0, 0, 1800),
  manual: fc.constantFrom(null, null, ...TIERS),
  expiry: fc.option(fc.record({
    hours: fc.integer({ min: 1, max: 24 * 60 }),
    graceDays: fc.constantFrom(0, 1, 14),
    onExpiry: fc.constantFrom('restrict' as const, 'revoke' as const, 'maintain' as const),
  }), { freq: 2 }),
});

// The at-limit mode applies to the `limited` tier, manual promotion to the `manual` one, the reclaim rule to every tier.
const contractOf = (t: Terms, seats = t.seats): Contract => ({
  tiers: TIERS.map((key, i) => ({
    key,
    seats: seats[i]!,
    reclaim: t.reclaim,
    ...(key === t.limited ? { atLimit: t.atLimit } : {}),
    ...(key === t.manual ? { promotion: 'manual' as const } : {}),
  })),
  flapWindowSeconds: t.flapSeconds,
  ...(t.expiry ? {
    term: { start: new Date(START).toISOString(), end: new Date(START + t.expiry.hours * HOUR).toISOString() },
    graceDays: t.expiry.graceDays,
    onExpiry: t.expiry.onExpiry,
  } : {}),
});

type Step =
  | { kind: 'upsert'; user: string; active: boolean; tier: string }
  | { kind: 'delete'; user: string }
  | { kind: 'approve'; user: string }
  | { kind: 'clock'; hours: number }
  | { kind: 'seats'; seats: [number, number, number] };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('upsert' as const), user: fc.constantFrom(...USERS), active: fc.constantFrom(true, true, true, false), tier: fc.constantFrom(...TIERS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), user: fc.constantFrom(...USERS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('approve' as const), user: fc.constantFrom(...USERS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('clock' as const), hours: fc.constantFrom(0.25, 1, 3, 24 * 40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('seats' as const), seats: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })) }) },
);

const HOLDING = new Set<Assignment['status']>(['assigned', 'degraded', 'releasing']);
const rank = (tier: string) => TIERS.indexOf(tier as (typeof TIERS)[number]);

const recount = (state: LicenseState, tier: string): TierCounts => {
  const all = [...state.assignments.values()].filter((a) => a.tier === tier);
  return {
    assigned: all.filter((a) => a.status === 'assigned' || a.status === 'degraded').length,
    releasing: all.filter((a) => a.status === 'releasing').length,
    pending: all.filter((a) => a.status === 'pending').length,
  };
};

interface World {
  terms: Terms;
  state: LicenseState;
  now: number;
  users: Map<string, { active: boolean; tier: string }>;
}

const eventOf = (world: World, step: Step, at: string): LicenseEvent => {
  switch (step.kind) {
    case 'upsert': return step.active ? { kind: 'userActive', userId: step.user, wantedTier: step.tier, at } : { kind: 'userInactive', userId: step.user, at };
    case 'delete': return { kind: 'userDeleted', userId: step.user, at };
    case 'approve': return { kind: 'approve', userId: step.user, at };
    case 'clock': return { kind: 'clock', at };
    case 'seats': return { kind: 'contractChanged', contract: contractOf(world.terms, step.seats), at };
  }
};

// A refusal is only allowed where the contract asks for one: a `reject` tier entered by anything but
// a downgrade, or an approval that has nothing to approve or no seat for it.
const mayRefuse = (world: World, step: Step): boolean => {
  if (step.kind === 'approve') return true;
  if (step.kind !== 'upsert' || !step.active || step.tier !== world.terms.limited || world.terms.atLimit.mode !== 'reject') return false;
  const held = world.state.assignments.get(step.user);
  const holding = held && held.status !== 'released';
  // A downgrade is judged against what the user held or waited for, whichever ranks higher.
  const from = holding ? Math.max(rank(held.tier), held.wantedTier ? rank(held.wantedTier) : -1) : -1;
  return !(holding && (rank(step.tier) < from || held.wantedTier === step.tier || held.tier === step.tier));
};

const runStep = (world: World, step: Step) => {
  world.now += step.kind === 'clock' ? step.hours * HOUR : 60_000;
  const at = new Date(world.now).toISOString();
  const before = world.state;
  const result = transition(before, eventOf(world, step, at));

  // Invariant 1: deactivation, deletion and downgrades never fail; nothing fails unless the contract says so.
  if (E.isLeft(result)) {
    expect(mayRefuse(world, step), JSON.stringify(result.left)).toBe(true);
    return;
  }
  const after = result.right.state;
  const touched = step.kind === 'upsert' || step.kind === 'delete' || step.kind === 'approve' ? step.user : null;

  // Invariant 3: a holder is never evicted by someone else's event; only its own hold running out moves it.
  for (const [id, a] of before.assignments) {
    if (id === touched || !HOLDING.has(a.status)) continue;
    const holdOver = a.status === 'releasing' && Date.parse(a.releaseAt!) <= world.now;
    const now = after.assignments.get(id);
    // A degraded user moving up to the tier it waits for is served, not evicted.
    const movedUp = a.status === 'degraded' && now?.status === 'assigned' && now.tier === a.wantedTier;
    // Only an expired contract whose strategy is `revoke` frees seats by itself.
    const revoked = before.phase !== 'expired' && after.phase === 'expired' && after.contract.onExpiry === 'revoke';
    if (!holdOver && !movedUp && !revoked) expect(now, `${id} evicted`).toEqual(a);
  }

  for (const def of after.contract.tiers) {
    const counts = after.counts.get(def.key) ?? { assigned: 0, releasing: 0, pending: 0 };
    // The counters agree with the assignments they summarise.
    expect(counts).toEqual(recount(after, def.key));
    const terms = tierTerms(def, at);
    const limit = terms.atLimit.mode === 'overage' ? terms.hardLimit : terms.seats;
    const held = counts.assigned + counts.releasing;
    const heldBefore = (before.counts.get(def.key)?.assigned ?? 0) + (before.counts.get(def.key)?.releasing ?? 0);
    // Invariant 2: no tier grows past its hard limit (a seat cut may leave it above, never push it further).
    if (limit !== null && held > limit) expect(held).toBeLessThanOrEqual(heldBefore);
    // Invariant 5: nobody waits beside a free seat of a tier that promotes by itself, while the contract admits newcomers.
    const serving = terms.promotion === 'auto' && admitsNewcomers(after.contract, after.phase);
    if (serving && counts.pending > 0 && limit !== null) expect(held).toBeGreaterThanOrEqual(limit);
    if (serving && limit === null) expect(counts.pending).toBe(0);
    // ... nor degraded below one.
    const degradedBelow = [...after.assignments.values()].filter((a) => a.status === 'degraded' && a.wantedTier === def.key);
    if (serving && degradedBelow.length > 0) {
      expect(limit, `${def.key} is unlimited yet users wait below it`).not.toBeNull();
      expect(held, `${degradedBelow[0]!.userId} waits below a free seat of ${def.key}`).toBeGreaterThanOrEqual(limit!);
    }
  }

  // Invariant 5, FIFO: a promotion in an auto tier always takes the oldest pending user.
  for (const effect of result.right.effects) {
    if (effect.type !== 'license.assigned' || effect.userId === touched) continue;
    const was = before.assignments.get(effect.userId);
    if (was?.status !== 'pending') continue;
    const older = [...before.assignments.values()].filter((a) => a.status === 'pending' && a.tier === was.tier && a.queuedAt! < was.queuedAt!);
    for (const o of older) expect(after.assignments.get(o.userId)?.status, `${o.userId} skipped`).not.toBe('pending');
  }

  // Invariant 5, no queue jumping: a user the step touched only gets a seat (or a lower seat while it
  // waits) ahead of nobody who waited for that tier before it, unless an admin approved it.
  if (touched && step.kind !== 'approve') {
    const was = before.assignments.get(touched);
    const ahead = (tier: string) => [...before.assignments.values()].filter((a) => a.userId !== touched
      && ((a.status === 'pending' && a.tier === tier) || (a.status === 'degraded' && a.wantedTier === tier))
      && !(was && (was.status === 'pending' || was.status === 'degraded') && (was.status === 'pending' ? was.tier : was.wantedTier) === tier && (was.queuedAt ?? 0) < (a.queuedAt ?? 0)));
    for (const effect of result.right.effects) {
      if (!('userId' in effect) || effect.userId !== touched) continue;
      const tier = effect.type === 'license.assigned' || effect.type === 'license.degraded' ? effect.tier : null;
      if (!tier || (was?.tier === tier && was.status === 'degraded')) continue;
      for (const o of ahead(tier)) {
        const still = after.assignments.get(o.userId);
        expect(still?.status === o.status && still.tier === o.tier, `${touched} passed ${o.userId} in the queue for ${tier}`).toBe(false);
      }
    }
  }

  if (step.kind === 'upsert') world.users.set(step.user, { active: step.active, tier: step.tier });
  if (step.kind === 'delete') world.users.delete(step.user);

  // Invariant 4 (and 7): every active user has exactly one live assignment, for the tier it wants.
  for (const id of USERS) {
    const user = world.users.get(id);
    const a = after.assignments.get(id);
    if (!user) {
      expect(a).toBeUndefined();
    } else if (!user.active) {
      expect(a === undefined || a.status === 'released' || (a.status === 'releasing' && !a.wantedTier)).toBe(true);
    } else {
      expect(a, `${id} has no license`).toBeDefined();
      const wanted = a!.status === 'degraded' || a!.status === 'releasing' ? a!.wantedTier : a!.tier;
      expect(['assigned', 'pending', 'degraded', 'releasing']).toContain(a!.status);
      // A degraded user keeps its lower seat until touched; a downgrade in a hold waits for it to end.
      expect(wanted === user.tier || (a!.status === 'degraded' && a!.tier === user.tier)).toBe(true);
    }
  }
  world.state = after;
};

describe('license state machine properties', () => {
  it('keeps every invariant over random SCIM events, approvals, seat changes and clock moves, under random contract terms', () => {
    fc.assert(
      fc.property(termsArb, fc.array(stepArb, { minLength: 1, maxLength: 60 }), (terms, steps) => {
        const contract = contractOf(terms);
        const world: World = {
          terms,
          now: START,
          users: new Map(),
          state: { contract, phase: 'active', seq: 0, counts: new Map(), assignments: new Map() },
        };
        for (const step of steps) runStep(world, step);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a freed seat to the oldest pending user of that tier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), (limit, waiting) => {
        let state: LicenseState = { contract: { tiers: [{ key: 't', seats: limit }] }, phase: 'active', seq: 0, counts: new Map(), assignments: new Map() };
        const at = '2026-01-01T00:00:00.000Z';
        const ids = Array.from({ length: limit + waiting }, (_, i) => `u${i}`);
        for (const userId of ids) state = E.getOrElseW(() => { throw new Error('create failed'); })(transition(state, { kind: 'userActive', userId, wantedTier: 't', at })).state;
        const released = transition(state, { kind: 'userDeleted', userId: 'u0', at });
        if (E.isLeft(released)) throw new Error('delete refused');
        expect(released.right.effects).toEqual([
          { type: 'license.released', userId: 'u0', tier: 't' },
          { type: 'license.assigned', userId: `u${limit}`, tier: 't' },
        ]);
      }),
    );
  });

  it('a tier unknown to the contract is an error for an active user and nothing changes', () => {
    const state: LicenseState = { contract: { tiers: [{ key: 't', seats: 1 }] }, phase: 'active', seq: 0, counts: new Map(), assignments: new Map() };
    const result = transition(state, { kind: 'userActive', userId: 'u1', wantedTier: 'platinum', at: '2026-01-01T00:00:00.000Z' });
    expect(result).toEqual(E.left({ _tag: 'UnknownTier', tier: 'platinum' }));
    expect(state.assignments.size).toBe(0);
  });
});
