/**
 * The reporter's side through the real Bolt app: "Fixed" / "Still broken" in the DM, the
 * comment form, auto-close after 5 school days, and the teacher's App Home.
 */
import { and, eq, ne } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, COMMENT_BLOCK } from '../../../src/bot/slack/ids';
import { getIncidentDetail, setIncidentCard } from '../../../src/db/queries/incidents';
import { countPending, enqueue } from '../../../src/db/queries/outbox';
import { incidentEvents, outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { holdIncident, resumeIncident } from '../../../src/domain/incidents/hold-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { silentLogger } from '../../../src/log';
import { runAutoClosePass } from '../../../src/worker/auto-close';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import {
  type ApiArgs,
  assertAllCallsMade,
  expectApi,
  expectResponseUrl,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import {
  appHomeOpened,
  blockAction,
  homeButton,
  responsePath,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

// Monday 30 November 2026, 09:15.
const clock = fixedClock('2026-11-30T09:15:00Z');
const CARD_TS = '1764494100.000100';
const DM = 'D0TEACHER1';
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
  clock.set('2026-11-30T09:15:00Z');
  await drain();
  assertAllCallsMade();
});

async function drain() {
  await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
}

const ctxOf = async (who: Who) => ({
  db: tdb.db,
  clock,
  ...(await identifySlackUser(tdb.db, clock, {
    teamId: who.teamId,
    userId: who.userId,
    userName: who.userName,
  })),
});

/** A school whose teacher reported a fault the technician claimed and resolved; its card is posted. */
async function resolvedFault(summary = 'Projector in Room 4 has no signal') {
  const s = await slackSchool(app);
  const teacher = await ctxOf(s.teacher);
  const tech = await ctxOf(s.tech);
  const reported = must(await reportFault(teacher, { summary, urgency: 'today' }));
  const incidentId = reported.incident.id;
  must(await claimIncident(tech, { incidentId }));
  await setIncidentCard(tdb.db, teacher.school.id, incidentId, s.channel, CARD_TS);
  await drain();
  must(await resolveIncident(tech, { incidentId, resolution: 'Reseated the HDMI cable' }));
  return { ...s, schoolId: teacher.school.id, incidentId, teacherCtx: teacher, techCtx: tech };
}

const toUser = (who: Who) => (args: ApiArgs) => args.channel === who.userId;

/** The incidents whose "Add a comment" button the blocks carry (beside a line, or in a row of buttons). */
const commentValues = (blocks: ReadonlyArray<Record<string, unknown>>) =>
  blocks
    .flatMap((b) => [b.accessory, ...((b.elements as unknown[] | undefined) ?? [])])
    .filter(
      (e): e is { action_id: string; value: string } =>
        (e as { action_id?: string })?.action_id === ACTION.commentOpen,
    )
    .map((e) => e.value);
const inThread = (args: ApiArgs) => args.thread_ts === CARD_TS;

async function eventsOf(incidentId: string, kind: string) {
  return tdb.db
    .select()
    .from(incidentEvents)
    .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.kind, kind)));
}

