/**
 * The wire form of {@link ScimError}: RFC 7644 §3.12 error bodies.
 */
import type { ScimError, ScimErrorTag } from './scim-error';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.12 `scimType` values, plus none for errors that have no keyword. */
export type ScimType =
  | 'invalidSyntax' | 'invalidValue' | 'invalidFilter' | 'invalidPath' | 'noTarget'
  | 'mutability' | 'uniqueness' | 'tooMany';

// A new tag without a row here does not compile: every error has a documented status.
export const ERROR_STATUS: Record<ScimErrorTag, { readonly status: number; readonly scimType?: ScimType }> = {
  InvalidSyntax: { status: 400, scimType: 'invalidSyntax' },
  InvalidValue: { status: 400, scimType: 'invalidValue' },
  InvalidFilter: { status: 400, scimType: 'invalidFilter' },
  InvalidPath: { status: 400, scimType: 'invalidPath' },
  NoTarget: { status: 400, scimType: 'noTarget' },
  Mutability: { status: 400, scimType: 'mutability' },
  Uniqueness: { status: 409, scimType: 'uniqueness' },
  // RFC 7644 §3.7.1 gives the status and no scimType.
  CircularReference: { status: 409 },
  TooMany: { status: 400, scimType: 'tooMany' },
  NotFound: { status: 404 },
  PreconditionFailed: { status: 412 },
  SeatLimitReached: { status: 403 },
  Unauthorized: { status: 401 },
  MethodNotAllowed: { status: 405 },
  NotAcceptable: { status: 406 },
  PayloadTooLarge: { status: 413 },
  UnsupportedMediaType: { status: 415 },
  PolicyMisconfigured: { status: 500 },
  StorageUnavailable: { status: 503 },
  Internal: { status: 500 },
};

export interface ScimErrorBody {
  readonly schemas: readonly [typeof ERROR_SCHEMA];
  readonly status: string;
  readonly scimType?: ScimType;
  readonly detail: string;
}

/** Turns an error into its RFC 7644 body; `status` is a string, as §3.12 requires. */
export const toScimErrorBody = (error: ScimError): ScimErrorBody => {
  const { status, scimType } = ERROR_STATUS[error._tag];
  const detail = error._tag === 'InvalidValue' && error.issues.length > 0
    ? `${error.detail}: ${error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`
    : error.detail;
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
};

/** The HTTP status for an error. */
export const errorStatus = (error: ScimError): number => ERROR_STATUS[error._tag].status;
