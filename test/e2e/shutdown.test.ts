/**
 * `npm start` under load, then SIGTERM to the npm process, as a container or systemd sends it:
 * every process of the group is gone within 10 s, and every fault report SPOC acknowledged is
 * stored. The clients keep their connections alive, as Slack's do, and one client never finishes
 * its request: the drain cuts it after its grace period, so SPOC stops in order rather than by its
 * 9-second deadline. (Each drain mechanism has a focused test in test/bot/slack/drain.test.ts.)
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CALLBACK } from '../../src/bot/slack/ids';
import { openDatabase } from '../../src/db/client';
import { incidents } from '../../src/db/schema';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { viewSubmission } from '../support/slack-payloads';
import { startSpocProcess } from '../support/spoc-process';

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
  const spoc = await startSpocProcess(
    ['npm', 'start', '--silent'],
    { apiUrl: fake.apiUrl, dataDir },
    { detached: true },
  );
  child = spoc.child;
  const { url } = spoc;
  const out = () => spoc.output();

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
    if (Date.now() - warmup > 30_000) throw new Error(`no load acknowledged (${sent} sent):\n${out()}`);
    await new Promise((r) => setTimeout(r, 20));
  }

  // A client that sends half a request and then nothing more.
  const { hostname, port } = new URL(url);
  const stuck = connect(Number(port), hostname);
  stuck.on('error', () => {});
  await new Promise<void>((resolve) => stuck.once('connect', () => resolve()));
  stuck.write(
    'POST /slack/events HTTP/1.1\r\nHost: spoc\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\npayload=',
  );
  const stuckClosed = new Promise<void>((resolve) => stuck.once('close', () => resolve()));

  const pgid = child.pid as number;
  const signalled = Date.now();
  process.kill(pgid, 'SIGTERM');
  while (groupAlive(pgid) && Date.now() - signalled < 15_000) await new Promise((r) => setTimeout(r, 50));
  const tookMs = Date.now() - signalled;
  await Promise.all(load);

  expect(groupAlive(pgid), `still running ${tookMs} ms after SIGTERM:\n${out()}`).toBe(false);
  expect(tookMs).toBeLessThan(10_000);
  expect(out()).toContain('stopping');
  // Stopped in order: the half-sent request was cut after the grace, not by the deadline.
  expect(out()).not.toContain('still stopping after 9 s');
  await stuckClosed;
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
