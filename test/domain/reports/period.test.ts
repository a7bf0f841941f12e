import { describe, expect, it } from 'vitest';
import {
  MAX_REPORT_DAYS,
  type PeriodResult,
  parsePeriod,
  periodBounds,
} from '../../../src/domain/reports/period';
import type { HolidayRange } from '../../../src/domain/school-time';
import { addIsoDays } from '../../../src/domain/school-time/iso-date';
import { HOLIDAYS } from '../../fixtures/service-report/autumn-term';

function period(r: PeriodResult) {
  if (!r.ok) throw new Error(r.reason);
  return r.period;
}

function reason(r: PeriodResult) {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.period)}`);
  return r.reason;
}

const span = (r: PeriodResult) => {
  const p = period(r);
  return [p.from, p.to, p.assumed];
};

describe('week', () => {
  it.each([
    ['2026-11-30', '2026-11-30', '2026-12-06'], // Monday
    ['2026-12-04', '2026-11-30', '2026-12-06'], // Friday: this week so far
    ['2026-12-06', '2026-11-30', '2026-12-06'], // Sunday still belongs to it (ISO week)
    ['2027-01-01', '2026-12-28', '2027-01-03'], // across the new year
  ])('on %s is %s to %s', (today, from, to) => {
    expect(span(parsePeriod('week', today, []))).toEqual([from, to, false]);
    expect(period(parsePeriod('  This   WEEK ', today, [])).name).toBe('This week');
  });

  it('last-week is the complete week before, however it is written', () => {
    for (const words of ['last-week', 'last week', 'LAST WEEK']) {
      const p = period(parsePeriod(words, '2026-12-04', []));
      expect([p.kind, p.from, p.to, p.name]).toEqual(['last-week', '2026-11-23', '2026-11-29', 'Last week']);
    }
  });
});

describe('term from the school holidays', () => {
  it('runs from the day after the summer break to the day before Christmas', () => {
    const p = period(parsePeriod('term', '2026-11-30', HOLIDAYS));
    expect(p).toEqual({
      kind: 'term',
      from: '2026-09-02',
      to: '2026-12-18',
      name: 'Autumn term 2026',
      assumed: false,
    });
  });

  it('a half-term (5 days) or an INSET day does not split the term', () => {
    const withInset: HolidayRange[] = [
      ...HOLIDAYS,
      { start: '2026-11-13', end: '2026-11-13', name: 'INSET' },
    ];
    expect(span(parsePeriod('term', '2026-10-28', withInset))).toEqual(['2026-09-02', '2026-12-18', false]);
    expect(span(parsePeriod('term', '2026-11-20', withInset))).toEqual(['2026-09-02', '2026-12-18', false]);
  });

  it('on the first and last day of the term', () => {
    expect(span(parsePeriod('term', '2026-09-02', HOLIDAYS))).toEqual(['2026-09-02', '2026-12-18', false]);
    expect(span(parsePeriod('term', '2026-12-18', HOLIDAYS))).toEqual(['2026-09-02', '2026-12-18', false]);
  });

  it('in the Christmas holiday, "term" is the term that has just ended', () => {
    expect(span(parsePeriod('term', '2026-12-23', HOLIDAYS))).toEqual(['2026-09-02', '2026-12-18', false]);
  });

  it('falls back to the usual term for a side with no break recorded, and says so', () => {
    // In the summer holiday: the term just ended runs to 21 Jul; no Easter break is recorded.
    const p = period(parsePeriod('term', '2026-08-10', HOLIDAYS));
    expect(p).toMatchObject({
      from: '2026-04-01',
      to: '2026-07-21',
      name: 'Summer term 2026',
      assumed: true,
    });
    // After Christmas, with nothing recorded after it.
    expect(span(parsePeriod('term', '2027-01-20', HOLIDAYS))).toEqual(['2027-01-04', '2027-03-31', true]);
  });

  it('last-term is the one before the current term', () => {
    const p = period(parsePeriod('last term', '2026-11-30', HOLIDAYS));
    expect(p).toMatchObject({ kind: 'last-term', from: '2026-04-01', to: '2026-07-21', assumed: true });
    expect(span(parsePeriod('last-term', '2027-01-20', HOLIDAYS))).toEqual([
      '2026-09-02',
      '2026-12-18',
      false,
    ]);
  });
});

describe('term with no holidays recorded: the usual English terms, assumed', () => {
  it.each([
    ['2026-11-30', '2026-09-01', '2026-12-31', 'Autumn term 2026'],
    ['2026-09-01', '2026-09-01', '2026-12-31', 'Autumn term 2026'],
    ['2027-02-10', '2027-01-01', '2027-03-31', 'Spring term 2027'],
    ['2027-05-05', '2027-04-01', '2027-08-31', 'Summer term 2027'],
    ['2027-08-31', '2027-04-01', '2027-08-31', 'Summer term 2027'],
  ])('on %s: %s to %s (%s)', (today, from, to, name) => {
    expect(period(parsePeriod('term', today, []))).toEqual({ kind: 'term', from, to, name, assumed: true });
  });

  it('last-term steps back across the year end', () => {
    expect(span(parsePeriod('last-term', '2027-02-10', []))).toEqual(['2026-09-01', '2026-12-31', true]);
  });
});

describe('a range of dates', () => {
  it.each([
    '2026-09-01..2026-12-18',
    '2026-09-01 .. 2026-12-18',
    '2026-09-01 to 2026-12-18',
    '01/09/2026..18/12/2026',
  ])('%s', (words) => {
    expect(period(parsePeriod(words, '2026-11-30', []))).toEqual({
      kind: 'range',
      from: '2026-09-01',
      to: '2026-12-18',
      name: 'Tue 1 Sep 2026 to Fri 18 Dec 2026',
      assumed: false,
    });
  });

  it('one day is a period', () => {
    expect(span(parsePeriod('2026-11-30..2026-11-30', '2026-11-30', []))).toEqual([
      '2026-11-30',
      '2026-11-30',
      false,
    ]);
  });

  it(`at most ${MAX_REPORT_DAYS} days`, () => {
    const to = addIsoDays('2025-11-01', MAX_REPORT_DAYS - 1);
    expect(span(parsePeriod(`2025-11-01..${to}`, '2026-11-30', []))).toEqual(['2025-11-01', to, false]);
    expect(reason(parsePeriod(`2025-11-01..${addIsoDays(to, 1)}`, '2026-11-30', []))).toBe(
      'A report covers at most 400 days; Sat 1 Nov 2025 to Sun 6 Dec 2026 is 401 days.',
    );
  });

  it('refuses a range that ends before it starts, a date that does not exist, or one that has not begun', () => {
    expect(reason(parsePeriod('2026-12-18..2026-09-01', '2026-11-30', []))).toBe(
      'The period ends (Tue 1 Sep 2026) before it starts (Fri 18 Dec 2026).',
    );
    expect(reason(parsePeriod('2026-02-30..2026-03-10', '2026-11-30', []))).toContain(
      '"2026-02-30" is not a date',
    );
    expect(reason(parsePeriod('2026-12-01..2026-12-18', '2026-11-30', []))).toBe(
      'The period starts after today (Mon 30 Nov 2026): nothing to report yet.',
    );
    expect(reason(parsePeriod('2026-09-01..2026-10-01..2026-11-01', '2026-11-30', []))).toContain(
      'A period is two dates',
    );
    expect(reason(parsePeriod('2026-09-01..', '2026-11-30', []))).toContain('is not a date');
  });
});

describe('bad input is said back in plain words (the answer adds the usage)', () => {
  it.each(['fortnight', 'year', 'P1', '2026-09-01'])('%s', (words) => {
    expect(reason(parsePeriod(words, '2026-11-30', []))).toBe(`I don't know the period "${words}".`);
  });

  it('nothing at all asks which period', () => {
    expect(reason(parsePeriod('  ', '2026-11-30', []))).toBe('Which period?');
  });

  it('no reason has markup or an ISO date', () => {
    for (const words of [
      'fortnight',
      '2026-12-18..2026-09-01',
      '2026-02-30..2026-03-10',
      '2026-12-01..2026-12-18',
    ]) {
      const why = reason(parsePeriod(words, '2026-11-30', []));
      expect(why).not.toMatch(/`/);
      expect(why.replace(`"${words.split('..')[0]}"`, '')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
  });
});

describe('periodBounds', () => {
  it('is local midnight to the midnight after the last day, across the clock change', () => {
    const p = period(parsePeriod('term', '2026-11-30', HOLIDAYS));
    const { startAt, endAt } = periodBounds(p, 'Europe/London');
    expect(startAt.toISOString()).toBe('2026-09-01T23:00:00.000Z'); // BST
    expect(endAt.toISOString()).toBe('2026-12-19T00:00:00.000Z'); // GMT
  });
});
