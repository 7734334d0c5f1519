/** Next.js App Router binding entry: `seatkit/next`. */
export { scimRouteHandlers } from './bindings/next';
export type { ScimRouteHandlers } from './bindings/next';
