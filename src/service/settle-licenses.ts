/**
 * The seat gate every write passes through: asks the policy which tier each touched user wants,
 * loads the license slice those users need, and runs the pure transition.
 */
import * as E from 'fp-ts/Either';
import * as RA from 'fp-ts/ReadonlyArray';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { policyMisconfigured, type ScimError } from '../core/errors/scim-error';
import type { Assignment } from '../core/license/assignment';
import type { Contract } from '../core/license/contract';
import type { LicenseEffect } from '../core/license/license-effect';
import { diffAssignments, type LicenseState } from '../core/license/license-state';
import { transitionAll, type LicenseEvent, type Transition } from '../core/license/transition';
import type { Json } from '../core/schema/canonicalize';
import type { ChangeSet, GroupRef, UnitOfWork } from '../ports/storage-adapter';
import { fromPort } from './lift';
import type { Deps, RequestContext } from './service-context';

/** A user whose license may change: its attributes and groups after the write, or deleted. */
export type Subject =
  | { readonly userId: string; readonly deleted: false; readonly doc: Json; readonly groups: readonly GroupRef[] }
  | { readonly userId: string; readonly deleted: true };

export interface Settlement {
  readonly changes: Pick<ChangeSet, 'putAssignments' | 'deleteAssignments' | 'licenseSeq'>;
  readonly effects: readonly LicenseEffect[];
  /** Every touched user's assignment after the write. */
  readonly assignments: ReadonlyMap<string, Assignment>;
}

/** Absent `active` counts as active: IdPs that never send it still expect their users licensed. */
export const isActive = (doc: Json): boolean => doc.active !== false;

/**
 * Loads what the transition needs: every tier's counts, the touched users' assignments, and each
 * queue's head, long enough for every promotion the touched users could cause.
 */
export const loadLicenseState = async (unit: UnitOfWork, contract: Contract, userIds: readonly string[]): Promise<LicenseState> => {
  const [counts, touched, seq] = await Promise.all([unit.seatCounts(), unit.getAssignments(userIds), unit.licenseSeq()]);
  const tiers = new Map(contract.tiers.map((t) => {
    const c = counts.get(t.key) ?? { assigned: 0, pending: 0 };
    return [t.key, { limit: t.seats, assigned: c.assigned, pending: c.pending }] as const;
  }));
  const heads = await Promise.all([...tiers].filter(([, t]) => t.pending > 0).map(([key, t]) => {
    // An unlimited tier can promote its whole queue (a contract that drops the limit does).
    const free = t.limit === null ? t.pending : Math.max(0, t.limit - t.assigned);
    return unit.oldestPending(key, free + userIds.length);
  }));
  const assignments = new Map<string, Assignment>();
  for (const a of [...heads.flat(), ...touched]) assignments.set(a.userId, a);
  return { seq, tiers, assignments };
};

const eventFor = (deps: Deps, ctx: RequestContext) => (subject: Subject): TE.TaskEither<ScimError, LicenseEvent> => {
  if (subject.deleted) return TE.right({ kind: 'userDeleted', userId: subject.userId, at: ctx.now });
  const { doc, groups, userId } = subject;
  // Deactivation never depends on the policy, so a policy that fails cannot block it.
  if (!isActive(doc)) return TE.right({ kind: 'userInactive', userId, at: ctx.now });
  return pipe(
    fromPort(async () => deps.policy.decideTier({ tenantId: ctx.tenant.id, contract: ctx.tenant.contract, user: doc, groups, userType: deps.schemas.user })),
    TE.map((decision) => ({ kind: 'userActive' as const, userId, wantedTier: decision.tier, at: ctx.now })),
  );
};

const toSettlement = (before: LicenseState, after: Transition, subjects: readonly Subject[]): Settlement => {
  const { written, removed } = diffAssignments(before, after.state);
  const assignments = new Map(subjects.flatMap((s) => {
    const a = after.state.assignments.get(s.userId);
    return a ? [[s.userId, a] as const] : [];
  }));
  return {
    changes: {
      ...(written.length > 0 ? { putAssignments: written } : {}),
      ...(removed.length > 0 ? { deleteAssignments: removed } : {}),
      ...(after.state.seq !== before.seq ? { licenseSeq: after.state.seq } : {}),
    },
    effects: after.effects,
    assignments,
  };
};

/** Decides and applies the license change for the given users, without committing it. */
export const settleLicenses = (
  deps: Deps,
  ctx: RequestContext,
  unit: UnitOfWork,
  subjects: readonly Subject[],
): TE.TaskEither<ScimError, Settlement> =>
  pipe(
    TE.Do,
    TE.bind('events', () => pipe(subjects, RA.traverse(TE.ApplicativeSeq)(eventFor(deps, ctx)))),
    TE.bind('before', () => fromPort(() => loadLicenseState(unit, ctx.tenant.contract, subjects.map((s) => s.userId)))),
    TE.flatMapEither(({ events, before }) => pipe(
      transitionAll(before, events),
      E.bimap(
        (e) => policyMisconfigured(`The license policy chose the tier '${e.tier}', which the tenant's contract does not have`),
        (after) => toSettlement(before, after, subjects),
      ),
    )),
  );
