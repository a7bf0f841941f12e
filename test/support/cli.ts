/**
 * The command line as an operator runs it: `src/cli.ts` in a separate process on the same
 * database as the test (a PGlite directory, or the throwaway Postgres database when DATABASE_URL
 * is set). The PGlite directory holds a database from the start, as an installed SPOC's does (a
 * command refuses to start a new one unasked), unless the harness is asked for none.
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

export interface CliOptions {
  /**
   * No database yet: the command runs on the embedded database in `dataDir`, which does not
   * exist, even where the other tests run on Postgres.
   */
  noDatabase?: boolean;
}

export interface CliHarness {
  /** A scratch directory for files the test hands to the command. */
  dir: string;
  /** The embedded database's directory (SPOC_DATA_DIR), when the command runs on PGlite. */
  dataDir?: string;
  /** Opens the database the command uses (PGlite allows one process at a time, so it is closed after). */
  withDb<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  /** Runs `npm run spoc -- …args`, returning its exit code and output. */
  spoc(...args: string[]): Promise<CliResult>;
  destroy(): Promise<void>;
}

export async function cliHarness(prefix: string, options: CliOptions = {}): Promise<CliHarness> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env: Record<string, string | undefined> = { LOG_LEVEL: 'silent' };
  let pg: TestDatabase | undefined;
  let dataDir: string | undefined;
  if (onPostgres && !options.noDatabase) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url as string;
  } else {
    dataDir = join(dir, 'data');
    env.SPOC_DATA_DIR = dataDir;
    env.DATABASE_URL = undefined;
    if (!options.noDatabase) {
      const database = await openDatabase({ dataDir });
      try {
        await database.migrate();
      } finally {
        await database.close();
      }
    }
  }
  return {
    dir,
    dataDir,
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
        const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
        for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
        const { stdout, stderr } = await run(process.execPath, [TSX, 'src/cli.ts', ...args], {
          env: childEnv,
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
