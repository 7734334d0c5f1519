/**
 * Reading Groups, loading members only when the response carries them.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { notFound, type ScimError } from '../../core/errors/scim-error';
import { toGroupResource } from '../../core/resource/group-resource';
import { project, returnsAttribute, type Projection } from '../../core/resource/projection';
import type { Json } from '../../core/schema/canonicalize';
import type { GroupRecord, MemberRef, TenantReader } from '../../ports/storage-adapter';
import { fromPort } from '../lift';

/** The group, or 404. */
export const requireGroup = (reader: TenantReader, id: string): TE.TaskEither<ScimError, GroupRecord> =>
  pipe(
    fromPort(() => reader.getGroup(id)),
    TE.flatMap((group) => (group ? TE.right(group) : TE.left(notFound('No Group with this id exists in this tenant')))),
  );

/** The SCIM form of groups; `excludedAttributes=members` means members are never read. */
export const toGroupResources = (
  reader: TenantReader,
  groups: readonly GroupRecord[],
  projection: Projection,
  baseUrl: string,
): TE.TaskEither<ScimError, Json[]> =>
  pipe(
    (returnsAttribute(projection, 'members')
      ? fromPort(() => reader.groupMembers(groups.map((g) => g.id)))
      : TE.right(null)) as TE.TaskEither<ScimError, ReadonlyMap<string, readonly MemberRef[]> | null>,
    TE.map((members) => groups.map((record) =>
      project(toGroupResource({ record, members: members?.get(record.id) ?? null, baseUrl }), projection))),
  );