describe("the teacher's status DM", () => {
  const STATUS_TS = '1764494300.000100';
  const inDm = (args: ApiArgs) => args.channel === DM;
  const inDmThread = (args: ApiArgs) => args.thread_ts === STATUS_TS;
  const actionIds = (blocks: ReadonlyArray<Record<string, unknown>> = []) =>
    blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => (b.elements as Array<{ action_id: string }>).map((e) => e.action_id));

  /** One step: the card and its thread follow, the status DM is updated in place, the step goes in its thread. */
  async function step(channel: string, label: string) {
    expectApi('chat.update', { ok: true, channel, ts: CARD_TS }, { match: (a) => !inDm(a) });
    expectApi('chat.postMessage', { ok: true, channel, ts: `${label}.1` }, { match: inThread });
    const status = expectApi('chat.update', { ok: true, channel: DM, ts: STATUS_TS }, { match: inDm });
    const line = expectApi(
      'chat.postMessage',
      { ok: true, channel: DM, ts: `${label}.2` },
      { match: inDmThread },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    const updated = status.calls[0];
    return { status: updated, blocks: updated?.blocks ?? [], line: line.calls[0] };
  }

  it('is one message for the fault, updated in place at each step, with each step in its thread', async () => {
    const s = await slackSchool(app);
    const teacher = await ctxOf(s.teacher);
    const tech = await ctxOf(s.tech);
    const { incident } = must(
      await reportFault(teacher, { summary: 'Projector in Room 4 has no signal', urgency: 'today' }),
    );
    const incidentId = incident.id;
    await setIncidentCard(tdb.db, teacher.school.id, incidentId, s.channel, CARD_TS);

    // Reported: the card, and one new DM, the fault's status message.
    expectApi('chat.update', { ok: true, channel: s.channel, ts: CARD_TS }, { match: (a) => !inDm(a) });
    const posted = expectApi(
      'chat.postMessage',
      { ok: true, channel: DM, ts: STATUS_TS },
      { match: toUser(s.teacher) },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    const first = textOf(posted.calls[0]?.blocks);
    expect(first).toContain('Your fault *INC-1* — Projector in Room 4 has no signal');
    expect(first).toContain('*Status:* Reported — waiting for someone to pick it up');
    expect(first).toContain('Reported Mon 30 Nov 2026');
    expect(actionIds(posted.calls[0]?.blocks)).toEqual([ACTION.commentOpen]);
    expect(posted.calls[0]?.text).toBe('Your fault INC-1 is logged');

    // Claimed: the same message now says who has it; the step is in its thread and tells nobody.
    must(await claimIncident(tech, { incidentId }));
    const claimed = await step(s.channel, '2');
    expect(textOf(claimed.blocks)).toContain(`*Status:* Claimed by <@${s.tech.userId}> — being worked on`);
    expect(actionIds(claimed.blocks)).toEqual([ACTION.commentOpen]);
    expect(textOf(claimed.line?.blocks)).toContain(
      `<@${s.tech.userId}> is now working on your fault *INC-1*`,
    );
    expect(String(claimed.line?.reply_broadcast)).toBe('false');
    expect(actionIds(claimed.line?.blocks)).toEqual([]);

    // On hold, waiting for the teacher: it asks something of them, so the step is sent to the DM too.
    must(await holdIncident(tech, { incidentId, reason: 'user', detail: 'which lead is used' }));
    const held = await step(s.channel, '3');
    expect(textOf(held.blocks)).toContain(
      '*Status:* On hold — Waiting for a reply from the person who reported it (which lead is used)',
    );
    expect(String(held.line?.reply_broadcast)).toBe('true');

    // Fixed: Fixed / Still broken on the status message; the step asks them to press there.
    must(await resolveIncident(tech, { incidentId, resolution: 'Reseated the HDMI cable' }));
    const fixed = await step(s.channel, '4');
    const fixedText = textOf(fixed.blocks);
    expect(fixedText).toContain('*Status:* Fixed — please check');
    expect(fixedText).toContain('has been fixed');
    expect(fixedText).toContain('Reseated the HDMI cable');
    expect(fixedText).toContain("If I don't hear from you, I'll close it after 5 school days.");
    expect(fixed.blocks.at(-1)).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: ACTION.reporterFixed, value: incidentId, text: { text: 'Fixed' } },
        { action_id: ACTION.reporterStillBroken, value: incidentId, text: { text: 'Still broken' } },
      ],
    });
    expect(fixed.status?.text).toBe('Your fault INC-1 was fixed: is it working now?');
    expect(textOf(fixed.line?.blocks)).toContain('on its status message above');
    expect(String(fixed.line?.reply_broadcast)).toBe('true');
    expect(actionIds(fixed.line?.blocks)).toEqual([]);

    // "Still broken" pressed on it: the message stays the status message, open again, with the answer.
    const replaced = expectResponseUrl(responsePath(s.teamId));
    await app.send(
      blockAction(s.teacher, ACTION.reporterStillBroken, incidentId, { channelId: DM, messageTs: STATUS_TS }),
    );
    const reply = await until(() => replaced.calls[0], 'the status message replaced');
    expect(reply).toMatchObject({ replace_original: true, text: 'Your fault INC-1 is open again' });
    expect(textOf(reply.blocks)).toContain('*Status:* Open again — the ICT team knows it is still broken');
    expect(textOf(reply.blocks)).toContain('is open again and the ICT team has been told');
    expect(actionIds(reply.blocks as Array<Record<string, unknown>>)).toEqual([ACTION.commentOpen]);
    await drain();

    // Fixed again, then "Fixed" pressed on the App Home: the status message follows it there too.
    must(await resolveIncident(tech, { incidentId, resolution: 'New HDMI cable' }));
    await step(s.channel, '5');
    const publish = expectApi('views.publish', { ok: true });
    const follows = expectApi('chat.update', { ok: true, channel: DM, ts: STATUS_TS }, { match: inDm });
    await app.send(homeButton(s.teacher, ACTION.reporterFixed, incidentId));
    await until(() => publish.calls[0], 'home');
    const closed = await until(() => follows.calls[0], 'status message updated');
    expect(textOf(closed.blocks)).toContain('*Status:* Closed on Mon 30 Nov 2026');
    expect(textOf(closed.blocks)).toContain('It was fixed:');
    expect(textOf(closed.blocks)).toContain('Thanks for letting us know');
    // Fixed / Still broken are gone; what is left is the satisfaction question's 👍 / 👎.
    expect(actionIds(closed.blocks)).toEqual([ACTION.satisfactionUp, ACTION.satisfactionDown]);
  });

  it('keeps the answer her press put on it: the card that follows changes nothing she would see', async () => {
    const s = await slackSchool(app);
    const teacher = await ctxOf(s.teacher);
    const tech = await ctxOf(s.tech);
    const { incident } = must(
      await reportFault(teacher, { summary: 'Visualiser flickers', urgency: 'today' }),
    );
    const incidentId = incident.id;
    await setIncidentCard(tdb.db, teacher.school.id, incidentId, s.channel, CARD_TS);
    expectApi('chat.update', { ok: true, channel: s.channel, ts: CARD_TS }, { match: (a) => !inDm(a) });
    expectApi('chat.postMessage', { ok: true, channel: DM, ts: STATUS_TS }, { match: toUser(s.teacher) });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    must(await claimIncident(tech, { incidentId }));
    await step(s.channel, '2');
    must(await resolveIncident(tech, { incidentId, resolution: 'Reseated the lamp' }));
    await step(s.channel, '3');

    // Fixed, pressed on the status message: answered in place, closed, with the thanks.
    const replaced = expectResponseUrl(responsePath(s.teamId));
    await app.send(
      blockAction(s.teacher, ACTION.reporterFixed, incidentId, { channelId: DM, messageTs: STATUS_TS }),
    );
    expect(textOf((await until(() => replaced.calls[0], 'answered in place')).blocks)).toContain(
      'Thanks for letting us know',
    );
    // The card and its thread follow; the status message, already showing it closed, is left with
    // the thanks: no other Web API call is made.
    const unexpected: string[] = [];
    const noMatch = (req: { path?: string }) => unexpected.push(String(req.path));
    nock.emitter.on('no match', noMatch);
    try {
      expectApi('chat.update', { ok: true, channel: s.channel, ts: CARD_TS }, { match: (a) => !inDm(a) });
      expectApi('chat.postMessage', { ok: true, channel: s.channel, ts: '4.1' }, { match: inThread });
      expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    } finally {
      nock.emitter.removeListener('no match', noMatch);
    }
    expect(unexpected).toEqual([]);
  });

  it('follows a change that tells the reporter nothing (resumed from hold): the card brings it up to date', async () => {
    const s = await slackSchool(app);
    const teacher = await ctxOf(s.teacher);
    const tech = await ctxOf(s.tech);
    const { incident } = must(
      await reportFault(teacher, { summary: 'Printer jams on every page', urgency: 'today' }),
    );
    const incidentId = incident.id;
    await setIncidentCard(tdb.db, teacher.school.id, incidentId, s.channel, CARD_TS);
    expectApi('chat.update', { ok: true, channel: s.channel, ts: CARD_TS }, { match: (a) => !inDm(a) });
    expectApi('chat.postMessage', { ok: true, channel: DM, ts: STATUS_TS }, { match: toUser(s.teacher) });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    must(await claimIncident(tech, { incidentId }));
    await step(s.channel, '2');
    must(await holdIncident(tech, { incidentId, reason: 'parts', detail: 'a new fuser' }));
    const held = await step(s.channel, '3');
    expect(textOf(held.blocks)).toContain('*Status:* On hold');

    // Resumed: no notice to the reporter, only the card and its thread; the status DM follows the
    // card, in place, with no new message and nothing in its thread.
    must(await resumeIncident(tech, { incidentId }));
    expectApi('chat.update', { ok: true, channel: s.channel, ts: CARD_TS }, { match: (a) => !inDm(a) });
    expectApi('chat.postMessage', { ok: true, channel: s.channel, ts: '4.1' }, { match: inThread });
    const status = expectApi('chat.update', { ok: true, channel: DM, ts: STATUS_TS }, { match: inDm });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    const blocks = (await until(() => status.calls[0], 'status message updated')).blocks ?? [];
    expect(textOf(blocks)).toContain(`*Status:* Claimed by <@${s.tech.userId}> — being worked on`);
  });
});

