/**
 * The command line as an operator runs it: a separate process on the same database (a PGlite
 * directory, or the throwaway Postgres database when DATABASE_URL is set).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client';
import { fixedClock } from '../src/domain/clock';
import { identifySlackUser } from '../src/domain/schools/identify';
import { type CliHarness, cliHarness } from './support/cli';

const TEAM = 'T0CLI00001';

let cli: CliHarness;
const withDb = <T>(fn: (db: Database) => Promise<T>) => cli.withDb(fn);
const spoc = (...args: string[]) => cli.spoc(...args);

function file(name: string, text: string): string {
  const path = join(cli.dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  cli = await cliHarness('spoc-cli-');
  await withDb((database) =>
    identifySlackUser(database.db, fixedClock('2026-11-30T09:00:00Z'), {
      teamId: TEAM,
      teamName: 'Hillside',
      userId: 'U0CLI00001',
    }),
  );
});

afterAll(async () => {
  await cli?.destroy();
});

describe('npm run spoc -- …', { timeout: 120_000 }, () => {
  it('lists schools with their ids and platform ids', async () => {
    const out = await spoc('schools');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ID\s+NAME\s+SLACK TEAM\s+TEAMS TENANT\s+SPOC CHANNEL\s+PEOPLE\s+ADMINS$/m);
    expect(out.stdout).toMatch(new RegExp(`Hillside\\s+${TEAM}\\s+-\\s+\\(none\\)\\s+1\\s+0`));
  });

  it('prints the usage for --help and -h, before or after a command, and exits 0', async () => {
    for (const args of [['--help'], ['-h'], ['import', '--help'], ['reminders', 'run', '-h']]) {
      const out = await spoc(...args);
      expect(out.code).toBe(0);
      expect(out.stderr).toBe('');
      expect(out.stdout).toMatch(/^Usage: npm run spoc -- <command>\n/);
      expect(out.stdout).toContain('help, -h, --help');
      expect(out.stdout).toContain('--create');
    }
  });

  it('answers a bad command with usage help and exit code 2', async () => {
    const out = await spoc('frobnicate');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('Unknown command: frobnicate');
    expect(out.stderr).toContain('Usage: npm run spoc -- <command>');
    expect((await spoc('import', 'assets', 'x.csv')).stderr).toContain('--school is required');
  });

  it('previews, refuses, imports all or nothing, and re-imports to no change', async () => {
    const csv = file(
      'assets.csv',
      [
        'Asset Tag,Type,Make,Room,Purchase Date,Cost (£),Warranty',
        'LAP-001,Laptop,Dell,Library,01/09/2024,£549.99,31/08/2027',
        "LAP-002,Laptop,Dell,Mrs Brown's class,01/09/2024,549.99,",
        '',
      ].join('\r\n'),
    );
    const dry = await spoc('import', 'assets', csv, '--school', TEAM, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('assets.csv: 2 new, 0 updated, 0 unchanged, 0 refused');
    expect(dry.stdout).toContain("locations not in the school yet: Mrs Brown's class");
    expect(dry.stdout).toContain('Dry run: nothing was changed.');

    const refused = await spoc('import', 'assets', csv, '--school', TEAM);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Nothing was imported');
    expect(refused.stderr).toContain('(add --create-missing)');

    const bad = file('bad.csv', 'Tag,Type\nX-1,Laptop\nX-2,Toaster\n');
    const badRun = await spoc('import', 'assets', bad, '--school', TEAM);
    expect(badRun.code).toBe(1);
    expect(badRun.stderr).toMatch(/line 3: Type: .*Toaster/);

    const done = await spoc('import', 'assets', csv, '--school', TEAM, '--create-missing');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("Created: Mrs Brown's class");
    expect(done.stdout).toContain('Imported.');
    const counts = await withDb(async (database) =>
      database.rows<{ n: number }>((await import('drizzle-orm')).sql`select count(*)::int as n from assets`),
    );
    expect(counts[0]?.n).toBe(2);

    const again = await spoc('import', 'assets', csv, '--school', TEAM, '--dry-run');
    expect(again.stdout).toContain('0 new, 0 updated, 2 unchanged, 0 refused');

    // Export → import is unchanged; formula-looking cells come out neutralised.
    const exported = await spoc('export', 'assets', '--school', TEAM);
    expect(exported.code).toBe(0);
    expect(exported.stdout.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'Asset tag,Type,Make,Model,Serial,Location,Supplier,Purchase date,Cost,Warranty end,Status,Notes',
    );
    expect(exported.stdout).toContain('LAP-001,Laptop,Dell,,,Library,,01/09/2024,549.99,31/08/2027,In use,');
    const back = await spoc(
      'import',
      'assets',
      file('export.csv', exported.stdout),
      '--school',
      TEAM,
      '--dry-run',
    );
    expect(back.stdout).toContain('0 new, 0 updated, 2 unchanged, 0 refused');
  });

  it('says in a preview how it read a contracts sheet with no Title column', async () => {
    const csv = file(
      'contracts.csv',
      'Supplier,Service,Start Date,End Date,Notice (days),Value\nCounty ICT,Broadband,01/04/2026,31/03/2027,90,1200\n',
    );
    const dry = await spoc('import', 'contracts', csv, '--school', TEAM, '--dry-run');
    expect(dry.stdout).toContain('contracts.csv: 1 new');
    expect(dry.stdout).toContain('No Title column: titles were taken from the Service column.');
  });

  it('refuses a file over 5 MB', async () => {
    const big = file('big.csv', `Tag,Type\n${'X,Laptop\n'.repeat(700_000)}`);
    const out = await spoc('import', 'assets', big, '--school', TEAM, '--dry-run');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/big\.csv is 6\.\d MB; the largest import is 5 MB\. Nothing was imported\./);
  });
});
