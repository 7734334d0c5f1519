/**
 * POST /Bulk (RFC 7644 §3.7): many operations in one request, each run through the same endpoint
 * code as a single request and committed on its own. `bulkId:` references are replaced by the ids
 * of resources created earlier in the same request, in whatever order the operations arrive.
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import * as z from 'zod';
import { invalidValue, payloadTooLarge, type ScimError } from '../core/errors/scim-error';
import { toScimErrorBody } from '../core/errors/scim-error-body';
import { isObject, type Json } from '../core/schema/canonicalize';
import { toIssues } from '../core/schema/validate-resource';
import type { EndpointInput } from './endpoints';
import { errorResponse, scimJson } from './respond';
import { matchRoute, SEARCH } from './route';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

export interface BulkLimits {
  readonly maxOperations: number;
}

const operationSchema = z.object({
  method: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['POST', 'PUT', 'PATCH', 'DELETE'])),
  bulkId: z.string().min(1).optional(),
  version: z.string().optional(),
  path: z.string().regex(/^\//, { message: 'must start with /' }),
  data: z.unknown().optional(),
});

const bulkRequestSchema = z.object({
  schemas: z.array(z.string()).refine((s) => s.includes(BULK_REQUEST_SCHEMA), { message: `must contain ${BULK_REQUEST_SCHEMA}` }),
  failOnErrors: z.number().int().min(1).optional(),
  Operations: z.array(operationSchema),
});

type BulkOperation = z.infer<typeof operationSchema>;

// RFC 7644 §3.7.2: a reference is a whole value "bulkId:<id>", or a path segment after the endpoint.
const REFERENCE = /^bulkId:(.+)$/;
const MAX_DEPTH = 64;

/** Applies `visit` to every string in the data, depth-first; null when the data nests too deeply. */
const mapStrings = (value: unknown, visit: (s: string) => string, depth = 0): { value: unknown } | null => {
  if (depth > MAX_DEPTH) return null;
  if (typeof value === 'string') return { value: visit(value) };
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const mapped = mapStrings(item, visit, depth + 1);
      if (!mapped) return null;
      items.push(mapped.value);
    }
    return { value: items };
  }
  if (isObject(value)) {
    const entries: [string, unknown][] = [];
    for (const [k, v] of Object.entries(value)) {
      const mapped = mapStrings(v, visit, depth + 1);
      if (!mapped) return null;
      entries.push([k, mapped.value]);
    }
    // fromEntries defines own keys: `out[k] = v` with k "__proto__" would set the copy's prototype.
    return { value: Object.fromEntries(entries) };
  }
  return { value };
};

const pathSegments = (path: string) => path.split('/');

/** The bulkIds an operation refers to, or null when its data nests deeper than seatkit reads. */
const referencesOf = (op: BulkOperation): string[] | null => {
  const found: string[] = [];
  const collect = (s: string) => {
    const match = REFERENCE.exec(s);
    if (match) found.push(match[1]!);
    return s;
  };
  pathSegments(op.path).forEach(collect);
  return mapStrings(op.data ?? null, collect) ? found : null;
};

const resolve = (op: BulkOperation, ids: ReadonlyMap<string, string>): BulkOperation => {
  const swap = (s: string) => {
    const match = REFERENCE.exec(s);
    return match && ids.has(match[1]!) ? ids.get(match[1]!)! : s;
  };
  return { ...op, path: pathSegments(op.path).map(swap).join('/'), data: mapStrings(op.data ?? null, swap)!.value ?? undefined };
};

const operationResult = (op: BulkOperation, status: number, location?: string, version?: string, body?: unknown): Json => ({
  method: op.method,
  ...(op.bulkId ? { bulkId: op.bulkId } : {}),
  ...(version ? { version } : {}),
  ...(location ? { location } : {}),
  status: String(status),
  ...(status >= 400 && body !== undefined ? { response: body } : {}),
});

const failed = (op: BulkOperation, error: ScimError): Json => operationResult(op, Number(toScimErrorBody(error).status), undefined, undefined, toScimErrorBody(error));

