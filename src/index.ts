/**
 * seatkit: SCIM 2.0 provisioning that turns IdP pushes into seat licenses.
 */
export { createSeatkit } from './seatkit';
export type { Seatkit, SeatkitOptions, LicenseChange } from './seatkit';
export type { License, TenantInput, TierUsage } from './service/tenant-admin';
export { rulePolicy } from './core/license/rule-policy';
export type { LicenseRule, RuleCondition, RulePolicyOptions } from './core/license/rule-policy';
export { memoryStorage } from './storage/memory/memory-storage';
export { StorageUnavailableError } from './service/lift';
export { hashToken } from './service/token-digest';
export type { Contract, TierDefinition } from './core/license/contract';
export type { Assignment, LicenseStatus } from './core/license/assignment';
export type { LicenseEffect, LicenseEffectType } from './core/license/license-effect';
export { transition, transitionAll } from './core/license/transition';
export type { LicenseEvent, LicenseError, Transition } from './core/license/transition';
export type { LicenseState, TierSeats } from './core/license/license-state';
export type { LicensePolicy, PolicyInput, PolicyGroup, TierDecision } from './ports/license-policy';
export type * from './ports/storage-adapter';
export type { ScimError, ScimErrorTag, Issue } from './core/errors/scim-error';
export { toScimErrorBody } from './core/errors/scim-error-body';
export type { FilterTree, CompareOperator, CompareValue } from './core/filter/filter-tree';
export { matchesFilter } from './core/filter/evaluate-filter';
export type { ResolvedAttribute } from './core/schema/resolve-path';
export type { Json } from './core/schema/canonicalize';
export { LICENSE_USER_SCHEMA } from './core/schema/license-schema';
export { USER_SCHEMA } from './core/schema/user-schema';
export { GROUP_SCHEMA } from './core/schema/group-schema';
export { ENTERPRISE_USER_SCHEMA } from './core/schema/enterprise-user-schema';
export type { ScimHandler, HandleContext } from './http/create-handler';
export { attr } from './core/schema/attr';
export type { AttributeDefinition, SchemaDefinition, AttributeType, Mutability, Returned, Uniqueness } from './core/schema/attribute';
export type { ExtensionSchemas } from './core/schema/schema-registry';
export type { ResourceTypeDefinition } from './core/schema/resource-type';
