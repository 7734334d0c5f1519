/**
 * The one reading of a SCIM dateTime, shared by validation, the filter parser, the reference filter
 * evaluator, sorting and the SQL adapters' bound values.
 *
 * RFC 7643 §2.3.5 says dateTimes are xsd:dateTime: `YYYY-MM-DDThh:mm:ss`, an optional fraction and
 * an optional offset (`Z` or `±hh:mm`), with a real calendar date and time. A date alone
 * (`YYYY-MM-DD`) is also taken, as midnight UTC, because IdPs send HR dates (hire, termination)
 * that way. Without an offset the time is read as UTC everywhere: Date.parse would read it in the
 * host's time zone, so one stored value would mean a different instant on each server.
 */

const XSD_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))?)?$/;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const daysInMonth = (year: number, month: number) =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Milliseconds since the epoch of an xsd:dateTime or a `YYYY-MM-DD` date; null for anything else.
 * Digits beyond milliseconds are dropped, not rounded, as Date.parse drops them.
 * @example
 * parseInstant('2024-03-07T10:00:00+01:00'); // 1709802000000
 * parseInstant('2024-02-30T00:00:00Z'); // null
 */
export const parseInstant = (text: string): number | null => {
  const match = XSD_DATE_TIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', sign, oh = '0', om = '0'] = match;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  const offset = Number(oh) * 60 + Number(om);
  // xsd:dateTime 1.0 has no year 0000, and its offsets run from -14:00 to +14:00.
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || Number(om) > 59 || offset > 14 * 60) return null;
  // setUTCFullYear, because Date.UTC reads the years 0-99 as 1900-1999.
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, Number((fraction + '000').slice(0, 3)));
  return at.getTime() - (sign === '-' ? -1 : 1) * offset * 60_000;
};

/** True for an xsd:dateTime or a `YYYY-MM-DD` date (see {@link parseInstant}). */
export const isDateTime = (text: string): boolean => parseInstant(text) !== null;
