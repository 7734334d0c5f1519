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
      ? { members: members.map((m) => ({ value: m.userId, display: m.display, $ref: `${baseUrl}/Users/${m.userId}`, type: 'User' })) }
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
