/**
 * The schemas one seatkit instance serves: the core User and Group, the enterprise and license
 * extensions, any extension schemas the host registers, and the read-only Role and Entitlement.
 * Validators are built once here.
 */
import * as E from 'fp-ts/Either';
import type { ScimError } from '../errors/scim-error';
import type { SchemaDefinition } from './attribute';
import type { Json } from './canonicalize';
import { entitlementResourceType, groupResourceType, roleResourceType, userResourceType, type ResourceTypeDefinition } from './resource-type';
import { groupSchema } from './group-schema';
import { userSchema } from './user-schema';
import { resourceValidator } from './validate-resource';

export interface SchemaRegistry {
  readonly user: ResourceTypeDefinition;
  readonly group: ResourceTypeDefinition;
  /** Read-only: the tenant's tiers. */
  readonly role: ResourceTypeDefinition;
  /** Read-only: the features the tenant's tiers carry. */
  readonly entitlement: ResourceTypeDefinition;
  /** Every schema document served under /Schemas. */
  readonly schemas: readonly SchemaDefinition[];
  readonly validateUser: (input: Json) => E.Either<ScimError, Json>;
  readonly validateGroup: (input: Json) => E.Either<ScimError, Json>;
}

export interface ExtensionSchemas {
  /** Extension schemas of User, e.g. `urn:acme:scim:schemas:extension:seat:2.0:User`. */
  readonly user?: readonly SchemaDefinition[];
  readonly group?: readonly SchemaDefinition[];
}

const checkIds = (schemas: readonly SchemaDefinition[]) => {
  const ids = schemas.map((s) => s.id.toLowerCase());
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`Schema ${duplicate} is registered twice`);
  for (const s of schemas) if (!s.id.toLowerCase().startsWith('urn:')) throw new Error(`Schema id ${s.id} must be a URN`);
};

/** Builds the registry; host extensions come after the built-in ones. */
export const createSchemaRegistry = (extensions: ExtensionSchemas = {}): SchemaRegistry => {
  const user = { ...userResourceType, extensions: [...userResourceType.extensions, ...(extensions.user ?? [])] };
  const group = { ...groupResourceType, extensions: [...groupResourceType.extensions, ...(extensions.group ?? [])] };
  const role = roleResourceType;
  const entitlement = entitlementResourceType;
  const schemas = [userSchema, groupSchema, ...user.extensions, ...group.extensions, role.core, entitlement.core];
  checkIds(schemas);
  return { user, group, role, entitlement, schemas, validateUser: resourceValidator(user), validateGroup: resourceValidator(group) };
};

/** The registry without host extensions. */
export const defaultSchemaRegistry: SchemaRegistry = createSchemaRegistry();
