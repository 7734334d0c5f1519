/**
 * The attributes every resource has (RFC 7643 §3.1). They are not part of any schema document, but
 * filters, sorting and PATCH paths need their characteristics too.
 */
import { complex, dateTime, reference, string, type AttributeDefinition } from './attribute';

export const commonAttributes: readonly AttributeDefinition[] = [
  string('id', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }),
  string('externalId', { caseExact: true, description: 'The identifier the provisioning client gives the resource.' }),
  complex('meta', [
    string('resourceType', { caseExact: true, mutability: 'readOnly' }),
    dateTime('created', { mutability: 'readOnly' }),
    dateTime('lastModified', { mutability: 'readOnly' }),
    reference('location', ['uri'], { mutability: 'readOnly' }),
    string('version', { caseExact: true, mutability: 'readOnly' }),
  ], { mutability: 'readOnly' }),
];
