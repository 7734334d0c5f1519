/**
 * Resource versions as weak ETags (RFC 7644 §3.14).
 */

/** `W/"3"` for version 3. */
export const toETag = (version: number): string => `W/"${version}"`;

// RFC 7232 §2.3.2: If-Match and If-None-Match compare opaque tags; seatkit's are weak, so the W/ prefix is ignored.
const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** True when an If-Match / If-None-Match header value names this version (or is `*`). */
export const etagMatches = (header: string, version: number): boolean =>
  header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(toETag(version)));
