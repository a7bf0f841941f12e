/**
 * Out of hours: whether a moment is outside school time, and when the office next opens. A fault
 * reported on a Friday evening, a Saturday, in the holidays or on an INSET day (a one-day holiday
 * range of the school's own) is seen at the next school day's start, in the school's time zone.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { dayDate } from '../presenters/format';
import type { SchoolCalendar } from './school-calendar';
import { isSchoolTime, nextSchoolTimeStart } from './school-clock';

/**
 * The next school-time opening after `at`: the start of the next school day's hours, or null when
 * `at` is in school time (the office is open now). Throws, as the clock does, if the calendar has
 * no school day within a year.
 */
export function nextOpening(cal: SchoolCalendar, at: Date): Date | null {
  if (isSchoolTime(cal, at)) return null;
  return nextSchoolTimeStart(cal, at);
}

/** A moment as a sentence says it, in the school's time: "Mon 7 Dec 2026 at 08:00". */
export function openingWords(at: Date, timezone: string): string {
  const local = new TZDate(at.getTime(), timezone);
  return `${dayDate(format(local, 'yyyy-MM-dd'))} at ${format(local, 'HH:mm')}`;
}

/**
 * The service's published hours in a few words, for the SPOC channel's topic and the setup
 * answer: "Mon–Fri 08:00–16:00 in term time".
 */
export function serviceHoursWords(hours: { dayStart: string; dayEnd: string }): string {
  return `Mon–Fri ${hours.dayStart}–${hours.dayEnd} in term time`;
}
