import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../../src/db/queries/outbox';
import { findStatusMessage } from '../../../src/db/queries/status-messages';
import { outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { assignIncident } from '../../../src/domain/incidents/assign-incident';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { setupSchool } from '../../../src/domain/schools/setup-school';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool, T0 } from '../../support/factories';
import {
  type ApiArgs,
  assertAllCallsMade,
  expectApi,
  type SlackTestApp,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';

const SPOC = 'C0SPOC0002';
const clock = fixedClock(T0);
let tdb: TestDatabase;
let app: SlackTestApp;

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(async () => {
  assertAllCallsMade();
  // Leave nothing due for the next test.
  await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
});

const inSpoc = (a: ApiArgs) => a.channel === SPOC;
const later = (seconds: number) => clock.set(new Date(clock.now().getTime() + seconds * 1000));

async function reported(opts: { setup?: boolean } = {}) {
  clock.set(T0);
  const school = await makeSchool(tdb.db, { clock });
  await app.install(school.teamId);
  const admin = await school.person('admin');
  const teacher = await school.person('teacher', 'Ms Patel');
  if (opts.setup !== false) {
    const r = await setupSchool({ ...admin, clock }, { slackChannelId: SPOC });
    expect(r.ok).toBe(true);
  }
  const r = await reportFault(
    { ...teacher, clock },
    { summary: 'Interactive board frozen', urgency: 'today' },
  );
  if (!r.ok) throw new Error(r.error.message);
  return { school, teacher, admin, incident: r.value.incident };
}

async function pendingRows(schoolId: string) {
  return tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId)).orderBy(outbox.id);
}

describe('outbox delivery to Slack', () => {
  it('keeps the report when Slack fails and delivers the card when it answers again', async () => {
    const { school, teacher } = await reported();
    expectApi('chat.postMessage', [500, { ok: false }], { match: inSpoc });
    expectApi('chat.postMessage', [500, { ok: false }], { match: (a) => a.channel === teacher.slackUserId });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 2, dead: 0 });
    const [card] = await pendingRows(school.schoolId);
    expect(card).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: new Date(clock.now().getTime() + 5000),
    });
    expect(card?.lastError).toMatch(/500/);

    // Not due yet: nothing is sent (an unpinned call would fail the test).
    later(4);
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });

    later(2);
    // A 500 may have come after Slack posted: each looks for its earlier post before posting again.
    const looked = expectApi(
      'conversations.history',
      { ok: true, messages: [], has_more: false },
      { times: 2 },
    );
    expectApi('conversations.open', { ok: true, channel: { id: 'D1' } });
    const post = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: '1764494100.000900' },
      { match: inSpoc },
    );
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D1', ts: '1.2' },
      { match: (a) => a.channel === teacher.slackUserId },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect(post.calls[0]?.text).toContain('INC-1');
    expect(looked.calls.map((c) => c.channel).sort()).toEqual(['C0SPOC0002', 'D1']);
    expect(String(looked.calls[0]?.include_all_metadata)).toBe('true');
  });

  it('honours 429 Retry-After', async () => {
    const { teacher } = await reported();
    expectApi('chat.postMessage', [429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '30' }], {
      match: inSpoc,
    });
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D1', ts: '1.3' },
      { match: (a) => a.channel === teacher.slackUserId },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 1, dead: 0 });
    later(29);
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
    later(1);
    expectApi('chat.postMessage', { ok: true, channel: SPOC, ts: '1764494100.001000' }, { match: inSpoc });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
  });

  it('holds cards until the school has a SPOC channel, then sends them', async () => {
    const { school, admin, teacher } = await reported({ setup: false });
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D1', ts: '1.4' },
      { match: (a) => a.channel === teacher.slackUserId },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 1, dead: 0 });
    const [card] = await pendingRows(school.schoolId);
    expect(card?.lastError).toBe('no SPOC channel yet (/spoc setup)');
    expect((await setupSchool({ ...admin, clock }, { slackChannelId: SPOC })).ok).toBe(true);
    expectApi('chat.postMessage', { ok: true, channel: SPOC, ts: '1764494100.001100' }, { match: inSpoc });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
  });

  it('delivers a card before its thread, and retries slowly when the bot was removed from the channel', async () => {
    const { school, teacher, incident } = await reported();
    const tech = await school.person('technician', 'Sam');
    expect((await claimIncident({ ...tech, clock }, { incidentId: incident.id })).ok).toBe(true);
    expectApi('chat.postMessage', { ok: false, error: 'not_in_channel' }, { match: inSpoc });
    // The teacher's status DM: posted when reported, updated when claimed, the step in its thread.
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D1', ts: '1.5' },
      { match: (a) => a.channel === teacher.slackUserId },
    );
    expectApi('chat.update', { ok: true, channel: 'D1', ts: '1.5' }, { match: (a) => a.channel === 'D1' });
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D1', ts: '1.51' },
      { match: (a) => a.thread_ts === '1.5' },
    );
    // The card fails; its later update and thread line wait behind it. The DMs go.
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 1, dead: 0 });
    const rows = await pendingRows(school.schoolId);
    const waiting = rows.filter((r) => r.status === 'pending');
    expect(waiting.map((r) => r.message.type)).toEqual(['incident.card', 'incident.card', 'incident.thread']);
    expect(waiting[0]?.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 30 * 60_000));

    later(30 * 60);
    const card = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: '1764494100.001200' },
      { match: (a) => inSpoc(a) && !a.thread_ts },
    );
    const update = expectApi(
      'chat.update',
      { ok: true, channel: SPOC, ts: '1764494100.001200' },
      { match: inSpoc },
    );
    const thread = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: '1764494100.001300' },
      { match: (a) => a.thread_ts === '1764494100.001200' },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    const order = [card, update, thread].map((pinned) => pinned.calls[0]?.seq ?? Number.NaN);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.every(Number.isFinite)).toBe(true);
    expect(thread.calls[0]?.text).toContain('Claimed by');
  });

  it('records a DM that can never arrive as dead, without blocking the card', async () => {
    const { school, teacher } = await reported();
    expectApi('chat.postMessage', { ok: true, channel: SPOC, ts: '1764494100.001400' }, { match: inSpoc });
    expectApi(
      'chat.postMessage',
      { ok: false, error: 'cannot_dm_bot' },
      { match: (a) => a.channel === teacher.slackUserId },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 1 });
    const rows = await pendingRows(school.schoolId);
    expect(rows.map((r) => [r.message.type, r.status])).toEqual([
      ['incident.card', 'sent'],
      ['person.notify', 'dead'],
    ]);
    expect(rows[1]?.lastError).toBe('cannot DM: cannot_dm_bot');
  });

  it('posts a fresh card when the old one was deleted', async () => {
    const { school, incident } = await reported();
    const tech = await school.person('technician', 'Sam');
    expectApi('chat.postMessage', { ok: true, channel: SPOC, ts: '1764494100.001500' }, { match: inSpoc });
    expectApi('chat.postMessage', { ok: true, channel: 'D1', ts: '1.6' }, { match: (a) => !inSpoc(a) });
    await app.dispatcher.runOnce();
    expect((await claimIncident({ ...tech, clock }, { incidentId: incident.id })).ok).toBe(true);
    expectApi('chat.update', { ok: false, error: 'message_not_found' }, { match: inSpoc });
    expectApi('chat.update', { ok: true, channel: 'D1', ts: '1.6' }, { match: (a) => a.channel === 'D1' });
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D1', ts: '1.61' },
      { match: (a) => a.thread_ts === '1.6' },
    );
    const repost = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: '1764494100.001600' },
      { match: (a) => inSpoc(a) && !a.thread_ts },
    );
    const thread = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: '1764494100.001700' },
      { match: (a) => a.thread_ts === '1764494100.001600' },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(repost.calls[0]?.text).toContain('In progress');
    expect(thread.calls).toHaveLength(1);
  });
});

