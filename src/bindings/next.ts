/**
 * seatkit for Next.js App Router: route handlers for a catch-all route such as
 * `app/scim/v2/[...path]/route.ts`.
 *
 * @example
 * export const { GET, HEAD, POST, PUT, PATCH, DELETE } = scimRouteHandlers(seatkit);
 */
import type { Seatkit } from '../seatkit';

type RouteHandler = (request: Request) => Promise<Response>;

export interface ScimRouteHandlers {
  readonly GET: RouteHandler;
  /** GET without the body; exported so HEAD is answered by seatkit rather than by the framework. */
  readonly HEAD: RouteHandler;
  readonly POST: RouteHandler;
  readonly PUT: RouteHandler;
  readonly PATCH: RouteHandler;
  readonly DELETE: RouteHandler;
}

/** Route handlers for every SCIM method; the base path is found from the request path. */
export const scimRouteHandlers = (seatkit: Seatkit, options: { basePath?: string } = {}): ScimRouteHandlers => {
  const handle: RouteHandler = (request) => seatkit.handle(request, options.basePath ? { basePath: options.basePath } : undefined);
  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle };
};
