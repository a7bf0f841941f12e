import { describe, expect, it } from 'vitest';
import {
  addSchoolHours,
  addSchoolMinutes,
  isSchoolTime,
  makeCalendar,
  nextSchoolTimeStart,
  type SchoolCalendar,
  schoolMinutesBetween,
} from '../../../src/domain/school-time';
import { CAL, utc } from './calendar-fixture';

// Reminder: London is on GMT (UTC+0) until the last Sunday of March and on BST (UTC+1) until the
// last Sunday of October. 2025: 30 March / 26 October. 2026: 29 March / 25 October.

describe('isSchoolTime', () => {
  it.each([
    // A GMT Tuesday: 08:00 is in, 16:00 is out.
    ['2026-03-10T07:59:59.999Z', false],
    ['2026-03-10T08:00:00.000Z', true],
    ['2026-03-10T12:00:00.000Z', true],
    ['2026-03-10T15:59:59.999Z', true],
    ['2026-03-10T16:00:00.000Z', false],
    ['2026-03-10T23:30:00.000Z', false],
    // A BST Tuesday: 08:00 local is 07:00Z and 16:00 local is 15:00Z.
    ['2026-06-09T06:59:59.999Z', false],
    ['2026-06-09T07:00:00.000Z', true],
    ['2026-06-09T14:59:59.999Z', true],
    ['2026-06-09T15:00:00.000Z', false],
    // 23:30Z on a BST Tuesday is already 00:30 on Wednesday in London: not school time.
    ['2026-06-09T23:30:00.000Z', false],
    // Days that are not school days, at 10:00.
    ['2026-03-14T10:00:00.000Z', false], // Saturday
    ['2026-05-04T09:00:00.000Z', false], // Early May bank holiday (10:00 BST)
    ['2027-02-16T10:00:00.000Z', false], // February half term
    ['2026-12-21T10:00:00.000Z', false], // Christmas holiday
    ['2027-01-04T10:00:00.000Z', false], // last day of the Christmas holiday
    ['2027-01-05T10:00:00.000Z', true], // first day of term
  ])('%s → %s', (at, expected) => {
    expect(isSchoolTime(CAL, utc(at))).toBe(expected);
  });

  it('uses the school day hours of the calendar', () => {
    const cal = makeCalendar({ dayStart: '08:45', dayEnd: '15:20' });
    expect(isSchoolTime(cal, utc('2026-03-10T08:44:00Z'))).toBe(false);
    expect(isSchoolTime(cal, utc('2026-03-10T08:45:00Z'))).toBe(true);
    expect(isSchoolTime(cal, utc('2026-03-10T15:19:00Z'))).toBe(true);
    expect(isSchoolTime(cal, utc('2026-03-10T15:20:00Z'))).toBe(false);
  });
});

describe('nextSchoolTimeStart', () => {
  it.each([
    ['in school time: itself', '2026-03-10T10:17:30Z', '2026-03-10T10:17:30.000Z'],
    ['at 08:00: itself', '2026-03-10T08:00:00Z', '2026-03-10T08:00:00.000Z'],
    ['early morning: 08:00 that day', '2026-03-10T06:00:00Z', '2026-03-10T08:00:00.000Z'],
    ['at 16:00: next morning', '2026-03-10T16:00:00Z', '2026-03-11T08:00:00.000Z'],
    ['Friday evening: Monday', '2026-03-13T18:00:00Z', '2026-03-16T08:00:00.000Z'],
    ['before Good Friday: the Tuesday after Easter', '2026-04-02T17:00:00Z', '2026-04-07T07:00:00.000Z'],
    ['in half term: the Monday after', '2027-02-17T10:00:00Z', '2027-02-22T08:00:00.000Z'],
    ['Saturday before BST starts: Monday 08:00 BST', '2026-03-28T12:00:00Z', '2026-03-30T07:00:00.000Z'],
    ['Saturday before BST ends: Monday 08:00 GMT', '2026-10-24T12:00:00Z', '2026-10-26T08:00:00.000Z'],
  ])('%s', (_, at, expected) => {
    expect(nextSchoolTimeStart(CAL, utc(at)).toISOString()).toBe(expected);
  });
});

