/**
 * Calendar-date arithmetic on `YYYY-MM-DD` strings. A date has no time of day and no timezone, so
 * it is held as UTC midnight, where every day has 24 hours and the host's own timezone can't leak
 * in. Plain UTC Date fields are used rather than date-fns because the school-time walk calls these
 * for every day it passes, and date-fns' `format` costs about ten times as much.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcMidnight(date: string): Date | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  const day = Number(match[3]);
  const at = new Date(Date.UTC(year, month, day));
  // Date.UTC maps years 0–99 to 1900–1999, and rolls 2026-02-30 over into March: reject both.
  const exact = at.getUTCFullYear() === year && at.getUTCMonth() === month && at.getUTCDate() === day;
  return exact ? at : null;
}

function mustParse(date: string): Date {
  const at = utcMidnight(date);
  if (!at) throw new RangeError(`Not a YYYY-MM-DD date: "${date}"`);
  return at;
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(date: string): boolean {
  return utcMidnight(date) !== null;
}

/** Throws a RangeError unless `date` is a real `YYYY-MM-DD` date. */
export function assertIsoDate(date: string): void {
  mustParse(date);
}

/** The date `days` after `date` (before, if negative). */
export function addIsoDays(date: string, days: number): string {
  const at = mustParse(date);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return mustParse(date).getUTCDay() || 7;
}

/** Whole days from `from` to `to` (negative if `to` is earlier). */
export function isoDaysBetween(from: string, to: string): number {
  return Math.round((mustParse(to).getTime() - mustParse(from).getTime()) / 86_400_000);
}
