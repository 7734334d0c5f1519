/**
 * The license state machine: `(state, event) => Either<error, { state, effects }>`.
 *
 * Rules (see docs/licensing.md for the full table):
 * - an active user who wants a tier with a free seat, and nobody queued ahead, gets it; at a full
 *   tier the tier's at-limit mode decides: wait `pending` (default), take an overage seat, take a
 *   seat of a lower tier (`degraded`), or refuse (the only way a license can fail a request);
 * - deactivation, deletion and downgrades never fail; a given-up seat is freed at once, or held
 *   (`releasing`) by the tier's reclaim rule or the contract's flap window, and coming back inside
 *   the hold keeps it;
 * - after every event each tier with a free seat promotes its oldest pending user, until full;
 * - nobody who holds a seat is ever evicted to make room, except by an expired contract whose
 *   strategy is `revoke`.
 */
import * as E from 'fp-ts/Either';
import type { Assignment } from './assignment';
import { findTier, tierRank, type Contract } from './contract';
import {
  admitsNewcomers, flapHoldUntil, graceEnd, later, phaseAt, reclaimHoldUntil, tierTerms, type ContractPhase, type TierTerms,
} from './contract-terms';
import type { LicenseEffect } from './license-effect';
import { heldSeats, NO_COUNTS, type LicenseState, type TierCounts } from './license-state';

export type LicenseEvent =
  /** An active user was created or changed; `wantedTier` is the policy's decision for it. */
  | { readonly kind: 'userActive'; readonly userId: string; readonly wantedTier: string; readonly at: string }
  /** A user was created inactive or deactivated. The policy is not asked: this never fails. */
  | { readonly kind: 'userInactive'; readonly userId: string; readonly at: string }
  | { readonly kind: 'userDeleted'; readonly userId: string; readonly at: string }
  /** The contract changed (to `contract`, when given): free seats serve the queues; holders stay. */
  | { readonly kind: 'contractChanged'; readonly contract?: Contract; readonly at: string }
  /** Time passed: holds that ran out end, and the contract may enter grace or expire. */
  | { readonly kind: 'clock'; readonly at: string }
  /** The host approves a pending user (tiers with manual promotion, as with a user cap). */
  | { readonly kind: 'approve'; readonly userId: string; readonly at: string };

export type LicenseError =
  | { readonly _tag: 'UnknownTier'; readonly tier: string }
  /** A tier in `reject` mode is full: the request that wanted the seat fails with 403. */
  | { readonly _tag: 'SeatLimitReached'; readonly tier: string; readonly held: number; readonly seats: number }
  | { readonly _tag: 'NotPending'; readonly userId: string }
  /** A new contract leaves out a tier that users still hold or wait for. */
  | { readonly _tag: 'TierInUse'; readonly tier: string; readonly users: number }
  | { readonly _tag: 'NoFreeSeat'; readonly tier: string; readonly held: number; readonly seats: number };

export interface Transition {
  readonly state: LicenseState;
  readonly effects: readonly LicenseEffect[];
}

// Internals work on a private draft; callers only ever see new immutable values.
interface Draft {
  contract: Contract;
  phase: ContractPhase;
  seq: number;
  counts: Map<string, TierCounts>;
  assignments: Map<string, Assignment>;
  /** How many loaded users are degraded while they wait for each tier. */
  waiting: Map<string, number>;
  effects: LicenseEffect[];
}

type Result = E.Either<LicenseError, void>;
const ok: Result = E.right(undefined);

const countField = (a: Assignment): keyof TierCounts | null =>
  a.status === 'assigned' || a.status === 'degraded' ? 'assigned' : a.status === 'releasing' ? 'releasing' : a.status === 'pending' ? 'pending' : null;

const bump = (draft: Draft, a: Assignment, delta: 1 | -1) => {
  const field = countField(a);
  if (!field) return;
  const c = draft.counts.get(a.tier) ?? NO_COUNTS;
  draft.counts.set(a.tier, { ...c, [field]: c[field] + delta });
};

// Optional fields are left out rather than null, so an assignment reads back the same from any storage.
const compact = (a: Assignment): Assignment => {
  const { wantedTier, releaseAt, reason, ...rest } = a;
  return { ...rest, ...(wantedTier != null ? { wantedTier } : {}), ...(releaseAt != null ? { releaseAt } : {}), ...(reason != null ? { reason } : {}) };
};

