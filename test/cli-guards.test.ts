/**
 * The entry points keep a real install safe, as an operator runs them (separate processes): the
 * playground (`npm start` with no credentials) and `seed demo` refuse a database holding real
 * schools, and a command refuses an embedded database another process has open. Each says what
 * to do in a sentence and exits 1, without a stack trace.
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
import { makeSchool } from './support/factories';

const run = promisify(execFile);
const TSX = join('node_modules', 'tsx', 'dist', 'cli.mjs');

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

async function node(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const demoSchools = () =>
  withDb(async (database) => {
    const [row] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from schools where slack_team_id = 'T0PLAYGRND'`,
    );
    return row?.n;
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spoc-cli-guards-'));
  // A fresh machine's environment (no credentials: playground mode), on this test's database.
  env = { LOG_LEVEL: 'warn', PORT: '0', SPOC_WORKER: 'off' };
  for (const [key, value] of Object.entries(process.env))
    if (!/^(SLACK_|TEAMS_|DATABASE_URL|SPOC_|PORT$|HOST$|LOG_LEVEL$)/.test(key)) env[key] = value;
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url;
  } else {
    env.SPOC_DATA_DIR = join(dir, 'data');
  }
  // A real install: one school, on its own Slack workspace.
  await withDb((database) => makeSchool(database.db, { teamId: 'T0REALSCHL' }));
}, 60_000);

afterAll(async () => {
  await pg?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('on a database holding a real school', { timeout: 90_000 }, () => {
  it('npm start with no credentials refuses to run the playground, saying why and what to do', async () => {
    const out = await node('--import', 'tsx', 'src/main.ts');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'SPOC cannot start: This database holds 1 real school, so the playground will not start on it',
    );
    expect(out.stderr).toContain(
      onPostgres
        ? 'unset DATABASE_URL and set SPOC_DATA_DIR to a directory of its own for the playground'
        : 'set SPOC_DATA_DIR to another directory for the playground',
    );
    expect(out.stderr).toContain('set your Slack credentials');
    noStack(out.stderr);
    expect(out.stdout).not.toContain('SPOC playground: open');
    expect(await demoSchools()).toBe(0);
  });

  it('seed demo refuses to add the demo school', async () => {
    const out = await node(TSX, 'src/cli.ts', 'seed', 'demo');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      "This database holds 1 real school, so seed demo will not add the playground's demo school to it.",
    );
    noStack(out.stderr);
    expect(out.stdout).toBe('');
    expect(await demoSchools()).toBe(0);
  });
});

describe.skipIf(onPostgres)(
  'while another process has the embedded database open (embedded PGlite only: skipped when DATABASE_URL is set)',
  { timeout: 90_000 },
  () => {
    it('a command refuses, naming that process', async () => {
      const held = await openDatabase({ dataDir: join(dir, 'data') });
      try {
        const out = await node(TSX, 'src/cli.ts', 'seed', 'demo');
        expect(out.code).toBe(1);
        expect(out.stderr).toContain(
          `The database in ${join(dir, 'data')} is in use by process ${process.pid} (npm start?): stop it first, or use the playground's Seed demo school button.`,
        );
        noStack(out.stderr);
      } finally {
        await held.close();
      }
    });
  },
);
