/**
 * SPOC against a Postgres of the test's own, reached through a TCP proxy the test can stall: while
 * the network stalls, and while Postgres is stopped, every Slack request is answered within
 * Slack's 3 seconds (a form stays open asking for Submit again; a command gets a private
 * sentence), /readyz answers within 1 s with 503, and once the database is back the same form
 * saves on Submit — without restarting SPOC. Never the machine's main cluster.
 */
import { sql } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK } from '../../src/bot/slack/ids';
import { DATABASE_UNAVAILABLE_TEXT, SUBMIT_AGAIN_TEXT } from '../../src/bot/slack/views/replies.view';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { type OwnPostgres, postgresBinaries, startOwnPostgres } from '../support/own-postgres';
import { textOf } from '../support/slack-app';
import {
  BOT_TOKEN,
  RESPONSE_URL_HOST,
  SIGNING_SECRET,
  type SignedRequest,
  slashCommand,
  viewSubmission,
} from '../support/slack-payloads';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const binaries = postgresBinaries();
const skipReason = typeof binaries === 'string' ? binaries : undefined;

const team = 'T0STALL001';
const SPOC_CHANNEL = 'C0STALLSPC';
const admin = { teamId: team, userId: 'U0STALLADM', userName: 'head' };
const teacher = { teamId: team, userId: 'U0STALLTCH', userName: 'ms.patel' };
const SLACK_BUDGET_MS = 3_000;

let pg: OwnPostgres | undefined;
let proxy: TcpProxy | undefined;
let fake: FakeSlack | undefined;
let spoc: RunningSpoc | undefined;
const warnings: string[] = [];

beforeAll(async () => {
  if (typeof binaries === 'string') return;
  pg = await startOwnPostgres(binaries);
  proxy = await startTcpProxy({ host: '127.0.0.1', port: pg.port });
  fake = await startFakeSlack({ teamId: team });
  const parsed = parseConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
    PORT: '0',
    HOST: '127.0.0.1',
    SPOC_WORKER: 'off',
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const log = createLogger('info', {
    write: (line: string) => {
      if (line.includes('"level":40')) warnings.push(line);
    },
  });
  spoc = await startSpoc(parsed.config, { log, outboxIntervalMs: 200 });
}, 60_000);

