/**
 * The period a service report covers, from what a head teacher types: `week`, `last-week`, `term`,
 * `last-term` or `YYYY-MM-DD..YYYY-MM-DD`. Pure: the caller passes today (in the school's timezone)
 * and the school's holidays.
 *
 * - `week` is the current ISO week, Monday to Sunday, containing today: on a Friday the head wants
 *   this week so far, not last week (`last-week` gives that).
 * - `term` runs from the day after the last term break that ended before today to the day before
 *   the next one starts. A term break is a recorded holiday of at least TERM_BREAK_MIN_DAYS days:
 *   half-terms and INSET days sit inside a term, as schools count them. During a break, `term` is
 *   the term that has just ended. A side with no recorded break falls back to the usual English
 *   terms (autumn 1 Sep–31 Dec, spring 1 Jan–31 Mar, summer 1 Apr–31 Aug) and the period says the
 *   dates are assumed.
 */
import { TZDate } from '@date-fns/tz';
import { parseDate } from '../imports/fields';
import { dayDate } from '../presenters/format';
import type { HolidayRange } from '../school-time';
import { addIsoDays, isoDaysBetween, isoWeekday } from '../school-time/iso-date';

export type PeriodKind = 'week' | 'last-week' | 'term' | 'last-term' | 'range';

export interface ReportPeriod {
  kind: PeriodKind;
  /** First day, inclusive, `YYYY-MM-DD`. */
  from: string;
  /** Last day, inclusive, `YYYY-MM-DD` (may be after today: the report then runs to now). */
  to: string;
  /** A name a head teacher reads: "This week", "Autumn term 2026", "Tue 1 Sep 2026 to Fri 18 Dec 2026". */
  name: string;
  /** Term dates assumed from the usual English terms rather than the school's recorded holidays. */
  assumed: boolean;
}

/** A holiday this long or longer ends a term; a half-term (5–9 days) or an INSET day does not. */
export const TERM_BREAK_MIN_DAYS = 10;

/** The longest custom range: a school year and a little. */
export const MAX_REPORT_DAYS = 400;

/**
 * Why the words name no period, in plain words (no markup: the command line prints it as it is);
 * the answer adds how to say one (`PERIOD_USAGE` in `answers/reports.ts`).
 */
export type PeriodResult = { ok: true; period: ReportPeriod } | { ok: false; reason: string };

interface Term {
  from: string;
  to: string;
  assumed: boolean;
}

/** The usual English term containing `date` (no gaps between them). */
function assumedTerm(date: string): Term {
  const year = date.slice(0, 4);
  const md = date.slice(5);
  if (md >= '09-01') return { from: `${year}-09-01`, to: `${year}-12-31`, assumed: true };
  if (md >= '04-01') return { from: `${year}-04-01`, to: `${year}-08-31`, assumed: true };
  return { from: `${year}-01-01`, to: `${year}-03-31`, assumed: true };
}

function breaksOf(holidays: ReadonlyArray<HolidayRange>): HolidayRange[] {
  return holidays
    .filter((h) => isoDaysBetween(h.start, h.end) + 1 >= TERM_BREAK_MIN_DAYS)
    .sort((a, b) => a.start.localeCompare(b.start));
}

/** The term containing `date`, or, when `date` falls in a break, the term that ended just before it. */
function termAround(date: string, holidays: ReadonlyArray<HolidayRange>): Term {
  const breaks = breaksOf(holidays);
  const within = breaks.find((b) => b.start <= date && date <= b.end);
  const day = within ? addIsoDays(within.start, -1) : date;
  const before = breaks.filter((b) => b.end < day).at(-1);
  const after = breaks.find((b) => b.start > day);
  const fallback = assumedTerm(day);
  return {
    from: before ? addIsoDays(before.end, 1) : fallback.from,
    to: after ? addIsoDays(after.start, -1) : fallback.to,
    assumed: !before || !after,
  };
}

