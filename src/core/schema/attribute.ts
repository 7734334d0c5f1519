/**
 * Attribute and schema definitions in the shape of RFC 7643 §7.
 *
 * These values are the single source for three things: the `/Schemas` documents, the validators
 * built from them (see `to-zod.ts`), and the name and case rules used by filters and PATCH paths.
 */

export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'subAttributes'>>;

const base = (name: string, type: AttributeType, options: Options): AttributeDefinition => ({
  name,
  type,
  multiValued: false,
  description: '',
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...options,
});

/** A string attribute; `string('title', { description: '...' })`. */
export const string = (name: string, options: Options = {}) => base(name, 'string', options);
/** A boolean attribute; the validator also takes "True"/"False" strings (Entra sends those). */
export const boolean = (name: string, options: Options = {}) => base(name, 'boolean', options);
/** A dateTime attribute (xsd:dateTime), compared as an instant. */
export const dateTime = (name: string, options: Options = {}) => base(name, 'dateTime', options);
/** A decimal attribute. */
export const decimal = (name: string, options: Options = {}) => base(name, 'decimal', options);
/** An integer attribute. */
export const integer = (name: string, options: Options = {}) => base(name, 'integer', options);
/** A reference attribute; `referenceTypes` names what it points to. */
export const reference = (name: string, referenceTypes: readonly string[], options: Options = {}) =>
  base(name, 'reference', { referenceTypes, ...options });
/** A complex attribute with sub-attributes. */
export const complex = (name: string, subAttributes: readonly AttributeDefinition[], options: Options = {}) => ({
  ...base(name, 'complex', options),
  subAttributes,
});

/**
 * The sub-attributes RFC 7643 §2.4 gives every multi-valued attribute (emails, phoneNumbers, ...).
 * `typeValues` are the canonical `type` values.
 */
export const multiValuedSubAttributes = (typeValues: readonly string[], value: AttributeDefinition = string('value')) => [
  value,
  string('display', { description: 'A human-readable name, primarily used for display purposes.' }),
  string('type', { canonicalValues: typeValues, description: 'A label indicating the attribute\'s function.' }),
  boolean('primary', { description: 'Indicates the primary or preferred attribute value.' }),
];

/** Finds an attribute by name, ignoring case (RFC 7643 §2.1: attribute names are case-insensitive). */
export const findAttribute = (attributes: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined => {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
};
