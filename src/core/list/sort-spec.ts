/**
 * `sortBy` / `sortOrder` (RFC 7644 §3.4.2.3), resolved against the schema.
 */
import type { ResolvedAttribute } from '../schema/resolve-path';

export interface SortSpec {
  /** A single-valued attribute (or a sub-attribute of a single-valued complex one). */
  readonly target: ResolvedAttribute;
  readonly descending: boolean;
}
