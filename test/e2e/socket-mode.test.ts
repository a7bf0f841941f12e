/**
 * Socket Mode as `npm start` runs it (config parsed from an environment, database migrated, real
 * Bolt app, real Socket Mode client, outbox dispatcher on its timer), with Slack replaced on
 * loopback: a fake Web API through SLACK_API_URL, whose `apps.connections.open` names either a
 * port nobody listens on or a small WebSocket server standing in for Slack's.
 *
 * - Slack's socket unreachable: SPOC starts at once, delivers queued messages, answers `/readyz`
 *   with 503 and `slack: "connecting"`, logs each failure once with its retry, and stops promptly.
 * - A reachable socket (after a refused `apps.connections.open`): `/readyz` turns 200 with
 *   `slack: "connected"`; a command over the socket is answered; when Slack drops the socket,
 *   `/readyz` says so until SPOC is connected again.
 * - A socket that opens but never says hello is given up and tried again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type SocketOptions, socketRetryDelayMs } from '../../src/bot/slack/app';
import { parseConfig } from '../../src/config';
import { systemClock } from '../../src/domain/clock';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { setupSchool } from '../../src/domain/schools/setup-school';
import { createLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';
import { makeSchool } from '../support/factories';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../support/fake-slack';
import { BOT_TOKEN } from '../support/slack-payloads';
import { until } from '../support/wait';

const TEAM = 'T0SOCKET01';
const APP_TOKEN = 'xapp-1-A0SPOC0001-1234-socketmodetestapptoken';
const CHANNEL = 'C0SOCKSPOC';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

let fake: FakeSlack | undefined;
let spoc: RunningSpoc | undefined;
let pg: TestDatabase | undefined;
let dataDir: string | undefined;
let wss: WebSocket.Server | undefined;
let lines: LogLine[] = [];

afterEach(async () => {
  await spoc?.stop();
  spoc = undefined;
  await pg?.destroy();
  pg = undefined;
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  wss = undefined;
  await fake?.close();
  fake = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** SPOC in Socket Mode against `fake`, as main.ts starts it; every log line kept, parsed. */
async function startInSocketMode(options: FakeSlackOptions & { apiUrl?: string }, socket?: SocketOptions) {
  fake = await startFakeSlack({ teamId: TEAM, ...options });
  const env: Record<string, string> = {
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: options.apiUrl ?? fake.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
  };
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'spoc-socket-'));
    env.SPOC_DATA_DIR = dataDir;
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  expect(parsed.config.slack?.kind).toBe('socket');
  lines = [];
  const raw: string[] = [];
  let databaseReady = Number.NaN;
  const log = createLogger(parsed.config.logLevel, {
    write: (line: string) => {
      raw.push(line);
      const parsedLine = JSON.parse(line) as LogLine;
      if (parsedLine.msg === 'database ready') databaseReady = performance.now();
      lines.push(parsedLine);
    },
  });
  spoc = await startSpoc(parsed.config, { log, outboxIntervalMs: 50, slackSocket: socket });
  // From a migrated database to running: the part Slack's socket could hold up.
  return { afterDatabaseMs: performance.now() - databaseReady, raw };
}

