/**
 * The license state machine: `(state, event) => Either<error, { state, effects }>`.
 *
 * Rules (see docs/licensing.md for the full table):
 * - an active user who wants a tier with a free seat, and nobody queued ahead, gets it (`assigned`);
 *   otherwise the user waits (`pending`) at the back of that tier's queue;
 * - deactivation and deletion always succeed and free the seat at once;
 * - a changed tier leaves the old tier first, then queues for the new one like a newcomer;
 * - after every event each tier with a free seat promotes its oldest pending user, until full;
 * - nobody who holds a seat is ever evicted to make room.
 */
import * as E from 'fp-ts/Either';
import type { Assignment } from './assignment';
import type { LicenseEffect } from './license-effect';
import { hasRoom, type LicenseState, type TierSeats } from './license-state';

export type LicenseEvent =
  /** An active user was created or changed; `wantedTier` is the policy's decision for it. */
  | { readonly kind: 'userActive'; readonly userId: string; readonly wantedTier: string; readonly at: string }
  /** A user was created inactive or deactivated. The policy is not asked: this never fails. */
  | { readonly kind: 'userInactive'; readonly userId: string; readonly at: string }
  | { readonly kind: 'userDeleted'; readonly userId: string; readonly at: string }
  /** The contract changed: free seats serve the queues. Holders are never evicted by a seat cut. */
  | { readonly kind: 'contractChanged'; readonly at: string };

export type LicenseError = { readonly _tag: 'UnknownTier'; readonly tier: string };

export interface Transition {
  readonly state: LicenseState;
  readonly effects: readonly LicenseEffect[];
}

// Internals work on a private draft; callers only ever see new immutable values.
interface Draft {
  seq: number;
  tiers: Map<string, TierSeats>;
  assignments: Map<string, Assignment>;
  effects: LicenseEffect[];
}

const adjust = (draft: Draft, tier: string, delta: Partial<Record<'assigned' | 'pending', number>>) => {
  const seats = draft.tiers.get(tier);
  if (!seats) return;
  draft.tiers.set(tier, {
    ...seats,
    assigned: seats.assigned + (delta.assigned ?? 0),
    pending: seats.pending + (delta.pending ?? 0),
  });
};

const leave = (draft: Draft, prev: Assignment) => {
  if (prev.status === 'assigned') adjust(draft, prev.tier, { assigned: -1 });
  if (prev.status === 'pending') adjust(draft, prev.tier, { pending: -1 });
};

const enter = (draft: Draft, userId: string, tier: string, at: string) => {
  const seats = draft.tiers.get(tier)!;
  if (hasRoom(seats) && seats.pending === 0) {
    adjust(draft, tier, { assigned: 1 });
    draft.assignments.set(userId, { userId, tier, status: 'assigned', queuedAt: null, since: at });
    draft.effects.push({ type: 'license.assigned', userId, tier });
  } else {
    draft.seq += 1;
    adjust(draft, tier, { pending: 1 });
    draft.assignments.set(userId, { userId, tier, status: 'pending', queuedAt: draft.seq, since: at });
    draft.effects.push({ type: 'license.pending', userId, tier });
  }
};

const oldestPending = (draft: Draft, tier: string): Assignment | undefined => {
  let oldest: Assignment | undefined;
  for (const a of draft.assignments.values()) {
    if (a.tier === tier && a.status === 'pending' && (!oldest || (a.queuedAt ?? 0) < (oldest.queuedAt ?? 0))) oldest = a;
  }
  return oldest;
};

// Every tier with a free seat serves its queue in order, so no pending user waits beside a free seat.
const promote = (draft: Draft, at: string) => {
  for (const [tier, seats] of draft.tiers) {
    let current = seats;
    while (hasRoom(current) && current.pending > 0) {
      const next = oldestPending(draft, tier);
      if (!next) break;
      adjust(draft, tier, { assigned: 1, pending: -1 });
      draft.assignments.set(next.userId, { ...next, status: 'assigned', queuedAt: null, since: at });
      draft.effects.push({ type: 'license.assigned', userId: next.userId, tier });
      current = draft.tiers.get(tier)!;
    }
  }
};

// A user that never held a license gets no assignment; one that did keeps its tier, released.
const deactivate = (draft: Draft, event: Extract<LicenseEvent, { kind: 'userInactive' }>) => {
  const { userId, at } = event;
  const prev = draft.assignments.get(userId);
  if (!prev || prev.status === 'released') return;
  leave(draft, prev);
  draft.effects.push({ type: 'license.released', userId, tier: prev.tier });
  draft.assignments.set(userId, { userId, tier: prev.tier, status: 'released', queuedAt: null, since: at });
};

const activate = (draft: Draft, event: Extract<LicenseEvent, { kind: 'userActive' }>): E.Either<LicenseError, void> => {
  const { userId, wantedTier, at } = event;
  const prev = draft.assignments.get(userId);
  const holding = prev !== undefined && prev.status !== 'released';
  if (!draft.tiers.has(wantedTier)) return E.left({ _tag: 'UnknownTier', tier: wantedTier });
  if (holding && prev.tier === wantedTier) return E.right(undefined);
  if (holding) {
    leave(draft, prev);
    draft.effects.push({ type: 'license.tier_changed', userId, from: prev.tier, to: wantedTier });
  }
  enter(draft, userId, wantedTier, at);
  return E.right(undefined);
};

const remove = (draft: Draft, event: Extract<LicenseEvent, { kind: 'userDeleted' }>) => {
  const prev = draft.assignments.get(event.userId);
  if (!prev) return;
  leave(draft, prev);
  draft.assignments.delete(event.userId);
  if (prev.status !== 'released') draft.effects.push({ type: 'license.released', userId: event.userId, tier: prev.tier });
};

const apply = (draft: Draft, event: LicenseEvent): E.Either<LicenseError, void> => {
  if (event.kind === 'userDeleted') remove(draft, event);
  else if (event.kind === 'userInactive') deactivate(draft, event);
  else if (event.kind === 'userActive') {
    const applied = activate(draft, event);
    if (E.isLeft(applied)) return applied;
  }
  promote(draft, event.at);
  return E.right(undefined);
};

/** Applies events in order; the first error stops the whole batch, so nothing half-applies. */
export const transitionAll = (state: LicenseState, events: readonly LicenseEvent[]): E.Either<LicenseError, Transition> => {
  const draft: Draft = { seq: state.seq, tiers: new Map(state.tiers), assignments: new Map(state.assignments), effects: [] };
  for (const event of events) {
    const applied = apply(draft, event);
    if (E.isLeft(applied)) return applied;
  }
  return E.right({ state: { seq: draft.seq, tiers: draft.tiers, assignments: draft.assignments }, effects: draft.effects });
};

/** Applies one event to the license state. */
export const transition = (state: LicenseState, event: LicenseEvent): E.Either<LicenseError, Transition> =>
  transitionAll(state, [event]);
