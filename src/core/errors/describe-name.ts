/**
 * How error details show an attribute name or path taken from a request. Details never echo user
 * data, so a value filter is elided (`emails[...]`) and anything that does not look like an
 * attribute name (an email address pasted as a path, a 900 KB string) is not repeated at all: it
 * reads `'...'`, which fits every sentence a name fits ("'...' is not an attribute of User").
 */

// RFC 7643 §2.1's ATTRNAME, loosened to what is harmless to repeat: a leading `_` or `$` (`__proto__`,
// `$ref`), URN colons and dots, and sub-attribute names after an elided filter.
const ATTRIBUTE_LIKE = /^[A-Za-z_$][\w$.:-]*(\[\.\.\.\](\.[\w$-]+)*)?$/;
const MAX_LENGTH = 200;

/** `'name.givenName'`, `'emails[...].value'`, or `'...'` for anything else. */
export const describeName = (text: string): string => {
  const open = text.indexOf('[');
  const close = text.lastIndexOf(']');
  const elided = open < 0 ? text : `${text.slice(0, open)}[...]${close > open ? text.slice(close + 1) : ''}`;
  return elided.length <= MAX_LENGTH && ATTRIBUTE_LIKE.test(elided) && !elided.includes('@') ? `'${elided}'` : "'...'";
};
