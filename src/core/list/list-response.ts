/**
 * The ListResponse message (RFC 7644 §3.4.2).
 */
import type { Json } from '../schema/canonicalize';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** Wraps one page of resources. */
export const toListResponse = (resources: readonly Json[], totalResults: number, startIndex: number): Json => ({
  schemas: [LIST_RESPONSE_SCHEMA],
  totalResults,
  startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});