describe("the reporter's status DM", () => {
  const toUser = (who: { slackUserId: string }) => (a: ApiArgs) =>
    a.channel === who.slackUserId && !a.thread_ts;
  const metadataOf = (a: ApiArgs | undefined) =>
    JSON.parse(String(a?.metadata)) as { event_type: string; event_payload: Record<string, unknown> };
  /** The card's own update and thread line, which every change sends too. */
  const cardFollows = (ts: string) => {
    expectApi('chat.update', { ok: true, channel: SPOC, ts }, { match: inSpoc });
    expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: `${ts}1` },
      { match: (a) => a.thread_ts === ts },
    );
  };

  it('is found again rather than posted twice when the answer to its post was lost', async () => {
    const { school, teacher, incident } = await reported();
    const cardTs = '1764494100.002000';
    expectApi('chat.postMessage', { ok: true, channel: SPOC, ts: cardTs }, { match: inSpoc });
    const first = expectApi('chat.postMessage', [500, { ok: false }], { match: toUser(teacher) });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 1, dead: 0 });
    // Found again by its fault, whichever row posted it.
    expect(metadataOf(first.calls[0])).toEqual({
      event_type: 'spoc_outbox',
      event_payload: { outbox_id: expect.any(Number), status_of: incident.id },
    });

    later(6);
    expectApi('conversations.open', { ok: true, channel: { id: 'D2' } });
    const history = expectApi('conversations.history', {
      ok: true,
      has_more: false,
      messages: [
        {
          type: 'message',
          ts: '2.1',
          metadata: { event_type: 'spoc_outbox', event_payload: metadataOf(first.calls[0]).event_payload },
        },
      ],
    });
    // Nothing is posted: an unpinned call would fail the test.
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(history.calls[0]).toMatchObject({ channel: 'D2' });
    expect(await findStatusMessage(tdb.db, school.schoolId, incident.id, teacher.actor.personId)).toEqual({
      channel: 'D2',
      postedId: '2.1',
    });

    // The next step updates that message in place, and puts the step in its thread.
    const tech = await school.person('technician', 'Sam');
    expect((await claimIncident({ ...tech, clock }, { incidentId: incident.id })).ok).toBe(true);
    cardFollows(cardTs);
    const updated = expectApi(
      'chat.update',
      { ok: true, channel: 'D2', ts: '2.1' },
      { match: (a) => a.channel === 'D2' },
    );
    const step = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D2', ts: '2.2' },
      { match: (a) => a.thread_ts === '2.1' },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(textOf(updated.calls[0]?.blocks)).toContain('Claimed by');
    expect(step.calls[0]).toMatchObject({ channel: 'D2', thread_ts: '2.1' });
    expect(textOf(step.calls[0]?.blocks)).toContain('is now working on your fault');
  });

  it("posts a step's line once, even when the status message heading its thread carries the same row", async () => {
    // A fault told of for the first time at a later step: that row posts the status message and the line.
    const { school, teacher, incident } = await reported();
    await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.schoolId, school.schoolId));
    await enqueue(
      tdb.db,
      school.schoolId,
      [
        {
          type: 'person.notify',
          personId: teacher.actor.personId,
          incidentId: incident.id,
          event: 'claimed',
        },
      ],
      clock.now(),
    );
    const posted = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D3', ts: '3.1' },
      { match: toUser(teacher) },
    );
    expectApi('chat.postMessage', [500, { ok: false }], { match: (a) => a.thread_ts === '3.1' });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 1, dead: 0 });

    later(6);
    // Its thread holds only the status message, posted by this same row: the line is posted.
    expectApi('chat.update', { ok: true, channel: 'D3', ts: '3.1' }, { match: (a) => a.channel === 'D3' });
    const replies = expectApi('conversations.replies', {
      ok: true,
      has_more: false,
      messages: [
        {
          type: 'message',
          ts: '3.1',
          metadata: { event_type: 'spoc_outbox', event_payload: metadataOf(posted.calls[0]).event_payload },
        },
      ],
    });
    const line = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D3', ts: '3.2' },
      { match: (a) => a.thread_ts === '3.1' },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(replies.calls[0]).toMatchObject({ channel: 'D3', ts: '3.1' });
    expect(metadataOf(line.calls[0]).event_payload).toEqual({
      outbox_id: metadataOf(posted.calls[0]).event_payload.outbox_id,
      step_of: incident.id,
    });
  });

  it('is posted afresh, and kept, when the old one was deleted', async () => {
    const { school, teacher, incident } = await reported();
    const cardTs = '1764494100.004000';
    expectApi('chat.postMessage', { ok: true, channel: SPOC, ts: cardTs }, { match: inSpoc });
    expectApi('chat.postMessage', { ok: true, channel: 'D4', ts: '4.1' }, { match: toUser(teacher) });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });

    const tech = await school.person('technician', 'Sam');
    expect((await claimIncident({ ...tech, clock }, { incidentId: incident.id })).ok).toBe(true);
    cardFollows(cardTs);
    expectApi('chat.update', { ok: false, error: 'message_not_found' }, { match: (a) => a.channel === 'D4' });
    const fresh = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D4', ts: '4.2' },
      { match: toUser(teacher) },
    );
    const step = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D4', ts: '4.3' },
      { match: (a) => a.thread_ts === '4.2' },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(textOf(fresh.calls[0]?.blocks)).toContain('Claimed by');
    expect(step.calls).toHaveLength(1);
    expect(await findStatusMessage(tdb.db, school.schoolId, incident.id, teacher.actor.personId)).toEqual({
      channel: 'D4',
      postedId: '4.2',
    });
  });

  it("is only the reporter's: someone given the fault gets a DM of their own, as before", async () => {
    const { school, admin, incident } = await reported();
    const tech = await school.person('technician', 'Sam');
    await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.schoolId, school.schoolId));
    const r = await assignIncident(
      { ...admin, clock },
      { incidentId: incident.id, assignee: { personId: tech.actor.personId } },
    );
    expect(r.ok).toBe(true);
    expectApi('chat.postMessage', { ok: true, channel: SPOC, ts: '1764494100.005000' }, { match: inSpoc });
    expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: '1764494100.005001' },
      { match: (a) => inSpoc(a) && !!a.thread_ts },
    );
    const dm = expectApi('chat.postMessage', { ok: true, channel: 'D5', ts: '5.1' }, { match: toUser(tech) });
    expectApi('chat.getPermalink', { ok: true, permalink: 'https://hillside.slack.com/archives/C/p1' });
    await app.dispatcher.runOnce();
    expect(textOf(dm.calls[0]?.blocks)).toContain('You have been given');
    expect(metadataOf(dm.calls[0]).event_payload).not.toHaveProperty('status_of');
    expect(
      await findStatusMessage(tdb.db, school.schoolId, incident.id, tech.actor.personId),
    ).toBeUndefined();
  });
});
