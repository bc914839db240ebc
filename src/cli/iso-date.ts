// YYYY-MM-DD, optionally followed by Thh:mm[:ss[.fff]] and a zone (Z or ±hh:mm).
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))?)?$/;

export type IsoDateResult =
  { readonly ok: true; readonly date: Date } | { readonly ok: false; readonly problem: string };

const num = (text: string | undefined): number => (text === undefined ? 0 : Number(text));

/**
 * An ISO-8601 date (midnight UTC) or date-time with a zone. A date-time without a zone is refused
 * rather than read as local time: an audit query must mean the same instant on every machine.
 * Impossible dates (2026-02-30, 24:00) are refused instead of rolling over as `Date` would.
 */
export const parseIsoDate = (text: string): IsoDateResult => {
  const match = ISO.exec(text);
  if (match === null) return { ok: false, problem: 'is not an ISO-8601 date or date-time' };
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHour, offsetMinute] = match;
  const hasTime = hour !== undefined;
  if (hasTime && zulu === undefined && sign === undefined) {
    return { ok: false, problem: 'has a time but no time zone; add Z for UTC or an offset such as +01:00' };
  }
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(num(year), num(month) - 1, num(day));
  date.setUTCHours(num(hour), num(minute), num(second), num(fraction?.padEnd(3, '0')));
  const exists =
    date.getUTCFullYear() === num(year) &&
    date.getUTCMonth() === num(month) - 1 &&
    date.getUTCDate() === num(day) &&
    date.getUTCHours() === num(hour) &&
    date.getUTCMinutes() === num(minute) &&
    date.getUTCSeconds() === num(second);
  if (!exists) return { ok: false, problem: 'is not a date that exists' };
  if (num(offsetHour) > 23 || num(offsetMinute) > 59)
    return { ok: false, problem: 'has an impossible time zone offset' };
  const offsetMs = (num(offsetHour) * 60 + num(offsetMinute)) * 60_000 * (sign === '-' ? -1 : 1);
  return { ok: true, date: new Date(date.getTime() - offsetMs) };
};
