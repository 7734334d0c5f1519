/**
 * Builds the SCIM JSON of a Group from its stored attributes and, when asked for, its members.
 */
import type { Json } from '../schema/canonicalize';
import { GROUP_SCHEMA } from '../schema/group-schema';
import type { GroupRecord, MemberRef } from '../../ports/storage-adapter';
import { toETag } from './etag';

export interface GroupView {
  readonly record: GroupRecord;
  /** null when members were not loaded because the client excluded them. */
  readonly members: readonly MemberRef[] | null;
  readonly baseUrl: string;
}

/**
 * One member as the Group shows it. PATCH value filters and list filters both match members in this
 * form, so `members[type eq "User"]` selects the same members in either.
 */
export const toMemberValue = (member: MemberRef, baseUrl: string): Json =>
  ({ value: member.userId, display: member.display, $ref: `${baseUrl}/Users/${member.userId}`, type: 'User' });

/** The SCIM representation of a Group. */
export const toGroupResource = ({ record, members, baseUrl }: GroupView): Json => {
  const { externalId, displayName, ...rest } = record.doc;
  return {
    schemas: [GROUP_SCHEMA, ...Object.keys(rest).filter((key) => key.startsWith('urn:'))],
    id: record.id,
    ...(externalId !== undefined ? { externalId } : {}),
    displayName,
    ...rest,
    ...(members && members.length > 0
      ? { members: members.map((m) => toMemberValue(m, baseUrl)) }
      : {}),
    meta: {
      resourceType: 'Group',
      created: record.meta.created,
      lastModified: record.meta.lastModified,
      location: `${baseUrl}/Groups/${record.id}`,
      version: toETag(record.meta.version),
    },
  };
};
