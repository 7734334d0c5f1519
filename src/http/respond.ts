/**
 * SCIM responses: `application/scim+json` bodies, errors per RFC 7644 §3.12.
 */
import type { ScimError } from '../core/errors/scim-error';
import { errorStatus, toScimErrorBody } from '../core/errors/scim-error-body';
import { metaOf } from '../core/resource/projection';
import type { Json } from '../core/schema/canonicalize';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** A JSON response with the SCIM media type. */
export const scimJson = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers } });

/** A resource response, with its ETag and, when created, its Location, even when the body leaves `meta` out. */
export const resourceResponse = (status: 200 | 201, resource: Json): Response => {
  const { version, location } = metaOf(resource);
  return scimJson(status, resource, {
    ...(version ? { etag: version } : {}),
    // RFC 7644 §3.3: a 201 names the new resource in Location.
    ...(status === 201 && location ? { location } : {}),
  });
};

/** 304 Not Modified when If-None-Match names the resource's current version (RFC 7644 §3.14), else 200. */
export const conditionalResponse = (request: Request, resource: Json): Response => {
  const { version } = metaOf(resource);
  const ifNoneMatch = request.headers.get('if-none-match');
  if (version && ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === version.replace(/^W\//, ''))) {
    return new Response(null, { status: 304, headers: { etag: version } });
  }
  return resourceResponse(200, resource);
};

/** 204 No Content; a write answered this way still sends the resource's new ETag (RFC 7644 §3.14). */
export const noContent = (headers: Record<string, string> = {}): Response => new Response(null, { status: 204, headers });

/**
 * The response to HEAD: the GET response's status and headers without its body (RFC 9110 §9.3.2),
 * with the Content-Length the body would have had.
 */
export const withoutBody = async (response: Response): Promise<Response> => {
  const length = response.body ? (await response.arrayBuffer()).byteLength : 0;
  const headers = new Headers(response.headers);
  if (length > 0) headers.set('content-length', String(length));
  return new Response(null, { status: response.status, statusText: response.statusText, headers });
};

/** An RFC 7644 §3.12 error response. */
export const errorResponse = (error: ScimError): Response => {
  const status = errorStatus(error);
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="SCIM"';
  if (status === 503) headers['retry-after'] = '5';
  if (error._tag === 'MethodNotAllowed' && error.allow.length > 0) headers.allow = error.allow.join(', ');
  return scimJson(status, toScimErrorBody(error), headers);
};
