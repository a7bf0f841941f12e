/**
 * Postgres stops under SPOC running as `npm start` runs it, in a process of its own, with its
 * outbox dispatcher polling throughout: never the machine's main cluster, but one the test starts
 * and stops itself. While it is away, every kind of request is answered within Slack's 3 seconds
 * in plain words (a form stays open asking for Submit again, a command and a button get a private
 * sentence), /readyz says 503 and /healthz 200, and the process stays up. When Postgres is back,
 * SPOC carries on with no restart: ready again, the same form saves, a Claim goes through, and
 * the outbox sends the card that the new fault queued. (test/e2e/database-stall.test.ts does the
 * same for a stalled network, in the test's own process.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/bot/slack/ids';
import { DATABASE_UNAVAILABLE_TEXT, SUBMIT_AGAIN_TEXT } from '../../src/bot/slack/views/replies.view';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { type OwnPostgres, postgresBinaries, startOwnPostgres } from '../support/own-postgres';
import { type ResponseCatcher, startResponseCatcher, withResponseUrl } from '../support/response-catcher';
import { textOf } from '../support/slack-app';
import { blockAction, type SignedRequest, slashCommand, viewSubmission } from '../support/slack-payloads';
import { type SpocProcess, startSpocProcess } from '../support/spoc-process';

const binaries = postgresBinaries();
const skipReason = typeof binaries === 'string' ? binaries : undefined;

const TEAM = 'T0OUTAGE01';
const SPOC = 'C0OUTAGESP';
const admin = { teamId: TEAM, userId: 'U0OUTADMIN', userName: 'head' };
const teacher = { teamId: TEAM, userId: 'U0OUTTEACH', userName: 'ms.patel' };
const SLACK_BUDGET_MS = 3_000;
/** How long SPOC may take to use Postgres again once it is back (it backs off at most 0.5 s). */
const RECOVERY_MS = 5_000;

let pg: OwnPostgres | undefined;
let fake: FakeSlack | undefined;
let responses: ResponseCatcher | undefined;
let spoc: SpocProcess | undefined;

beforeAll(async () => {
  if (typeof binaries === 'string') return;
  pg = await startOwnPostgres(binaries);
  fake = await startFakeSlack({ teamId: TEAM });
  responses = await startResponseCatcher();
  spoc = await startSpocProcess(['node', '--import', 'tsx', 'src/main.ts'], {
    apiUrl: fake.apiUrl,
    databaseUrl: pg.url,
  });
}, 90_000);

afterAll(async () => {
  if (spoc && spoc.child.exitCode === null && spoc.child.signalCode === null) {
    const exited = new Promise((resolve) => spoc!.child.once('exit', resolve));
    spoc.child.kill('SIGKILL');
    await exited;
  }
  await pg?.destroy();
  await responses?.close();
  await fake?.close();
});

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

