/**
 * The enterprise User extension, RFC 7643 §4.3.
 */
import { complex, reference, string, type SchemaDefinition } from './attribute';

export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    string('employeeNumber'),
    string('costCenter'),
    string('organization'),
    string('division'),
    string('department'),
    complex('manager', [
      string('value', { description: 'The id of the SCIM resource representing the User\'s manager.' }),
      reference('$ref', ['User']),
      string('displayName', { mutability: 'readOnly' }),
    ]),
  ],
};
