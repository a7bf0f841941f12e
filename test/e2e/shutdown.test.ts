/**
 * `npm start` under load, then SIGTERM to the npm process, as a container or systemd sends it:
 * every process of the group is gone within 10 s, and every fault report SPOC acknowledged is
 * stored. The clients keep their connections alive, as Slack's do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CALLBACK } from '../../src/bot/slack/ids';
import { openDatabase } from '../../src/db/client';
import { incidents } from '../../src/db/schema';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { BOT_TOKEN, SIGNING_SECRET, viewSubmission } from '../support/slack-payloads';

const TEAM = 'T0SHUTDOWN';
const dataDir = mkdtempSync(join(tmpdir(), 'spoc-shutdown-'));
let child: ChildProcess | undefined;
let fake: FakeSlack | undefined;

afterAll(async () => {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** True while any process of the group is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

it('drains and exits within 10 s of SIGTERM to npm, keeping every acknowledged report', async () => {
  fake = await startFakeSlack({ teamId: TEAM });
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(SLACK_|TEAMS_|DATABASE_URL|SPOC_|PORT$|HOST$|LOG_LEVEL$|npm_)/.test(key)) env[key] = value;
  }
  child = spawn('npm', ['start', '--silent'], {
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
    detached: true,
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
    child?.stdout?.on('data', look);
    child?.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });

  // Four clients report faults back to back until the server stops answering.
  const acknowledged: string[] = [];
  let sent = 0;
  const client = async (n: number) => {
    for (let i = 0; ; i++) {
      const summary = `Shutdown load ${n}-${i}`;
      const req = viewSubmission(
        { teamId: TEAM, userId: `U0LOAD000${n}`, userName: `load${n}` },
        CALLBACK.faultModal,
        { summary, urgency: { option: 'today' } },
        { viewId: `V0LOAD${n}X${i}` },
      );
      sent++;
      try {
        const res = await fetch(`${url}/slack/events`, {
          method: 'POST',
          headers: req.headers,
          body: req.body,
        });
        const body = await res.text();
        if (res.status === 200 && body.includes('INC-')) acknowledged.push(summary);
      } catch {
        return;
      }
    }
  };
  const load = [1, 2, 3, 4].map(client);
  const warmup = Date.now();
  while (acknowledged.length < 40) {
    if (Date.now() - warmup > 30_000) throw new Error(`no load acknowledged (${sent} sent):\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }

  const pgid = child.pid as number;
  const signalled = Date.now();
  process.kill(pgid, 'SIGTERM');
  while (groupAlive(pgid) && Date.now() - signalled < 15_000) await new Promise((r) => setTimeout(r, 50));
  const tookMs = Date.now() - signalled;
  await Promise.all(load);

  expect(groupAlive(pgid), `still running ${tookMs} ms after SIGTERM:\n${out}`).toBe(false);
  expect(tookMs).toBeLessThan(10_000);
  expect(out).toContain('stopping');
  expect(sent).toBeGreaterThan(acknowledged.length);

  const database = await openDatabase({ dataDir });
  try {
    const stored = new Set(
      (await database.db.select({ summary: incidents.summary }).from(incidents)).map((r) => r.summary),
    );
    expect(acknowledged.filter((s) => !stored.has(s))).toEqual([]);
  } finally {
    await database.close();
  }
}, 120_000);
