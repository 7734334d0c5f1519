/**
 * `sortBy` / `sortOrder` (RFC 7644 §3.4.2.3), resolved against the schema.
 */
import type { ResolvedAttribute } from '../schema/resolve-path';

export interface SortSpec {
  /**
   * A simple attribute or a sub-attribute; when it is (in) a multi-valued attribute, each resource
   * sorts by its primary item's value, else its first value (RFC 7644 §3.4.2.3).
   */
  readonly target: ResolvedAttribute;
  readonly descending: boolean;
}
