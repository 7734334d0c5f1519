/**
 * The core User schema, RFC 7643 §4.1, with attribute characteristics from §8.7.1.
 */
import { boolean, complex, multiValuedSubAttributes, reference, string, type SchemaDefinition } from './attribute';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    string('userName', {
      required: true,
      uniqueness: 'server',
      description: 'Unique identifier for the User, typically used by the user to directly authenticate. Unique per tenant, ignoring case.',
    }),
    complex('name', [
      string('formatted'),
      string('familyName'),
      string('givenName'),
      string('middleName'),
      string('honorificPrefix'),
      string('honorificSuffix'),
    ], { description: 'The components of the user\'s real name.' }),
    string('displayName', { description: 'The name of the User, suitable for display to end-users.' }),
    string('nickName'),
    reference('profileUrl', ['external']),
    string('title'),
    string('userType'),
    string('preferredLanguage'),
    string('locale'),
    string('timezone'),
    boolean('active', { description: 'The User\'s administrative status. Inactive users hold no seat.' }),
    string('password', {
      mutability: 'writeOnly',
      returned: 'never',
      description: 'Accepted for IdP compatibility, never stored and never returned.',
    }),
    complex('emails', multiValuedSubAttributes(['work', 'home', 'other']), { multiValued: true }),
    complex('phoneNumbers', multiValuedSubAttributes(['work', 'home', 'mobile', 'fax', 'pager', 'other']), { multiValued: true }),
    complex('ims', multiValuedSubAttributes(['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']), { multiValued: true }),
    complex('photos', multiValuedSubAttributes(['photo', 'thumbnail'], reference('value', ['external'])), { multiValued: true }),
    complex('addresses', [
      string('formatted'),
      string('streetAddress'),
      string('locality'),
      string('region'),
      string('postalCode'),
      string('country'),
      string('type', { canonicalValues: ['work', 'home', 'other'] }),
      boolean('primary'),
    ], { multiValued: true }),
    complex('groups', [
      string('value', { mutability: 'readOnly' }),
      reference('$ref', ['User', 'Group'], { mutability: 'readOnly' }),
      string('display', { mutability: 'readOnly' }),
      string('type', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
    ], {
      multiValued: true,
      mutability: 'readOnly',
      description: 'Groups the user belongs to, derived from group memberships; change them through /Groups.',
    }),
    complex('entitlements', multiValuedSubAttributes([]), { multiValued: true }),
    complex('roles', multiValuedSubAttributes([]), { multiValued: true }),
    complex('x509Certificates', multiValuedSubAttributes([]), { multiValued: true }),
  ],
};