describe('"Still broken"', () => {
  it('reopens the incident, tells the assignee and refreshes the card; a second press changes nothing', async () => {
    const f = await resolvedFault();
    await drain();
    const replaced = expectResponseUrl(responsePath(f.teamId));
    const res = await app.send(
      blockAction(f.teacher, ACTION.reporterStillBroken, f.incidentId, { channelId: DM, messageTs: '2.2' }),
    );
    expect(res.status).toBe(200);
    const reply = await until(() => replaced.calls[0], 'the DM replaced');
    expect(reply).toMatchObject({ replace_original: true });
    expect(textOf(reply.blocks)).toContain('is open again and the ICT team has been told');
    expect(reply.blocks).toContainEqual({
      type: 'actions',
      elements: [expect.objectContaining({ action_id: ACTION.commentOpen, value: f.incidentId })],
    });
    expect(await getIncidentDetail(tdb.db, f.schoolId, f.incidentId)).toMatchObject({
      status: 'reopened',
      resolvedAt: null,
      resolution: null,
    });
    expect(await eventsOf(f.incidentId, 'reopened')).toHaveLength(1);

    // The card shows it open again, its thread says so, and the technician is told by DM.
    const card = expectApi('chat.update', { ok: true, channel: f.channel, ts: CARD_TS });
    const thread = expectApi(
      'chat.postMessage',
      { ok: true, channel: f.channel, ts: '3.1' },
      { match: inThread },
    );
    const techDm = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TECH', ts: '3.2' },
      { match: toUser(f.tech) },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(card.calls[0]).toMatchObject({ channel: f.channel, ts: CARD_TS });
    expect(textOf(card.calls[0]?.blocks)).toContain('Reopened');
    expect(thread.calls[0]?.text).toContain(`<@${f.teacher.userId}>`);
    // "Still broken" is also sent to the channel, so the SPOC sees it without opening the thread.
    expect(String(thread.calls[0]?.reply_broadcast)).toBe('true');
    expect(textOf(techDm.calls[0]?.blocks)).toContain(`<@${f.teacher.userId}> says *INC-1*`);
    expect(textOf(techDm.calls[0]?.blocks)).toContain('is still broken, so it is open again');

    // A double click: the same answer, nothing recorded or sent twice.
    const again = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterStillBroken, f.incidentId, { channelId: DM }));
    expect(textOf((await until(() => again.calls[0], 'second answer')).blocks)).toContain(
      'already open again',
    );
    expect(await eventsOf(f.incidentId, 'reopened')).toHaveLength(1);
    expect(await countPending(tdb.db, f.schoolId)).toBe(0);
  });
});

