import { describe, expect, it } from 'vitest';
import { licenceCompliance, warrantyState } from '../../../src/domain/registers/compliance';
import { schoolToday } from '../../../src/domain/school-time';

const TODAY = '2026-11-30';

describe('licence compliance', () => {
  it.each([
    [{ type: 'per_device', quantity: 30, seatsInUse: 31, expiryDate: null }, ['over_deployed'], -1, null],
    [{ type: 'per_device', quantity: 30, seatsInUse: 27, expiryDate: null }, ['nearly_full'], 3, null],
    [{ type: 'per_device', quantity: 30, seatsInUse: 26, expiryDate: '2027-06-01' }, [], 4, 183],
    [
      { type: 'per_user', quantity: 10, seatsInUse: 10, expiryDate: '2026-11-29' },
      ['nearly_full', 'expired'],
      0,
      -1,
    ],
    [{ type: 'subscription', quantity: 5, seatsInUse: 1, expiryDate: '2027-01-29' }, ['expiring'], 4, 60],
    [{ type: 'subscription', quantity: 5, seatsInUse: 1, expiryDate: '2027-01-30' }, [], 4, 61],
    [{ type: 'site', quantity: null, seatsInUse: 500, expiryDate: '2026-11-30' }, ['expiring'], null, 0],
    [{ type: 'per_device', quantity: 0, seatsInUse: 0, expiryDate: null }, [], 0, null],
  ])('%j → %j', (licence, flags, seatsLeft, days) => {
    expect(licenceCompliance(licence, TODAY)).toEqual({ flags, seatsLeft, daysToExpiry: days });
  });
});

describe('warranty', () => {
  it.each([
    [null, 'none'],
    ['2026-11-29', 'ended'],
    ['2026-11-30', 'ending'],
    ['2026-12-30', 'ending'],
    ['2026-12-31', 'ok'],
  ])('%s → %s', (end, state) => {
    expect(warrantyState(end, TODAY)).toBe(state);
  });
});

describe('schoolToday', () => {
  it('is the London calendar date, across midnight and BST', () => {
    expect(schoolToday(new Date('2026-11-30T23:30:00Z'), 'Europe/London')).toBe('2026-11-30');
    expect(schoolToday(new Date('2026-06-30T23:30:00Z'), 'Europe/London')).toBe('2026-07-01');
  });
});
