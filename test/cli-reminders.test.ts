/**
 * `npm run spoc -- reminders run`: a real pass never as if in the future; a dry run may be, and
 * says what it would post in the reminders' own words.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../src/domain/clock';
import { schedulePayment } from '../src/domain/registers/payments';
import { setupSchool } from '../src/domain/schools/setup-school';
import { type CliHarness, cliHarness } from './support/cli';
import { makeSchool } from './support/factories';

let cli: CliHarness;
beforeAll(async () => {
  cli = await cliHarness('spoc-reminders-');
});
afterAll(async () => {
  await cli?.destroy();
});

it('refuses a real pass as if at a moment still to come, and changes nothing', async () => {
  const r = await cli.spoc('reminders', 'run', '--now', '2099-03-01T09:00:00Z');
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('has not come yet: a real pass never records a time later than now');
  expect(r.stdout).toBe('');
});

it('runs a dry run at that moment, and a real pass in the past', async () => {
  const dry = await cli.spoc('reminders', 'run', '--now', '2099-03-01T09:00:00Z', '--dry-run');
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain('Dry run: nothing was recorded or posted.');
  const past = await cli.spoc('reminders', 'run', '--now', '2026-03-02T09:00:00Z');
  expect(past.code).toBe(0);
  expect(past.stdout).toContain('No school has a SPOC channel yet');
});

it('a dry run says what each reminder is about in the words it is posted with, not by its key', {
  timeout: 120_000,
}, async () => {
  await cli.withDb(async (database) => {
    const school = await makeSchool(database.db, { clock: fixedClock('2027-02-20T09:00:00Z') });
    const admin = await school.person('admin');
    expect((await setupSchool(admin, { slackChannelId: 'C0CLIREM01' })).ok).toBe(true);
    const payment = await schedulePayment(admin, {
      payee: 'Oakwood ICT',
      providerId: null,
      amountPence: 50000,
      dueDate: '2027-03-05',
      recurrence: 'none',
      reference: 'INV-1',
      notes: '',
    });
    expect(payment.ok).toBe(true);
  });
  const dry = await cli.spoc('reminders', 'run', '--now', '2027-03-01T09:00:00Z', '--dry-run');
  expect(dry.stderr).toBe('');
  expect(dry.code).toBe(0);
  const lines = dry.stdout.split('\n');
  const at = lines.indexOf('Hillside Primary: 2 reminders would be posted, 0 already sent');
  expect(at).toBeGreaterThanOrEqual(0);
  expect(lines.slice(at + 1, at + 3)).toEqual([
    '  - The week ahead (the week of Mon 1 Mar 2027)',
    '  - Payment of £500.00 to Oakwood ICT (ref INV-1) is due in 4 days (Fri 5 Mar 2027).',
  ]);
  expect(dry.stdout).not.toMatch(/digest:|payment\.due_soon/);
  expect(dry.stdout).toContain('Dry run: nothing was recorded or posted.');
});
