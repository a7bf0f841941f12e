/**
 * Placing demo history in school time: "three school days ago" from whatever moment the demo is
 * seeded, so the history falls in lessons and never on a weekend or in the holidays.
 */
import {
  addSchoolMinutes,
  MAX_SEARCH_DAYS,
  nextSchoolTimeStart,
  type SchoolCalendar,
  schoolMinutesBetween,
} from '../school-time';

const DAY_MS = 86_400_000;

/**
 * The latest instant `minutes` of school time before `now` (`now` itself for 0), to the second.
 * The school-time clock only counts forwards, so this searches for the instant from which it
 * counts exactly that many minutes up to `now`.
 */
export function schoolTimeBefore(cal: SchoolCalendar, now: Date, minutes: number): Date {
  const end = now.getTime();
  if (minutes <= 0) return new Date(end);
  const count = (ms: number) => schoolMinutesBetween(cal, new Date(ms), now);
  let lo = end - DAY_MS;
  for (let days = 1; count(lo) < minutes; days += 7) {
    if (days > MAX_SEARCH_DAYS)
      throw new Error(`No ${minutes} school minutes in the year before ${now.toISOString()}`);
    lo -= 7 * DAY_MS;
  }
  let hi = end;
  // count(lo) >= minutes > count(hi): close in on the boundary.
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (count(mid) >= minutes) lo = mid;
    else hi = mid;
  }
  // Just before a school day starts counts the same as its start: say the start.
  const at = nextSchoolTimeStart(cal, new Date(Math.floor(lo / 1000) * 1000));
  return at > now ? new Date(end) : at;
}

/** `minutes` of school time after `from`, but never later than `limit`. */
export function schoolTimeAfter(cal: SchoolCalendar, from: Date, minutes: number, limit: Date): Date {
  const at = addSchoolMinutes(cal, from, minutes);
  return at > limit ? new Date(limit) : at;
}
