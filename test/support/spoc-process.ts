/**
 * SPOC in its own process, as an operator runs it, serving one workspace over HTTP on loopback
 * against an offline fake Slack: started, its address read from its log, its output kept.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { BOT_TOKEN, SIGNING_SECRET } from './slack-payloads';

export interface SpocProcess {
  child: ChildProcess;
  /** Base URL of its HTTP listener. */
  url: string;
  /** Everything it has printed so far. */
  output(): string;
}

/**
 * Starts `command` (e.g. `node --import tsx src/main.ts`, or `npm start`) with a clean
 * environment: none of the test run's own SPOC, Slack, database or npm variables.
 */
export async function startSpocProcess(
  command: string[],
  env: { apiUrl: string; dataDir?: string; databaseUrl?: string },
  options: { detached?: boolean } = {},
): Promise<SpocProcess> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(SLACK_|TEAMS_|DATABASE_URL|SPOC_|PORT$|HOST$|LOG_LEVEL$|npm_)/.test(key)) clean[key] = value;
  }
  const [file = 'node', ...args] = command;
  const child = spawn(file, args, {
    env: {
      ...clean,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: env.apiUrl,
      ...(env.databaseUrl ? { DATABASE_URL: env.databaseUrl } : { SPOC_DATA_DIR: env.dataDir }),
      SPOC_WORKER: 'off',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    out += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SPOC did not start:\n${out}`)), 60_000);
    const look = () => {
      const match = /Slack requests to (http:\/\/127\.0\.0\.1:\d+)\/slack\/events/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', look);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
  return { child, url, output: () => out };
}