// [what, from, minutes, expected]: every expected value is the exact UTC instant.
const SPANS: Array<[string, string, number, string]> = [
  ['within a day', '2026-03-10T09:00:00Z', 30, '2026-03-10T09:30:00.000Z'],
  ['0 minutes in school time', '2026-03-10T10:17:00Z', 0, '2026-03-10T10:17:00.000Z'],
  ['0 minutes before school', '2026-03-10T06:00:00Z', 0, '2026-03-10T08:00:00.000Z'],
  ['0 minutes in the evening', '2026-03-10T19:00:00Z', 0, '2026-03-11T08:00:00.000Z'],
  ['up to the end of the day', '2026-03-10T08:00:00Z', 480, '2026-03-10T16:00:00.000Z'],
  ['one minute past the end of the day', '2026-03-10T08:00:00Z', 481, '2026-03-11T08:01:00.000Z'],
  ['across an evening', '2026-03-10T15:30:00Z', 60, '2026-03-11T08:30:00.000Z'],
  ['from the evening', '2026-03-10T19:00:00Z', 30, '2026-03-11T08:30:00.000Z'],
  ['one school day (480 minutes)', '2026-03-09T10:00:00Z', 480, '2026-03-10T10:00:00.000Z'],
  ['ten school days', '2026-03-09T08:00:00Z', 4800, '2026-03-20T16:00:00.000Z'],
  ['across a weekend', '2026-03-13T14:00:00Z', 180, '2026-03-16T09:00:00.000Z'],
  ['from a Saturday', '2026-03-14T12:00:00Z', 60, '2026-03-16T09:00:00.000Z'],
  // Fri 1 May 15:00 BST, Monday 4 May is the Early May bank holiday: Tue 09:00 BST.
  ['across a bank holiday weekend', '2026-05-01T14:00:00Z', 120, '2026-05-05T08:00:00.000Z'],
  // Thu 2 April 15:00 BST, Good Friday and Easter Monday: Tue 7 April 09:00 BST.
  ['across Easter bank holidays', '2026-04-02T14:00:00Z', 120, '2026-04-07T08:00:00.000Z'],
  // Fri 12 Feb 2027 15:00 GMT, half term 15–19 Feb: Mon 22 Feb 09:00 GMT.
  ['across a half term', '2027-02-12T15:00:00Z', 120, '2027-02-22T09:00:00.000Z'],
  // Fri 18 Dec 2026 15:00, the Christmas holiday runs to Mon 4 Jan: Tue 5 Jan 09:00.
  ['across the Christmas holiday', '2026-12-18T15:00:00Z', 120, '2027-01-05T09:00:00.000Z'],
  ['three school days across Christmas', '2026-12-16T12:00:00Z', 1440, '2027-01-05T12:00:00.000Z'],
  // BST starts Sun 29 March 2026: Fri 15:00 GMT + 2 h = Mon 09:00 BST = 08:00Z.
  ['across the start of BST', '2026-03-27T15:00:00Z', 120, '2026-03-30T08:00:00.000Z'],
  // BST ends Sun 25 Oct 2026: Fri 15:00 BST (14:00Z) + 2 h = Mon 09:00 GMT = 09:00Z.
  ['across the end of BST (2026)', '2026-10-23T14:00:00Z', 120, '2026-10-26T09:00:00.000Z'],
  // BST ends Sun 26 Oct 2025: Fri 24 Oct 15:00 BST + 2 h = Mon 27 Oct 09:00 GMT = 09:00Z.
  ['across the end of BST (2025)', '2025-10-24T14:00:00Z', 120, '2025-10-27T09:00:00.000Z'],
  ['a whole BST school day', '2026-06-09T07:00:00Z', 480, '2026-06-09T15:00:00.000Z'],
  ['0 minutes before school in BST', '2026-06-09T06:30:00Z', 0, '2026-06-09T07:00:00.000Z'],
];

describe('addSchoolMinutes', () => {
  it.each(SPANS)('%s: %s + %d min → %s', (_, from, minutes, expected) => {
    expect(addSchoolMinutes(CAL, utc(from), minutes).toISOString()).toBe(expected);
  });

  it('counts a shorter school day', () => {
    const cal = makeCalendar({ dayStart: '08:45', dayEnd: '15:15' });
    expect(addSchoolMinutes(cal, utc('2026-03-10T15:00:00Z'), 60).toISOString()).toBe(
      '2026-03-11T09:30:00.000Z',
    );
  });

  it('keeps seconds and fractions of a minute exact', () => {
    expect(addSchoolMinutes(CAL, utc('2026-03-10T15:59:30Z'), 1.5).toISOString()).toBe(
      '2026-03-11T08:01:00.000Z',
    );
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d minutes', (minutes) => {
    expect(() => addSchoolMinutes(CAL, utc('2026-03-10T09:00:00Z'), minutes)).toThrow(RangeError);
  });
});

describe('addSchoolHours', () => {
  it.each([
    ['P1 resolve, 4 h', '2026-03-10T14:00:00Z', 4, '2026-03-11T10:00:00.000Z'],
    ['P1 respond, 30 min', '2026-03-10T15:45:00Z', 0.5, '2026-03-11T08:15:00.000Z'],
    ['P2 respond, 2 h across the start of BST', '2026-03-27T15:00:00Z', 2, '2026-03-30T08:00:00.000Z'],
    // Thu 4 h + Fri 8 h, then half term, then Mon 8 h + Tue 4 h.
    ['P3 resolve, 3 days = 24 h', '2027-02-11T12:00:00Z', 24, '2027-02-23T12:00:00.000Z'],
  ])('%s', (_, from, hours, expected) => {
    expect(addSchoolHours(CAL, utc(from), hours).toISOString()).toBe(expected);
  });
});

