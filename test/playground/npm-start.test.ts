/**
 * `npm start` on a fresh clone with no credentials: the real entry point (src/main.ts) in its own
 * process, on an empty embedded data directory, prints the playground's address and serves the
 * page and the health routes on loopback; SIGTERM stops it cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'spoc-npm-start-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The environment of a fresh machine: none of SPOC's variables, whatever the test run has. */
function freshEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(SLACK_|TEAMS_|DATABASE_URL|SPOC_|PORT$|HOST$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, PORT: '0', SPOC_DATA_DIR: dataDir, SPOC_WORKER: 'off', LOG_LEVEL: 'warn' };
}

it('starts the playground with no credentials and no database server, and stops on SIGTERM', async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: freshEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    out += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed:\n${out}`)), 60_000);
    const look = () => {
      const match = /SPOC playground: open (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child?.stdout?.on('data', look);
    child?.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
  const page = await fetch(`${url}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('SPOC playground');
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);

  const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 90_000);
