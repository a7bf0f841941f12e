import { describe, expect, it } from 'vitest';
import { bankHolidays, isBankHoliday } from '../../../src/domain/school-time';

// Checked against GOV.UK's published England and Wales bank holidays.
const EXPECTED: Record<number, Array<[string, string]>> = {
  2025: [
    ['2025-01-01', "New Year's Day"],
    ['2025-04-18', 'Good Friday'],
    ['2025-04-21', 'Easter Monday'],
    ['2025-05-05', 'Early May bank holiday'],
    ['2025-05-26', 'Spring bank holiday'],
    ['2025-08-25', 'Summer bank holiday'],
    ['2025-12-25', 'Christmas Day'],
    ['2025-12-26', 'Boxing Day'],
  ],
  2026: [
    ['2026-01-01', "New Year's Day"],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-05-04', 'Early May bank holiday'],
    ['2026-05-25', 'Spring bank holiday'],
    ['2026-08-31', 'Summer bank holiday'],
    ['2026-12-25', 'Christmas Day'],
    // Boxing Day is a Saturday: observed on Monday 28th.
    ['2026-12-28', 'Boxing Day (substitute day)'],
  ],
  2027: [
    ['2027-01-01', "New Year's Day"],
    ['2027-03-26', 'Good Friday'],
    ['2027-03-29', 'Easter Monday'],
    ['2027-05-03', 'Early May bank holiday'],
    ['2027-05-31', 'Spring bank holiday'],
    ['2027-08-30', 'Summer bank holiday'],
    // Christmas Day is a Saturday and Boxing Day a Sunday: observed Monday 27th and Tuesday 28th.
    ['2027-12-27', 'Christmas Day (substitute day)'],
    ['2027-12-28', 'Boxing Day (substitute day)'],
  ],
  2028: [
    // 1 January 2028 is a Saturday.
    ['2028-01-03', "New Year's Day (substitute day)"],
    ['2028-04-14', 'Good Friday'],
    ['2028-04-17', 'Easter Monday'],
    ['2028-05-01', 'Early May bank holiday'],
    ['2028-05-29', 'Spring bank holiday'],
    ['2028-08-28', 'Summer bank holiday'],
    ['2028-12-25', 'Christmas Day'],
    ['2028-12-26', 'Boxing Day'],
  ],
};

describe('bankHolidays', () => {
  it.each(Object.entries(EXPECTED))(
    'lists exactly the England & Wales bank holidays of %s',
    (year, expected) => {
      expect(bankHolidays(Number(year)).map((h) => [h.date, h.name])).toEqual(expected);
    },
  );

  it('includes the one-off days of 2022 and 2023 and the moved Spring bank holiday of 2022', () => {
    const dates = [...bankHolidays(2022), ...bankHolidays(2023)].map((h) => `${h.date} ${h.name}`);
    expect(dates).toEqual(
      expect.arrayContaining([
        '2022-06-02 Spring bank holiday',
        '2022-06-03 Queen’s Platinum Jubilee',
        "2022-09-19 Queen Elizabeth's Funeral Day",
        "2023-05-08 King Charles III's Coronation",
      ]),
    );
    expect(dates).not.toContain('2022-05-30 Spring bank holiday');
    expect(dates).toHaveLength(10 + 9);
  });

  it('hands out copies, so a caller cannot change the list for everyone', () => {
    const first = bankHolidays(2026);
    first[0]!.name = 'Changed';
    first.pop();
    expect(bankHolidays(2026)[0]!.name).toBe("New Year's Day");
    expect(bankHolidays(2026)).toHaveLength(8);
  });

  it('rejects a year that is not a whole number', () => {
    expect(() => bankHolidays(2026.5)).toThrow(RangeError);
  });
});

describe('isBankHoliday', () => {
  it.each([
    ['2026-01-01', "New Year's Day"],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-05-04', 'Early May bank holiday'],
    ['2026-08-31', 'Summer bank holiday'],
    ['2026-12-28', 'Boxing Day (substitute day)'],
    ['2027-03-26', 'Good Friday'],
    ['2027-12-27', 'Christmas Day (substitute day)'],
    ['2023-05-08', "King Charles III's Coronation"],
    // Observances are not days off.
    ['2026-04-05', null],
    ['2026-03-15', null],
    // A bank holiday falling at a weekend is observed on its substitute day, not on the day itself.
    ['2026-12-26', null],
    ['2027-12-25', null],
    // An ordinary day, and the Monday before the 2022 Spring bank holiday moved to Thursday.
    ['2026-03-10', null],
    ['2022-05-30', null],
  ])('%s → %s', (date, expected) => {
    expect(isBankHoliday(date)).toBe(expected);
  });

  it.each(['2026-02-30', '26-12-2026', '', '2026-1-1'])('throws on the non-date %j', (date) => {
    expect(() => isBankHoliday(date)).toThrow(RangeError);
  });
});
