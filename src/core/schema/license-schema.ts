/**
 * seatkit's license extension: the seat a User holds, shown to the IdP on every User response.
 */
import { string, type SchemaDefinition } from './attribute';

export const LICENSE_USER_SCHEMA = 'urn:seatkit:scim:schemas:extension:license:2.0:User';

export const licenseUserSchema: SchemaDefinition = {
  id: LICENSE_USER_SCHEMA,
  name: 'License',
  description: 'The license the User holds under the tenant\'s contract. Decided by the service provider; read-only.',
  attributes: [
    string('tier', {
      mutability: 'readOnly',
      caseExact: true,
      description: 'The tier (seat type) the User wants under the license policy.',
    }),
    string('status', {
      mutability: 'readOnly',
      caseExact: true,
      canonicalValues: ['assigned', 'pending', 'released'],
      description: 'assigned: holds a seat of the tier; pending: waits for a seat, first come first served; released: holds no seat (inactive).',
    }),
  ],
};

