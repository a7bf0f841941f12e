/**
 * SPOC started as `npm start` starts it (config parsed from an environment), with Teams
 * credentials, on PGlite in a data directory or a throwaway Postgres database; and a client that
 * POSTs activities to its `/api/messages`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config';
import type { Clock } from '../../src/domain/clock';
import { createLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { createTestDatabase, onPostgres, type TestDatabase } from './db';
import { APP_ID } from './teams-activities';

export const APP_PASSWORD = 'test-app-password-not-a-secret';

export interface TeamsSpoc {
  spoc: RunningSpoc;
  logLines: string[];
  /** Starts another SPOC on the same database (a restart, or a second process). */
  again(): Promise<RunningSpoc>;
  destroy(): Promise<void>;
}

export async function startTeamsSpoc(
  extraEnv: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<TeamsSpoc> {
  const env: Record<string, string> = {
    TEAMS_APP_ID: APP_ID,
    TEAMS_APP_PASSWORD: APP_PASSWORD,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    SPOC_WORKER: 'off',
    ...extraEnv,
  };
  let pg: TestDatabase | undefined;
  let dataDir: string | undefined;
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url as string;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'spoc-teams-'));
    env.SPOC_DATA_DIR = dataDir;
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const config = parsed.config;
  const logLines: string[] = [];
  const log = createLogger(config.logLevel, { write: (line: string) => void logLines.push(line) });
  const running: RunningSpoc[] = [];
  const start = async () => {
    const spoc = await startSpoc(config, { log, clock: options.clock, outboxIntervalMs: 50 });
    running.push(spoc);
    return spoc;
  };
  const spoc = await start();
  return {
    spoc,
    logLines,
    again: start,
    async destroy() {
      for (const r of running) await r.stop().catch(() => {});
      await pg?.destroy();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs a body to `/api/messages`, with `Authorization: Bearer <token>` when a token is given. */
export async function postActivity(
  baseUrl: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}
