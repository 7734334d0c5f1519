/**
 * The Entitlement resource schema of draft-ietf-scim-roles-entitlements-01 §3.3. seatkit serves one
 * Entitlement per feature that any tier of the tenant's contract carries.
 */
import type { SchemaDefinition } from './attribute';
import { assignableAttributes } from './assignable-attributes';

export const ENTITLEMENT_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Entitlement';

export const entitlementSchema: SchemaDefinition = {
  id: ENTITLEMENT_SCHEMA,
  name: 'Entitlement',
  description: 'A feature that tiers of the tenant\'s contract carry, with the seats that grant it in force and in use. Read-only.',
  attributes: assignableAttributes('entitlement'),
};