const wait = (draft: Draft, a: Assignment, delta: 1 | -1) => {
  if (a.status === 'degraded' && a.wantedTier) draft.waiting.set(a.wantedTier, (draft.waiting.get(a.wantedTier) ?? 0) + delta);
};

/** Replaces the user's assignment (or removes it, with null), keeping the counts in step. */
const replace = (draft: Draft, userId: string, next: Assignment | null) => {
  const prev = draft.assignments.get(userId);
  if (prev) {
    bump(draft, prev, -1);
    wait(draft, prev, -1);
  }
  if (next) {
    bump(draft, next, 1);
    wait(draft, next, 1);
    draft.assignments.set(userId, compact(next));
  } else {
    draft.assignments.delete(userId);
  }
};

const termsOf = (draft: Draft, tier: string, at: string): TierTerms | undefined => {
  const def = findTier(draft.contract, tier);
  return def ? tierTerms(def, at) : undefined;
};

const countsOf = (draft: Draft, tier: string) => draft.counts.get(tier) ?? NO_COUNTS;

const hasRoom = (terms: TierTerms, counts: TierCounts, limit: number | null = terms.seats) => limit === null || heldSeats(counts) < limit;

const assign = (draft: Draft, userId: string, tier: string, at: string, reason: string, terms: TierTerms) => {
  const overage = terms.seats !== null && heldSeats(countsOf(draft, tier)) >= terms.seats;
  replace(draft, userId, { userId, tier, status: 'assigned', queuedAt: null, since: at, reason });
  draft.effects.push({ type: 'license.assigned', userId, tier, ...(overage ? { overage: true } : {}) });
};

const queue = (draft: Draft, userId: string, tier: string, at: string, reason: string) => {
  draft.seq += 1;
  replace(draft, userId, { userId, tier, status: 'pending', queuedAt: draft.seq, since: at, reason });
  draft.effects.push({ type: 'license.pending', userId, tier });
};

/**
 * Gives `userId` a seat of `tier` if the tier's rules allow, else queues it. `mayReject` is false
 * for downgrades, which never fail; `holder` is true for a seat holder moving down, which an
 * expired contract that keeps its holders still lets through.
 */
const enter = (draft: Draft, userId: string, tier: string, at: string, mayReject: boolean, holder = false): Result => {
  const terms = termsOf(draft, tier, at);
  if (!terms) return E.left({ _tag: 'UnknownTier', tier });
  const counts = countsOf(draft, tier);
  if (!admitsNewcomers(draft.contract, draft.phase) && !(holder && draft.contract.onExpiry !== 'revoke')) {
    queue(draft, userId, tier, at, 'the contract has expired: newcomers wait');
    return ok;
  }
  // Users degraded below the tier are in its queue too: a newcomer must not pass them.
  const nobodyWaits = counts.pending === 0 && (draft.waiting.get(tier) ?? 0) === 0;
  if (nobodyWaits && hasRoom(terms, counts)) {
    assign(draft, userId, tier, at, 'a seat was free', terms);
    return ok;
  }
  if (nobodyWaits && terms.atLimit.mode === 'overage' && hasRoom(terms, counts, terms.hardLimit)) {
    assign(draft, userId, tier, at, 'seats full: inside the overage allowance', terms);
    return ok;
  }
  if (terms.atLimit.mode === 'reject' && mayReject && !hasRoom(terms, counts)) {
    return E.left({ _tag: 'SeatLimitReached', tier, held: heldSeats(counts), seats: terms.seats ?? 0 });
  }
  if (terms.atLimit.mode === 'degrade') {
    const lower = termsOf(draft, terms.atLimit.to, at);
    const lowerCounts = countsOf(draft, terms.atLimit.to);
    if (lower && lowerCounts.pending === 0 && hasRoom(lower, lowerCounts)) {
      // It keeps its place in the full tier's queue, so the next seat there is served in order.
      draft.seq += 1;
      replace(draft, userId, { userId, tier: lower.key, status: 'degraded', wantedTier: tier, queuedAt: draft.seq, since: at, reason: `'${tier}' was full` });
      draft.effects.push({ type: 'license.degraded', userId, tier: lower.key, wanted: tier });
      return ok;
    }
  }
  const ahead = counts.pending + (draft.waiting.get(tier) ?? 0);
  queue(draft, userId, tier, at, ahead > 0 ? `'${tier}' is full or has a queue (${ahead} ahead)` : `'${tier}' is full (${heldSeats(counts)}/${terms.seats})`);
  return ok;
};