describe('"Fixed"', () => {
  it('closes the incident as confirmed and thanks the reporter in place; a double click is harmless', async () => {
    const f = await resolvedFault();
    await drain();
    clock.set('2026-11-30T11:00:00Z');
    const replaced = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterFixed, f.incidentId, { channelId: DM }));
    const reply = await until(() => replaced.calls[0], 'the DM replaced');
    // It stays the fault's status message: closed now, with the thanks, and no buttons left.
    expect(reply).toMatchObject({ replace_original: true, text: 'Your fault INC-1 is closed' });
    const said = textOf(reply.blocks);
    expect(said).toContain('*Status:* Closed on Mon 30 Nov 2026');
    expect(said).toContain(
      ':pray: Thanks for letting us know — *INC-1* — Projector in Room 4 has no signal is closed.',
    );
    // Fixed / Still broken are gone: the only buttons left are the satisfaction question's.
    expect(
      (reply.blocks as Array<{ type: string; elements?: Array<{ action_id: string }> }>)
        .filter((b) => b.type === 'actions')
        .flatMap((b) => (b.elements ?? []).map((e) => e.action_id)),
    ).toEqual([ACTION.satisfactionUp, ACTION.satisfactionDown]);
    expect(await getIncidentDetail(tdb.db, f.schoolId, f.incidentId)).toMatchObject({
      status: 'closed',
      closedAt: new Date('2026-11-30T11:00:00Z'),
    });
    const confirmed = await eventsOf(f.incidentId, 'confirmed');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({
      fromStatus: 'resolved',
      toStatus: 'closed',
      actorId: f.teacherCtx.actor.personId,
    });

    const card = expectApi('chat.update', { ok: true, channel: f.channel, ts: CARD_TS });
    const thread = expectApi(
      'chat.postMessage',
      { ok: true, channel: f.channel, ts: '4.1' },
      { match: inThread },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect(textOf(card.calls[0]?.blocks)).toContain('Closed');
    expect(thread.calls).toHaveLength(1);

    const again = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterFixed, f.incidentId, { channelId: DM }));
    expect((await until(() => again.calls[0], 'second answer')).text).toBe('Your fault INC-1 is closed');
    expect(await eventsOf(f.incidentId, 'confirmed')).toHaveLength(1);
    expect(await countPending(tdb.db, f.schoolId)).toBe(0);
  });
});

