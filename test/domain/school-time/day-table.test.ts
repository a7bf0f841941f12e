import { describe, expect, it } from 'vitest';
import {
  addSchoolMinutes,
  isSchoolTime,
  makeCalendar,
  type SchoolCalendar,
  schoolMinutesBetween,
} from '../../../src/domain/school-time';
import { CAL, utc } from './calendar-fixture';

// The clock keeps each calendar's school days as it meets them (shared by calendars alike). These
// check that what it keeps never answers for a calendar that is not the one asked about.

describe("the clock's kept school days", () => {
  it('follow a calendar changed after it was used', () => {
    const cal: SchoolCalendar = makeCalendar({ holidays: [...CAL.holidays] });
    const tuesday = utc('2026-03-10T10:00:00Z');
    expect(isSchoolTime(cal, tuesday)).toBe(true);
    cal.holidays = [...cal.holidays, { start: '2026-03-10', end: '2026-03-10', name: 'Closed' }];
    expect(isSchoolTime(cal, tuesday)).toBe(false);
    expect(addSchoolMinutes(cal, tuesday, 60).toISOString()).toBe('2026-03-11T09:00:00.000Z');
    cal.dayStart = '10:30';
    expect(addSchoolMinutes(cal, tuesday, 60).toISOString()).toBe('2026-03-11T11:30:00.000Z');
    cal.timezone = 'Europe/Paris';
    expect(addSchoolMinutes(cal, tuesday, 60).toISOString()).toBe('2026-03-11T10:30:00.000Z');
  });

  it('are shared only by calendars with the same days: holiday names do not matter, dates do', () => {
    const a = makeCalendar({ holidays: [{ start: '2026-03-09', end: '2026-03-13', name: 'Spring' }] });
    const renamed = makeCalendar({ holidays: [{ start: '2026-03-09', end: '2026-03-13', name: 'Other' }] });
    const moved = makeCalendar({ holidays: [{ start: '2026-03-16', end: '2026-03-20', name: 'Spring' }] });
    const from = utc('2026-03-09T00:00:00Z');
    const to = utc('2026-03-21T00:00:00Z');
    expect(schoolMinutesBetween(a, from, to)).toBe(2400);
    expect(schoolMinutesBetween(renamed, from, to)).toBe(2400);
    expect(schoolMinutesBetween(moved, from, to)).toBe(2400);
    expect(isSchoolTime(a, utc('2026-03-10T10:00:00Z'))).toBe(false);
    expect(isSchoolTime(moved, utc('2026-03-10T10:00:00Z'))).toBe(true);
    expect(isSchoolTime(moved, utc('2026-03-17T10:00:00Z'))).toBe(false);
  });

  it('count a span longer than they keep (half a century) as the sum of its years', () => {
    const cal = makeCalendar({ dayStart: '09:00', dayEnd: '15:00' });
    let years = 0;
    for (let y = 2000; y < 2050; y++) {
      years += schoolMinutesBetween(cal, utc(`${y}-01-01T00:00:00Z`), utc(`${y + 1}-01-01T00:00:00Z`));
    }
    expect(schoolMinutesBetween(cal, utc('2000-01-01T00:00:00Z'), utc('2050-01-01T00:00:00Z'))).toBe(years);
    // 50 years of weekdays less bank holidays, six hours each: about 12,800 days.
    expect(years / 360).toBeGreaterThan(12_500);
    expect(years / 360).toBeLessThan(13_100);
  });
});
