/**
 * Builds the SCIM JSON of a User from what storage holds: its attributes, its group memberships
 * and its license.
 */
import type { Assignment } from '../license/assignment';
import type { Json } from '../schema/canonicalize';
import { LICENSE_USER_SCHEMA } from '../schema/license-schema';
import { USER_SCHEMA } from '../schema/user-schema';
import type { GroupRef, UserRecord } from '../../ports/storage-adapter';
import { toETag } from './etag';

export interface UserView {
  readonly record: UserRecord;
  readonly groups: readonly GroupRef[];
  readonly assignment: Assignment | null;
  /** The SCIM base URL, for `meta.location` and `$ref`s. */
  readonly baseUrl: string;
}

/** The license extension's value: the user's tier and status. */
export const licenseOf = (assignment: Assignment | null) =>
  assignment ? { tier: assignment.tier, status: assignment.status } : { status: 'released' as const };

/** The full SCIM representation of a User. */
export const toUserResource = ({ record, groups, assignment, baseUrl }: UserView): Json => {
  const { doc, id, meta } = record;
  // Extension attributes sit under their schema URN in the stored document.
  const extensionIds = Object.keys(doc).filter((key) => key.startsWith('urn:'));
  const core = Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('urn:')));
  const { externalId, userName, ...rest } = core;
  return {
    schemas: [USER_SCHEMA, ...extensionIds, LICENSE_USER_SCHEMA],
    id,
    ...(externalId !== undefined ? { externalId } : {}),
    userName,
    ...rest,
    ...(groups.length > 0
      ? { groups: groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${baseUrl}/Groups/${g.id}`, type: 'direct' })) }
      : {}),
    ...Object.fromEntries(extensionIds.map((urn) => [urn, doc[urn]])),
    [LICENSE_USER_SCHEMA]: licenseOf(assignment),
    meta: {
      resourceType: 'User',
      created: meta.created,
      lastModified: meta.lastModified,
      location: `${baseUrl}/Users/${id}`,
      version: toETag(meta.version),
    },
  };
};
