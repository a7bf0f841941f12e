/**
 * One date format wherever people read them: "Mon 14 Dec 2026" in a sentence, "14/12/2026" in a
 * table, a list's row or a CSV file, never ISO. A calendar date has no time of day, so it reads
 * the same whatever the server's time zone (the suite runs with TZ=UTC and TZ=Europe/London).
 */
import { describe, expect, it } from 'vitest';
import { dayDate, ukDate, ukDateTime, weekOf } from '../../../src/domain/presenters/format';

describe('dates people read', () => {
  it('in a sentence: weekday, day, short month and year', () => {
    expect(dayDate('2026-12-14')).toBe('Mon 14 Dec 2026');
    expect(dayDate('2027-01-01')).toBe('Fri 1 Jan 2027');
    // The days the clocks change keep their own date.
    expect(dayDate('2027-03-28')).toBe('Sun 28 Mar 2027');
    expect(dayDate('2026-10-25')).toBe('Sun 25 Oct 2026');
  });

  it('in a table or a CSV file: day first, as a UK spreadsheet shows it', () => {
    expect(ukDate('2026-12-14')).toBe('14/12/2026');
    expect(ukDate('2027-01-01')).toBe('01/01/2027');
    expect(ukDate(null)).toBe('—');
  });

  it('a week by its Monday, never as an ISO week', () => {
    expect(weekOf('2026-W49')).toBe('the week of Mon 30 Nov 2026');
  });

  it("a moment in a table or a CSV file, in the school's time, either side of midnight", () => {
    // 23:30 UTC in summer is half past midnight the next day in London.
    expect(ukDateTime(new Date('2027-06-14T23:30:00Z'), 'Europe/London')).toBe('15/06/2027 00:30');
    expect(ukDateTime(new Date('2027-06-14T23:30:00Z'), 'UTC')).toBe('14/06/2027 23:30');
    expect(ukDateTime(new Date('2026-12-14T09:15:00Z'), 'Europe/London')).toBe('14/12/2026 09:15');
  });
});
