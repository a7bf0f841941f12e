/**
 * The outbox bench: a backlog delivered to a fake Slack Web API on loopback by the dispatcher and
 * deliverers `startSpoc` wires (the same code, in this process, with this process's defaults), and
 * only this phase's messages counted. Two backlogs over 500 schools, each with its own workspace
 * and SPOC channel:
 *  - the Monday briefing: the reminder pass on a Monday morning, one briefing a school;
 *  - 5,000 incident cards, ten a school, all due at once (ten to each channel).
 */
import { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { createSlackDeliverer } from '../src/bot/slack/delivery';
import type { Database } from '../src/db/client';
import { setSlackChannel } from '../src/db/queries/schools';
import { fixedClock, systemClock } from '../src/domain/clock';
import { reportFault } from '../src/domain/incidents/report-fault';
import { silentLogger } from '../src/log';
import { createOutboxDispatcher } from '../src/worker/outbox-dispatcher';
import { deliverByPlatform } from '../src/worker/platform-deliverer';
import { runReminderPass } from '../src/worker/reminder-pass';
import { makeSchool } from '../test/support/factories';
import { startFakeSlack } from '../test/support/fake-slack';
import { BOT_TOKEN } from '../test/support/slack-payloads';

export interface OutboxFigures {
  backlog: string;
  messages: number;
  delivered: number;
  seconds: number;
  perSecond: number;
  /** The most sends to one channel within any one second (Slack's pace: about one). */
  maxPerChannelSecond: number;
}

const MONDAY_MORNING = new Date('2026-11-30T08:30:00Z');

/** 500 schools, each a workspace with its SPOC channel and a teacher. */
async function seedSchools(database: Database, schools: number) {
  const made = [];
  for (let i = 0; i < schools; i++) {
    const school = await makeSchool(database.db, {
      clock: fixedClock(MONDAY_MORNING),
      teamId: `TBENCH${String(i).padStart(4, '0')}`,
    });
    const channel = `CBENCH${String(i).padStart(4, '0')}`;
    await setSlackChannel(database.db, school.schoolId, channel);
    made.push({ school, channel, teacher: await school.person('teacher', `Teacher ${i}`) });
  }
  return made;
}

async function deliver(
  database: Database,
  label: string,
  expected: number,
  timeoutMs: number,
): Promise<OutboxFigures> {
  const fake = await startFakeSlack();
  const stamps: Array<{ channel: string; at: number }> = [];
  const push = fake.calls.push.bind(fake.calls);
  fake.calls.push = (...calls) => {
    for (const call of calls)
      if (call.method === 'chat.postMessage' || call.method === 'chat.update')
        stamps.push({ channel: String(call.args.channel), at: performance.now() });
    return push(...calls);
  };
  const client = new WebClient(BOT_TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  const dispatcher = createOutboxDispatcher({
    db: database.db,
    clock: systemClock,
    log: silentLogger,
    deliverer: deliverByPlatform({
      db: database.db,
      clock: systemClock,
      slack: createSlackDeliverer({
        db: database.db,
        clock: systemClock,
        log: silentLogger,
        clientFor: async () => client,
      }),
      homes: { changed() {} },
    }),
  });
  const started = performance.now();
  dispatcher.start(50);
  dispatcher.kick();
  const pending = async () =>
    (
      await database.rows<{ n: number }>(sql`select count(*)::int as n from outbox where status = 'pending'`)
    )[0]?.n ?? 0;
  while ((await pending()) > 0 && performance.now() - started < timeoutMs)
    await new Promise((r) => setTimeout(r, 50));
  await dispatcher.stop();
  const ended = stamps.at(-1)?.at ?? performance.now();
  await fake.close();
  const seconds = (ended - started) / 1000;
  const perChannelSecond = new Map<string, number>();
  for (const { channel, at } of stamps) {
    const key = `${channel}@${Math.floor((at - started) / 1000)}`;
    perChannelSecond.set(key, (perChannelSecond.get(key) ?? 0) + 1);
  }
  return {
    backlog: label,
    messages: expected,
    delivered: stamps.length,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(stamps.length / seconds),
    maxPerChannelSecond: Math.max(0, ...perChannelSecond.values()),
  };
}

export async function outboxBench(
  database: Database,
  options: { schools: number; perSchool: number; timeoutMs: number },
): Promise<OutboxFigures[]> {
  const schools = await seedSchools(database, options.schools);
  // Setting up left nothing to send; the bench counts only its own messages.
  await database.rows(sql`update outbox set status = 'sent' where status = 'pending'`);

  // The Monday briefing: the pass as it runs at 08:30 on a Monday, one briefing a school.
  await runReminderPass({ db: database.db, log: silentLogger, now: MONDAY_MORNING, recordedAt: new Date() });
  const [briefings] = await database.rows<{ n: number; other: number }>(
    sql`select count(*) filter (where message->>'type' = 'briefing')::int as n,
               count(*) filter (where message->>'type' <> 'briefing')::int as other
        from outbox where status = 'pending'`,
  );
  if (!briefings || briefings.n !== options.schools || briefings.other !== 0)
    throw new Error(`the pass queued ${JSON.stringify(briefings)}, not one briefing a school`);
  const monday = await deliver(
    database,
    `Monday briefing, ${options.schools} schools`,
    briefings.n,
    options.timeoutMs,
  );

  // The backlog: ten new incidents a school; their cards, ten to each channel, all due at once.
  for (const { teacher } of schools)
    for (let i = 0; i < options.perSchool; i++)
      await reportFault(
        { ...teacher, clock: systemClock },
        { summary: `Bench fault ${i}`, urgency: 'today' },
      );
  // Only the cards: the reporters' DMs are not this figure's.
  await database.rows(
    sql`delete from outbox where status = 'pending' and message->>'type' <> 'incident.card'`,
  );
  const [cards] = await database.rows<{ n: number }>(
    sql`select count(*)::int as n from outbox where status = 'pending'`,
  );
  const backlog = await deliver(
    database,
    `${cards?.n ?? 0} cards across ${options.schools} channels`,
    cards?.n ?? 0,
    options.timeoutMs,
  );
  return [monday, backlog];
}
