/**
 * Attributes a host extension declares unique (RFC 7643 §2.2 `uniqueness: server`), checked inside
 * the unit of work, so two writers racing for the same value cannot both pass.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { uniqueness, type ScimError } from '../core/errors/scim-error';
import { uniquenessProbes } from '../core/schema/attribute-rules';
import type { Json } from '../core/schema/canonicalize';
import type { ResourceTypeDefinition } from '../core/schema/resource-type';
import type { ListQuery, Page } from '../ports/storage-adapter';
import { fromPort } from './lift';

/** Fails with 409 when another resource of the same type holds one of the resource's unique values. */
export const ensureAttributesUnique = (
  type: ResourceTypeDefinition,
  list: (query: ListQuery) => Promise<Page<{ readonly id: string }>>,
  resource: { readonly id: string; readonly doc: Json },
): TE.TaskEither<ScimError, void> =>
  pipe(
    uniquenessProbes(type, resource.doc),
    TE.traverseSeqArray(({ name, filter }) => pipe(
      fromPort(() => list({ filter, sort: null, startIndex: 1, count: 2 })),
      TE.flatMap((page) => (page.items.some((other) => other.id !== resource.id)
        ? TE.left(uniqueness(`Another ${type.name} of this tenant has this '${name}'`))
        : TE.right(undefined))),
    )),
    TE.map(() => undefined),
  );
