/**
 * Builds zod validators from attribute definitions, so `/Schemas` and validation never disagree.
 */
import * as z from 'zod';
import { numberAsString } from '../quirks/numeric-string';
import type { AttributeDefinition } from './attribute';
import { isDateTime } from './parse-instant';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './storable-text';

// Entra sends booleans as "True" / "False" strings; RFC 7643 §2.3.2 only has JSON true and false.
const booleanOrEntraString = z.preprocess(
  (v) => (typeof v === 'string' && /^(true|false)$/i.test(v.trim()) ? v.trim().toLowerCase() === 'true' : v),
  z.boolean(),
);

const integerOrNumericString = z.preprocess(
  (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
  z.number().int(),
);

// Every string is checked, whatever the attribute: see storable-text.ts. Aborting here keeps the
// checks below from reporting the same character again.
const text = z.string().refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE, abort: true });

// A required string (userName, a group's displayName) identifies the resource: blank or control
// characters would make it unreadable in every admin console that shows it.
const requiredText = text
  .refine((v) => v.trim().length > 0, { message: 'must not be empty or blank' })
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'must not contain control characters' });

// RFC 7643 §2.3.5; see parse-instant.ts for what is read and how.
const dateTimeString = z.string().refine(isDateTime, {
  message: 'must be an xsd:dateTime (YYYY-MM-DDThh:mm:ss, optional fraction, Z or ±hh:mm) or a date YYYY-MM-DD',
});

const singleValue = (def: AttributeDefinition): z.ZodType => {
  switch (def.type) {
    case 'boolean':
      return booleanOrEntraString;
    case 'integer':
      return integerOrNumericString;
    case 'decimal':
      return z.number();
    case 'dateTime':
      return dateTimeString;
    case 'complex':
      return attributesToZod(def.subAttributes ?? []);
    case 'string':
      return z.preprocess(numberAsString, def.required ? requiredText : text);
    case 'reference':
    case 'binary':
      return def.required ? requiredText : text;
  }
};

/**
 * Most values one multi-valued attribute may hold. Filters and PATCH value paths walk an attribute's
 * values, so an attribute with tens of thousands of them would let one request hold the process for
 * seconds. No directory sends a user more than a handful of emails or roles; a Group's `members` are
 * stored apart and are not bound by this.
 */
export const MAX_VALUES_PER_ATTRIBUTE = 1000;

/** The validator for one attribute's value (an array of values when multi-valued). */
export const attributeToZod = (def: AttributeDefinition, bounded = true): z.ZodType => {
  const value = def.multiValued
    ? (bounded ? z.array(singleValue(def)).max(MAX_VALUES_PER_ATTRIBUTE, { message: `must have at most ${MAX_VALUES_PER_ATTRIBUTE} values` }) : z.array(singleValue(def)))
    : singleValue(def);
  return def.required ? value : value.optional();
};

/** An object validator with one optional (or required) key per attribute; unknown keys are dropped. */
export const attributesToZod = (defs: readonly AttributeDefinition[], unbounded: readonly string[] = []): z.ZodObject =>
  z.object(Object.fromEntries(defs.map((d) => [d.name, attributeToZod(d, !unbounded.includes(d.name))])));