function send(request: SignedRequest) {
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

function get(path: string) {
  return timed(async () => {
    const res = await fetch(`${spoc!.url}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${spoc!.output().slice(-3_000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alive = () => spoc!.child.exitCode === null && spoc!.child.signalCode === null;
const cards = () => (fake!.messages.get(SPOC) ?? []).filter((m) => !m.thread_ts);
const fault = (viewId: string) =>
  viewSubmission(
    teacher,
    CALLBACK.faultModal,
    { summary: 'Projector in room 4 is dead', urgency: { option: 'today' } },
    { viewId },
  );

/** A Claim press on the card, answered at `path` of the response catcher. */
function claim(path: string) {
  const card = cards()[0]!;
  return withResponseUrl(
    blockAction(admin, ACTION.claim, String(card.metadata?.event_payload.incident_id), {
      channelId: SPOC,
      messageTs: card.ts,
    }),
    `${responses!.url}${path}`,
  );
}

describe.skipIf(skipReason !== undefined)(
  `Postgres stopped and started under a running SPOC process${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    it('answers clearly in time while it is away, stays up, and carries on by itself when it is back', async () => {
      expect((await send(slashCommand(admin, '/spoc', 'setup', SPOC))).value.body.text).toContain(
        'is now the SPOC channel',
      );
      expect(textOf((await send(fault('V0OUTAGE01'))).value.body.view)).toContain('INC-1');
      await waitFor('the first card', () => cards()[0]);
      expect((await get('/readyz')).value.status).toBe(200);

      await pg!.stop();
      const down = Date.now();

      // A form stays open, asking for Submit again: nothing was recorded.
      const form = await send(fault('V0OUTAGE02'));
      expect(form.value.body).toEqual({ response_action: 'errors', errors: { summary: SUBMIT_AGAIN_TEXT } });
      expect(form.ms).toBeLessThan(SLACK_BUDGET_MS);
      // A command is told in its answer.
      const command = await send(slashCommand(teacher, '/spoc', 'help'));
      expect(command.value.body).toMatchObject({
        response_type: 'ephemeral',
        text: DATABASE_UNAVAILABLE_TEXT,
      });
      expect(command.ms).toBeLessThan(SLACK_BUDGET_MS);
      // A button is acknowledged at once and told by its response_url.
      const pressed = performance.now();
      expect((await send(claim('/claim/down'))).value.status).toBe(200);
      const toldDown = await waitFor('the press told', () => responses!.posted.get('/claim/down')?.[0]);
      const pressMs = performance.now() - pressed;
      expect(toldDown.text).toBe(DATABASE_UNAVAILABLE_TEXT);
      expect(pressMs).toBeLessThan(SLACK_BUDGET_MS);
      // Not ready, quickly; alive all the same.
      const ready = await get('/readyz');
      expect(ready.value).toEqual({ status: 503, body: { ok: false, database: 'unreachable' } });
      expect(ready.ms).toBeLessThan(1_000);
      expect((await get('/healthz')).value.status).toBe(200);
      // The outbox polls the missing database (every 2 s) meanwhile: the process stays up. Its
      // first poll to find it gone may come late on a busy machine: wait for it, then a poll more.
      while (Date.now() - down < 4_500) await new Promise((r) => setTimeout(r, 100));
      await waitFor('the outbox to find the database gone', () =>
        spoc!.output().includes('outbox: the database is not answering') ? true : undefined,
      );
      await new Promise((r) => setTimeout(r, 2_500));
      expect(alive(), spoc!.output().slice(-3_000)).toBe(true);

      await pg!.start();
      const back = performance.now();
      await waitFor(
        'ready again',
        async () => ((await get('/readyz')).value.status === 200 ? true : undefined),
        RECOVERY_MS,
      );
      const readyAgainMs = performance.now() - back;

      // The same form, submitted again, is saved once; its card is sent by the outbox.
      const again = await send(fault('V0OUTAGE02'));
      expect(again.value.body.response_action, spoc!.output().slice(-2_000)).toBe('update');
      expect(textOf(again.value.body.view)).toContain('INC-2');
      await waitFor('the second card', () => cards()[1]);
      expect(textOf(cards()[1]!.blocks)).toContain('INC-2');
      // The press that was refused goes through now: the card shows it claimed.
      expect((await send(claim('/claim/up'))).value.status).toBe(200);
      await waitFor('the claim in the card’s thread', () =>
        (fake!.messages.get(SPOC) ?? []).find(
          (m) => m.thread_ts === cards()[0]!.ts && m.text.includes('Claimed by'),
        ),
      );
      expect(responses!.posted.get('/claim/up')).toBeUndefined();

      // Said once each, not a stack trace every poll (the line written as the outbox found it
      // back may still be on its way through the process's stdout).
      await waitFor('the outbox to say the database is back', () =>
        spoc!.output().includes('outbox: the database is back') ? true : undefined,
      );
      const out = spoc!.output();
      expect(out.split('outbox: the database is not answering').length - 1).toBe(1);
      expect(out.split('outbox: the database is back').length - 1).toBe(1);
      expect(alive()).toBe(true);
      // biome-ignore lint/suspicious/noConsole: the measured times, for the record.
      console.info(
        'outage (ms)',
        JSON.stringify({
          form: form.ms,
          command: command.ms,
          press: pressMs,
          readyz: ready.ms,
          readyAgainMs,
        }),
      );

      // And it still stops in order.
      const exited = new Promise<number | null>((resolve) =>
        spoc!.child.once('exit', (code) => resolve(code)),
      );
      spoc!.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }, 90_000);
  },
);
