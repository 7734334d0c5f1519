/**
 * The attributes the Roles and Entitlements resources share (draft-ietf-scim-roles-entitlements-01
 * §3.2 and §3.3): what the value is, whether it can be assigned now, and how many users may hold it
 * and do. Everything is read-only: the tenant's contract decides these, never the IdP.
 */
import { boolean, integer, string, type AttributeDefinition } from './attribute';

/** The attributes of a Role or an Entitlement; `noun` is `role` or `entitlement`, for the descriptions. */
export const assignableAttributes = (noun: 'role' | 'entitlement'): readonly AttributeDefinition[] => [
  string('value', { required: true, mutability: 'readOnly', description: `The value of the ${noun}, as a User's "${noun}s" attribute carries it.` }),
  string('display', { mutability: 'readOnly', description: 'A human-readable name, primarily used for display purposes.' }),
  string('type', { mutability: 'readOnly', description: `A label indicating the ${noun}'s function.` }),
  boolean('supported', { mutability: 'readOnly', description: `Whether the ${noun} is enabled and usable now: false once the tenant's contract has expired and admits nobody new.` }),
  boolean('limitedAssignmentsPermitted', { mutability: 'readOnly', description: `Whether only a limited number of users may hold the ${noun}.` }),
  integer('totalAssignmentsPermitted', { mutability: 'readOnly', description: `How many users may hold the ${noun} now (seats in force under the contract); absent when unlimited.` }),
  integer('totalAssignmentsUsed', { mutability: 'readOnly', description: `How many users hold the ${noun} now (seats held, including seats held during a reclaim hold).` }),
];