describe('only the reporter may answer', () => {
  it('refuses anyone else pressing the buttons, and changes nothing', async () => {
    const f = await resolvedFault();
    await drain();
    const other: Who = { teamId: f.teamId, userId: 'U0OTHERT01', userName: 'mr.jones' };
    for (const [who, action] of [
      [other, ACTION.reporterFixed],
      [other, ACTION.reporterStillBroken],
      [f.tech, ACTION.reporterStillBroken],
      [f.admin, ACTION.reporterFixed],
    ] as const) {
      const told = expectResponseUrl(responsePath(f.teamId));
      await app.send(blockAction(who, action, f.incidentId, { channelId: DM }));
      expect(await until(() => told.calls[0], 'refusal')).toEqual({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Only the person who reported INC-1 can answer for it.',
      });
    }
    // Another school's admin, with a crafted id, does not even find it.
    const elsewhere = await slackSchool(app, 'C0ELSEWHERE');
    const told = expectResponseUrl(responsePath(elsewhere.teamId));
    await app.send(blockAction(elsewhere.admin, ACTION.reporterFixed, f.incidentId));
    expect((await until(() => told.calls[0], 'not found')).text).toBe(
      "I couldn't find that incident in your school.",
    );

    expect(await getIncidentDetail(tdb.db, f.schoolId, f.incidentId)).toMatchObject({ status: 'resolved' });
    expect(await eventsOf(f.incidentId, 'confirmed')).toHaveLength(0);
    expect(await eventsOf(f.incidentId, 'reopened')).toHaveLength(0);
    expect(await countPending(tdb.db, f.schoolId)).toBe(0);
  });
});

