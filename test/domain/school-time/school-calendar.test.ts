import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCHOOL_DAY,
  isSchoolDay,
  makeCalendar,
  parseHolidayRange,
  whyNotSchoolDay,
} from '../../../src/domain/school-time';
import { CAL } from './calendar-fixture';

describe('isSchoolDay and whyNotSchoolDay', () => {
  it.each([
    // Weekdays and weekends
    ['2026-03-09', null], // Monday
    ['2026-03-13', null], // Friday
    ['2026-03-14', 'Saturday'],
    ['2026-03-15', 'Sunday'],
    // British Summer Time starts and ends on Sundays
    ['2026-03-29', 'Sunday'],
    ['2026-10-25', 'Sunday'],
    // 2026 bank holidays
    ['2026-01-01', "Bank holiday: New Year's Day"],
    ['2026-04-03', 'Bank holiday: Good Friday'],
    ['2026-04-06', 'Bank holiday: Easter Monday'],
    ['2026-05-04', 'Bank holiday: Early May bank holiday'],
    ['2026-05-25', 'Bank holiday: Spring bank holiday'],
    ['2026-08-31', 'Bank holiday: Summer bank holiday'],
    ['2026-12-25', 'Bank holiday: Christmas Day'], // a bank holiday inside the Christmas holiday
    ['2026-12-26', 'Saturday'],
    ['2026-12-28', 'Bank holiday: Boxing Day (substitute day)'],
    // 2027 bank holidays
    ['2027-01-01', "Bank holiday: New Year's Day"],
    ['2027-03-26', 'Bank holiday: Good Friday'],
    ['2027-03-29', 'Bank holiday: Easter Monday'],
    ['2027-05-03', 'Bank holiday: Early May bank holiday'],
    ['2027-05-31', 'Bank holiday: Spring bank holiday'],
    ['2027-08-30', 'Bank holiday: Summer bank holiday'],
    ['2027-12-25', 'Saturday'],
    ['2027-12-26', 'Sunday'],
    ['2027-12-27', 'Bank holiday: Christmas Day (substitute day)'],
    ['2027-12-28', 'Bank holiday: Boxing Day (substitute day)'],
    ['2027-03-25', null], // Thursday before Good Friday
    ['2027-03-30', null], // Tuesday after Easter Monday (no Easter holiday in this calendar)
    // The Christmas holiday, 2026-12-19 to 2027-01-04 inclusive
    ['2026-12-18', null],
    ['2026-12-21', 'Holiday: Christmas'],
    ['2026-12-31', 'Holiday: Christmas'],
    ['2027-01-04', 'Holiday: Christmas'],
    ['2027-01-05', null],
    // February half term, 2027-02-15 to 2027-02-19 inclusive
    ['2027-02-12', null],
    ['2027-02-15', 'Holiday: February half term'],
    ['2027-02-17', 'Holiday: February half term'],
    ['2027-02-19', 'Holiday: February half term'],
    ['2027-02-20', 'Saturday'],
    ['2027-02-22', null],
  ])('%s → %s', (date, reason) => {
    expect(whyNotSchoolDay(CAL, date)).toBe(reason);
    expect(isSchoolDay(CAL, date)).toBe(reason === null);
  });

  it('throws on a date that is not YYYY-MM-DD', () => {
    expect(() => isSchoolDay(CAL, '2026-02-29')).toThrow(RangeError);
    expect(() => whyNotSchoolDay(CAL, '9 March 2026')).toThrow(RangeError);
  });
});

describe('makeCalendar', () => {
  it('fills in the defaults and keeps holidays in date order', () => {
    const cal = makeCalendar({
      holidays: [
        { start: '2027-02-15', end: '2027-02-19', name: 'February half term' },
        { start: '2026-10-26', end: '2026-10-30', name: 'October half term' },
      ],
    });
    expect(cal).toEqual({
      timezone: 'Europe/London',
      dayStart: '08:00',
      dayEnd: '16:00',
      holidays: [
        { start: '2026-10-26', end: '2026-10-30', name: 'October half term' },
        { start: '2027-02-15', end: '2027-02-19', name: 'February half term' },
      ],
    });
    expect(DEFAULT_SCHOOL_DAY).toEqual({ dayStart: '08:00', dayEnd: '16:00' });
  });

  it('accepts a long holiday already stored (the 120-day rule is for new ranges)', () => {
    const cal = makeCalendar({ holidays: [{ start: '2026-01-01', end: '2026-12-31', name: 'Closed' }] });
    expect(isSchoolDay(cal, '2026-06-10')).toBe(false);
  });

  it.each([
    [{ dayStart: '16:00', dayEnd: '08:00' }, /start before it ends/],
    [{ dayStart: '09:00', dayEnd: '09:00' }, /start before it ends/],
    [{ dayStart: '8:00' }, /not a time/],
    [{ dayEnd: '24:00' }, /not a time/],
    [{ dayEnd: '16:60' }, /not a time/],
    [{ timezone: 'Europe/Londres' }, /Unknown timezone/],
    [{ holidays: [{ start: '2027-01-04', end: '2026-12-19', name: 'Christmas' }] }, /Christmas/],
    [{ holidays: [{ start: '2026-12-19', end: '2027-02-30', name: 'Christmas' }] }, /Christmas/],
  ])('rejects %j', (input, message) => {
    expect(() => makeCalendar(input)).toThrow(message);
  });
});

describe('parseHolidayRange', () => {
  it.each([
    ['2026-12-19', '2027-01-04'],
    ['2027-02-15', '2027-02-19'],
    ['2026-11-02', '2026-11-02'], // a single INSET day
    ['2026-01-01', '2026-04-30'], // 120 days, the longest allowed
  ])('accepts %s to %s', (start, end) => {
    expect(parseHolidayRange(start, end)).toEqual({ ok: true });
  });

  it.each([
    [
      '19/12/2026',
      '2027-01-04',
      'The start "19/12/2026" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-19.',
    ],
    [
      '2026-12-19',
      '2027-02-29',
      'The end "2027-02-29" is not a date; write it as YYYY-MM-DD, e.g. 2027-01-04.',
    ],
    ['', '2027-01-04', 'The start "" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-19.'],
    ['2027-01-04', '2026-12-19', 'The holiday ends (Sat 19 Dec 2026) before it starts (Mon 4 Jan 2027).'],
    [
      '2026-01-01',
      '2026-05-01',
      'A holiday can be at most 120 days; Thu 1 Jan 2026 to Fri 1 May 2026 is 121 days.',
    ],
  ])('rejects %j to %j', (start, end, reason) => {
    expect(parseHolidayRange(start, end)).toEqual({ ok: false, reason });
  });
});