async function readyz() {
  const res = await fetch(`${spoc!.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Slack's socket, standing in: says hello on each connection unless told not to. */
async function startSocketServer(options: { hello: boolean } = { hello: true }) {
  const server = new WebSocket.Server({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const received: Array<{ envelope_id?: string; payload?: Record<string, unknown> }> = [];
  server.on('connection', (ws) => {
    ws.on('message', (data) => received.push(JSON.parse(String(data))));
    if (options.hello)
      ws.send(
        JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0SPOC0001' } }),
      );
  });
  wss = server;
  const { port } = server.address() as AddressInfo;
  return { server, url: `ws://127.0.0.1:${port}/link/?ticket=test`, received };
}

const connectionsOpened = () => fake!.calls.filter((c) => c.method === 'apps.connections.open');
const logged = (pattern: RegExp) => lines.find((l) => pattern.test(l.msg));
const count = (pattern: RegExp) => lines.filter((l) => pattern.test(l.msg)).length;
/** Waits until `pattern` has been logged `n` times. */
const loggedTimes = (pattern: RegExp, n: number, timeoutMs?: number) =>
  until(() => (count(pattern) >= n ? true : undefined), `${n} × ${pattern}`, timeoutMs);

describe(`Socket Mode (${onPostgres ? 'Postgres' : 'PGlite'})`, () => {
  it("starts everything else while Slack's socket cannot be reached, says so, and keeps trying", async () => {
    const port = await closedPort();
    const { afterDatabaseMs, raw } = await startInSocketMode({ socketUrl: `ws://127.0.0.1:${port}/link` });
    // biome-ignore lint/suspicious/noConsole: the measured start time, for the record.
    console.log(`running ${Math.round(afterDatabaseMs)} ms after the database was ready, socket unreachable`);
    expect(afterDatabaseMs).toBeLessThan(3_000);
    expect(logged(/^reminder worker running$/)).toBeDefined();

    // The socket's URL was asked of SLACK_API_URL, with the app token.
    const first = await until(() => connectionsOpened()[0], 'apps.connections.open');
    expect(first.token).toBe(APP_TOKEN);

    // Each failure is logged once, with its reason and the wait before the next try.
    const failed = await until(
      () => logged(/could not connect to Slack \(Socket Mode\)/),
      'the failure logged',
    );
    expect(failed.msg).toBe('could not connect to Slack (Socket Mode): retrying in 1 s');
    expect(failed).toMatchObject({
      level: 40,
      attempt: 1,
      retryInMs: 1000,
      component: 'slack-socket',
      reason: 'the WebSocket connection failed',
    });

    expect(await readyz()).toEqual({
      status: 503,
      body: { ok: false, database: 'reachable', slack: 'connecting' },
    });
    expect((await fetch(`${spoc!.url}/healthz`)).status).toBe(200);

    // The outbox runs: a fault reported now reaches its channel and its reporter.
    const school = await makeSchool(spoc!.database.db, { teamId: TEAM, clock: systemClock });
    const admin = await school.person('admin');
    expect((await setupSchool(admin, { slackChannelId: CHANNEL })).ok).toBe(true);
    const teacher = await school.person('teacher', 'Ms Patel');
    expect((await reportFault(teacher, { summary: 'Whiteboard is blank', urgency: 'today' })).ok).toBe(true);
    const card = await until(() => fake!.messages.get(CHANNEL)?.[0], 'the card posted');
    expect(card.text).toContain('Whiteboard is blank');
    await until(() => fake!.messages.get(teacher.slackUserId)?.[0], "the reporter's DM");

    // Tried again after 1 s, then 2 s: one line each, never a flood.
    await until(() => logged(/retrying in 2 s$/), 'the second failure', 4_000);
    expect(connectionsOpened()).toHaveLength(2);
    expect(count(/could not connect/)).toBe(2);
    expect(lines.filter((l) => l.component === 'bolt' && l.level >= 40)).toEqual([]);
    expect(raw.join('\n')).not.toContain(APP_TOKEN);
  });

  it("logs once per try when Slack's Web API cannot be reached at all", async () => {
    const { raw } = await startInSocketMode({ apiUrl: `http://127.0.0.1:${await closedPort()}/api/` });
    await until(() => logged(/retrying in 2 s$/), 'the second failure', 4_000);
    const failures = lines.filter((l) => /could not connect/.test(l.msg));
    expect(failures.map((l) => l.reason)).toEqual([
      expect.stringMatching(/^A request error occurred: fetch failed: connect ECONNREFUSED/),
      expect.stringMatching(/^A request error occurred: fetch failed: connect ECONNREFUSED/),
    ]);
    // The socket client's own lines about it are debug; the one warning left is auth.test's.
    expect(lines.filter((l) => l.component === 'bolt' && l.level >= 40).map((l) => l.msg)).toEqual([
      'http request failed fetch failed',
    ]);
    expect(raw.join('\n')).not.toContain(APP_TOKEN);
  });

  it('stops within 2 s while waiting to try again, and tries no more', async () => {
    const port = await closedPort();
    await startInSocketMode({ socketUrl: `ws://127.0.0.1:${port}/link` });
    await until(() => logged(/retrying in 1 s$/), 'the first failure');
    const started = performance.now();
    await spoc!.stop();
    const stopMs = performance.now() - started;
    spoc = undefined;
    // biome-ignore lint/suspicious/noConsole: the measured stop time, for the record.
    console.log(`stop() returned in ${Math.round(stopMs)} ms while retrying`);
    expect(stopMs).toBeLessThan(2_000);
    const asked = connectionsOpened().length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(connectionsOpened()).toHaveLength(asked);
  });

  it('stops within 2 s while Slack has not yet answered apps.connections.open', async () => {
    const port = await closedPort();
    await startInSocketMode({ socketUrl: `ws://127.0.0.1:${port}/link` });
    // The first try failed; the next one hangs on a Web API that answers only after 8 s.
    await until(() => logged(/retrying in 1 s$/), 'the first failure');
    fake!.setDelay(8_000);
    await until(() => (connectionsOpened().length === 2 ? true : undefined), 'the second try', 3_000);
    const started = performance.now();
    await spoc!.stop();
    spoc = undefined;
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('is ready once the socket says hello, answers over it, and says when Slack drops it', async () => {
    const socket = await startSocketServer();
    // Slack refuses the first apps.connections.open, then names its socket.
    let slackUp = false;
    await startInSocketMode({ socketUrl: () => (slackUp ? socket.url : undefined) });
    const refused = await until(() => logged(/could not connect/), 'the refusal logged');
    expect(String(refused.reason)).toContain('not_allowed_token_type');
    expect((await readyz()).body.slack).toBe('connecting');

    slackUp = true;
    await until(() => logged(/^connected to Slack/), 'connected', 5_000);
    expect(await readyz()).toEqual({
      status: 200,
      body: { ok: true, database: 'reachable', slack: 'connected' },
    });

    // A command over the socket reaches SPOC's listeners, and its answer goes back as the ack.
    const [client] = [...socket.server.clients];
    client!.send(
      JSON.stringify({
        envelope_id: 'env-help-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          token: 'legacy',
          team_id: TEAM,
          team_domain: 'hillside',
          channel_id: 'C0GENERAL1',
          channel_name: 'ict-help',
          user_id: 'U0SOCKTEACH',
          user_name: 'ms.patel',
          command: '/spoc',
          text: 'help',
          api_app_id: 'A0SPOC0001',
          is_enterprise_install: 'false',
          response_url: `https://hooks.slack.com/commands/${TEAM}/1/x`,
          trigger_id: '1.2.3',
        },
      }),
    );
    const ack = await until(() => socket.received.find((m) => m.envelope_id === 'env-help-1'), 'the ack');
    expect(String(ack.payload?.text)).toContain('Your role here');

    // Slack recycles the socket while its API is down: not ready until connected again.
    slackUp = false;
    client!.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
    await until(() => logged(/^the Slack socket closed: connecting again$/), 'the drop logged');
    await loggedTimes(/could not connect/, 2);
    expect(await readyz()).toEqual({
      status: 503,
      body: { ok: false, database: 'reachable', slack: 'connecting' },
    });
    slackUp = true;
    await loggedTimes(/^connected to Slack/, 2, 5_000);
    expect((await readyz()).status).toBe(200);
    expect(socket.server.clients.size).toBe(1);
  });

  it('gives up a socket that never says hello, and tries again', async () => {
    const silent = await startSocketServer({ hello: false });
    await startInSocketMode({ socketUrl: silent.url }, { helloTimeoutMs: 300, retryDelayMs: () => 100 });
    const failed = await until(() => logged(/could not connect/), 'the silent socket given up');
    expect(failed.reason).toBe('no hello from Slack within 0.3 s');
    await until(() => (connectionsOpened().length >= 2 ? true : undefined), 'another try');
    expect((await readyz()).body.slack).toBe('connecting');
  });
});

it('waits 1 s, 2 s, 4 s … between tries, never more than a minute', () => {
  expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(socketRetryDelayMs)).toEqual([
    1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
  ]);
});
