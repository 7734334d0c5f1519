/**
 * Resource types (RFC 7643 §6): a core schema, its extensions and the endpoint that serves them.
 */
import type { SchemaDefinition } from './attribute';
import { enterpriseUserSchema } from './enterprise-user-schema';
import { groupSchema } from './group-schema';
import { licenseUserSchema } from './license-schema';
import { userSchema } from './user-schema';

export interface ResourceTypeDefinition {
  readonly name: 'User' | 'Group';
  readonly endpoint: '/Users' | '/Groups';
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

export const resourceTypes: readonly ResourceTypeDefinition[] = [userResourceType, groupResourceType];

/** Every schema the service provider publishes under /Schemas. */
export const allSchemas: readonly SchemaDefinition[] = [userSchema, groupSchema, enterpriseUserSchema, licenseUserSchema];
