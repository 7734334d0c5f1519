/**
 * The SCIM JSON a filter is evaluated against, for adapters that evaluate filters in JavaScript.
 */
import type { Assignment } from '../../core/license/assignment';
import type { Json } from '../../core/schema/canonicalize';
import { toGroupResource } from '../../core/resource/group-resource';
import { toUserResource } from '../../core/resource/user-resource';
import type { GroupRecord, GroupRef, MemberRef, UserRecord } from '../../ports/storage-adapter';

/** A user as filters see it: attributes, meta, groups and license. */
export const filterableUser = (record: UserRecord, groups: readonly GroupRef[], assignment: Assignment | null): Json =>
  toUserResource({ record, groups, assignment, baseUrl: '' });

/** A group as filters see it: attributes, meta and members. */
export const filterableGroup = (record: GroupRecord, members: readonly MemberRef[]): Json =>
  toGroupResource({ record, members, baseUrl: '' });
