import { makeCalendar } from '../../../src/domain/school-time';

/**
 * A London school on the default 08:00–16:00 day with two of its 2026–27 holidays. No October or
 * Easter holidays, so the British Summer Time changes and Easter bank holidays fall in term.
 */
export const CAL = makeCalendar({
  timezone: 'Europe/London',
  holidays: [
    { start: '2026-12-19', end: '2027-01-04', name: 'Christmas' },
    { start: '2027-02-15', end: '2027-02-19', name: 'February half term' },
  ],
});

/** An instant written in UTC, so every expectation states the exact moment. */
export const utc = (iso: string): Date => {
  if (!iso.endsWith('Z')) throw new Error(`Write test instants in UTC: ${iso}`);
  return new Date(iso);
};
