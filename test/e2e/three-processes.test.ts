/**
 * Nothing in memory that matters: three SPOC processes, each started as `npm start` starts it
 * (`node --import tsx src/main.ts`) on its own port, share one Postgres database and nothing else,
 * as web replicas behind a load balancer do. Against a fake Slack Web API:
 * - faults reported through all three get one card each, posted once;
 * - 20 technicians pressing Claim at once, spread over the three, give one winner, and the other
 *   19 are told who has it;
 * - reminder passes run at once (three on pools of their own, and `npm run spoc -- reminders run`)
 *   queue the day's briefing and its reminders once, and the three outbox dispatchers post each once.
 * Every post carries its outbox id in Slack's message metadata: no id is posted twice.
 * Only on Postgres: PGlite is one process's own database.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_EVENT } from '../../src/bot/slack/delivery';
import { ACTION, CALLBACK } from '../../src/bot/slack/ids';
import { openDatabase } from '../../src/db/client';
import { fixedClock, systemClock } from '../../src/domain/clock';
import type { Ctx } from '../../src/domain/context';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { schedulePayment } from '../../src/domain/registers/payments';
import { setupSchool } from '../../src/domain/schools/setup-school';
import { createLogger } from '../../src/log';
import { type PassResult, runReminderPass } from '../../src/worker/reminder-pass';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';
import { makeSchool } from '../support/factories';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { type ResponseCatcher, startResponseCatcher, withResponseUrl } from '../support/response-catcher';
import { blockAction, type SignedRequest, slashCommand, viewSubmission } from '../support/slack-payloads';
import { type SpocProcess, startSpocProcess } from '../support/spoc-process';

const TEAM = 'T0TRIO0001';
const SPOC = 'C0TRIOSPOC';
const TECHS = 20;
const FAULTS = 6;
/** Faults recorded straight into the database at once: a backlog the three dispatchers share. */
const BACKLOG = 30;
const ADMIN = { teamId: TEAM, userId: 'U0TRIOADMN', userName: 'head' };
/** A school morning that has passed (a Monday): a real pass may run as if then, never later. */
const PASS_AT = '2026-11-30T10:00:00Z';

let pg: TestDatabase | undefined;
let fake: FakeSlack | undefined;
let responses: ResponseCatcher | undefined;
let teacher: Ctx | undefined;
const spocs: SpocProcess[] = [];
const techs = Array.from({ length: TECHS }, (_, i) => ({
  teamId: TEAM,
  userId: `U0TRIOT${String(i).padStart(3, '0')}`,
  userName: `tech${i}`,
}));

