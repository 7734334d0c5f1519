/**
 * seatkit for Hono: a handler for every method under the SCIM base path.
 *
 * @example
 * app.all('/scim/v2/*', scimHandler(seatkit));
 */
import type { Context } from 'hono';
import type { Seatkit } from '../seatkit';

/** A Hono handler serving the SCIM endpoints; the base path is found from the route. */
export const scimHandler = (seatkit: Seatkit) => (c: Context): Promise<Response> => {
  const pattern = c.req.routePath.replace(/\/\*$/, '');
  return seatkit.handle(c.req.raw, pattern.includes(':') ? undefined : { basePath: pattern });
};