const release = (draft: Draft, prev: Assignment, at: string, reason: string) => {
  replace(draft, prev.userId, { userId: prev.userId, tier: prev.tier, status: 'released', queuedAt: null, since: at, reason });
  draft.effects.push({ type: 'license.released', userId: prev.userId, tier: prev.tier });
};

/** Moves a user that left `prev`'s tier on to `next` (or releases it), after any hold has ended. */
const moveOn = (draft: Draft, prev: Assignment, next: string | null, at: string, reason: string): Result => {
  if (next === null) {
    release(draft, prev, at, reason);
    return ok;
  }
  replace(draft, prev.userId, null);
  draft.effects.push({ type: 'license.tier_changed', userId: prev.userId, from: prev.tier, to: next });
  return enter(draft, prev.userId, next, at, false, true);
};

/** A seat holder gives its seat up (deactivation or downgrade): held for a while, or freed at once. */
const giveUp = (draft: Draft, prev: Assignment, next: string | null, at: string, reason: string): Result => {
  const terms = termsOf(draft, prev.tier, at);
  const until = terms ? later(reclaimHoldUntil(draft.contract, terms, at), flapHoldUntil(draft.contract, at)) : null;
  if (until === null) return moveOn(draft, prev, next, at, reason);
  replace(draft, prev.userId, { userId: prev.userId, tier: prev.tier, status: 'releasing', wantedTier: next, releaseAt: until, queuedAt: null, since: at, reason: `${reason}; seat held until ${until}` });
  draft.effects.push({ type: 'license.releasing', userId: prev.userId, tier: prev.tier, until });
  return ok;
};

const rank = (draft: Draft, tier: string) => tierRank(draft.contract, tier);

const activate = (draft: Draft, event: Extract<LicenseEvent, { kind: 'userActive' }>): Result => {
  const { userId, wantedTier: want, at } = event;
  if (!findTier(draft.contract, want)) return E.left({ _tag: 'UnknownTier', tier: want });
  const prev = draft.assignments.get(userId);
  if (!prev || prev.status === 'released') return enter(draft, userId, want, at, true);
  const downgrade = rank(draft, want) < rank(draft, prev.tier);
  const change = (): Result => {
    replace(draft, userId, null);
    draft.effects.push({ type: 'license.tier_changed', userId, from: prev.tier, to: want });
    return enter(draft, userId, want, at, !downgrade);
  };

  switch (prev.status) {
    case 'pending':
      return prev.tier === want ? ok : change();
    case 'assigned':
      if (prev.tier === want) return ok;
      return downgrade ? giveUp(draft, prev, want, at, `moved down to '${want}'`) : change();
    case 'degraded': {
      // Still waiting for the tier it wants: the queue serves it when its turn comes.
      if (prev.wantedTier === want) return ok;
      if (prev.tier === want) {
        replace(draft, userId, { ...prev, status: 'assigned', wantedTier: null, queuedAt: null, since: at, reason: 'wants the tier it holds' });
        draft.effects.push({ type: 'license.assigned', userId, tier: want });
        return ok;
      }
      if (downgrade) return giveUp(draft, prev, want, at, `moved down to '${want}'`);
      // Wanting less than it waited for is a downgrade too, so it never fails.
      replace(draft, userId, null);
      draft.effects.push({ type: 'license.tier_changed', userId, from: prev.tier, to: want });
      return enter(draft, userId, want, at, rank(draft, want) > rank(draft, prev.wantedTier ?? prev.tier));
    }
    case 'releasing':
      if (prev.tier === want) {
        replace(draft, userId, { userId, tier: want, status: 'assigned', queuedAt: null, since: at, reason: 'came back inside the hold' });
        draft.effects.push({ type: 'license.restored', userId, tier: want });
        return ok;
      }
      if (prev.wantedTier === want) return ok;
      if (downgrade) {
        replace(draft, userId, { ...prev, wantedTier: want });
        return ok;
      }
      return change();
  }
};

