/**
 * Each card and DM reaches Slack once, against a fake Web API that stores a post at once but can
 * answer late:
 * - a send that times out is found in the channel's history on the next attempt, not posted again;
 * - three dispatchers sharing one database, with Slack twice as slow as their lease, each message leased
 *   and posted by exactly one of them (the lease is renewed while the send is in flight).
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createSlackDeliverer, OUTBOX_EVENT } from '../../src/bot/slack/delivery';
import type { OutboxRow } from '../../src/db/queries/outbox';
import { incidents, outbox } from '../../src/db/schema';
import { type Clock, fixedClock, systemClock } from '../../src/domain/clock';
import { claimIncident } from '../../src/domain/incidents/claim-incident';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { setupSchool } from '../../src/domain/schools/setup-school';
import { silentLogger } from '../../src/log';
import { createOutboxDispatcher } from '../../src/worker/outbox-dispatcher';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeSchool, T0 } from '../support/factories';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';

let tdb: TestDatabase;
let fake: FakeSlack;
beforeAll(async () => {
  tdb = await createTestDatabase();
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake?.close();
  await tdb?.destroy();
});
beforeEach(() => {
  fake.setDelay(0);
});

/** A Web API client as the outbox's, but giving up after `timeout` ms. */
const clientWith = (timeout: number) =>
  new WebClient('xoxb-fake', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
    timeout,
  });

/** A school with a SPOC channel and `faults` reports by as many teachers. */
async function school(channel: string, faults: number, clock: Clock) {
  const s = await makeSchool(tdb.db, { clock: fixedClock(clock.now()) });
  const admin = await s.person('admin');
  expect((await setupSchool({ ...admin, clock }, { slackChannelId: channel })).ok).toBe(true);
  const teachers = [];
  for (let i = 0; i < faults; i++) {
    const teacher = await s.person('teacher', `Teacher ${i}`);
    const r = await reportFault(
      { ...teacher, clock },
      { summary: `Projector ${i} is dead`, urgency: 'today' },
    );
    if (!r.ok) throw new Error(r.error.message);
    teachers.push(teacher);
  }
  return { ...s, admin, teachers };
}

const posts = (channel: string) =>
  fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
const topLevel = (channel: string) => (fake.messages.get(channel) ?? []).filter((m) => !m.thread_ts);

it('finds a post whose answer timed out instead of posting it again', async () => {
  const clock = fixedClock(T0);
  const { schoolId, teachers, person } = await school('C0ONCESLOW', 4, clock);
  const deliverer = createSlackDeliverer({
    db: tdb.db,
    clock,
    log: silentLogger,
    clientFor: async () => clientWith(150),
  });
  const dispatcher = createOutboxDispatcher({ db: tdb.db, clock, log: silentLogger, deliverer });

  // Slack posts everything but answers too late: every outcome is unknown.
  fake.setDelay(400);
  expect(await dispatcher.runOnce()).toEqual({ sent: 0, retried: 8, dead: 0 });
  expect(topLevel('C0ONCESLOW')).toHaveLength(4);
  const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId));
  expect(rows.every((r) => r.status === 'pending' && r.inDoubt)).toBe(true);

  // Slack answers again: each message is found where it landed and adopted.
  fake.setDelay(0);
  clock.advance(10_000);
  expect(await dispatcher.runOnce()).toEqual({ sent: 8, retried: 0, dead: 0 });
  expect(posts('C0ONCESLOW')).toHaveLength(4);
  expect(topLevel('C0ONCESLOW')).toHaveLength(4);
  for (const teacher of teachers) {
    expect(posts(teacher.slackUserId)).toHaveLength(1);
    expect(fake.messages.get(teacher.slackUserId)).toHaveLength(1);
  }
  expect(fake.calls.filter((c) => c.method === 'conversations.history').length).toBeGreaterThanOrEqual(8);

  // Each incident holds the card that landed, so later changes update it in place.
  const cards = await tdb.db
    .select({ id: incidents.id, ts: incidents.cardTs, channel: incidents.cardChannel })
    .from(incidents)
    .where(eq(incidents.schoolId, schoolId));
  const landed = topLevel('C0ONCESLOW').map((m) => m.ts);
  expect(cards.map((c) => c.ts).sort()).toEqual(landed.sort());
  for (const m of topLevel('C0ONCESLOW')) expect(m.metadata?.event_type).toBe(OUTBOX_EVENT);

  const tech = await person('technician', 'Sam');
  const first = cards[0]!;
  expect((await claimIncident({ ...tech, clock }, { incidentId: first.id })).ok).toBe(true);
  const before = fake.calls.length;
  await dispatcher.runOnce();
  const after = fake.calls.slice(before);
  const updates = after.filter((c) => c.method === 'chat.update');
  expect(updates.filter((c) => c.args.channel === 'C0ONCESLOW').map((c) => c.args.ts)).toEqual([first.ts]);
  expect(
    after.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0ONCESLOW'),
  ).toHaveLength(1);
  expect(topLevel('C0ONCESLOW')).toHaveLength(4);
  // The reporter's status DM, adopted after the timeout, is the one updated in place: still one DM.
  const [reporter] = await tdb.db
    .select({ reporterId: incidents.reporterId })
    .from(incidents)
    .where(eq(incidents.id, first.id));
  const teacher = teachers.find((t) => t.actor.personId === reporter?.reporterId)!;
  const dm = fake.messages.get(teacher.slackUserId) ?? [];
  expect(dm.filter((m) => !m.thread_ts)).toHaveLength(1);
  expect(updates.filter((c) => c.args.channel !== 'C0ONCESLOW').map((c) => c.args.ts)).toEqual([dm[0]?.ts]);
});

it('gives each message to one of three dispatchers when Slack is slower than the lease', async () => {
  // Real time: leases run out by the wall clock, as between processes.
  const { schoolId, teachers } = await school('C0ONCETHREE', 5, systemClock);
  const delivered = new Map<number, number>();
  const inner = createSlackDeliverer({
    db: tdb.db,
    clock: systemClock,
    log: silentLogger,
    clientFor: async () => clientWith(5_000),
  });
  const deliverer = {
    deliver(row: OutboxRow) {
      delivered.set(row.id, (delivered.get(row.id) ?? 0) + 1);
      return inner.deliver(row);
    },
  };
  fake.setDelay(1_200);
  const dispatchers = [1, 2, 3].map(() =>
    createOutboxDispatcher({ db: tdb.db, clock: systemClock, log: silentLogger, deliverer, leaseMs: 600 }),
  );
  await Promise.all(dispatchers.map((d) => d.runOnce()));

  const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId));
  expect(rows).toHaveLength(10);
  expect(rows.every((r) => r.status === 'sent')).toBe(true);
  expect([...delivered.values()]).toEqual(rows.map(() => 1));
  expect(posts('C0ONCETHREE')).toHaveLength(5);
  for (const teacher of teachers) expect(posts(teacher.slackUserId)).toHaveLength(1);
});
