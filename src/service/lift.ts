/**
 * The one place where storage and policy calls are lifted into `TaskEither`, and the only
 * try/catch around adapters: a thrown fault becomes a `ScimError`, never a rejected promise.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { internal, storageUnavailable, type ScimError } from '../core/errors/scim-error';
import type { StorageAdapter, TenantReader, UnitOfWork } from '../ports/storage-adapter';
import type { Deps, RequestContext } from './service-context';

/** Adapters signal "the database is not reachable now, try again" with this error. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

const fault = (cause: unknown): ScimError =>
  cause instanceof StorageUnavailableError
    ? storageUnavailable('The service provider\'s storage is unavailable; retry later', cause)
    : internal('The service provider failed to process the request', cause);

/** Runs an adapter call; a throw becomes a 500 (or 503 when the storage is unavailable). */
export const fromPort = <A>(call: () => Promise<A>): TE.TaskEither<ScimError, A> => TE.tryCatch(call, fault);

/** Runs a read-only program against a tenant. */
export const inReader = <Err, A>(
  storage: StorageAdapter,
  tenantId: string,
  program: (reader: TenantReader) => TE.TaskEither<Err, A>,
): TE.TaskEither<Err | ScimError, A> =>
  TE.flatMapEither(fromPort(() => storage.read(tenantId, (reader) => program(reader)())), (e) => e as E.Either<Err | ScimError, A>);

/**
 * Runs a program in one unit of work. The program commits as its last step; when it ends in a
 * Left it never commits, so a failed request leaves storage as it was.
 *
 * The program gets the request's context as of the tenant's lock: the contract read inside it and
 * the time taken after it. A contract read at authentication could be cut while the request waited,
 * and a time taken before the wait would put the ledger out of order.
 */
export const inUnit = <Err, A>(
  deps: Pick<Deps, 'storage' | 'clock'>,
  ctx: RequestContext,
  program: (unit: UnitOfWork, ctx: RequestContext) => TE.TaskEither<Err, A>,
): TE.TaskEither<Err | ScimError, A> =>
  TE.flatMapEither(fromPort(() => deps.storage.write(ctx.tenant.id, async (unit) => {
    const tenant = await unit.tenant();
    return program(unit, { ...ctx, tenant, now: deps.clock().toISOString() })();
  })), (e) => e as E.Either<Err | ScimError, A>);
