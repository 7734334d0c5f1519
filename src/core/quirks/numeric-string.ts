/**
 * IdP quirk "numeric string": a JSON number sent for a `string` attribute.
 *
 * HR-driven IdPs such as JumpCloud and Rippling map employee ids and similar fields that are numbers
 * in their source (`"employeeNumber": 12345`), where RFC 7643 §4.3 defines a string. A finite number
 * is taken as the decimal text JSON wrote for it. A number that JSON.parse could not keep exactly
 * (beyond 2^53) or that prints in exponent form is left alone, and so refused as not a string:
 * storing a rounded id would silently point at another person.
 */

/** `12345` becomes `"12345"` and `-2.5` becomes `"-2.5"`; anything else is returned as it came. */
export const numberAsString = (value: unknown): unknown => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return value;
  const text = String(value);
  return /^-?\d+(\.\d+)?$/.test(text) ? text : value;
};
