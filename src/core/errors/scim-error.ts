/**
 * Every way a SCIM request can fail, as plain tagged values.
 *
 * Errors are data, not exceptions: the core returns them in `Either.left`, the edge turns them into
 * RFC 7644 §3.12 bodies with {@link toScimErrorBody}. `detail` is written for the IdP admin who reads
 * it in Okta's or Entra's provisioning log, so it never echoes user data.
 */

/** One problem found in a request body, already translated from the validator's wording. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

export type ScimError =
  | { readonly _tag: 'InvalidSyntax'; readonly detail: string }
  | { readonly _tag: 'InvalidValue'; readonly detail: string; readonly issues: readonly Issue[] }
  | { readonly _tag: 'InvalidFilter'; readonly detail: string }
  | { readonly _tag: 'InvalidPath'; readonly detail: string }
  | { readonly _tag: 'NoTarget'; readonly detail: string }
  | { readonly _tag: 'Mutability'; readonly detail: string }
  | { readonly _tag: 'Uniqueness'; readonly detail: string }
  | { readonly _tag: 'CircularReference'; readonly detail: string }
  | { readonly _tag: 'TooMany'; readonly detail: string }
  | { readonly _tag: 'NotFound'; readonly detail: string }
  | { readonly _tag: 'PreconditionFailed'; readonly detail: string }
  | { readonly _tag: 'SeatLimitReached'; readonly detail: string }
  | { readonly _tag: 'Unauthorized'; readonly detail: string }
  | { readonly _tag: 'MethodNotAllowed'; readonly detail: string; readonly allow: readonly string[] }
  | { readonly _tag: 'NotAcceptable'; readonly detail: string }
  | { readonly _tag: 'PayloadTooLarge'; readonly detail: string }
  | { readonly _tag: 'UnsupportedMediaType'; readonly detail: string }
  | { readonly _tag: 'PolicyMisconfigured'; readonly detail: string }
  | { readonly _tag: 'StorageUnavailable'; readonly detail: string; readonly cause?: unknown }
  | { readonly _tag: 'Internal'; readonly detail: string; readonly cause?: unknown };

export type ScimErrorTag = ScimError['_tag'];

/** invalidSyntax: the body is not JSON, or not a SCIM message at all. */
export const invalidSyntax = (detail: string): ScimError => ({ _tag: 'InvalidSyntax', detail });
/** invalidValue: a required attribute is missing or an attribute has the wrong type. */
export const invalidValue = (detail: string, issues: readonly Issue[] = []): ScimError => ({ _tag: 'InvalidValue', detail, issues });
/** invalidFilter: the `filter` parameter does not parse or names an unknown attribute. */
export const invalidFilter = (detail: string): ScimError => ({ _tag: 'InvalidFilter', detail });
/** invalidPath: a PATCH `path` does not parse or names an unknown attribute. */
export const invalidPath = (detail: string): ScimError => ({ _tag: 'InvalidPath', detail });
/** noTarget: a PATCH `path` selects nothing and nothing can be created there. */
export const noTarget = (detail: string): ScimError => ({ _tag: 'NoTarget', detail });
/** mutability: the request tries to change a read-only or immutable attribute. */
export const mutability = (detail: string): ScimError => ({ _tag: 'Mutability', detail });
/** uniqueness: another resource of the tenant already holds this unique value. */
export const uniqueness = (detail: string): ScimError => ({ _tag: 'Uniqueness', detail });
/** A bulk request's operations refer to each other's bulkIds in a circle seatkit cannot break (RFC 7644 §3.7.1). */
export const circularReference = (detail: string): ScimError => ({ _tag: 'CircularReference', detail });
/** tooMany: the request would return or touch more resources than the server allows. */
export const tooMany = (detail: string): ScimError => ({ _tag: 'TooMany', detail });
/** The addressed resource does not exist in this tenant. */
export const notFound = (detail: string): ScimError => ({ _tag: 'NotFound', detail });
/** `If-Match` names a version the resource no longer has (RFC 7644 §3.14). */
export const preconditionFailed = (detail: string): ScimError => ({ _tag: 'PreconditionFailed', detail });
/**
 * A tier in `reject` mode is full (403, RFC 7644 §3.12 "operation is not permitted"). Never 409, 429
 * or 5xx: the IdP must not retry it as a conflict or an outage.
 */
export const seatLimitReached = (tier: string, held: number, seats: number): ScimError =>
  ({ _tag: 'SeatLimitReached', detail: `Seat limit reached for '${tier}' (${held}/${seats}); an admin must free or buy a seat` });
/** Missing, malformed or unknown bearer token. */
export const unauthorized = (detail: string): ScimError => ({ _tag: 'Unauthorized', detail });
/** The endpoint exists but not with this HTTP method. */
export const methodNotAllowed = (detail: string, allow: readonly string[] = []): ScimError => ({ _tag: 'MethodNotAllowed', detail, allow });
/** The client accepts no media type the server can produce. */
export const notAcceptable = (detail: string): ScimError => ({ _tag: 'NotAcceptable', detail });
/** The body is larger than the advertised `maxPayloadSize`. */
export const payloadTooLarge = (detail: string): ScimError => ({ _tag: 'PayloadTooLarge', detail });
/** The body is not JSON by its declared content type. */
export const unsupportedMediaType = (detail: string): ScimError => ({ _tag: 'UnsupportedMediaType', detail });
/** The host's license policy answered something the tenant's contract cannot honour. */
export const policyMisconfigured = (detail: string): ScimError => ({ _tag: 'PolicyMisconfigured', detail });
/** The storage adapter could not be reached; the IdP should retry. */
export const storageUnavailable = (detail: string, cause?: unknown): ScimError => ({ _tag: 'StorageUnavailable', detail, cause });
/** A fault that is nobody's input error. */
export const internal = (detail: string, cause?: unknown): ScimError => ({ _tag: 'Internal', detail, cause });

/** Exhaustive match over the error union: a new tag without a case does not compile. */
export const matchScimError = <R>(cases: { [K in ScimErrorTag]: (e: Extract<ScimError, { _tag: K }>) => R }) =>
  (error: ScimError): R =>
    (cases[error._tag] as (e: ScimError) => R)(error);
