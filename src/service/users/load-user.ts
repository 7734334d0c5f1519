/**
 * Reading Users with what their SCIM form needs: groups and license.
 */
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { notFound, type ScimError } from '../../core/errors/scim-error';
import type { Json } from '../../core/schema/canonicalize';
import { toUserResource } from '../../core/resource/user-resource';
import type { TenantReader, UserRecord } from '../../ports/storage-adapter';
import { fromPort } from '../lift';

/** The user, or 404. */
export const requireUser = (reader: TenantReader, id: string): TE.TaskEither<ScimError, UserRecord> =>
  pipe(
    fromPort(() => reader.getUser(id)),
    TE.flatMap((user) => (user ? TE.right(user) : TE.left(notFound('No User with this id exists in this tenant')))),
  );

/** The SCIM form of several users, with their groups and licenses loaded in two batch reads. */
export const toUserResources = (reader: TenantReader, users: readonly UserRecord[], baseUrl: string): TE.TaskEither<ScimError, Json[]> => {
  const ids = users.map((u) => u.id);
  return pipe(
    fromPort(() => Promise.all([reader.groupsOfUsers(ids), reader.getAssignments(ids)])),
    TE.map(([groups, assignments]) => {
      const byUser = new Map(assignments.map((a) => [a.userId, a]));
      return users.map((record) => toUserResource({ record, groups: groups.get(record.id) ?? [], assignment: byUser.get(record.id) ?? null, baseUrl }));
    }),
  );
};