const deactivate = (draft: Draft, event: Extract<LicenseEvent, { kind: 'userInactive' }>): Result => {
  const { userId, at } = event;
  const prev = draft.assignments.get(userId);
  if (!prev || prev.status === 'released') return ok;
  if (prev.status === 'pending') {
    release(draft, prev, at, 'deactivated');
    return ok;
  }
  if (prev.status === 'releasing') {
    if (prev.wantedTier) replace(draft, userId, { ...prev, wantedTier: null });
    return ok;
  }
  return giveUp(draft, prev, null, at, 'deactivated');
};

// A DELETE is final, so the seat frees at once: holds are for changes the IdP may undo.
const remove = (draft: Draft, event: Extract<LicenseEvent, { kind: 'userDeleted' }>) => {
  const prev = draft.assignments.get(event.userId);
  if (!prev) return;
  replace(draft, event.userId, null);
  if (prev.status !== 'released') draft.effects.push({ type: 'license.released', userId: event.userId, tier: prev.tier });
};

// The host grants a waiting user the tier it waits for: a pending user, or one degraded below it.
const approve = (draft: Draft, event: Extract<LicenseEvent, { kind: 'approve' }>): Result => {
  const prev = draft.assignments.get(event.userId);
  const tier = prev?.status === 'pending' ? prev.tier : prev?.status === 'degraded' ? prev.wantedTier : null;
  if (!prev || !tier) return E.left({ _tag: 'NotPending', userId: event.userId });
  const terms = termsOf(draft, tier, event.at);
  if (!terms) return E.left({ _tag: 'UnknownTier', tier });
  const counts = countsOf(draft, tier);
  if (!hasRoom(terms, counts, terms.hardLimit)) return E.left({ _tag: 'NoFreeSeat', tier, held: heldSeats(counts), seats: terms.seats ?? 0 });
  if (prev.status === 'degraded') {
    replace(draft, prev.userId, null);
    draft.effects.push({ type: 'license.tier_changed', userId: prev.userId, from: prev.tier, to: tier });
  }
  assign(draft, prev.userId, tier, event.at, 'approved by an admin', terms);
  return ok;
};

const dueHolds = (draft: Draft, at: string) => [...draft.assignments.values()]
  .filter((a) => a.status === 'releasing' && a.releaseAt && Date.parse(a.releaseAt) <= Date.parse(at))
  .sort((a, b) => Date.parse(a.releaseAt!) - Date.parse(b.releaseAt!) || (a.userId < b.userId ? -1 : 1));

// Time passed: holds that ran out end, and the contract may enter grace or expire.
const tick = (draft: Draft, at: string): Result => {
  for (const held of dueHolds(draft, at)) {
    const moved = moveOn(draft, held, held.wantedTier ?? null, at, held.wantedTier ? `hold ended: moved to '${held.wantedTier}'` : 'hold ended');
    if (E.isLeft(moved)) return moved;
  }
  const phase = phaseAt(draft.contract, at);
  if (phase === draft.phase) return ok;
  const end = draft.contract.term?.end;
  if (draft.phase === 'active' && end) draft.effects.push({ type: 'contract.expiring', end, graceEnds: graceEnd(draft.contract)! });
  if (phase === 'expired') {
    const strategy = draft.contract.onExpiry ?? 'restrict';
    draft.effects.push({ type: 'contract.expired', strategy });
    if (strategy === 'revoke') {
      // Every seat is freed; active users wait at the back of their tier's queue, so a renewal serves them again.
      const holders = [...draft.assignments.values()].filter((a) => a.status === 'assigned' || a.status === 'degraded' || a.status === 'releasing')
        .sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.userId < b.userId ? -1 : 1));
      for (const a of holders) {
        release(draft, a, at, 'the contract expired');
        const wants = a.status === 'assigned' ? a.tier : a.wantedTier;
        if (wants) queue(draft, a.userId, wants, at, 'the contract expired: waiting for a renewal');
      }
    }
  }
  draft.phase = phase;
  return ok;
};

// A tier's queue: its pending users and the users degraded below it, in one order.
const nextWaiting = (draft: Draft, tier: string): Assignment | undefined => {
  let next: Assignment | undefined;
  for (const a of draft.assignments.values()) {
    const waits = (a.status === 'pending' && a.tier === tier) || (a.status === 'degraded' && a.wantedTier === tier);
    if (waits && (!next || (a.queuedAt ?? 0) < (next.queuedAt ?? 0))) next = a;
  }
  return next;
};

