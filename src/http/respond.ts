/**
 * SCIM responses: `application/scim+json` bodies, errors per RFC 7644 §3.12.
 */
import type { ScimError } from '../core/errors/scim-error';
import { errorStatus, toScimErrorBody } from '../core/errors/scim-error-body';
import { versionOf } from '../core/resource/projection';
import type { Json } from '../core/schema/canonicalize';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** A JSON response with the SCIM media type. */
export const scimJson = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers } });

/** A resource response, with its ETag and, when created, its Location. */
export const resourceResponse = (status: 200 | 201, resource: Json): Response => {
  const meta = (resource.meta ?? {}) as { location?: string };
  const version = versionOf(resource);
  return scimJson(status, resource, {
    ...(version ? { etag: version } : {}),
    ...(status === 201 && meta.location ? { location: meta.location } : {}),
  });
};

/** 304 Not Modified when If-None-Match names the resource's current version (RFC 7644 §3.14), else 200. */
export const conditionalResponse = (request: Request, resource: Json): Response => {
  const version = versionOf(resource);
  const ifNoneMatch = request.headers.get('if-none-match');
  if (version && ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === version.replace(/^W\//, ''))) {
    return new Response(null, { status: 304, headers: { etag: version } });
  }
  return resourceResponse(200, resource);
};

/** 204 No Content. */
export const noContent = (): Response => new Response(null, { status: 204 });

/** An RFC 7644 §3.12 error response. */
export const errorResponse = (error: ScimError): Response => {
  const status = errorStatus(error);
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="SCIM"';
  if (status === 503) headers['retry-after'] = '5';
  if (error._tag === 'MethodNotAllowed' && error.allow.length > 0) headers.allow = error.allow.join(', ');
  return scimJson(status, toScimErrorBody(error), headers);
};
