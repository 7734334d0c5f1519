/**
 * Resource versions as weak ETags (RFC 7644 §3.14).
 */

/** `W/"3"` for version 3. */
export const toETag = (version: number): string => `W/"${version}"`;
