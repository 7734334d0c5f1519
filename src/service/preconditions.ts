/**
 * Optimistic concurrency (RFC 7644 §3.14): a write that names a version with If-Match only applies
 * to that version. The check runs inside the unit of work, after the resource is loaded under lock.
 */
import * as TE from 'fp-ts/TaskEither';
import { preconditionFailed, type ScimError } from '../core/errors/scim-error';
import { etagMatches } from '../core/resource/etag';
import type { ResourceMeta } from '../ports/storage-adapter';
import type { RequestContext } from './service-context';

/** Passes the resource through when If-Match is absent or names its version; 412 otherwise. */
export const checkIfMatch = <R extends { meta: ResourceMeta }>(ctx: RequestContext) => (resource: R): TE.TaskEither<ScimError, R> =>
  ctx.ifMatch === null || etagMatches(ctx.ifMatch, resource.meta.version)
    ? TE.right(resource)
    : TE.left(preconditionFailed('The resource has changed since the version named in If-Match; read it again'));
