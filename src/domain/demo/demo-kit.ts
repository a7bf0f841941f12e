/** Small shared pieces of the demo seeding. */
import type { Ctx } from '../context';
import type { Result } from '../result';
import { isSchoolDay, type SchoolCalendar } from '../school-time';
import { addIsoDays } from '../school-time/iso-date';
import type { DemoProvider, DemoWho } from './demo-school';

/** A ready command context for each demo person. */
export type DemoPeople = Record<DemoWho, Ctx>;

/** Ids of what the registers step created, by the demo's names. */
export interface DemoIds {
  location: (name: string) => string;
  asset: (tag: string) => string;
  provider: Record<DemoProvider, string>;
}

/** A command's result, or a fault naming the step: the demo data is fixed, so a refusal is a bug. */
export function must<T>(result: Result<T>, step: string): T {
  if (!result.ok) throw new Error(`Demo seeding failed (${step}): ${result.error.message}`);
  return result.value;
}

/** `date` when it is a school day, else the next school day. */
export function schoolDayFrom(calendar: SchoolCalendar, date: string): string {
  let day = date;
  for (let i = 0; i < 30 && !isSchoolDay(calendar, day); i++) day = addIsoDays(day, 1);
  return day;
}
