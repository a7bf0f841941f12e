/**
 * The real entry point (src/main.ts) in its own process, serving one workspace over HTTP: signed
 * bodies of every malformed shape get a 400 and the process keeps serving. Before the request
 * gate, `payload=null` alone ended the process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { BOT_TOKEN, SIGNING_SECRET, sign } from '../support/slack-payloads';

const FORM = 'application/x-www-form-urlencoded';
const dataDir = mkdtempSync(join(tmpdir(), 'spoc-malformed-'));
let child: ChildProcess | undefined;
let fake: FakeSlack;
let url: string;
let exited: number | null | undefined;
let out = '';

beforeAll(async () => {
  fake = await startFakeSlack();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(SLACK_|TEAMS_|DATABASE_URL|SPOC_|PORT$|HOST$|LOG_LEVEL$)/.test(key)) env[key] = value;
  }
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...env,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      SPOC_DATA_DIR: dataDir,
      SPOC_WORKER: 'off',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    out += chunk;
  });
  child.on('exit', (code) => {
    exited = code;
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SPOC did not start:\n${out}`)), 60_000);
    const look = () => {
      const match = /Slack requests to (http:\/\/127\.0\.0\.1:\d+)\/slack\/events/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child?.stdout?.on('data', look);
    child?.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}, 90_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('answers every malformed signed body with 400 and stays up', async () => {
  const payload = (value: string) => sign(`payload=${encodeURIComponent(value)}`, FORM);
  const user = { id: 'U0SOMEONE1', team_id: 'T0FAKE0001' };
  const shapes = [
    sign('payload=null', FORM),
    sign('null', 'application/json'),
    payload('"a string"'),
    payload('42'),
    payload('[]'),
    payload(JSON.stringify({ type: 'no_such_type', user })),
    payload(
      JSON.stringify({ type: 'block_actions', team: { id: 'T0FAKE0001' }, actions: [{ action_id: 'x' }] }),
    ),
    payload(JSON.stringify({ type: 'view_submission', user, team: { id: 'T0FAKE0001' } })),
  ];
  for (const request of shapes) {
    const res = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    expect(res.status).toBe(400);
  }
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect(exited).toBeUndefined();
  expect(out).not.toContain('TypeError');
}, 60_000);
