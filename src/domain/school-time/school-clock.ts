import { TZDate } from '@date-fns/tz';
import { addIsoDays, isoDaysBetween } from './iso-date';
import { isSchoolDay, parseWallClock, type SchoolCalendar, type WallClock } from './school-calendar';
import { schoolToday } from './today';

/**
 * The school-time clock: SLA targets and reminders count only school hours on school
 * days. Pure: callers pass the instants. Each school day is turned into its [start, end) instants
 * in the school's timezone, so a British Summer Time change between two days is absorbed by
 * @date-fns/tz rather than by offset sums here.
 */

/** How far ahead to look for the next school day before giving up on the calendar. */
export const MAX_SEARCH_DAYS = 400;

const MINUTE_MS = 60_000;

interface Window {
  start: number;
  end: number;
}

interface DayHours {
  start: WallClock;
  end: WallClock;
}

function hoursOf(cal: SchoolCalendar): DayHours {
  const start = parseWallClock(cal.dayStart);
  const end = parseWallClock(cal.dayEnd);
  // Checked on every call, not only in makeCalendar: an empty day would never use up any minutes.
  if (!start || !end || cal.dayStart >= cal.dayEnd) {
    throw new Error(
      `Invalid school day ${cal.dayStart}–${cal.dayEnd}; it must be HH:mm and start before it ends`,
    );
  }
  return { start, end };
}

/**
 * School days already placed in time, by timezone, date and hours. Placing one asks Intl for the
 * zone's offset (@date-fns/tz), which was most of the reminder pass's time over hundreds of schools:
 * every open incident's SLA walks the same few weeks of days. Bounded; the entries never change.
 */
const placed = new Map<string, Window>();
const PLACED_MAX = 50_000;

/** The instants (ms) a school day's hours begin and end, for a date known to be a school day. */
function windowOf(cal: SchoolCalendar, date: string, hours: DayHours): Window {
  const key = `${cal.timezone} ${date} ${hours.start.hours}:${hours.start.minutes} ${hours.end.hours}:${hours.end.minutes}`;
  const known = placed.get(key);
  if (known) return known;
  const window = placeDay(cal, date, hours);
  if (placed.size >= PLACED_MAX) placed.clear();
  placed.set(key, window);
  return window;
}

function placeDay(cal: SchoolCalendar, date: string, hours: DayHours): Window {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1;
  const day = Number(date.slice(8, 10));
  const at = (t: WallClock) => new TZDate(year, month, day, t.hours, t.minutes, 0, 0, cal.timezone).getTime();
  const window = Object.freeze({ start: at(hours.start), end: at(hours.end) });
  if (Number.isNaN(window.start) || Number.isNaN(window.end)) {
    throw new Error(`Cannot place ${date} in timezone "${cal.timezone}"`);
  }
  return window;
}

function instant(at: Date, label: string): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${label} is not a valid date`);
  return ms;
}

/**
 * The school-time windows that end after `ms`, in order: the one containing `ms` (or the next one)
 * first. Throws if MAX_SEARCH_DAYS pass without a school day, so a calendar whose holidays cover
 * years fails loudly instead of spinning.
 */
function* windowsFrom(cal: SchoolCalendar, ms: number, hours: DayHours): Generator<Window, never> {
  let date = schoolToday(new Date(ms), cal.timezone);
  let gapStart = date;
  for (;;) {
    if (isSchoolDay(cal, date)) {
      const window = windowOf(cal, date, hours);
      if (ms < window.end) yield window;
      gapStart = addIsoDays(date, 1);
    } else if (isoDaysBetween(gapStart, date) >= MAX_SEARCH_DAYS) {
      throw new Error(
        `No school day in the ${MAX_SEARCH_DAYS} days from ${gapStart}; check the school's holiday ranges`,
      );
    }
    date = addIsoDays(date, 1);
  }
}

/** The window containing `ms`, or the next one. */
function windowFrom(cal: SchoolCalendar, ms: number, hours: DayHours): Window {
  return windowsFrom(cal, ms, hours).next().value;
}

/** True during school hours (start inclusive, end exclusive) on a school day. */
export function isSchoolTime(cal: SchoolCalendar, at: Date): boolean {
  const ms = instant(at, 'at');
  const hours = hoursOf(cal);
  const date = schoolToday(at, cal.timezone);
  if (!isSchoolDay(cal, date)) return false;
  const window = windowOf(cal, date, hours);
  return window.start <= ms && ms < window.end;
}

/** `at` if it is school time, otherwise the start of the next school day. */
export function nextSchoolTimeStart(cal: SchoolCalendar, at: Date): Date {
  const ms = instant(at, 'at');
  const window = windowFrom(cal, ms, hoursOf(cal));
  return new Date(Math.max(ms, window.start));
}

/**
 * The instant `minutes` of school time after `from`. Outside school time the count starts at the
 * next school-day start (so 0 minutes gives that start). A count that runs out exactly at the end
 * of a school day gives that end (16:00), not the next morning.
 */
export function addSchoolMinutes(cal: SchoolCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`School minutes must be a finite number of at least 0, not ${minutes}`);
  }
  const hours = hoursOf(cal);
  let remaining = Math.round(minutes * MINUTE_MS);
  const start = instant(from, 'from');
  for (const window of windowsFrom(cal, start, hours)) {
    const cursor = Math.max(start, window.start);
    const available = window.end - cursor;
    if (remaining <= available) return new Date(cursor + remaining);
    remaining -= available;
  }
  // windowsFrom never finishes: it yields for ever or throws.
  throw new Error('unreachable');
}

/** addSchoolMinutes for hours: a target of "4 h" is 240 school minutes. */
export function addSchoolHours(cal: SchoolCalendar, from: Date, hours: number): Date {
  return addSchoolMinutes(cal, from, hours * 60);
}

/**
 * Minutes of school time in [from, to); 0 if `to` is not after `from`. Exact, so it is fractional
 * when the instants are not on whole minutes.
 */
export function schoolMinutesBetween(cal: SchoolCalendar, from: Date, to: Date): number {
  const start = instant(from, 'from');
  const end = instant(to, 'to');
  if (end <= start) return 0;
  const hours = hoursOf(cal);
  const first = schoolToday(from, cal.timezone);
  const days = isoDaysBetween(first, schoolToday(to, cal.timezone));
  let ms = 0;
  for (let i = 0; i <= days; i++) {
    const date = addIsoDays(first, i);
    if (!isSchoolDay(cal, date)) continue;
    const window = windowOf(cal, date, hours);
    const overlap = Math.min(end, window.end) - Math.max(start, window.start);
    if (overlap > 0) ms += overlap;
  }
  return ms / MINUTE_MS;
}
