/** Express binding entry: `seatkit/express`. */
export { scimMiddleware } from './bindings/express';
