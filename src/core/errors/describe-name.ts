/**
 * How error details show an attribute name or path taken from a request. Details never echo user
 * data, so a value filter is elided (`emails[...]`) and anything that does not look like an
 * attribute name (an email address pasted as a path, a 900 KB string) is not repeated at all.
 */

const ATTRIBUTE_LIKE = /^[A-Za-z$][\w$.:-]{0,199}(\[\.\.\.\](\.[A-Za-z$][\w$-]*)?)?$/;

/** `'name.givenName'`, `'emails[...].value'`, or a neutral phrase for anything else. */
export const describeName = (text: string): string => {
  const open = text.indexOf('[');
  const close = text.lastIndexOf(']');
  const elided = open < 0 ? text : `${text.slice(0, open)}[...]${close > open ? text.slice(close + 1) : ''}`;
  return ATTRIBUTE_LIKE.test(elided) && !elided.includes('@') ? `'${elided}'` : 'a name that is not an attribute path';
};
