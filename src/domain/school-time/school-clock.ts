import { TZDate } from '@date-fns/tz';
import { isoDaysBetween } from './iso-date';
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

/*
 * The walks below count days as day numbers (days since 1970-01-01, the date's UTC midnight), not
 * `YYYY-MM-DD` strings: parsing and writing a date string at every step of every walk was most of
 * the reminder pass's rule time (50,000 open incidents' SLA clocks, each walking weeks of days).
 * A date string is made only the first time a calendar meets a day, to ask whether it is a school
 * day and to place it; the answer is kept in the calendar's day table.
 */

const DAY_MS = 86_400_000;

/** The day number of a `YYYY-MM-DD` date (throws as addIsoDays would on anything else). */
function dayNumberOf(date: string): number {
  return Math.round(isoDaysBetween(EPOCH, date));
}

const EPOCH = '1970-01-01';

/** The `YYYY-MM-DD` date of a day number (the same string addIsoDays writes). */
function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A day's entry in a day table: its window if it is a school day, null if it is not. */
type DayEntry = Window | null;

const BLOCK_DAYS = 64;
/** Blocks a day table keeps (about 45 years of days) before it starts again. */
const BLOCKS_MAX = 256;

/**
 * One calendar's days as the walks meet them: for each day number, null when it is not a school day
 * (weekend, bank holiday, the school's holiday) or else its school hours placed in time. Filled in
 * day by day as walks reach them, from isSchoolDay and windowOf exactly as a walk would ask them.
 */
class DayTable {
  private readonly blocks = new Map<number, Array<DayEntry | undefined>>();

  constructor(
    private readonly cal: SchoolCalendar,
    private readonly hours: DayHours,
  ) {}

  entry(day: number): DayEntry {
    const b = Math.floor(day / BLOCK_DAYS);
    let block = this.blocks.get(b);
    if (!block) {
      if (this.blocks.size >= BLOCKS_MAX) this.blocks.clear();
      block = new Array<DayEntry | undefined>(BLOCK_DAYS);
      this.blocks.set(b, block);
    }
    const i = day - b * BLOCK_DAYS;
    const known = block[i];
    if (known !== undefined) return known;
    const date = dateOfDay(day);
    const entry = isSchoolDay(this.cal, date) ? windowOf(this.cal, date, this.hours) : null;
    block[i] = entry;
    return entry;
  }
}

/** What a day table answers for: a calendar's zone, hours and holiday dates (not their names). */
interface TableOf {
  timezone: string;
  dayStart: string;
  dayEnd: string;
  holidays: ReadonlyArray<{ start: string; end: string }>;
  /** The holiday dates when the table was taken, to see that the calendar has not changed since. */
  dates: string[];
  table: DayTable;
}

/** Day tables shared by calendars alike (every school on the same term dates shares one). */
const tablesByContent = new Map<string, DayTable>();
const TABLES_MAX = 1_000;
/** Each calendar object's table, checked against the calendar at every use. */
const tablesByCalendar = new WeakMap<SchoolCalendar, TableOf>();

function sameCalendar(cal: SchoolCalendar, of: TableOf): boolean {
  if (cal.timezone !== of.timezone || cal.dayStart !== of.dayStart || cal.dayEnd !== of.dayEnd) return false;
  const holidays = cal.holidays;
  if (holidays !== of.holidays || holidays.length * 2 !== of.dates.length) return false;
  for (let i = 0; i < holidays.length; i++) {
    const h = holidays[i] as { start: string; end: string };
    if (h.start !== of.dates[2 * i] || h.end !== of.dates[2 * i + 1]) return false;
  }
  return true;
}

/** The calendar's day table, for hours already checked by hoursOf. */
function tableOf(cal: SchoolCalendar, hours: DayHours): DayTable {
  const known = tablesByCalendar.get(cal);
  if (known && sameCalendar(cal, known)) return known.table;
  const dates = cal.holidays.flatMap((h) => [h.start, h.end]);
  const key = JSON.stringify([cal.timezone, cal.dayStart, cal.dayEnd, dates]);
  let table = tablesByContent.get(key);
  if (!table) {
    if (tablesByContent.size >= TABLES_MAX) tablesByContent.clear();
    table = new DayTable({ ...cal, holidays: cal.holidays.map((h) => ({ ...h })) }, hours);
    tablesByContent.set(key, table);
  }
  tablesByCalendar.set(cal, {
    timezone: cal.timezone,
    dayStart: cal.dayStart,
    dayEnd: cal.dayEnd,
    holidays: cal.holidays,
    dates,
    table,
  });
  return table;
}

/**
 * The day number of the date it is at `ms` in the zone (schoolToday), kept for the instants asked
 * again and again in a pass (its now, each incident's report time). Bounded.
 */
const daysAt = new Map<string, Map<number, number>>();
const DAYS_AT_MAX = 50_000;

function localDay(ms: number, timezone: string): number {
  let zone = daysAt.get(timezone);
  if (!zone) {
    zone = new Map();
    daysAt.set(timezone, zone);
  }
  const known = zone.get(ms);
  if (known !== undefined) return known;
  const day = dayNumberOf(schoolToday(new Date(ms), timezone));
  if (zone.size >= DAYS_AT_MAX) zone.clear();
  zone.set(ms, day);
  return day;
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
  const days = tableOf(cal, hours);
  let day = localDay(ms, cal.timezone);
  let gapStart = day;
  for (;;) {
    const window = days.entry(day);
    if (window) {
      if (ms < window.end) yield window;
      gapStart = day + 1;
    } else if (day - gapStart >= MAX_SEARCH_DAYS) {
      throw new Error(
        `No school day in the ${MAX_SEARCH_DAYS} days from ${dateOfDay(gapStart)}; check the school's holiday ranges`,
      );
    }
    day++;
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
  const window = tableOf(cal, hours).entry(localDay(ms, cal.timezone));
  return window !== null && window.start <= ms && ms < window.end;
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
  const days = tableOf(cal, hours);
  const last = localDay(end, cal.timezone);
  let ms = 0;
  for (let day = localDay(start, cal.timezone); day <= last; day++) {
    const window = days.entry(day);
    if (!window) continue;
    const overlap = Math.min(end, window.end) - Math.max(start, window.start);
    if (overlap > 0) ms += overlap;
  }
  return ms / MINUTE_MS;
}
