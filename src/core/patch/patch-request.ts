/**
 * Reads a PatchOp message (RFC 7644 §3.5.2) into a list of operations.
 */
import * as E from 'fp-ts/Either';
import * as z from 'zod';
import { invalidSyntax, invalidValue, type ScimError } from '../errors/scim-error';
import { toIssues } from '../schema/validate-resource';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type PatchOpName = 'add' | 'replace' | 'remove';

/**
 * Most operations one PatchOp may carry. Each operation walks the resource, so the bound keeps one
 * request's cost in check; IdPs send member changes as a few operations with many values each.
 */
export const MAX_PATCH_OPERATIONS = 1000;

export interface PatchOperation {
  readonly op: PatchOpName;
  readonly path?: string;
  readonly value?: unknown;
}

// Entra sends "Add", "Replace" and "Remove" capitalised; RFC 7644 spells them in lower case.
const opName = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.enum(['add', 'replace', 'remove'], { message: 'must be add, replace or remove' }),
);

const patchRequestSchema = z.object({
  schemas: z.array(z.string()).refine((s) => s.includes(PATCH_OP_SCHEMA), { message: `must contain ${PATCH_OP_SCHEMA}` }),
  Operations: z.array(
    z.object({
      op: opName,
      path: z.string().trim().min(1).optional(),
      value: z.unknown().optional(),
    }),
  ).min(1, { message: 'must contain at least one operation' })
    .max(MAX_PATCH_OPERATIONS, { message: `must contain at most ${MAX_PATCH_OPERATIONS} operations; send the rest in another request` }),
});

// Attribute names are case-insensitive, and some clients send `operations`.
const withCanonicalKeys = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).map(([k, v]) => [k.toLowerCase() === 'operations' ? 'Operations' : k.toLowerCase() === 'schemas' ? 'schemas' : k, v]));

/** Parses and checks a PatchOp body. */
export const parsePatchRequest = (body: unknown): E.Either<ScimError, readonly PatchOperation[]> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return E.left(invalidSyntax('A PATCH body must be a PatchOp JSON object'));
  const result = patchRequestSchema.safeParse(withCanonicalKeys(body as Record<string, unknown>));
  if (!result.success) return E.left(invalidValue('The PatchOp request is not valid', toIssues(result.error)));
  // RFC 7644 §3.5.2.1 / §3.5.2.3: add and replace carry the value to write.
  const missing = result.data.Operations.findIndex((o) => o.op !== 'remove' && o.value === undefined);
  if (missing >= 0) return E.left(invalidValue(`Operation ${missing + 1} (${result.data.Operations[missing]!.op}) has no value`));
  return E.right(result.data.Operations.map(({ op, path, value }) => ({ op, ...(path ? { path } : {}), ...(value !== undefined ? { value } : {}) })));
};
