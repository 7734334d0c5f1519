/**
 * The core Group schema, RFC 7643 §4.2. Members are Users of the same tenant.
 */
import { complex, reference, string, type SchemaDefinition } from './attribute';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export const groupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    string('displayName', { required: true, description: 'A human-readable name for the Group. A license rule may match it.' }),
    complex('members', [
      string('value', { mutability: 'immutable', caseExact: true, description: 'The id of a User of this tenant.' }),
      reference('$ref', ['User'], { mutability: 'immutable' }),
      string('display', { mutability: 'readOnly' }),
      string('type', { mutability: 'immutable', canonicalValues: ['User'] }),
    ], { multiValued: true, description: 'The Users in the Group.' }),
  ],
};
