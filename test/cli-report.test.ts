/**
 * `npm run spoc -- report …` as an operator runs it: a separate process on the same database,
 * printing the service report as CSV, with `--now` standing in for the moment.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client';
import { fixedClock } from '../src/domain/clock';
import { identifySlackUser } from '../src/domain/schools/identify';
import { NOW, seedFixture } from './fixtures/service-report/autumn-term';
import { type CliHarness, cliHarness } from './support/cli';

const TEAM = 'T0CLIREP01';

let cli: CliHarness;
const withDb = <T>(fn: (db: Database) => Promise<T>) => cli.withDb(fn);
const spoc = (...args: string[]) => cli.spoc(...args);

beforeAll(async () => {
  cli = await cliHarness('spoc-cli-report-');
  await withDb(async (database) => {
    const who = await identifySlackUser(database.db, fixedClock('2026-07-01T09:00:00Z'), {
      teamId: TEAM,
      teamName: 'Hillside',
      userId: 'U0CLIREP01',
    });
    await seedFixture(database.db, who.school.id, who.person.id);
  });
});

afterAll(async () => {
  await cli?.destroy();
});

describe('npm run spoc -- report', { timeout: 120_000 }, () => {
  it('prints the term report as CSV for the moment given', async () => {
    const out = await spoc('report', 'term', '--school', TEAM, '--now', NOW);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const rows = parse(out.stdout.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    const value = (section: string, item: string, measure: string) =>
      rows.find((r) => r.Section === section && r.Item === item && r.Measure === measure)?.Value;
    expect(value('Report', 'Period', 'Name')).toBe('Autumn term 2026');
    expect(value('Summary', 'Incidents', 'Reported')).toBe('13');
    expect(value('Response target', 'All', '% met')).toBe('83');
    expect(value('Resolution target', 'All', '% met')).toBe('80');
  });

  it('a bad period is refused with exit code 1; a missing one gets usage', async () => {
    const bad = await spoc('report', 'fortnight', '--school', TEAM, '--now', NOW);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'I don\'t know the period "fortnight". A period is week, last-week, term, last-term or FROM..TO, e.g. 01/09/2026..18/12/2026.',
    );
    expect(bad.stderr).not.toContain('`');
    const missing = await spoc('report', '--school', TEAM);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('report needs a period');
  });
});