// Every tier with a free seat serves its queue in order, so nobody waits beside a free seat. A
// degraded user moving up frees a seat below, so tiers are served again until nothing moves.
const promote = (draft: Draft, at: string) => {
  if (!admitsNewcomers(draft.contract, draft.phase)) return;
  for (let moved = true; moved;) {
    moved = false;
    for (const def of draft.contract.tiers) {
      const terms = tierTerms(def, at);
      if (terms.promotion === 'manual') continue;
      const limit = terms.atLimit.mode === 'overage' ? terms.hardLimit : terms.seats;
      const waiting = () => countsOf(draft, def.key).pending > 0 || (draft.waiting.get(def.key) ?? 0) > 0;
      while (waiting() && hasRoom(terms, countsOf(draft, def.key), limit)) {
        const next = nextWaiting(draft, def.key);
        if (!next) break;
        if (next.status === 'degraded') {
          replace(draft, next.userId, null);
          draft.effects.push({ type: 'license.tier_changed', userId: next.userId, from: next.tier, to: def.key });
        }
        assign(draft, next.userId, def.key, at, next.status === 'degraded' ? 'a seat of the wanted tier came free' : 'promoted from the queue', terms);
        moved = true;
      }
    }
  }
};

// Tier-level signals, from how each tier's held seats and seat limit moved across the event.
const signal = (draft: Draft, before: ReadonlyMap<string, TierCounts>, contractBefore: Contract, at: string) => {
  const over = (held: number, seats: number | null) => seats !== null && held > seats;
  for (const def of draft.contract.tiers) {
    const seats = tierTerms(def, at).seats;
    if (seats === null) continue;
    const previous = findTier(contractBefore, def.key);
    const seatsBefore = previous ? tierTerms(previous, at).seats : seats;
    const was = heldSeats(before.get(def.key) ?? NO_COUNTS);
    const now = heldSeats(countsOf(draft, def.key));
    if ((seatsBefore === null || was < seatsBefore) && now >= seats) draft.effects.push({ type: 'seats.limit_reached', tier: def.key, seats });
    if (!over(was, seatsBefore) && over(now, seats)) draft.effects.push({ type: 'license.overage_started', tier: def.key, seats, held: now });
    if (over(was, seatsBefore) && !over(now, seats)) draft.effects.push({ type: 'license.overage_ended', tier: def.key, seats, held: now });
  }
};

const dispatch = (draft: Draft, event: LicenseEvent): Result => {
  switch (event.kind) {
    case 'userDeleted': remove(draft, event); return ok;
    case 'userInactive': return deactivate(draft, event);
    case 'userActive': return activate(draft, event);
    case 'approve': return approve(draft, event);
    case 'clock': return tick(draft, event.at);
    case 'contractChanged':
      if (event.contract) draft.contract = event.contract;
      return tick(draft, event.at);
  }
};

const apply = (draft: Draft, event: LicenseEvent): Result => {
  const before = new Map(draft.counts);
  const contractBefore = draft.contract;
  const applied = dispatch(draft, event);
  if (E.isLeft(applied)) return applied;
  promote(draft, event.at);
  signal(draft, before, contractBefore, event.at);
  return ok;
};

/** Applies events in order; the first error stops the whole batch, so nothing half-applies. */
export const transitionAll = (state: LicenseState, events: readonly LicenseEvent[]): E.Either<LicenseError, Transition> => {
  const draft: Draft = {
    contract: state.contract,
    phase: state.phase,
    seq: state.seq,
    counts: new Map(state.counts),
    assignments: new Map(state.assignments),
    waiting: new Map(),
    effects: [],
  };
  for (const a of draft.assignments.values()) wait(draft, a, 1);
  for (const event of events) {
    const applied = apply(draft, event);
    if (E.isLeft(applied)) return applied;
  }
  // Seats of a tier the contract no longer has would count nowhere and could never be served.
  for (const [tier, c] of draft.counts) {
    const users = c.assigned + c.releasing + c.pending;
    if (users > 0 && !findTier(draft.contract, tier)) return E.left({ _tag: 'TierInUse', tier, users });
  }
  return E.right({
    state: { contract: draft.contract, phase: draft.phase, seq: draft.seq, counts: draft.counts, assignments: draft.assignments },
    effects: draft.effects,
  });
};

/** Applies one event to the license state. */
export const transition = (state: LicenseState, event: LicenseEvent): E.Either<LicenseError, Transition> =>
  transitionAll(state, [event]);
