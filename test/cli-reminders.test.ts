/** `npm run spoc -- reminders run`: a real pass never as if in the future; a dry run may be. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliHarness, cliHarness } from './support/cli';

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
