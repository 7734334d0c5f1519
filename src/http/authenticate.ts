/**
 * Bearer token authentication: the token's SHA-256 digest finds the tenant, and the digests are
 * compared in constant time. Tokens are never stored in the clear.
 */
import { constantTimeEqual, hashToken } from '../service/token-digest';
import * as E from 'fp-ts/Either';
import { unauthorized, type ScimError } from '../core/errors/scim-error';
import type { StorageAdapter, TenantToken } from '../ports/storage-adapter';

const bearerToken = (header: string | null): string | null => {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
};

/** The tenant the request's bearer token belongs to (with the token's digest), or 401. */
export const authenticate = async (request: Request, storage: StorageAdapter): Promise<E.Either<ScimError, TenantToken>> => {
  const token = bearerToken(request.headers.get('authorization'));
  if (!token) return E.left(unauthorized('A bearer token is required in the Authorization header'));
  const digest = await hashToken(token);
  const found = await storage.findTenantByTokenHash(digest);
  return found && constantTimeEqual(found.tokenHash, digest)
    ? E.right(found)
    : E.left(unauthorized('The bearer token is not valid for any tenant'));
};
