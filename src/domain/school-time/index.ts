/** School time: one pure module for school days, school hours and their arithmetic. */
export { type BankHoliday, bankHolidays, isBankHoliday } from './bank-holidays';
export { nextOpening, openingWords, serviceHoursWords } from './out-of-hours';
export {
  DEFAULT_SCHOOL_DAY,
  DEFAULT_TIMEZONE,
  type HolidayRange,
  isSchoolDay,
  MAX_HOLIDAY_DAYS,
  makeCalendar,
  parseHolidayRange,
  parseWallClock,
  type SchoolCalendar,
  type SchoolCalendarInput,
  schoolDayMinutes,
  type WallClock,
  whyNotSchoolDay,
} from './school-calendar';
export {
  addSchoolHours,
  addSchoolMinutes,
  isSchoolTime,
  MAX_SEARCH_DAYS,
  nextSchoolTimeStart,
  schoolMinutesBetween,
} from './school-clock';
export { schoolToday } from './today';
