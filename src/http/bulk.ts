/**
 * POST /Bulk (RFC 7644 §3.7): many operations in one request, each run through the same endpoint
 * code as a single request and committed on its own. `bulkId:` references are replaced by the ids
 * of resources created earlier in the same request, in whatever order the operations arrive. A
 * circle of references is broken at a Group's members where it can be (see bulk-deferral.ts), and
 * answered 409 where it cannot (RFC 7644 §3.7.1).
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import * as z from 'zod';
import { circularReference, invalidValue, payloadTooLarge, type ScimError } from '../core/errors/scim-error';
import { PATCH_OP_SCHEMA } from '../core/patch/patch-request';
import { toScimErrorBody } from '../core/errors/scim-error-body';
import { isObject, type Json } from '../core/schema/canonicalize';
import { toIssues } from '../core/schema/validate-resource';
import type { EndpointInput } from './endpoints';
import { errorResponse, scimJson } from './respond';
import { holdBackMembers, memberReference, memberReferences } from './bulk-deferral';
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

// A reference is a segment of the path, never of the query: `/Users/bulkId:ada?attributes=id` refers to `ada`.
const splitQuery = (path: string): [string, string] => {
  const query = path.indexOf('?');
  return query < 0 ? [path, ''] : [path.slice(0, query), path.slice(query)];
};

/** The bulkIds an operation refers to, or null when its data nests deeper than seatkit reads. */
const referencesOf = (op: BulkOperation): string[] | null => {
  const found: string[] = [];
  const collect = (s: string) => {
    const match = REFERENCE.exec(s);
    if (match) found.push(match[1]!);
    return s;
  };
  splitQuery(op.path)[0].split('/').forEach(collect);
  return mapStrings(op.data ?? null, collect) ? found : null;
};

const swapReference = (ids: ReadonlyMap<string, string>) => (s: string) => {
  const match = REFERENCE.exec(s);
  return match && ids.has(match[1]!) ? ids.get(match[1]!)! : s;
};

const resolve = (op: BulkOperation, ids: ReadonlyMap<string, string>): BulkOperation => {
  const swap = swapReference(ids);
  const [path, query] = splitQuery(op.path);
  return { ...op, path: path.split('/').map(swap).join('/') + query, data: mapStrings(op.data ?? null, swap)!.value ?? undefined };
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

type Run = (i: EndpointInput) => TE.TaskEither<ScimError, Response>;

interface Outcome {
  readonly result: Json;
  /** The id of the resource a POST created. */
  readonly id?: string;
}

const failedStatus = (result: Json) => Number(result.status) >= 400;

const routeOf = (input: EndpointInput, op: BulkOperation) => {
  const url = new URL(input.ctx.baseUrl + op.path);
  return { url, route: matchRoute(url.pathname, new URL(input.ctx.baseUrl).pathname) };
};

const createsGroup = (input: EndpointInput, op: BulkOperation) => {
  const { route } = routeOf(input, op);
  return op.method === 'POST' && route?.endpoint === 'Groups' && route.id === null;
};

/** Runs one operation as a request of its own through the endpoint table. */
const runOne = async (input: EndpointInput, op: BulkOperation, run: Run): Promise<Outcome> => {
  const { url, route } = routeOf(input, op);
  if (!route || (route.endpoint !== 'Users' && route.endpoint !== 'Groups') || route.id === SEARCH) {
    return { result: failed(op, invalidValue('A bulk operation path must be /Users, /Groups, /Users/{id} or /Groups/{id}')) };
  }
  const request = new Request(url, { method: op.method, headers: { 'content-type': 'application/scim+json' }, body: op.data === undefined ? undefined : JSON.stringify(op.data) });
  // Each operation carries its own version; the bulk request's own If-Match says nothing about it.
  const ctx = { ...input.ctx, ifMatch: op.version ?? null };
  const response = E.getOrElse(errorResponse)(await run({ ...input, ctx, route, request, url })());
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Json) : undefined;
  // RFC 7644 §3.7.3: each result carries location and version. They come from the Location and ETag
  // headers, which the response sends even when the operation's URL leaves meta out of the body.
  const meta = isObject(body?.meta) ? (body!.meta as { location?: string; version?: string }) : {};
  const location = response.headers.get('location') ?? meta.location ?? (op.method !== 'POST' ? input.ctx.baseUrl + splitQuery(op.path)[0] : undefined);
  return {
    result: operationResult(op, response.status, location, response.headers.get('etag') ?? meta.version, body),
    id: op.method === 'POST' && response.status === 201 && typeof body?.id === 'string' ? body.id : undefined,
  };
};

/** A group created without the members that wait on users not created yet; they are added later. */
interface Deferred {
  readonly index: number;
  readonly op: BulkOperation;
  readonly groupId: string;
  readonly held: readonly unknown[];
}

const NO_CREATOR = 'The operation refers to a bulkId that no operation creates';
const FAILED_REFERENCE = 'The operation refers to a bulkId whose operation failed';
const GROUP_MEMBER = 'A Group\'s members are Users: a member refers to the bulkId of an operation that creates a Group';
const UNRESOLVABLE = 'The operation is part of a circle of bulkId references that cannot be resolved: only a reference from a Group\'s members can wait until its User exists (RFC 7644 §3.7.1)';
const STOPPED = 'Processing stopped at failOnErrors before the members referring to bulkIds created later could be added';

type BulkRequest = z.infer<typeof bulkRequestSchema>;

