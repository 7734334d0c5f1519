/**
 * Builders for the host's own extension schemas.
 *
 * @example
 * const seat: SchemaDefinition = {
 *   id: 'urn:acme:scim:schemas:extension:seat:2.0:User', name: 'AcmeSeat', description: 'Seat settings',
 *   attributes: [attr.string('seatType', { canonicalValues: ['viewer', 'editor'] }), attr.boolean('billable')],
 * };
 */
import { boolean, complex, dateTime, decimal, integer, reference, string } from './attribute';

export const attr = { string, boolean, dateTime, decimal, integer, reference, complex };