/** Runs one operation as a request of its own through the endpoint table. */
const runOne = async (input: EndpointInput, op: BulkOperation, run: (i: EndpointInput) => TE.TaskEither<ScimError, Response>): Promise<{ result: Json; id?: string }> => {
  const url = new URL(input.ctx.baseUrl + op.path);
  const route = matchRoute(url.pathname, new URL(input.ctx.baseUrl).pathname);
  if (!route || (route.endpoint !== 'Users' && route.endpoint !== 'Groups') || route.id === SEARCH) {
    return { result: failed(op, invalidValue('A bulk operation path must be /Users, /Groups, /Users/{id} or /Groups/{id}')) };
  }
  const request = new Request(url, { method: op.method, headers: { 'content-type': 'application/scim+json' }, body: op.data === undefined ? undefined : JSON.stringify(op.data) });
  // Each operation carries its own version; the bulk request's own If-Match says nothing about it.
  const ctx = { ...input.ctx, ifMatch: op.version ?? null };
  const response = E.getOrElse(errorResponse)(await run({ ...input, ctx, route, request, url })());
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Json) : undefined;
  const meta = isObject(body?.meta) ? (body!.meta as { location?: string; version?: string }) : {};
  return {
    result: operationResult(op, response.status, meta.location ?? (op.method !== 'POST' ? input.ctx.baseUrl + op.path : undefined), meta.version, body),
    id: op.method === 'POST' && response.status === 201 && typeof body?.id === 'string' ? body.id : undefined,
  };
};

/** Processes a BulkRequest body; operations run in order, those waiting on a later bulkId after it. */
export const runBulk = (
  input: EndpointInput,
  body: unknown,
  limits: BulkLimits,
  run: (i: EndpointInput) => TE.TaskEither<ScimError, Response>,
): TE.TaskEither<ScimError, Response> =>
  pipe(
    TE.fromEither(pipe(
      bulkRequestSchema.safeParse(body),
      (r) => (r.success ? E.right(r.data) : E.left(invalidValue('The BulkRequest is not valid', toIssues(r.error)))),
      E.flatMap((req) => (req.Operations.length > limits.maxOperations
        ? E.left(payloadTooLarge(`A bulk request may hold at most ${limits.maxOperations} operations`))
        : E.right(req))),
      E.flatMap((req) => {
        const bulkIds = req.Operations.flatMap((op) => (op.bulkId ? [op.bulkId] : []));
        return new Set(bulkIds).size === bulkIds.length ? E.right(req) : E.left(invalidValue('Each bulkId must be unique within the request'));
      }),
    )),
    TE.flatMap((req) => TE.fromTask(async () => {
      const ids = new Map<string, string>();
      const failedIds = new Set<string>();
      const results = new Map<number, Json>();
      let errors = 0;
      let waiting = req.Operations.map((op, index) => ({ op, index }));
      const tooManyErrors = () => req.failOnErrors !== undefined && errors >= req.failOnErrors;
      while (waiting.length > 0 && !tooManyErrors()) {
        const ready = waiting.filter(({ op }) => (referencesOf(op) ?? []).every((ref) => ids.has(ref) || failedIds.has(ref)));
        if (ready.length === 0) break;
        for (const { op, index } of ready) {
          if (tooManyErrors()) break;
          waiting = waiting.filter((w) => w.index !== index);
          const references = referencesOf(op);
          const outcome = references === null
            ? { result: failed(op, invalidValue(`The operation's data nests deeper than ${MAX_DEPTH} levels`)) }
            : references.some((ref) => !ids.has(ref))
              ? { result: failed(op, invalidValue('The operation refers to a bulkId whose operation failed')) }
              : await runOne(input, resolve(op, ids), run);
          results.set(index, outcome.result);
          if (Number(outcome.result.status) >= 400) {
            errors += 1;
            if (op.bulkId) failedIds.add(op.bulkId);
          } else if (op.bulkId && outcome.id) ids.set(op.bulkId, outcome.id);
        }
      }
      if (!tooManyErrors()) {
        for (const { op, index } of waiting) results.set(index, failed(op, invalidValue('The operation refers to a bulkId that no operation creates, or the references form a cycle')));
      }
      const operations = [...results.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
      return scimJson(200, { schemas: [BULK_RESPONSE_SCHEMA], Operations: operations });
    })),
  );
