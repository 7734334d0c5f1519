/**
 * The seat gate every write passes through: asks the policy which tier each touched user wants,
 * loads the license slice those users need, and runs the pure transition.
 */
import * as E from 'fp-ts/Either';
import * as RA from 'fp-ts/ReadonlyArray';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { policyMisconfigured, seatLimitReached, type ScimError } from '../core/errors/scim-error';
import { tierRank } from '../core/license/contract';
import type { LicenseState } from '../core/license/license-state';
import type { LicenseError, LicenseEvent } from '../core/license/transition';
import type { Json } from '../core/schema/canonicalize';
import type { TierDecision } from '../ports/license-policy';
import type { GroupRef, UnitOfWork } from '../ports/storage-adapter';
import { fromPort } from './lift';
import { loadLicenseState, settle, type Settlement } from './license-unit';
import type { Deps, RequestContext } from './service-context';

export type { Settlement } from './license-unit';

/** A user whose license may change: its attributes and groups after the write, or deleted. */
export type Subject =
  | { readonly userId: string; readonly deleted: false; readonly doc: Json; readonly groups: readonly GroupRef[] }
  | { readonly userId: string; readonly deleted: true };

/** Absent `active` counts as active: IdPs that never send it still expect their users licensed. */
export const isActive = (doc: Json): boolean => doc.active !== false;

type Decided = { readonly event: LicenseEvent; readonly decision: TierDecision | null };

const eventFor = (deps: Deps, ctx: RequestContext) => (subject: Subject): TE.TaskEither<ScimError, Decided> => {
  if (subject.deleted) return TE.right({ event: { kind: 'userDeleted', userId: subject.userId, at: ctx.now }, decision: null });
  const { doc, groups, userId } = subject;
  // Deactivation never depends on the policy, so a policy that fails cannot block it.
  if (!isActive(doc)) return TE.right({ event: { kind: 'userInactive', userId, at: ctx.now }, decision: null });
  return pipe(
    fromPort(async () => deps.policy.decideTier({ tenantId: ctx.tenant.id, contract: ctx.tenant.contract, user: doc, groups, userType: deps.schemas.user })),
    TE.map((decision) => ({ event: { kind: 'userActive' as const, userId, wantedTier: decision.tier, at: ctx.now }, decision })),
  );
};

/** The SCIM error for a license error met while serving an IdP's request. */
export const licenseErrorToScim = (e: LicenseError): ScimError => {
  switch (e._tag) {
    case 'SeatLimitReached': return seatLimitReached(e.tier, e.held, e.seats);
    case 'UnknownTier': return policyMisconfigured(`The license policy chose the tier '${e.tier}', which the tenant's contract does not have`);
    case 'TierInUse':
    case 'NotPending':
    case 'NoFreeSeat':
      return policyMisconfigured('The license engine refused the change');
  }
};

/**
 * One request's changes happen together, so the users it moves out of a tier give their seats up
 * before anyone it moves in asks for one: a group swap into a full `reject` tier must not fail.
 */
const leaversFirst = (before: LicenseState, events: readonly LicenseEvent[]): LicenseEvent[] => {
  const leaves = (e: LicenseEvent): boolean => {
    if (e.kind !== 'userActive') return true;
    const held = before.assignments.get(e.userId);
    return held !== undefined && held.status !== 'pending' && held.status !== 'released'
      && tierRank(before.contract, e.wantedTier) < tierRank(before.contract, held.tier);
  };
  return [...events.filter(leaves), ...events.filter((e) => !leaves(e))];
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
    TE.bind('decided', () => pipe(subjects, RA.traverse(TE.ApplicativeSeq)(eventFor(deps, ctx)))),
    TE.bind('before', () => fromPort(() => loadLicenseState(unit, ctx.tenant.contract, subjects.map((s) => s.userId), ctx.now))),
    TE.flatMapEither(({ decided, before }) => pipe(
      // Time first: holds that ran out end before this request's own changes.
      settle(before, [{ kind: 'clock', at: ctx.now }, ...leaversFirst(before, decided.map((d) => d.event))], {
        at: ctx.now,
        actor: ctx.actor,
        requestId: ctx.requestId,
        newId: ctx.newId,
        decisions: new Map(decided.flatMap((d, i) => (d.decision ? [[subjects[i]!.userId, d.decision] as const] : []))),
        policyName: deps.policy.name ?? 'custom',
        outbox: deps.outbox,
      }),
      E.mapLeft(licenseErrorToScim),
    )),
  );