describe('no answer', () => {
  it('closes it after exactly 5 school days (a weekend between), then "Still broken" says to report it again', async () => {
    const f = await resolvedFault(); // resolved Monday 30 November 09:15
    await drain();
    const pass = (at: string) => runAutoClosePass({ db: tdb.db, log: silentLogger, now: new Date(at) });
    // Friday 4 December 16:00 is only four and a bit school days later.
    await pass('2026-12-04T16:00:00Z');
    expect((await getIncidentDetail(tdb.db, f.schoolId, f.incidentId))?.status).toBe('resolved');
    await pass('2026-12-07T09:14:00Z');
    expect((await getIncidentDetail(tdb.db, f.schoolId, f.incidentId))?.status).toBe('resolved');
    // Monday 7 December 09:15: five school days.
    await pass('2026-12-07T09:15:00Z');
    expect(await getIncidentDetail(tdb.db, f.schoolId, f.incidentId)).toMatchObject({
      status: 'closed',
      closedAt: new Date('2026-12-07T09:15:00Z'),
    });
    // The pass serves every school: other tests' resolved faults closed too; only this one is checked here.
    await tdb.db
      .update(outbox)
      .set({ status: 'sent' })
      .where(and(eq(outbox.status, 'pending'), ne(outbox.schoolId, f.schoolId)));
    clock.set('2026-12-07T09:15:00Z');
    const card = expectApi('chat.update', { ok: true, channel: f.channel, ts: CARD_TS });
    const thread = expectApi(
      'chat.postMessage',
      { ok: true, channel: f.channel, ts: '5.1' },
      { match: inThread },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect(textOf(card.calls[0]?.blocks)).toContain('Closed');
    expect(thread.calls[0]?.text).toContain(
      'Closed automatically: no reply from the reporter for 5 school days',
    );

    const replaced = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterStillBroken, f.incidentId, { channelId: DM }));
    const reply = textOf((await until(() => replaced.calls[0], 'answer')).blocks);
    expect(reply).toContain(
      `*INC-1* — Projector in Room 4 has no signal was closed on <!date^${Date.parse('2026-12-07T09:15:00Z') / 1000}^`,
    );
    expect(reply).toContain('please report it again with `/fault` and mention INC-1');
    expect(await eventsOf(f.incidentId, 'reopened')).toHaveLength(0);
  });
});

