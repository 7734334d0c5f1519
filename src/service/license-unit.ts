/**
 * Running the license engine inside a unit of work: load the slice of state the events need, run
 * the pure transition, and turn the result into one change set with its ledger lines and outbox
 * events, so the license, its history and its notifications commit together.
 */
import * as E from 'fp-ts/Either';
import type { Assignment } from '../core/license/assignment';
import type { Contract } from '../core/license/contract';
import { phaseAt, tierTerms } from '../core/license/contract-terms';
import type { LedgerEntryInput } from '../core/license/ledger-entry';
import type { LicenseEffect } from '../core/license/license-effect';
import { diffAssignments, heldSeats, NO_COUNTS, type LicenseState, type TierCounts } from '../core/license/license-state';
import type { OutboxEventInput } from '../core/license/outbox-event';
import { pipe } from 'fp-ts/function';
import { transitionAll, type LicenseError, type LicenseEvent, type Transition } from '../core/license/transition';
import type { TierDecision } from '../ports/license-policy';
import type { ChangeSet, UnitOfWork } from '../ports/storage-adapter';

export type LicenseChanges = Pick<ChangeSet, 'putAssignments' | 'deleteAssignments' | 'licenseSeq' | 'licensePhase' | 'appendLedger' | 'appendEvents'>;

export interface Settlement {
  readonly changes: LicenseChanges;
  readonly effects: readonly LicenseEffect[];
  /** Every loaded user's assignment after the events. */
  readonly assignments: ReadonlyMap<string, Assignment>;
  readonly before: LicenseState;
  readonly after: LicenseState;
}

/** Who acted and why, for the ledger and the outbox. */
export interface SettleContext {
  readonly at: string;
  readonly actor: string;
  readonly requestId: string | null;
  readonly newId: () => string;
  /** The policy's decision for each user it was asked about. */
  readonly decisions: ReadonlyMap<string, TierDecision>;
  readonly policyName: string | null;
  /** Whether to write events to the outbox. */
  readonly outbox: boolean;
}

// Users degraded below a tier are read at most this many at a time; the rest are served by later writes.
const MAX_DEGRADED_HEAD = 1000;

/**
 * Loads what the events need: the contract, every tier's counts, the touched users' assignments,
 * holds that have run out, each queue's head (long enough for every promotion the events could
 * cause, users degraded below a tier included), and every seat holder when the contract is about to expire with `revoke`.
 */
export const loadLicenseState = async (unit: UnitOfWork, contract: Contract, userIds: readonly string[], at: string): Promise<LicenseState> => {
  const [counts, touched, seq, phase, due] = await Promise.all([
    unit.seatCounts(), unit.getAssignments(userIds), unit.licenseSeq(), unit.licensePhase(), unit.dueReleases(at),
  ]);
  const revoking = phase !== 'expired' && phaseAt(contract, at) === 'expired' && contract.onExpiry === 'revoke';
  const holders = revoking ? await unit.seatHolders() : [];
  const tierCounts = new Map<string, TierCounts>([...counts].map(([tier, c]) => [tier, { assigned: c.assigned, releasing: c.releasing, pending: c.pending }]));
  const heads = await Promise.all(contract.tiers.map(async (def) => {
    const c = tierCounts.get(def.key) ?? NO_COUNTS;
    const terms = tierTerms(def, at);
    const limit = terms.atLimit.mode === 'overage' ? terms.hardLimit : terms.seats;
    // Freed seats can come from the touched users, from holds that ended, and from revoked holders.
    const free = limit === null ? Number.POSITIVE_INFINITY : Math.max(0, limit - heldSeats(c)) + userIds.length + due.length + holders.length;
    const [pending, degraded] = await Promise.all([
      c.pending === 0 ? [] : unit.oldestPending(def.key, Math.min(c.pending, free)),
      // Only a tier that degrades newcomers has users waiting below it.
      terms.atLimit.mode !== 'degrade' ? [] : unit.oldestDegraded(def.key, Math.min(free, MAX_DEGRADED_HEAD)),
    ]);
    return [...pending, ...degraded];
  }));
  const assignments = new Map<string, Assignment>();
  for (const a of [...heads.flat(), ...due, ...holders, ...touched]) assignments.set(a.userId, a);
  return { contract, phase, seq, counts: tierCounts, assignments };
};

const side = (a: Assignment | undefined) => (a ? { tier: a.tier, status: a.status } : null);

const ledgerLines = (before: LicenseState, after: LicenseState, ctx: SettleContext): LedgerEntryInput[] => {
  const { written, removed } = diffAssignments(before, after);
  const changed = [...written.map((a) => a.userId), ...removed];
  return changed.flatMap((userId) => {
    const was = before.assignments.get(userId);
    const now = after.assignments.get(userId);
    if (was && now && was.tier === now.tier && was.status === now.status) return [];
    const decision = ctx.decisions.get(userId);
    return [{
      at: ctx.at,
      userId,
      before: side(was),
      after: side(now),
      actor: ctx.actor,
      requestId: ctx.requestId,
      reason: now?.reason ?? (now ? null : 'deleted'),
      rule: decision?.reason ?? null,
      policy: decision ? ctx.policyName : null,
    }];
  });
};

/**
 * Runs the events on the loaded state; a license error leaves nothing to commit. What a leading
 * clock event causes (holds that ran out, and the users those seats let in) is recorded as the
 * clock's doing, not as the doing of the request that happened to come along.
 */
export const settle = (before: LicenseState, events: readonly LicenseEvent[], ctx: SettleContext): E.Either<LicenseError, Settlement> => {
  const [first, ...rest] = events;
  const timedFirst = first?.kind === 'clock' && rest.length > 0 && ctx.actor !== 'clock';
  const clockCtx: SettleContext = { ...ctx, actor: 'clock', requestId: null, decisions: new Map() };
  return pipe(
    timedFirst ? transitionAll(before, [first]) : E.right<LicenseError, Transition>({ state: before, effects: [] }),
    E.flatMap((timed) => E.map((after: Transition) => ({ timed, after }))(transitionAll(timed.state, timedFirst ? rest : events))),
    E.map(({ timed, after }) => {
      const { written, removed } = diffAssignments(before, after.state);
      const ledger = [...ledgerLines(before, timed.state, clockCtx), ...ledgerLines(timed.state, after.state, ctx)];
      const effects = [...timed.effects, ...after.effects];
      const outbox: OutboxEventInput[] = ctx.outbox ? effects.map((effect) => ({ id: ctx.newId(), at: ctx.at, effect })) : [];
      return {
        changes: {
          ...(written.length > 0 ? { putAssignments: written } : {}),
          ...(removed.length > 0 ? { deleteAssignments: removed } : {}),
          ...(after.state.seq !== before.seq ? { licenseSeq: after.state.seq } : {}),
          ...(after.state.phase !== before.phase ? { licensePhase: after.state.phase } : {}),
          ...(ledger.length > 0 ? { appendLedger: ledger } : {}),
          ...(outbox.length > 0 ? { appendEvents: outbox } : {}),
        },
        effects,
        assignments: after.state.assignments,
        before,
        after: after.state,
      };
    }),
  );
};
