/**
 * Which SCIM endpoint a URL path addresses, under any base path.
 */
import { isStorableText } from '../core/schema/storable-text';

/** `Root` is the service provider root, which only serves POST /.search. */
export type Endpoint = 'Users' | 'Groups' | 'Roles' | 'Entitlements' | 'ServiceProviderConfig' | 'ResourceTypes' | 'Schemas' | 'Bulk' | 'Root';

export interface Route {
  readonly endpoint: Endpoint;
  /** The resource id (or schema URN, or resource type name); null for the collection. */
  readonly id: string | null;
  /** The part of the path before the endpoint, e.g. `/scim/v2`. */
  readonly basePath: string;
}

const ENDPOINTS: readonly Endpoint[] = ['Users', 'Groups', 'Roles', 'Entitlements', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas', 'Bulk'];

/** The path segment of a search request (RFC 7644 §3.4.3). */
export const SEARCH = '.search';

const endpointNamed = (segment: string | undefined): Endpoint | undefined =>
  segment === undefined ? undefined : ENDPOINTS.find((e) => e.toLowerCase() === segment.toLowerCase());

// A segment that decodes to text no resource can hold (`%00`; see storable-text.ts) is kept as sent:
// it then names no resource, and the lookup answers 404 instead of failing in the database.
const decode = (segment: string) => {
  try {
    const decoded = decodeURIComponent(segment);
    return isStorableText(decoded) ? decoded : segment;
  } catch {
    return segment;
  }
};

/**
 * Matches a path. With a known `basePath` the rest must be `/Endpoint` or `/Endpoint/id`; without
 * one, the endpoint is found from the end of the path, so the handler works wherever it is mounted.
 */
export const matchRoute = (pathname: string, basePath?: string): Route | null => {
  const trimmed = pathname.replace(/\/+$/, '');
  if (basePath !== undefined) {
    const base = basePath.replace(/\/+$/, '');
    if (!trimmed.startsWith(base)) return null;
    const [first, second, ...extra] = trimmed.slice(base.length).split('/').filter(Boolean).map(decode);
    if (first === SEARCH && second === undefined) return { endpoint: 'Root', id: SEARCH, basePath: base };
    const endpoint = endpointNamed(first);
    return endpoint && extra.length === 0 ? { endpoint, id: second ?? null, basePath: base } : null;
  }
  const segments = trimmed.split('/');
  const last = segments.length - 1;
  const collection = endpointNamed(decode(segments[last] ?? ''));
  if (collection) return { endpoint: collection, id: null, basePath: segments.slice(0, last).join('/') };
  const parent = endpointNamed(decode(segments[last - 1] ?? ''));
  if (parent && last >= 1) return { endpoint: parent, id: decode(segments[last]!), basePath: segments.slice(0, last - 1).join('/') };
  if (segments[last] === SEARCH) return { endpoint: 'Root', id: SEARCH, basePath: segments.slice(0, last).join('/') };
  return null;
};
