/**
 * `npm run spoc -- import` with a NUL in the file: a refusal the operator can act on (the line,
 * the column), exit code 1, and no stack trace.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/domain/clock';
import { identifySlackUser } from '../src/domain/schools/identify';
import { type CliHarness, cliHarness } from './support/cli';

const TEAM = 'T0CLINUL01';
const NUL = '\u0000';

let cli: CliHarness;

function file(name: string, text: string): string {
  const path = join(cli.dir, name);
  writeFileSync(path, text);
  return path;
}

const noStackTrace = (text: string) => {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain('Error:');
};

beforeAll(async () => {
  cli = await cliHarness('spoc-cli-nul-');
  await cli.withDb((database) =>
    identifySlackUser(database.db, fixedClock('2026-11-30T09:00:00Z'), {
      teamId: TEAM,
      teamName: 'Hillside',
      userId: 'U0CLINUL01',
    }),
  );
});

afterAll(async () => {
  await cli?.destroy();
});

describe('npm run spoc -- import, with control characters in the file', { timeout: 120_000 }, () => {
  it('refuses a row with a NUL by its line, imports nothing, and exits 1 without a stack trace', async () => {
    const csv = file(
      'nul.csv',
      ['Asset Tag,Type,Make,Notes', 'A1,Laptop,Dell,fine', `A2,Laptop,Dell,bad${NUL}`, ''].join('\r\n'),
    );
    const refusal = 'line 3: "Notes" has a NUL character (U+0000), which cannot be saved: remove it';

    const dry = await cli.spoc('import', 'assets', csv, '--school', TEAM, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('nul.csv: 1 new, 0 updated, 0 unchanged, 1 refused');
    expect(dry.stdout).toContain(refusal);
    noStackTrace(dry.stderr);

    const run = await cli.spoc('import', 'assets', csv, '--school', TEAM, '--create-missing');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(refusal);
    expect(run.stderr).toContain('Nothing was imported: 1 row is refused.');
    noStackTrace(run.stderr);
    const counts = await cli.withDb((database) =>
      database.rows<{ n: number }>(sql`select count(*)::int as n from assets`),
    );
    expect(counts[0]?.n).toBe(0);
  });

  it('refuses a file whose heading holds one', async () => {
    const csv = file('heading.csv', `Asset Tag,Ty${NUL}pe\nA1,Laptop\n`);
    const out = await cli.spoc('import', 'assets', csv, '--school', TEAM);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'The heading of column 2 on the first line has a NUL character (U+0000), which cannot be saved.',
    );
    noStackTrace(out.stderr);
  });
});
