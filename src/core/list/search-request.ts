/**
 * The body of POST /.search (RFC 7644 §3.4.3), read into the same parameters a GET list takes, so
 * both paths share one parser.
 */
import * as E from 'fp-ts/Either';
import * as z from 'zod';
import { invalidValue, type ScimError } from '../errors/scim-error';
import { isObject } from '../schema/canonicalize';
import { toIssues } from '../schema/validate-resource';

export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

const names = z.union([z.array(z.string()), z.string()]).transform((v) => (Array.isArray(v) ? v.join(',') : v));
const integer = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform(String);

const searchRequestSchema = z.object({
  attributes: names.optional(),
  excludedAttributes: names.optional(),
  filter: z.string().optional(),
  sortBy: z.string().optional(),
  sortOrder: z.string().optional(),
  startIndex: integer.optional(),
  count: integer.optional(),
});

/** Query-parameter view of a SearchRequest body; parameter names match ignoring case, as in GET. */
export const searchParams = (body: unknown): E.Either<ScimError, { get(name: string): string | null }> => {
  if (!isObject(body)) return E.left(invalidValue('A search request must be a JSON object'));
  const known = ['attributes', 'excludedAttributes', 'filter', 'sortBy', 'sortOrder', 'startIndex', 'count'];
  const canonical = Object.fromEntries(Object.entries(body).map(([k, v]) => [known.find((n) => n.toLowerCase() === k.toLowerCase()) ?? k, v]));
  const parsed = searchRequestSchema.safeParse(canonical);
  if (!parsed.success) return E.left(invalidValue('The search request is not valid', toIssues(parsed.error)));
  const values = parsed.data as Record<string, string | undefined>;
  return E.right({ get: (name: string) => values[name] ?? null });
};
