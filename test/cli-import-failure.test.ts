/**
 * An import that fails for a reason of SPOC's own (here the database refuses a row: a trigger
 * injected for the test) is answered on the terminal in one sentence with a reference, logged
 * once with that reference, never as a stack trace; and nothing is imported.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/client';
import { fixedClock } from '../src/domain/clock';
import { identifySlackUser } from '../src/domain/schools/identify';
import { createTestDatabase, onPostgres, type TestDatabase } from './support/db';

const run = promisify(execFile);
const TSX = join('node_modules', 'tsx', 'dist', 'cli.mjs');
const TEAM = 'T0CLIFAIL1';

let dir: string;
let env: NodeJS.ProcessEnv;
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
      env,
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const assetCount = () =>
  withDb(async (database) => {
    const [row] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from assets a join schools s on s.id = a.school_id where s.slack_team_id = ${TEAM}`,
    );
    return row?.n;
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spoc-cli-import-failure-'));
  // Errors are logged (as JSON on standard error, the terminal not being a TTY here).
  env = { LOG_LEVEL: 'error' };
  for (const [key, value] of Object.entries(process.env))
    if (!/^(SLACK_|TEAMS_|DATABASE_URL|SPOC_|LOG_LEVEL$)/.test(key)) env[key] = value;
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url;
  } else {
    env.SPOC_DATA_DIR = join(dir, 'data');
  }
  await withDb(async (database) => {
    await identifySlackUser(database.db, fixedClock('2026-11-30T09:00:00Z'), {
      teamId: TEAM,
      teamName: 'Hillside',
      userId: 'U0CLIFAIL1',
    });
    // The injected fault: the database refuses the asset tagged BOOM-1, as it would any write
    // it cannot take (a full disk, a statement too big, a dropped connection).
    await database.rows(sql`
      create function refuse_boom() returns trigger language plpgsql as $$
      begin
        if new.tag = 'BOOM-1' then raise exception 'injected failure for asset %', new.tag; end if;
        return new;
      end $$`);
    await database.rows(
      sql`create trigger refuse_boom before insert on assets for each row execute function refuse_boom()`,
    );
  });
});

afterAll(async () => {
  await pg?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run spoc -- import, when the database fails', { timeout: 120_000 }, () => {
  it('says so in one sentence with a reference, logs that reference once, and imports nothing', async () => {
    const rows = ['Asset Tag,Type,Room'];
    for (let i = 1; i <= 500; i++) rows.push(`PC-${i},Desktop,Room ${i % 10}`);
    rows.push('BOOM-1,Desktop,Room 1');
    const file = join(dir, 'devices.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);

    const out = await spoc('import', 'assets', file, '--school', TEAM, '--create-missing');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    const lines = out.stderr.split('\n').filter((l) => l.trim() !== '');
    const sentence = lines.filter((l) => !l.startsWith('{'));
    expect(sentence).toHaveLength(1);
    expect(sentence[0]).toMatch(/^The import failed, so nothing was imported \(ref E-[0-9A-F]{8}\)/);
    const ref = sentence[0]!.match(/E-[0-9A-F]{8}/)![0];

    const logged = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, ref, msg: 'import failed' });
    expect(logged[0].error.cause.message).toBe('injected failure for asset BOOM-1');
    // No stack trace and no parameters: the whole answer is short.
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(out.stderr).not.toContain('params');
    expect(sentence[0]).not.toContain('insert into');
    expect(out.stderr.length).toBeLessThan(1000);

    expect(await assetCount()).toBe(0);
  });

  it('imports the same file without the refused row', async () => {
    const file = join(dir, 'fine.csv');
    writeFileSync(file, 'Asset Tag,Type,Room\nPC-1,Desktop,Room 1\n');
    const out = await spoc('import', 'assets', file, '--school', TEAM, '--create-missing');
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout).toContain('Imported.');
    expect(await assetCount()).toBe(1);
  });
});
