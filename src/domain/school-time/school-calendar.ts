import { dayDate } from '../presenters/format';
import { isBankHoliday } from './bank-holidays';
import { isIsoDate, isoDaysBetween, isoWeekday } from './iso-date';

/** A school's holiday (a gap between terms), inclusive `YYYY-MM-DD` dates. */
export interface HolidayRange {
  start: string;
  end: string;
  name: string;
}

/** What "school time" means for one school. */
export interface SchoolCalendar {
  /** IANA zone, normally Europe/London */
  timezone: string;
  /** School day start and end, local wall-clock 'HH:mm', e.g. '08:00' and '16:00' */
  dayStart: string;
  dayEnd: string;
  /** The school's own holiday ranges (term dates), inclusive ISO dates */
  holidays: ReadonlyArray<HolidayRange>;
}

export const DEFAULT_TIMEZONE = 'Europe/London';
export const DEFAULT_SCHOOL_DAY = Object.freeze({ dayStart: '08:00', dayEnd: '16:00' });

/** Longest holiday range `/spoc term add` accepts: the summer break is about 45 days. */
export const MAX_HOLIDAY_DAYS = 120;

const WALL_CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A local wall-clock time of day. */
export interface WallClock {
  hours: number;
  minutes: number;
}

/** Reads a 'HH:mm' (24-hour, two digits each) wall-clock time, or null if malformed. */
export function parseWallClock(time: string): WallClock | null {
  const match = WALL_CLOCK.exec(time);
  if (!match) return null;
  return { hours: Number(match[1]), minutes: Number(match[2]) };
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks one holiday range as typed in `spoc term add 19/12/2026 04/01/2027 Christmas` (read into
 * `YYYY-MM-DD` first); the reason is a sentence for the person who typed it, dates as they read them.
 */
export function parseHolidayRange(
  startIso: string,
  endIso: string,
): { ok: true } | { ok: false; reason: string } {
  if (!isIsoDate(startIso)) {
    return {
      ok: false,
      reason: `The start "${startIso}" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-19.`,
    };
  }
  if (!isIsoDate(endIso)) {
    return {
      ok: false,
      reason: `The end "${endIso}" is not a date; write it as YYYY-MM-DD, e.g. 2027-01-04.`,
    };
  }
  const days = isoDaysBetween(startIso, endIso) + 1;
  if (days < 1) {
    return {
      ok: false,
      reason: `The holiday ends (${dayDate(endIso)}) before it starts (${dayDate(startIso)}).`,
    };
  }
  if (days > MAX_HOLIDAY_DAYS) {
    return {
      ok: false,
      reason: `A holiday can be at most ${MAX_HOLIDAY_DAYS} days; ${dayDate(startIso)} to ${dayDate(endIso)} is ${days} days.`,
    };
  }
  return { ok: true };
}

/** Settings as stored for a school; anything left out takes the default. */
export interface SchoolCalendarInput {
  timezone?: string;
  dayStart?: string;
  dayEnd?: string;
  holidays?: ReadonlyArray<HolidayRange>;
}

/**
 * Builds a calendar, throwing an Error on settings the clock can't work with: an unknown timezone,
 * malformed hours, a day that doesn't start before it ends, or a holiday that isn't two dates in
 * order. (The 120-day limit is a rule for new ranges, checked by parseHolidayRange, not here.)
 */
export function makeCalendar(input: SchoolCalendarInput = {}): SchoolCalendar {
  const timezone = input.timezone ?? DEFAULT_TIMEZONE;
  const dayStart = input.dayStart ?? DEFAULT_SCHOOL_DAY.dayStart;
  const dayEnd = input.dayEnd ?? DEFAULT_SCHOOL_DAY.dayEnd;
  if (!isTimeZone(timezone)) throw new Error(`Unknown timezone "${timezone}"`);
  const start = parseWallClock(dayStart);
  const end = parseWallClock(dayEnd);
  if (!start) throw new Error(`School day start "${dayStart}" is not a time like 08:00`);
  if (!end) throw new Error(`School day end "${dayEnd}" is not a time like 16:00`);
  if (dayStart >= dayEnd) throw new Error(`The school day must start before it ends (${dayStart}–${dayEnd})`);
  const holidays = (input.holidays ?? []).map((h) => {
    if (!isIsoDate(h.start) || !isIsoDate(h.end) || h.end < h.start) {
      throw new Error(`Holiday "${h.name}" is not a range of two dates in order (${h.start} to ${h.end})`);
    }
    return { start: h.start, end: h.end, name: h.name };
  });
  holidays.sort((a, b) => a.start.localeCompare(b.start));
  return { timezone, dayStart, dayEnd, holidays };
}

/**
 * Why `date` (`YYYY-MM-DD`) is not a school day — 'Saturday', 'Bank holiday: Early May bank
 * holiday', 'Holiday: Christmas' — or null if it is one. A weekend wins over a bank holiday, which
 * wins over the school's own holiday.
 */
export function whyNotSchoolDay(cal: SchoolCalendar, date: string): string | null {
  const weekday = isoWeekday(date);
  if (weekday === 6) return 'Saturday';
  if (weekday === 7) return 'Sunday';
  const bankHoliday = isBankHoliday(date);
  if (bankHoliday) return `Bank holiday: ${bankHoliday}`;
  // ISO dates compare correctly as strings.
  const holiday = cal.holidays.find((h) => h.start <= date && date <= h.end);
  if (holiday) return `Holiday: ${holiday.name}`;
  return null;
}

/** Monday to Friday, not an England & Wales bank holiday, not in one of the school's holidays. */
export function isSchoolDay(cal: SchoolCalendar, date: string): boolean {
  return whyNotSchoolDay(cal, date) === null;
}

const DEFAULT_DAY_MINUTES = 480;

/** Minutes from the school day's start to its end (wall clock); 480 for 08:00–16:00. */
export function schoolDayMinutes(day: { dayStart: string; dayEnd: string }): number {
  const start = parseWallClock(day.dayStart);
  const end = parseWallClock(day.dayEnd);
  if (!start || !end) return DEFAULT_DAY_MINUTES;
  const minutes = end.hours * 60 + end.minutes - (start.hours * 60 + start.minutes);
  return minutes > 0 ? minutes : DEFAULT_DAY_MINUTES;
}
