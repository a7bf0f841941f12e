/**
 * `npm run spoc -- seed demo` as an operator runs it: a separate process on the same database,
 * with `--now` standing in for the moment. A second run changes nothing and says so.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client';
import { type CliHarness, cliHarness } from './support/cli';

const NOW = '2026-11-25T10:30:00Z';

let cli: CliHarness;
const withDb = <T>(fn: (db: Database) => Promise<T>) => cli.withDb(fn);
const spoc = (...args: string[]) => cli.spoc(...args);

beforeAll(async () => {
  cli = await cliHarness('spoc-cli-seed-');
});

afterAll(async () => {
  await cli?.destroy();
});

describe('npm run spoc -- seed demo', { timeout: 120_000 }, () => {
  it('fills the demo school and prints what it holds', async () => {
    const out = await spoc('seed', 'demo', '--now', NOW);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout.split('\n')).toEqual([
      'Hillside Primary (demo) (Slack team T0PLAYGRND, SPOC channel C0PLAYSPOC): demo data added.',
      '  people: 6',
      '  locations: 14',
      '  assets: 40 (3 warranties ending within 30 days, 2 in repair)',
      '  licences: 5 (1 over-deployed, 1 expiring within 60 days)',
      '  providers: 2; contracts: 2 (1 in the notice period)',
      '  payments: 5 (1 due this week, 1 overdue)',
      '  diary entries: 4',
      '  changes: 1; problems: 1',
      '  incidents: 13 (new 2, triaged 1, assigned 1, in progress 1, escalated 1, on hold 1, resolved 1, reopened 1, closed 4)',
      'Its messages are posted when the server (npm start) runs.',
      '',
    ]);
    const [row] = await withDb((database) =>
      database.rows<{ n: number }>(
        sql`select count(*)::int as n from schools where slack_team_id = 'T0PLAYGRND'`,
      ),
    );
    expect(row?.n).toBe(1);
  });

  it('changes nothing the second time, and says so', async () => {
    const out = await spoc('seed', 'demo', '--now', NOW);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      '(Slack team T0PLAYGRND, SPOC channel C0PLAYSPOC): already seeded, nothing changed.',
    );
    expect(out.stdout).toContain('  incidents: 13 (');
    expect(out.stdout).not.toContain('Its messages are posted');
    const [row] = await withDb((database) =>
      database.rows<{ n: number }>(sql`select count(*)::int as n from incidents`),
    );
    expect(row?.n).toBe(13);
  });

  it('answers a bad seed command with usage help', async () => {
    const out = await spoc('seed', 'everything');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('seed needs the word demo');
    expect(out.stderr).toContain('seed demo [--now ISO-8601]');
  });
});