/** Runs the operations in order, those waiting on a later bulkId after it; results in request order. */
const processOperations = async (input: EndpointInput, req: BulkRequest, run: Run): Promise<Json[]> => {
  const ids = new Map<string, string>();
  const failedIds = new Set<string>();
  const results = new Map<number, Json>();
  const deferred: Deferred[] = [];
  let errors = 0;
  let waiting = req.Operations.map((op, index) => ({ op, index }));
  const tooManyErrors = () => req.failOnErrors !== undefined && errors >= req.failOnErrors;
  const done = (ref: string) => ids.has(ref) || failedIds.has(ref);
  const record = (index: number, op: BulkOperation, outcome: Outcome) => {
    waiting = waiting.filter((w) => w.index !== index);
    results.set(index, outcome.result);
    if (failedStatus(outcome.result)) {
      errors += 1;
      if (op.bulkId) failedIds.add(op.bulkId);
    } else if (op.bulkId && outcome.id) ids.set(op.bulkId, outcome.id);
  };
  // A group whose held-back members cannot be added is removed again, so it fails as it would
  // have without the circle: no half-made group is left behind.
  const undo = async (d: Deferred, result: Json) => {
    await runOne(input, { method: 'DELETE', path: `/Groups/${d.groupId}` }, run);
    if (d.op.bulkId) ids.delete(d.op.bulkId);
    record(d.index, d.op, { result });
  };
  const settleDeferred = async () => {
    for (let changed = true; changed;) {
      changed = false;
      for (const d of [...deferred]) {
        const refs = d.held.map(memberReference).filter((ref): ref is string => ref !== null);
        if (!refs.every(done)) continue;
        deferred.splice(deferred.indexOf(d), 1);
        changed = true;
        if (refs.some((ref) => failedIds.has(ref))) {
          await undo(d, failed(d.op, invalidValue(FAILED_REFERENCE)));
          continue;
        }
        const members = mapStrings(d.held, swapReference(ids))!.value;
        const added = await runOne(input, { method: 'PATCH', path: `/Groups/${d.groupId}`, data: { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'members', value: members }] } }, run);
        if (failedStatus(added.result)) await undo(d, operationResult(d.op, Number(added.result.status), undefined, undefined, added.result.response));
        // The group's result reports its version once every member is in (RFC 7644 §3.7.3).
        else results.set(d.index, { ...results.get(d.index)!, ...(added.result.version ? { version: added.result.version } : {}) });
      }
    }
  };
  const finish = async (index: number, op: BulkOperation, outcome: Outcome) => {
    record(index, op, outcome);
    await settleDeferred();
  };

  // seatkit does not nest groups, so a member that is a Group fails now, with the reason, rather
  // than as a circle or as a member that is not a User.
  for (const { op, index } of waiting) {
    if (createsGroup(input, op) && memberReferences(op.data).some((ref) => req.Operations.some((o) => o.bulkId === ref && createsGroup(input, o)))) {
      record(index, op, { result: failed(op, invalidValue(GROUP_MEMBER)) });
    }
  }

  while (waiting.length > 0 && !tooManyErrors()) {
    const ready = waiting.filter(({ op }) => (referencesOf(op) ?? []).every(done));
    if (ready.length > 0) {
      for (const { op, index } of ready) {
        if (tooManyErrors()) break;
        const references = referencesOf(op);
        await finish(index, op, references === null
          ? { result: failed(op, invalidValue(`The operation's data nests deeper than ${MAX_DEPTH} levels`)) }
          : references.some((ref) => !ids.has(ref))
            ? { result: failed(op, invalidValue(FAILED_REFERENCE)) }
            : await runOne(input, resolve(op, ids), run));
      }
      continue;
    }
    // Nothing can run: the rest waits on a bulkId no operation creates, or on a circle.
    const creatable = new Set(waiting.flatMap(({ op }) => (op.method === 'POST' && op.bulkId ? [op.bulkId] : [])));
    const orphan = waiting.find(({ op }) => (referencesOf(op) ?? []).some((ref) => !done(ref) && !creatable.has(ref)));
    if (orphan) {
      await finish(orphan.index, orphan.op, { result: failed(orphan.op, invalidValue(NO_CREATOR)) });
      continue;
    }
    // A circle: broken at the first group that waits only through its members.
    const breakable = waiting.flatMap(({ op, index }) => {
      const split = createsGroup(input, op) ? holdBackMembers(op.data, (ref) => !done(ref)) : null;
      const rest = split ? { ...op, data: split.data } : null;
      const refs = rest ? referencesOf(rest) : null;
      return rest && refs?.every(done) ? [{ index, op, rest, held: split!.held }] : [];
    })[0];
    if (!breakable) {
      for (const { op, index } of waiting) record(index, op, { result: failed(op, circularReference(UNRESOLVABLE)) });
      continue;
    }
    if ((referencesOf(breakable.rest) ?? []).some((ref) => !ids.has(ref))) {
      await finish(breakable.index, breakable.op, { result: failed(breakable.op, invalidValue(FAILED_REFERENCE)) });
      continue;
    }
    const outcome = await runOne(input, resolve(breakable.rest, ids), run);
    if (outcome.id) deferred.push({ index: breakable.index, op: breakable.op, groupId: outcome.id, held: breakable.held });
    await finish(breakable.index, breakable.op, outcome);
  }
  for (const d of [...deferred]) await undo(d, failed(d.op, circularReference(STOPPED)));
  return [...results.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
};

/** Processes a BulkRequest body. */
export const runBulk = (
  input: EndpointInput,
  body: unknown,
  limits: BulkLimits,
  run: Run,
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
    TE.flatMap((req) => TE.fromTask(async () =>
      scimJson(200, { schemas: [BULK_RESPONSE_SCHEMA], Operations: await processOperations(input, req, run) }))),
  );