afterAll(async () => {
  proxy?.resume();
  await spoc?.stop();
  await proxy?.close();
  await pg?.destroy();
  await fake?.close();
  nock.cleanAll();
});

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function send(request: SignedRequest) {
  return timed(async () => {
    const res = await fetch(`${spoc!.url}/slack/events`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  });
}

async function readyz() {
  return timed(async () => {
    const res = await fetch(`${spoc!.url}/readyz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  });
}

/** `/fault` acks at once, so its apology comes by response_url: the time until it is posted. */
async function faultCommandAnswer(): Promise<{ ms: number; text: string }> {
  let posted!: (text: string) => void;
  const answer = new Promise<string>((resolve) => {
    posted = resolve;
  });
  nock(RESPONSE_URL_HOST)
    .post(`/commands/${team}/1111/cmdresponse`)
    .reply((_uri, body) => {
      posted((body as { text: string }).text);
      return [200, 'ok'];
    });
  const started = performance.now();
  const sent = await send(slashCommand(teacher, '/fault', 'Projector in room 4 is dead'));
  expect(sent.value.status).toBe(200);
  const text = await Promise.race([
    answer,
    new Promise<string>((_r, reject) => setTimeout(() => reject(new Error('no answer to /fault')), 5_000)),
  ]);
  return { ms: performance.now() - started, text };
}

let library = '';
const formValues = () => ({
  summary: 'Projector in room 4 is dead',
  locationId: { option: library },
  urgency: { option: 'today' },
});

/** Whatever the database is doing, each kind of request is answered in time, and clearly. */
async function expectClearAnswersInTime(viewId: string) {
  const form = await send(viewSubmission(teacher, CALLBACK.faultModal, formValues(), { viewId }));
  expect(form.value.body).toEqual({ response_action: 'errors', errors: { summary: SUBMIT_AGAIN_TEXT } });
  expect(form.ms).toBeLessThan(SLACK_BUDGET_MS);

  const command = await send(slashCommand(teacher, '/spoc', 'help'));
  expect(command.value.body).toMatchObject({ response_type: 'ephemeral', text: DATABASE_UNAVAILABLE_TEXT });
  expect(command.ms).toBeLessThan(SLACK_BUDGET_MS);

  const fault = await faultCommandAnswer();
  expect(fault.text).toBe(DATABASE_UNAVAILABLE_TEXT);
  expect(fault.ms).toBeLessThan(SLACK_BUDGET_MS);

  const ready = await readyz();
  expect(ready.value.status).toBe(503);
  expect(ready.value.body).toMatchObject({ ok: false, database: 'unreachable' });
  expect(ready.ms).toBeLessThan(1_000);
  return { form: form.ms, command: command.ms, fault: fault.ms, readyz: ready.ms };
}

/** The same form, submitted again once the database is back, is saved — once. */
async function expectSavedOnSubmitAgain(viewId: string, reference: string) {
  const again = await send(viewSubmission(teacher, CALLBACK.faultModal, formValues(), { viewId }));
  expect(again.value.body.response_action, warnings.slice(-3).join('\n')).toBe('update');
  expect(textOf(again.value.body.view)).toContain(reference);
  // Ready again by itself, each answer within 1 s. Just after Postgres restarts, one connection's
  // first query can come back later than /readyz waits (seen about one run in five, on a busy
  // machine): ready within a few seconds is the promise, not at the first asking.
  const back = performance.now();
  for (;;) {
    const ready = await readyz();
    expect(ready.ms).toBeLessThan(1_000);
    if (ready.value.status === 200)
      return { form: again.ms, readyz: ready.ms, readyAfter: performance.now() - back };
    expect(performance.now() - back, 'ready again within 5 s').toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(skipReason !== undefined)(
  `a database that stalls or stops gets clear answers in time${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    it('answers every request in time through a stall, a stop and a restart, then works again', async () => {
      expect((await send(slashCommand(admin, '/spoc', 'setup', SPOC_CHANNEL))).value.body.text).toContain(
        'is now the SPOC channel',
      );
      expect((await send(slashCommand(teacher, '/fault', 'Projector in room 4 is dead'))).value.status).toBe(
        200,
      );
      const opened = await waitFor(() => fake!.calls.find((c) => c.method === 'views.open'));
      const blocks = (
        opened.args.view as {
          blocks: Array<{
            block_id: string;
            element: { options?: Array<{ value: string; text: { text: string } }> };
          }>;
        }
      ).blocks;
      library = blocks
        .find((b) => b.block_id === 'locationId')!
        .element.options!.find((o) => o.text.text === 'Library')!.value;
      expect((await readyz()).value.status).toBe(200);

      // The network stalls: nothing passes, nothing is closed.
      proxy!.stall();
      const stalled = await expectClearAnswersInTime('V0STALL0001');
      proxy!.resume();
      const resumed = await expectSavedOnSubmitAgain('V0STALL0001', 'INC-1');

      // Postgres stops.
      await pg!.stop();
      const stopped = await expectClearAnswersInTime('V0STALL0002');
      // And starts again: SPOC carries on without a restart.
      await pg!.start();
      const restarted = await expectSavedOnSubmitAgain('V0STALL0002', 'INC-2');

      // Each report was recorded once, however many times it was submitted.
      const incidents = await spoc!.database.rows<{ number: number }>(
        sql`select number from incidents order by number`,
      );
      expect(incidents.map((i) => Number(i.number))).toEqual([1, 2]);
      // biome-ignore lint/suspicious/noConsole: the measured answer times, for the record.
      console.info('answer times (ms)', JSON.stringify({ stalled, resumed, stopped, restarted }));
      expect(warnings.some((w) => w.includes('the database did not answer'))).toBe(true);
    }, 60_000);
  },
);

async function waitFor<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