describe('schoolMinutesBetween', () => {
  const measured = SPANS.map(([what, from, minutes, to]) => [what, from, to, minutes] as const);
  it.each(measured)('%s: %s to %s is %d min', (_, from, to, minutes) => {
    expect(schoolMinutesBetween(CAL, utc(from), utc(to))).toBe(minutes);
  });

  it.each([
    ['the same instant', '2026-03-10T09:00:00Z', '2026-03-10T09:00:00Z', 0],
    ['backwards', '2026-03-10T11:00:00Z', '2026-03-10T09:00:00Z', 0],
    ['a weekend only', '2026-03-13T16:00:00Z', '2026-03-16T08:00:00Z', 0],
    ['a whole week', '2026-03-09T00:00:00Z', '2026-03-16T00:00:00Z', 2400],
    ['the half term week', '2027-02-15T00:00:00Z', '2027-02-20T00:00:00Z', 0],
    // Mon 23 March to Mon 6 April 2026: ten weekdays, less Good Friday, across the start of BST.
    ['two weeks across BST and Good Friday', '2026-03-23T00:00:00Z', '2026-04-06T00:00:00Z', 4320],
    // Mon 19 Oct to Mon 2 Nov 2026, across the end of BST.
    ['two weeks across the end of BST', '2026-10-19T00:00:00Z', '2026-11-02T00:00:00Z', 4800],
    ['part of a minute', '2026-03-10T09:00:00Z', '2026-03-10T09:00:30Z', 0.5],
  ])('%s', (_, from, to, minutes) => {
    expect(schoolMinutesBetween(CAL, utc(from), utc(to))).toBe(minutes);
  });

  it('measures back what addSchoolMinutes added, for many starts and amounts', () => {
    const starts = [
      '2026-03-10T09:13:00Z', // in school time
      '2026-03-10T19:00:00Z', // an evening
      '2026-03-13T15:59:00Z', // the last minute before a weekend
      '2026-03-26T11:00:00Z', // the Thursday before BST starts
      '2026-04-02T12:00:00Z', // before Easter
      '2026-10-22T10:30:00Z', // the Thursday before BST ends
      '2026-12-17T14:00:00Z', // before Christmas
      '2027-02-13T09:00:00Z', // a Saturday before half term
    ];
    const failures: string[] = [];
    for (const start of starts) {
      for (let minutes = 0; minutes <= 6000; minutes += 37) {
        const end = addSchoolMinutes(CAL, utc(start), minutes);
        const measured = schoolMinutesBetween(CAL, utc(start), end);
        if (measured !== minutes)
          failures.push(`${start} + ${minutes} → ${end.toISOString()} measured ${measured}`);
        if (!isSchoolTime(CAL, new Date(end.getTime() - 1)) && minutes > 0) {
          failures.push(`${start} + ${minutes} → ${end.toISOString()} does not end in school time`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('guards', () => {
  const closed = makeCalendar({ holidays: [{ start: '2026-01-01', end: '2030-12-31', name: 'Closed' }] });

  it('throws a clear error rather than searching for ever when no school day comes', () => {
    expect(() => nextSchoolTimeStart(closed, utc('2026-03-10T09:00:00Z'))).toThrow(
      /No school day in the 400 days from 2026-03-10/,
    );
    expect(() => addSchoolMinutes(closed, utc('2026-03-10T09:00:00Z'), 60)).toThrow(
      /No school day in the 400 days/,
    );
  });

  it('still finds a school day after a long closure within the limit', () => {
    const cal = makeCalendar({ holidays: [{ start: '2026-01-01', end: '2027-01-29', name: 'Rebuild' }] });
    expect(addSchoolMinutes(cal, utc('2026-01-01T09:00:00Z'), 60).toISOString()).toBe(
      '2027-02-01T09:00:00.000Z',
    );
  });

  it('counts no school time during a closure (without searching ahead)', () => {
    expect(schoolMinutesBetween(closed, utc('2026-01-01T00:00:00Z'), utc('2029-01-01T00:00:00Z'))).toBe(0);
  });

  it.each([
    ['an empty day', { ...CAL, dayStart: '09:00', dayEnd: '09:00' }],
    ['a day ending before it starts', { ...CAL, dayStart: '16:00', dayEnd: '08:00' }],
    ['malformed hours', { ...CAL, dayStart: '8am' }],
  ] as Array<[string, SchoolCalendar]>)('refuses a calendar with %s instead of looping', (_, cal) => {
    expect(() => addSchoolMinutes(cal, utc('2026-03-10T09:00:00Z'), 60)).toThrow(/Invalid school day/);
    expect(() => schoolMinutesBetween(cal, utc('2026-03-10T09:00:00Z'), utc('2026-03-11T09:00:00Z'))).toThrow(
      /Invalid school day/,
    );
  });

  it('refuses an invalid instant', () => {
    expect(() => isSchoolTime(CAL, new Date(Number.NaN))).toThrow(RangeError);
  });
});