async function send(spoc: SpocProcess, request: SignedRequest) {
  const res = await fetch(`${spoc.url}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return { status: res.status, text: await res.text() };
}

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}\n${spocs.map((s) => s.output().slice(-2_000)).join('\n---\n')}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

const posts = () => fake!.calls.filter((c) => c.method === 'chat.postMessage');
const outboxIdOf = (args: Record<string, unknown>) => {
  const meta = args.metadata as { event_type?: string; event_payload?: { outbox_id?: unknown } } | undefined;
  return meta?.event_type === OUTBOX_EVENT ? Number(meta.event_payload?.outbox_id) : undefined;
};
/** How many times each outbox id was posted. */
function postsByOutboxId(): Map<number, number> {
  const counts = new Map<number, number>();
  for (const call of posts()) {
    const id = outboxIdOf(call.args);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

const runCli = promisify(execFile);
/** `npm run spoc -- reminders run --now …` on the shared database, as an operator's cron would. */
async function reminderPassFromCli(): Promise<string> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(SLACK_|TEAMS_|DATABASE_URL|SPOC_|npm_)/.test(key)) env[key] = value;
  const { stdout } = await runCli(
    process.execPath,
    [join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli.ts', 'reminders', 'run', '--now', PASS_AT],
    { env: { ...env, DATABASE_URL: pg!.url, LOG_LEVEL: 'warn' } },
  );
  return stdout;
}

const reason = onPostgres ? '' : ' (skipped: needs DATABASE_URL — PGlite is one process’s own database)';

describe.skipIf(!onPostgres)(`three processes, one Postgres database${reason}`, () => {
  beforeAll(async () => {
    fake = await startFakeSlack({ teamId: TEAM });
    responses = await startResponseCatcher();
    pg = await createTestDatabase();
    // The school, its admin and twenty technicians, and a payment falling due after PASS_AT.
    const school = await makeSchool(pg.db, { teamId: TEAM, clock: fixedClock('2026-11-20T09:00:00Z') });
    const admin = await school.person('admin', 'Head', ADMIN.userId);
    expect((await setupSchool(admin, { slackChannelId: SPOC })).ok).toBe(true);
    for (const tech of techs) await school.person('technician', tech.userName, tech.userId);
    teacher = { ...(await school.person('teacher', 'Ms Patel', 'U0TRIOTCHR')), clock: systemClock };
    const payment = await schedulePayment(admin, {
      payee: 'Oakwood ICT',
      providerId: null,
      amountPence: 50_000,
      dueDate: '2026-12-03',
      recurrence: 'none',
      reference: 'INV-TRIO',
      notes: '',
    });
    expect(payment.ok).toBe(true);
    const started = Date.now();
    spocs.push(
      ...(await Promise.all(
        [0, 1, 2].map(() =>
          startSpocProcess(['node', '--import', 'tsx', 'src/main.ts'], {
            apiUrl: fake!.apiUrl,
            databaseUrl: pg!.url,
          }),
        ),
      )),
    );
    // biome-ignore lint/suspicious/noConsole: how long three processes take to start, for the record.
    console.info(`three processes up in ${Date.now() - started} ms`);
    // Each answers once before the test begins (its first database connections made).
    for (const spoc of spocs)
      expect((await send(spoc, slashCommand(ADMIN, '/spoc', 'help'))).status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(
      spocs.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
            s.child.once('exit', () => resolve());
            s.child.kill('SIGTERM');
          }),
      ),
    );
    await responses?.close();
    await fake?.close();
    await pg?.destroy();
  }, 30_000);

  it('posts one card per fault, reported through any of the three or all at once', async () => {
    const reported = await Promise.all(
      Array.from({ length: FAULTS }, (_, i) =>
        send(
          spocs[i % 3]!,
          viewSubmission(
            { teamId: TEAM, userId: `U0TRIOR${i}`, userName: `teacher${i}` },
            CALLBACK.faultModal,
            { summary: `Board ${i} is blank`, urgency: { option: 'today' } },
          ),
        ),
      ),
    );
    // The reference in the answer, or (past Slack's budget, on a busy machine) the form closed and
    // the reference following by DM: either way, one fault each.
    for (const r of reported) {
      expect(r.status).toBe(200);
      if (r.text) expect(r.text).toContain('INC-');
    }
    // And a burst recorded at once, which the three dispatchers find on their own.
    for (let i = 0; i < BACKLOG; i++) {
      const reported = await reportFault(teacher!, {
        summary: `Laptop ${i} will not start`,
        urgency: 'today',
      });
      expect(reported.ok).toBe(true);
    }
    const total = FAULTS + BACKLOG;
    const cards = () => (fake!.messages.get(SPOC) ?? []).filter((m) => !m.thread_ts);
    await waitFor(`${total} cards`, () => cards().length >= total, 40_000);
    // The teacher's DMs are one channel, which each process paces at one send a second.
    await waitFor(
      'every outbox row sent',
      async () => {
        const [row] = await pg!.rows<{ n: number }>(
          sql`select count(*)::int as n from outbox where status <> 'sent'`,
        );
        return row?.n === 0;
      },
      40_000,
    );
    const perIncident = new Map<unknown, number>();
    for (const card of cards()) {
      const id = card.metadata?.event_payload.incident_id;
      perIncident.set(id, (perIncident.get(id) ?? 0) + 1);
    }
    expect(perIncident.size).toBe(total);
    expect([...perIncident.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);

  it(`gives one winner among ${TECHS} simultaneous Claim presses over three processes`, async () => {
    const card = (fake!.messages.get(SPOC) ?? []).find((m) => !m.thread_ts)!;
    const incidentId = String(card.metadata?.event_payload.incident_id);
    const pressPath = (i: number) => `/actions/${TEAM}/claim/${i}`;
    const presses = techs.map((tech, i) =>
      withResponseUrl(
        blockAction(tech, ACTION.claim, incidentId, { channelId: SPOC, messageTs: card.ts }),
        `${responses!.url}${pressPath(i)}`,
      ),
    );
    // All at once: each process takes a third of them.
    const acked = await Promise.all(presses.map((press, i) => send(spocs[i % 3]!, press)));
    expect(acked.map((a) => a.status)).toEqual(presses.map(() => 200));

    // Claim is acknowledged before it is done: wait for the presses to be told.
    const told = () => [...responses!.posted.values()].reduce((n, list) => n + list.length, 0);
    await waitFor(`${TECHS - 1} presses told who has it`, () => told() >= TECHS - 1, 20_000);
    const [claimed] = await pg!.rows<{ assignee: string; status: string }>(
      sql`select p.slack_user_id as assignee, i.status from incidents i join people p on p.id = i.assignee_id where i.id = ${incidentId}`,
    );
    expect(claimed?.status).toBe('in_progress');
    const winner = techs.findIndex((t) => t.userId === claimed?.assignee);
    expect(winner).toBeGreaterThanOrEqual(0);
    // Nobody is told twice, the winner not at all.
    await new Promise((r) => setTimeout(r, 500));
    for (const [i] of techs.entries()) {
      const answers = (responses!.posted.get(pressPath(i)) ?? []).map((a) => a.text);
      expect(answers, techs[i]!.userName).toEqual(
        i === winner ? [] : [`Already claimed by ${techs[winner]!.userName}.`],
      );
    }
    const [events] = await pg!.rows<{ n: number }>(
      sql`select count(*)::int as n from incident_events where incident_id = ${incidentId} and kind = 'claimed'`,
    );
    expect(events?.n).toBe(1);
    // The thread hears of the claim once.
    await waitFor('the claim in the card’s thread', () =>
      (fake!.messages.get(SPOC) ?? []).some((m) => m.thread_ts === card.ts && m.text.includes('Claimed by')),
    );
  }, 60_000);

  it('queues and posts the day’s reminders once however many passes run at once', async () => {
    // Three passes at once, each on a pool of its own as in three processes, and the command
    // line's pass beside them (it starts a second or two later, as an operator's would).
    const pools = await Promise.all([0, 1, 2].map(() => openDatabase({ url: pg!.url! })));
    const [cli, ...passes] = await Promise.all([
      reminderPassFromCli(),
      ...pools.map((pool) =>
        runReminderPass({ db: pool.db, log: createLogger('warn'), now: new Date(PASS_AT) }),
      ),
    ]).finally(() => Promise.all(pools.map((pool) => pool.close())));
    // Between them the passes queued each reminder once: what one queued, the others found sent.
    const queuedBy = [
      Number(/: (\d+) reminders? queued/.exec(cli as string)?.[1] ?? Number.NaN),
      ...(passes as PassResult[][]).map((results) => results.reduce((n, r) => n + r.posted.length, 0)),
    ];
    const [recorded] = await pg!.rows<{ n: number }>(sql`select count(*)::int as n from sent_reminders`);
    expect(recorded?.n, String(cli)).toBeGreaterThan(0);
    expect(
      queuedBy.reduce((a, b) => a + b, 0),
      `${queuedBy} ${cli}`,
    ).toBe(recorded?.n);
    const rows = () =>
      pg!.rows<{ id: number; type: string; status: string }>(
        sql`select id, message->>'type' as type, status from outbox where message->>'type' in ('briefing', 'reminder') order by id`,
      );
    await waitFor('the briefing and its reminders sent', async () => {
      const queued = await rows();
      return queued.some((r) => r.type === 'reminder') && queued.every((r) => r.status === 'sent');
    });
    const queued = await rows();
    const counts = postsByOutboxId();
    // One briefing message in the channel (a later row for it would update it, not post again)…
    const briefingPosts = queued
      .filter((r) => r.type === 'briefing')
      .reduce((n, r) => n + (counts.get(Number(r.id)) ?? 0), 0);
    expect(briefingPosts).toBe(1);
    // …and each reminder in its thread once.
    for (const row of queued.filter((r) => r.type === 'reminder'))
      expect(counts.get(Number(row.id)), `reminder ${row.id}`).toBe(1);
  }, 60_000);

  it('never posts an outbox message twice, whichever process sent it', async () => {
    // Anything that would be posted twice has had time to be (each process polls every 2 s).
    await new Promise((r) => setTimeout(r, 2_500));
    const unmarked = posts().filter((c) => outboxIdOf(c.args) === undefined);
    expect(unmarked.map((c) => c.args.text)).toEqual([]);
    const twice = [...postsByOutboxId()].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    const [pending] = await pg!.rows<{ n: number }>(
      sql`select count(*)::int as n from outbox where status <> 'sent'`,
    );
    expect(pending?.n).toBe(0);
  }, 30_000);
});
