/**
 * `npm run spoc -- seed demo` as an operator runs it: a separate process on the same database,
 * with `--now` standing in for the moment. A second run changes nothing and says so.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/client';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/db';

const run = promisify(execFile);
const TSX = join('node_modules', 'tsx', 'dist', 'cli.mjs');
const NOW = '2026-11-25T10:30:00Z';

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
  dir = mkdtempSync(join(tmpdir(), 'spoc-cli-seed-'));
  env = { LOG_LEVEL: 'silent' };
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url as string;
  } else {
    env.SPOC_DATA_DIR = join(dir, 'data');
    delete process.env.DATABASE_URL;
  }
});

afterAll(async () => {
  await pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
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
