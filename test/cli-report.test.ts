/**
 * `npm run spoc -- report …` as an operator runs it: a separate process on the same database,
 * printing the service report as CSV, with `--now` standing in for the moment.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/client';
import { fixedClock } from '../src/domain/clock';
import { identifySlackUser } from '../src/domain/schools/identify';
import { NOW, seedFixture } from './fixtures/service-report/autumn-term';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/db';

const run = promisify(execFile);
const TSX = join('node_modules', 'tsx', 'dist', 'cli.mjs');
const TEAM = 'T0CLIREP01';

let dir: string;
let env: Record<string, string>;
let pg: TestDatabase | undefined;

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const database = pg ?? (await openDatabase({ dataDir: join(dir, 'data') }));
  try {
    await database.migrate();
    return await fn(database);
  } finally {
    if (!pg) await database.close();
  }
}

async function spoc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TSX, 'src/cli.ts', ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spoc-cli-report-'));
  env = { LOG_LEVEL: 'silent' };
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url as string;
  } else {
    env.SPOC_DATA_DIR = join(dir, 'data');
    delete process.env.DATABASE_URL;
  }
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
  await pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
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
    expect(bad.stderr).toContain("I don't know the period `fortnight`.");
    const missing = await spoc('report', '--school', TEAM);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('report needs a period');
  });
});
