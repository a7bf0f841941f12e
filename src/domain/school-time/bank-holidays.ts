import Holidays from 'date-holidays';
import { assertIsoDate, isoWeekday } from './iso-date';

/** One England & Wales bank holiday, on the date it is observed. */
export interface BankHoliday {
  /** `YYYY-MM-DD` */
  date: string;
  /** As the library names it, e.g. 'Early May bank holiday', 'Boxing Day (substitute day)'. */
  name: string;
}

/**
 * England and Wales share one list of bank holidays (Scotland and Northern Ireland differ), taken
 * from the maintained `date-holidays` data rather than typed by hand, so one-offs such as the 2022
 * Platinum Jubilee and 2023 Coronation, and moved days such as Spring 2022, come with it.
 */
let englandAndWales: Holidays | undefined;
const byYear = new Map<number, ReadonlyArray<BankHoliday>>();
const namesByYear = new Map<number, ReadonlyMap<string, string>>();

function load(year: number): ReadonlyArray<BankHoliday> {
  const cached = byYear.get(year);
  if (cached) return cached;
  englandAndWales ??= new Holidays('GB', 'ENG');
  const days = englandAndWales
    .getHolidays(year)
    // The library also lists observances (Mother's Day, Easter Sunday); only days off count.
    .filter((h) => h.type === 'public' || h.type === 'bank')
    .map((h) => ({ date: h.date.slice(0, 10), name: h.name }))
    // A bank holiday that falls at a weekend is observed on a substitute weekday, which the
    // library lists separately; like GOV.UK, keep only the day that is actually taken off.
    .filter((h) => isoWeekday(h.date) <= 5)
    .sort((a, b) => a.date.localeCompare(b.date));
  byYear.set(year, days);
  return days;
}

/** England & Wales bank holidays in `year`, in date order, on the weekdays they are observed. */
export function bankHolidays(year: number): BankHoliday[] {
  if (!Number.isInteger(year)) throw new RangeError(`Not a year: ${year}`);
  return load(year).map((h) => ({ ...h }));
}

/** The bank holiday's name if `date` (`YYYY-MM-DD`) is an England & Wales bank holiday, else null. */
export function isBankHoliday(date: string): string | null {
  assertIsoDate(date);
  const year = Number(date.slice(0, 4));
  let names = namesByYear.get(year);
  if (!names) {
    names = new Map(load(year).map((h) => [h.date, h.name]));
    namesByYear.set(year, names);
  }
  return names.get(date) ?? null;
}
