/** Hono binding entry: `seatkit/hono`. */
export { scimHandler } from './bindings/hono';