function termName(term: Term): string {
  const month = Number(term.from.slice(5, 7));
  const season = month >= 8 ? 'Autumn' : month >= 4 ? 'Summer' : 'Spring';
  return `${season} term ${term.from.slice(0, 4)}`;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(word: string): string | null {
  const parsed = parseDate(word);
  return parsed.ok && parsed.value ? parsed.value : null;
}

function parseRange(text: string, today: string): PeriodResult {
  const parts = text.split(/\s*(?:\.\.|\bto\b)\s*/);
  if (parts.length !== 2) return { ok: false, reason: 'A period is two dates, the first and the last day.' };
  const [fromWord = '', toWord = ''] = parts;
  const from = parseDay(fromWord);
  const to = parseDay(toWord);
  if (!from || !to) {
    const bad = !from ? fromWord : toWord;
    return { ok: false, reason: `"${bad}" is not a date; write dates as dd/mm/yyyy, e.g. 01/09/2026.` };
  }
  if (to < from)
    return { ok: false, reason: `The period ends (${dayDate(to)}) before it starts (${dayDate(from)}).` };
  const days = isoDaysBetween(from, to) + 1;
  if (days > MAX_REPORT_DAYS) {
    return {
      ok: false,
      reason: `A report covers at most ${MAX_REPORT_DAYS} days; ${dayDate(from)} to ${dayDate(to)} is ${days} days.`,
    };
  }
  if (from > today)
    return { ok: false, reason: `The period starts after today (${dayDate(today)}): nothing to report yet.` };
  const name = `${dayDate(from)} to ${dayDate(to)}`;
  return { ok: true, period: { kind: 'range', from, to, name, assumed: false } };
}

/**
 * Reads the period words (`week`, `last week`, `term`, `2026-09-01..2026-12-18`, also UK dates
 * `01/09/2026..18/12/2026` and `… to …`) against `today` (`YYYY-MM-DD`, school timezone).
 */
export function parsePeriod(
  text: string,
  today: string,
  holidays: ReadonlyArray<HolidayRange>,
): PeriodResult {
  const words = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!ISO_DAY.test(today)) throw new RangeError(`today must be YYYY-MM-DD, not "${today}"`);
  switch (words.replace(/^(this|last) /, '$1-')) {
    case 'week':
    case 'this-week': {
      const from = addIsoDays(today, 1 - isoWeekday(today));
      return {
        ok: true,
        period: { kind: 'week', from, to: addIsoDays(from, 6), name: 'This week', assumed: false },
      };
    }
    case 'last-week': {
      const from = addIsoDays(today, 1 - isoWeekday(today) - 7);
      return {
        ok: true,
        period: { kind: 'last-week', from, to: addIsoDays(from, 6), name: 'Last week', assumed: false },
      };
    }
    case 'term':
    case 'this-term': {
      const term = termAround(today, holidays);
      return { ok: true, period: { kind: 'term', ...term, name: termName(term) } };
    }
    case 'last-term': {
      const current = termAround(today, holidays);
      const term = termAround(addIsoDays(current.from, -1), holidays);
      return { ok: true, period: { kind: 'last-term', ...term, name: termName(term) } };
    }
    case '':
      return { ok: false, reason: 'Which period?' };
  }
  if (/\.\.|\bto\b/.test(words)) return parseRange(words, today);
  return { ok: false, reason: `I don't know the period "${text.trim().slice(0, 40)}".` };
}

/** The instants a period covers in the school's timezone: [start, end). */
export function periodBounds(period: ReportPeriod, timezone: string): { startAt: Date; endAt: Date } {
  const at = (date: string) =>
    new Date(
      new TZDate(
        Number(date.slice(0, 4)),
        Number(date.slice(5, 7)) - 1,
        Number(date.slice(8, 10)),
        0,
        0,
        0,
        0,
        timezone,
      ).getTime(),
    );
  return { startAt: at(period.from), endAt: at(addIsoDays(period.to, 1)) };
}
