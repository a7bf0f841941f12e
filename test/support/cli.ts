/**
 * The command line as an operator runs it: `src/cli.ts` in a separate process on the same
 * database as the test (a PGlite directory, or the throwaway Postgres database when DATABASE_URL
 * is set).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Database, openDatabase } from '../../src/db/client';
import { createTestDatabase, onPostgres, type TestDatabase } from './db';

const run = promisify(execFile);
const TSX = join('node_modules', 'tsx', 'dist', 'cli.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  /** A scratch directory for files the test hands to the command. */
  dir: string;
  /** Opens the database the command uses (PGlite allows one process at a time, so it is closed after). */
  withDb<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  /** Runs `npm run spoc -- …args`, returning its exit code and output. */
  spoc(...args: string[]): Promise<CliResult>;
  destroy(): Promise<void>;
}

export async function cliHarness(prefix: string): Promise<CliHarness> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env: Record<string, string> = { LOG_LEVEL: 'silent' };
  let pg: TestDatabase | undefined;
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url as string;
  } else {
    env.SPOC_DATA_DIR = join(dir, 'data');
    delete process.env.DATABASE_URL;
  }
  return {
    dir,
    async withDb(fn) {
      const database = pg ?? (await openDatabase({ dataDir: join(dir, 'data') }));
      try {
        await database.migrate();
        return await fn(database);
      } finally {
        if (!pg) await database.close();
      }
    },
    async spoc(...args) {
      try {
        const { stdout, stderr } = await run(process.execPath, [TSX, 'src/cli.ts', ...args], {
          env: { ...process.env, ...env },
          maxBuffer: 64 * 1024 * 1024,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as CliResult;
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    },
    async destroy() {
      await pg?.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
