import { describe, expect, it } from 'vitest';
import { makeCalendar, nextOpening, openingWords, serviceHoursWords } from '../../../src/domain/school-time';
import { CAL, utc } from './calendar-fixture';

// London is on GMT until the last Sunday of March (29 March 2026) and on BST (UTC+1) until the
// last Sunday of October (25 October 2026).

/** CAL with an INSET day on the first day back after Christmas, as `spoc term add` records one. */
const WITH_INSET = makeCalendar({
  timezone: 'Europe/London',
  holidays: [...CAL.holidays, { start: '2027-01-05', end: '2027-01-05', name: 'INSET day' }],
});

describe('nextOpening', () => {
  it.each([
    // In school time the office is open: nothing to wait for.
    ['a Tuesday morning in term', '2026-03-10T10:00:00.000Z', null],
    ['the first minute of the day', '2026-03-10T08:00:00.000Z', null],
    // Before the day starts: later the same day.
    ['a Tuesday before 08:00', '2026-03-10T07:59:00.000Z', '2026-03-10T08:00:00.000Z'],
    // At 16:00 the day is over: the next morning.
    ['a Tuesday at 16:00', '2026-03-10T16:00:00.000Z', '2026-03-11T08:00:00.000Z'],
    ['a Friday evening', '2026-12-04T18:30:00.000Z', '2026-12-07T08:00:00.000Z'],
    ['a Saturday', '2026-12-05T11:00:00.000Z', '2026-12-07T08:00:00.000Z'],
    // 23:30Z on a BST Tuesday is 00:30 on Wednesday in London: Wednesday 08:00 BST is 07:00Z.
    ['past midnight in London, not yet in UTC', '2026-06-09T23:30:00.000Z', '2026-06-10T07:00:00.000Z'],
    // Term dates: the Christmas holiday runs to Mon 4 Jan 2027; term starts Tue 5 Jan.
    ['the last day of term, after school', '2026-12-18T16:30:00.000Z', '2027-01-05T08:00:00.000Z'],
    ['the Christmas holiday', '2026-12-21T10:00:00.000Z', '2027-01-05T08:00:00.000Z'],
    ['February half term', '2027-02-16T09:00:00.000Z', '2027-02-22T08:00:00.000Z'],
    // Bank holidays: Good Friday 3 April and Easter Monday 6 April 2026 (BST).
    ['the evening before Good Friday', '2026-04-02T17:00:00.000Z', '2026-04-07T07:00:00.000Z'],
    ['the Early May bank holiday', '2026-05-04T09:00:00.000Z', '2026-05-05T07:00:00.000Z'],
    // Into BST: Friday 27 March on GMT, Monday 30 March opens at 08:00 BST = 07:00Z.
    ['the Friday before the clocks go forward', '2026-03-27T17:00:00.000Z', '2026-03-30T07:00:00.000Z'],
    ['the night the clocks go forward', '2026-03-29T01:30:00.000Z', '2026-03-30T07:00:00.000Z'],
    // Out of BST: Friday 23 October on BST, Monday 26 October opens at 08:00 GMT = 08:00Z.
    ['the Friday before the clocks go back', '2026-10-23T16:00:00.000Z', '2026-10-26T08:00:00.000Z'],
    ['the night the clocks go back', '2026-10-25T01:30:00.000Z', '2026-10-26T08:00:00.000Z'],
  ])('%s (%s) → %s', (_what, at, expected) => {
    const opening = nextOpening(CAL, utc(at));
    expect(opening?.toISOString() ?? null).toBe(expected);
  });

  it('skips an INSET day of the school calendar', () => {
    // Without the INSET day the office opens on Tue 5 Jan; with it, on Wed 6 Jan.
    expect(nextOpening(WITH_INSET, utc('2026-12-18T16:30:00.000Z'))?.toISOString()).toBe(
      '2027-01-06T08:00:00.000Z',
    );
    expect(nextOpening(WITH_INSET, utc('2027-01-05T10:00:00.000Z'))?.toISOString()).toBe(
      '2027-01-06T08:00:00.000Z',
    );
  });

  it('follows the school day set in the settings', () => {
    const late = makeCalendar({ timezone: 'Europe/London', dayStart: '08:30', dayEnd: '15:30' });
    expect(nextOpening(late, utc('2026-12-04T15:45:00.000Z'))?.toISOString()).toBe(
      '2026-12-07T08:30:00.000Z',
    );
    expect(nextOpening(late, utc('2026-12-07T08:29:00.000Z'))?.toISOString()).toBe(
      '2026-12-07T08:30:00.000Z',
    );
    expect(nextOpening(late, utc('2026-12-07T15:29:00.000Z'))).toBeNull();
  });
});

describe('openingWords', () => {
  it("says the day and time in the school's time zone, on either side of a clock change", () => {
    expect(openingWords(utc('2026-12-07T08:00:00.000Z'), 'Europe/London')).toBe('Mon 7 Dec 2026 at 08:00');
    expect(openingWords(utc('2026-03-30T07:00:00.000Z'), 'Europe/London')).toBe('Mon 30 Mar 2026 at 08:00');
    expect(openingWords(utc('2026-10-26T08:00:00.000Z'), 'Europe/London')).toBe('Mon 26 Oct 2026 at 08:00');
  });
});

describe('serviceHoursWords', () => {
  it('says the school day as published hours', () => {
    expect(serviceHoursWords({ dayStart: '08:00', dayEnd: '16:00' })).toBe(
      'Mon–Fri 08:00–16:00 in term time',
    );
  });
});