describe('"Add a comment" on the DMs', () => {
  it('is offered while the fault is open, and not once it is closed', async () => {
    const s = await slackSchool(app);
    const teacher = await ctxOf(s.teacher);
    const tech = await ctxOf(s.tech);
    const office = await ctxOf(s.office);
    const { incident } = must(
      await reportFault(teacher, { summary: 'Laptop will not charge', urgency: 'today' }),
    );
    const incidentId = incident.id;
    await setIncidentCard(tdb.db, teacher.school.id, incidentId, s.channel, CARD_TS);
    await drain();

    const sendsAfterChange = async (ts: string, first = false) => {
      expectApi(
        'chat.update',
        { ok: true, channel: s.channel, ts: CARD_TS },
        { match: (a) => a.channel !== DM },
      );
      expectApi('chat.postMessage', { ok: true, channel: s.channel, ts: `${ts}.1` }, { match: inThread });
      // The status DM: posted at the first step it is told of, updated in place after.
      const status = first
        ? expectApi('chat.postMessage', { ok: true, channel: DM, ts: STATUS }, { match: toUser(s.teacher) })
        : expectApi('chat.update', { ok: true, channel: DM, ts: STATUS }, { match: (a) => a.channel === DM });
      const line = expectApi(
        'chat.postMessage',
        { ok: true, channel: DM, ts: `${ts}.2` },
        { match: (a) => a.thread_ts === STATUS },
      );
      expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
      return { blocks: status.calls[0]?.blocks ?? [], line: line.calls[0]?.blocks ?? [] };
    };
    const STATUS = '6.0';

    must(await claimIncident(tech, { incidentId }));
    const claimed = await sendsAfterChange('5', true);
    expect(textOf(claimed.line)).toContain('is now working on your fault');
    expect(commentValues(claimed.blocks)).toEqual([incidentId]);
    expect(commentValues(claimed.line)).toEqual([]);

    must(await closeIncident(office, { incidentId, note: 'Duplicate of another report' }));
    const closed = await sendsAfterChange('6');
    expect(textOf(closed.line)).toContain('was closed without a fix: Duplicate of another report');
    expect(textOf(closed.blocks)).toContain('It was closed without a fix.');
    expect(commentValues(closed.blocks)).toEqual([]);
    expect(closed.blocks.some((b) => b.type === 'actions')).toBe(false);

    // A notice that reaches the reporter only once the fault is closed (sent late): no button.
    await enqueue(
      tdb.db,
      teacher.school.id,
      [{ type: 'person.notify', personId: teacher.actor.personId, incidentId, event: 'claimed' }],
      clock.now(),
    );
    const late = expectApi(
      'chat.update',
      { ok: true, channel: DM, ts: STATUS },
      { match: (a) => a.channel === DM },
    );
    const lateLine = expectApi(
      'chat.postMessage',
      { ok: true, channel: DM, ts: '7.1' },
      { match: (a) => a.thread_ts === STATUS },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(textOf(lateLine.calls[0]?.blocks)).toContain('is now working on your fault');
    expect(textOf(late.calls[0]?.blocks)).toContain('*Status:* Closed');
    expect(commentValues(late.calls[0]?.blocks ?? [])).toEqual([]);
  });
});

describe('the comment form', () => {
  it('opens from the DM, shows errors beside the fields, and tells the assignee', async () => {
    const f = await resolvedFault();
    const replaced = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterStillBroken, f.incidentId, { channelId: DM }));
    await until(() => replaced.calls[0], 'reopened');
    await drain();

    const opened = expectApi('views.open', { ok: true, view: { id: 'V0COMMENT1' } });
    await app.send(blockAction(f.teacher, ACTION.commentOpen, f.incidentId, { channelId: DM }));
    const view = (await until(() => opened.calls[0], 'form')).view;
    expect(view).toMatchObject({
      callback_id: CALLBACK.commentModal,
      private_metadata: JSON.stringify({ incidentId: f.incidentId }),
    });
    // Slack adds "(optional)" to an optional input itself: the label must not say it again.
    expect(view?.blocks).toContainEqual(
      expect.objectContaining({
        type: 'input',
        optional: true,
        label: expect.objectContaining({ text: 'Link to a photo' }),
      }),
    );
    expect(textOf(view)).not.toContain('(optional)');

    const meta = JSON.stringify({ incidentId: f.incidentId });
    const bad = await app.send(
      viewSubmission(
        f.teacher,
        CALLBACK.commentModal,
        { [COMMENT_BLOCK.note]: undefined, [COMMENT_BLOCK.link]: 'javascript:alert(1)' },
        { privateMetadata: meta },
      ),
    );
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: {
        [COMMENT_BLOCK.note]: 'Write something to add.',
        [COMMENT_BLOCK.link]: 'That is not a web link: paste one that starts with https://',
      },
    });
    const good = await app.send(
      viewSubmission(
        f.teacher,
        CALLBACK.commentModal,
        {
          [COMMENT_BLOCK.note]: 'Still says No signal',
          [COMMENT_BLOCK.link]: 'https://photos.example.org/p/1',
        },
        { privateMetadata: meta },
      ),
    );
    expect(good.json()).toMatchObject({ response_action: 'update' });
    expect(textOf(good.json().view)).toContain('whoever is fixing it has been told');
    const comments = await eventsOf(f.incidentId, 'comment');
    expect(comments[0]?.data).toMatchObject({
      note: 'Still says No signal',
      link: 'https://photos.example.org/p/1',
    });
    const queued = (await tdb.db.select().from(outbox).where(eq(outbox.schoolId, f.schoolId))).filter(
      (r) => r.status === 'pending',
    );
    expect(queued.map((r) => r.message)).toContainEqual({
      type: 'person.notify',
      personId: f.techCtx.actor.personId,
      incidentId: f.incidentId,
      event: 'commented',
      eventId: comments[0]?.id,
    });
  });
});

