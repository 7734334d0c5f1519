/**
 * The SCIM endpoint as one web-standard function: `(request) => Promise<Response>`, which never
 * rejects. Framework bindings only translate to and from it.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { internal, notFound } from '../core/errors/scim-error';
import type { PageLimits } from '../core/list/list-query';
import type { ServiceLimits } from '../core/schema/discovery';
import { fromPort } from '../service/lift';
import type { Deps, WriteResult } from '../service/service-context';
import { authenticate } from './authenticate';
import { runEndpoint } from './endpoints';
import { errorResponse, withoutBody } from './respond';
import { matchRoute } from './route';

export interface HandlerOptions {
  readonly deps: Deps;
  readonly limits: PageLimits & ServiceLimits;
  /** Where the SCIM endpoints are mounted; found from the path when not given. */
  readonly basePath?: string;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly afterCommit: (tenantId: string, result: WriteResult<unknown>) => Promise<void>;
  readonly onError: (error: unknown) => void;
}

export interface HandleContext {
  /** Where this request's SCIM endpoints are mounted, when the binding knows (Express's `req.baseUrl`). */
  readonly basePath?: string;
}

export type ScimHandler = (request: Request, context?: HandleContext) => Promise<Response>;

// A caller's request id is kept when it looks like one; anything else is not worth recording.
const requestIdOf = (request: Request): string | null => {
  const id = request.headers.get('x-request-id') ?? request.headers.get('client-request-id');
  return id && /^[\w.:-]{1,128}$/.test(id) ? id : null;
};

/** Builds the request handler. */
export const createScimHandler = (options: HandlerOptions): ScimHandler => async (request, context) => {
  const response = await respondTo(options, request, context);
  return request.method.toUpperCase() === 'HEAD' ? withoutBody(response) : response;
};

const respondTo = async (options: HandlerOptions, request: Request, context: HandleContext | undefined): Promise<Response> => {
  try {
    const url = new URL(request.url);
    const route = matchRoute(url.pathname, context?.basePath ?? options.basePath);
    if (!route) return errorResponse(notFound('No SCIM endpoint at this path'));
    const program = pipe(
      fromPort(() => authenticate(request, options.deps.storage)),
      TE.flatMapEither((tenant) => tenant),
      TE.flatMap(({ tenant, tokenHash }) => runEndpoint({
        deps: options.deps,
        ctx: {
          tenant,
          baseUrl: url.origin + route.basePath,
          now: options.clock().toISOString(),
          newId: options.newId,
          ifMatch: request.headers.get('if-match'),
          // A digest prefix names the IdP connection in the ledger without revealing the token.
          actor: `token:${tokenHash.slice(0, 12)}`,
          requestId: requestIdOf(request) ?? options.newId(),
        },
        route,
        request,
        url,
        limits: options.limits,
        afterCommit: (result) => options.afterCommit(tenant.id, result),
      })),
    );
    const result = await program();
    // Faults carry their cause for the host's logs; the IdP only sees the SCIM error.
    if (E.isLeft(result) && (result.left._tag === 'Internal' || result.left._tag === 'StorageUnavailable') && result.left.cause !== undefined) {
      options.onError(result.left.cause);
    }
    return E.getOrElse(errorResponse)(result);
  } catch (cause) {
    options.onError(cause);
    return errorResponse(internal('The service provider failed to process the request'));
  }
};
