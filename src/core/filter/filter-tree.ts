/**
 * seatkit's own filter tree: a parsed SCIM filter whose attribute names are already resolved
 * against the schema. Storage adapters receive this, never the raw filter text.
 */
import type { ResolvedAttribute } from '../schema/resolve-path';

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type CompareValue = string | number | boolean | null;

export type FilterTree =
  | { readonly kind: 'compare'; readonly op: CompareOperator; readonly target: ResolvedAttribute; readonly value: CompareValue }
  | { readonly kind: 'present'; readonly target: ResolvedAttribute }
  | { readonly kind: 'and' | 'or'; readonly filters: readonly FilterTree[] }
  | { readonly kind: 'not'; readonly filter: FilterTree }
  /** `emails[type eq "work" and primary eq true]`: one element must satisfy the whole inner filter. */
  | { readonly kind: 'valuePath'; readonly target: ResolvedAttribute; readonly filter: FilterTree };