describe('the teacher’s App Home', () => {
  it('lists their reports in plain words with the right buttons, and answers presses there', async () => {
    const f = await resolvedFault('Board pen not working');
    clock.set('2026-11-30T09:30:00Z');
    const open = must(
      await reportFault(f.teacherCtx, { summary: 'Laptop will not charge', urgency: 'this_week' }),
    );
    const closed = must(
      await reportFault(f.teacherCtx, { summary: 'Duplicate report', urgency: 'this_week' }),
    );
    const office = await ctxOf(f.office);
    clock.set('2026-11-30T10:00:00Z');
    must(await closeIncident(office, { incidentId: closed.incident.id, note: 'Duplicate of INC-1' }));
    clock.set('2026-11-30T09:15:00Z');
    await drain();

    const publish = expectApi('views.publish', { ok: true });
    await app.send(appHomeOpened(f.teacher));
    const home = (await until(() => publish.calls[0], 'home')).view as {
      blocks: Array<Record<string, unknown>>;
    };
    expect(publish.calls[0]?.user_id).toBe(f.teacher.userId);
    const at = (ts: string) => `<!date^${Date.parse(ts) / 1000}^{date_short_pretty} {time}|`;
    const sectionIndex = (ref: string) =>
      home.blocks.findIndex(
        (b) =>
          b.type === 'section' && (b.text as { text?: string } | undefined)?.text?.startsWith(`*${ref}*`),
      );
    // Newest open first: INC-2 (open), then INC-1 (fixed, waiting for an answer).
    const inc2 = sectionIndex('INC-2');
    const inc1 = sectionIndex('INC-1');
    expect(inc2).toBeGreaterThan(0);
    expect(inc1).toBeGreaterThan(inc2);
    expect(home.blocks[inc2]).toMatchObject({
      text: { text: expect.stringContaining('Waiting for someone to pick it up · reported ') },
      accessory: { action_id: ACTION.commentOpen, value: open.incident.id, text: { text: 'Add a comment' } },
    });
    expect(textOf(home.blocks[inc2])).toContain(at('2026-11-30T09:30:00Z'));
    expect(textOf(home.blocks[inc1])).toContain(at('2026-11-30T09:15:00Z'));
    expect(textOf(home.blocks[inc1])).toContain('Fixed — is it working now?');
    expect(home.blocks[inc1 + 1]).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: ACTION.reporterFixed, value: f.incidentId },
        { action_id: ACTION.reporterStillBroken, value: f.incidentId },
      ],
    });
    const text = textOf(home);
    expect(text).toContain('_Recently closed_');
    expect(text).toContain('*INC-3* — Duplicate report · closed ');
    // Add a comment only on the open fault: not on the fixed one, nor the closed one.
    expect(commentValues(home.blocks)).toEqual([open.incident.id]);
    expect(text).toContain('Report a fault');
    expect(text).not.toContain('Open queue');

    // "Fixed" pressed on the Home tab: the Home is published again with the answer on top.
    const again = expectApi('views.publish', { ok: true });
    await app.send(homeButton(f.teacher, ACTION.reporterFixed, f.incidentId));
    const refreshed = textOf((await until(() => again.calls[0], 'home again')).view);
    expect(refreshed).toContain(
      ':pray: Thanks for letting us know — *INC-1* — Board pen not working is closed.',
    );
    expect(refreshed).toContain('*INC-1* — Board pen not working · closed ');
    const refreshedView = (again.calls[0]?.view ?? { blocks: [] }) as {
      blocks: Array<Record<string, unknown>>;
    };
    expect(commentValues(refreshedView.blocks)).toEqual([open.incident.id]);
    expect((await getIncidentDetail(tdb.db, f.schoolId, f.incidentId))?.status).toBe('closed');
  });
});
