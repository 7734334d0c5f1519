/**
 * The Role resource schema of draft-ietf-scim-roles-entitlements-01 §3.2. seatkit serves one Role
 * per tier of the tenant's contract, so an IdP admin sees each tier's seats in force and in use.
 */
import type { SchemaDefinition } from './attribute';
import { assignableAttributes } from './assignable-attributes';

export const ROLE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Role';

export const roleSchema: SchemaDefinition = {
  id: ROLE_SCHEMA,
  name: 'Role',
  description: 'A tier (seat type) of the tenant\'s contract, with its seats in force and in use. Read-only.',
  attributes: assignableAttributes('role'),
};
