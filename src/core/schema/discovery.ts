/**
 * The discovery documents (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas, built
 * from the same definitions that validate requests.
 */
import type { AttributeDefinition, SchemaDefinition } from './attribute';
import type { Json } from './canonicalize';
import type { ResourceTypeDefinition } from './resource-type';
import type { SchemaRegistry } from './schema-registry';

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export interface ServiceLimits {
  readonly maxResults: number;
  readonly maxPayloadSize: number;
  readonly maxOperations: number;
}

// draft-ietf-scim-roles-entitlements-01 §3.1: a provider serving /Roles or /Entitlements MUST say so
// here. The other flags describe the User's "roles" and "entitlements", which take several values
// with `primary` and `type` (RFC 7643 §4.1.2).
const rolesAndEntitlements = {
  roles: { supported: true, multipleRolesSupported: true, primarySupported: true, typeSupported: true },
  entitlements: { supported: true, multipleEntitlementsSupported: true, primarySupported: true, typeSupported: true },
};

/** GET /ServiceProviderConfig. */
export const serviceProviderConfig = (limits: ServiceLimits, baseUrl: string): Json => ({
  schemas: [SPC_SCHEMA],
  documentationUri: 'https://github.com/seatkit/seatkit#readme',
  patch: { supported: true },
  bulk: { supported: true, maxOperations: limits.maxOperations, maxPayloadSize: limits.maxPayloadSize },
  filter: { supported: true, maxResults: limits.maxResults },
  changePassword: { supported: false },
  sort: { supported: true },
  etag: { supported: true },
  RolesAndEntitlements: rolesAndEntitlements,
  authenticationSchemes: [{
    type: 'oauthbearertoken',
    name: 'OAuth Bearer Token',
    description: 'A per-tenant bearer token in the Authorization header.',
    primary: true,
  }],
  meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
});

/** The RFC 7643 §7 form of one attribute. */
const attributeDocument = (a: AttributeDefinition): Json => ({
  name: a.name,
  type: a.type,
  multiValued: a.multiValued,
  description: a.description,
  required: a.required,
  caseExact: a.caseExact,
  mutability: a.mutability,
  returned: a.returned,
  uniqueness: a.uniqueness,
  ...(a.canonicalValues && a.canonicalValues.length > 0 ? { canonicalValues: a.canonicalValues } : {}),
  ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
  ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attributeDocument) } : {}),
});

/** One schema document for GET /Schemas. */
export const schemaDocument = (schema: SchemaDefinition, baseUrl: string): Json => ({
  schemas: [SCHEMA_SCHEMA],
  id: schema.id,
  name: schema.name,
  description: schema.description,
  attributes: schema.attributes.map(attributeDocument),
  meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
});

/** One resource type document for GET /ResourceTypes. */
export const resourceTypeDocument = (type: ResourceTypeDefinition, baseUrl: string): Json => ({
  schemas: [RESOURCE_TYPE_SCHEMA],
  id: type.name,
  name: type.name,
  endpoint: type.endpoint,
  description: type.description,
  schema: type.core.id,
  schemaExtensions: type.extensions.map((e) => ({ schema: e.id, required: false })),
  meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.name}` },
});

/** Every schema the instance serves. */
export const schemaDocuments = (registry: SchemaRegistry, baseUrl: string) => registry.schemas.map((s) => schemaDocument(s, baseUrl));
/** The User and Group resource types, with their extensions, then the read-only Role and Entitlement. */
export const resourceTypeDocuments = (registry: SchemaRegistry, baseUrl: string) =>
  [registry.user, registry.group, registry.role, registry.entitlement].map((t) => resourceTypeDocument(t, baseUrl));
