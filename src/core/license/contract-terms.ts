/**
 * What a contract means at a given instant: each tier's seats and hard limit, the phase of the term,
 * the billing period, and how long a given-up seat is held. Pure functions of (contract, time).
 */
import type { AtLimit, Contract, Reclaim, TierDefinition } from './contract';

const DAY_MS = 24 * 60 * 60 * 1000;

export type ContractPhase = 'active' | 'grace' | 'expired';

export interface TierTerms {
  readonly key: string;
  /** Seats the contract provides at this instant; null for no limit. */
  readonly seats: number | null;
  /** The most seats that may be held, overage included; null for no limit. */
  readonly hardLimit: number | null;
  readonly atLimit: AtLimit;
  readonly reclaim: Reclaim;
  readonly promotion: 'auto' | 'manual';
  readonly features: readonly string[];
  readonly billable: boolean;
}

/** The seat count in force at `at`: the latest dated change reached, else the tier's own count. */
export const seatsAt = (tier: TierDefinition, at: string): number | null => {
  const now = Date.parse(at);
  let seats = tier.seats;
  let latest = Number.NEGATIVE_INFINITY;
  for (const change of tier.seatChanges ?? []) {
    const from = Date.parse(change.from);
    if (from <= now && from >= latest) {
      latest = from;
      seats = change.seats;
    }
  }
  return seats;
};

const hardLimitOf = (seats: number | null, atLimit: AtLimit): number | null => {
  if (seats === null || atLimit.mode !== 'overage') return seats;
  return atLimit.factor !== undefined ? Math.floor(seats * atLimit.factor) : seats + (atLimit.seats ?? 0);
};

export const tierTerms = (tier: TierDefinition, at: string): TierTerms => {
  const seats = seatsAt(tier, at);
  const atLimit = tier.atLimit ?? { mode: 'queue' };
  return {
    key: tier.key,
    seats,
    hardLimit: hardLimitOf(seats, atLimit),
    atLimit,
    reclaim: tier.reclaim ?? { mode: 'immediate' },
    promotion: tier.promotion ?? 'auto',
    features: tier.features ?? [],
    billable: tier.billable ?? true,
  };
};

/** The instant grace ends, or null for a contract without an end. */
export const graceEnd = (contract: Contract): string | null => {
  const end = contract.term?.end;
  if (!end) return null;
  return new Date(Date.parse(end) + (contract.graceDays ?? 0) * DAY_MS).toISOString();
};

/** `active` inside the term, `grace` after its end for `graceDays`, `expired` after that. */
export const phaseAt = (contract: Contract, at: string): ContractPhase => {
  const end = contract.term?.end;
  if (!end) return 'active';
  const now = Date.parse(at);
  if (now < Date.parse(end)) return 'active';
  return now < Date.parse(graceEnd(contract)!) ? 'grace' : 'expired';
};

/** True when newcomers get seats: always, except after expiry under `restrict` or `revoke`. */
export const admitsNewcomers = (contract: Contract, phase: ContractPhase): boolean =>
  phase !== 'expired' || (contract.onExpiry ?? 'restrict') === 'maintain';

const MONTHS = { month: 1, quarter: 3, year: 12 } as const;

/**
 * The billing period holding `at`: periods start on the term's start (or on 1 January UTC without a
 * term) and last a month, a quarter or a year.
 */
export const billingPeriod = (contract: Contract, at: string): { readonly start: string; readonly end: string } => {
  const months = MONTHS[contract.billingPeriod ?? 'month'];
  const anchor = new Date(contract.term?.start ?? '2000-01-01T00:00:00.000Z');
  const now = new Date(at);
  const monthsSince = (now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + now.getUTCMonth() - anchor.getUTCMonth();
  const startAt = (k: number) => new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() + k * months, anchor.getUTCDate(),
    anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()));
  let k = Math.floor(monthsSince / months);
  while (startAt(k).getTime() > now.getTime()) k -= 1;
  while (startAt(k + 1).getTime() <= now.getTime()) k += 1;
  return { start: startAt(k).toISOString(), end: startAt(k + 1).toISOString() };
};

/** Until when a seat given up at `at` stays held by the tier's reclaim rule; null when it frees at once. */
export const reclaimHoldUntil = (contract: Contract, terms: TierTerms, at: string): string | null => {
  switch (terms.reclaim.mode) {
    case 'immediate': return null;
    case 'delay': return new Date(Date.parse(at) + terms.reclaim.hours * 60 * 60 * 1000).toISOString();
    case 'periodEnd': return billingPeriod(contract, at).end;
  }
};

/** Until when a downgraded user keeps its old seat, so a remove-then-add is absorbed; null without damping. */
export const flapHoldUntil = (contract: Contract, at: string): string | null => {
  const seconds = contract.flapWindowSeconds ?? 0;
  return seconds > 0 ? new Date(Date.parse(at) + seconds * 1000).toISOString() : null;
};

/** The later of two optional instants. */
export const later = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : (Date.parse(a) >= Date.parse(b) ? a : b);
