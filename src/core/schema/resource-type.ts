/**
 * Resource types (RFC 7643 §6): a core schema, its extensions and the endpoint that serves them.
 */
import type { SchemaDefinition } from './attribute';
import { enterpriseUserSchema } from './enterprise-user-schema';
import { entitlementSchema } from './entitlement-schema';
import { groupSchema } from './group-schema';
import { licenseUserSchema } from './license-schema';
import { roleSchema } from './role-schema';
import { userSchema } from './user-schema';

export interface ResourceTypeDefinition {
  readonly name: 'User' | 'Group' | 'Role' | 'Entitlement';
  readonly endpoint: '/Users' | '/Groups' | '/Roles' | '/Entitlements';
  readonly description: string;
  readonly core: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
}

export const userResourceType: ResourceTypeDefinition = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account, with the license the user holds',
  core: userSchema,
  extensions: [enterpriseUserSchema, licenseUserSchema],
};

export const groupResourceType: ResourceTypeDefinition = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  core: groupSchema,
  extensions: [],
};

/** The tenant's tiers as Roles (draft-ietf-scim-roles-entitlements); read-only. */
export const roleResourceType: ResourceTypeDefinition = {
  name: 'Role',
  endpoint: '/Roles',
  description: 'Role: one per tier of the tenant\'s contract, with its seats in force and in use',
  core: roleSchema,
  extensions: [],
};

/** The features the tenant's tiers carry, as Entitlements (draft-ietf-scim-roles-entitlements); read-only. */
export const entitlementResourceType: ResourceTypeDefinition = {
  name: 'Entitlement',
  endpoint: '/Entitlements',
  description: 'Entitlement: one per feature of the tenant\'s tiers, with the seats that grant it in force and in use',
  core: entitlementSchema,
  extensions: [],
};

export const resourceTypes: readonly ResourceTypeDefinition[] = [userResourceType, groupResourceType, roleResourceType, entitlementResourceType];

/** Every schema the service provider publishes under /Schemas. */
export const allSchemas: readonly SchemaDefinition[] = [userSchema, groupSchema, enterpriseUserSchema, licenseUserSchema, roleSchema, entitlementSchema];
