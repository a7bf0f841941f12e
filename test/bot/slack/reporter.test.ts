/**
 * The reporter's side through the real Bolt app: "Fixed" / "Still broken" in the DM, the
 * comment form, auto-close after 5 school days, and the teacher's App Home.
 */
import { and, eq, ne } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, COMMENT_BLOCK } from '../../../src/bot/slack/ids';
import { getIncidentDetail, setIncidentCard } from '../../../src/db/queries/incidents';
import { countPending, enqueue } from '../../../src/db/queries/outbox';
import { incidentEvents, outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
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

describe('the resolved DM', () => {
  it('asks the reporter "Fixed" or "Still broken", in plain words', async () => {
    const f = await resolvedFault();
    const card = expectApi('chat.update', { ok: true, channel: f.channel, ts: CARD_TS });
    const thread = expectApi(
      'chat.postMessage',
      { ok: true, channel: f.channel, ts: '2.1' },
      { match: inThread },
    );
    const dm = expectApi(
      'chat.postMessage',
      { ok: true, channel: DM, ts: '2.2' },
      { match: toUser(f.teacher) },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(card.calls).toHaveLength(1);
    expect(thread.calls).toHaveLength(1);
    expect(String(thread.calls[0]?.reply_broadcast)).toBe('false');
    const blocks = dm.calls[0]?.blocks ?? [];
    expect(textOf(blocks)).toContain('has been fixed');
    expect(textOf(blocks)).toContain('Reseated the HDMI cable');
    expect(textOf(blocks)).toContain("If I don't hear from you, I'll close it after 5 school days.");
    expect(blocks.at(-1)).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: ACTION.reporterFixed, value: f.incidentId, text: { text: 'Fixed' } },
        { action_id: ACTION.reporterStillBroken, value: f.incidentId, text: { text: 'Still broken' } },
      ],
    });
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
    expect(reply).toEqual({
      replace_original: true,
      text: 'INC-1 is closed',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':pray: Thanks for letting us know — *INC-1* — Projector in Room 4 has no signal is closed.',
          },
        },
      ],
    });
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
    expect((await until(() => again.calls[0], 'second answer')).text).toBe('INC-1 is closed');
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

    const sendsAfterChange = async (ts: string) => {
      expectApi('chat.update', { ok: true, channel: s.channel, ts: CARD_TS });
      expectApi('chat.postMessage', { ok: true, channel: s.channel, ts: `${ts}.1` }, { match: inThread });
      const dm = expectApi(
        'chat.postMessage',
        { ok: true, channel: DM, ts: `${ts}.2` },
        { match: toUser(s.teacher) },
      );
      expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
      return dm.calls[0]?.blocks ?? [];
    };

    must(await claimIncident(tech, { incidentId }));
    const claimed = await sendsAfterChange('5');
    expect(textOf(claimed)).toContain('is now working on your fault');
    expect(commentValues(claimed)).toEqual([incidentId]);

    must(await closeIncident(office, { incidentId, note: 'Duplicate of another report' }));
    const closed = await sendsAfterChange('6');
    expect(textOf(closed)).toContain('was closed without a fix: Duplicate of another report');
    expect(commentValues(closed)).toEqual([]);
    expect(closed.some((b) => b.type === 'actions')).toBe(false);

    // A notice that reaches the reporter only once the fault is closed (sent late): no button.
    await enqueue(
      tdb.db,
      teacher.school.id,
      [{ type: 'person.notify', personId: teacher.actor.personId, incidentId, event: 'claimed' }],
      clock.now(),
    );
    const late = expectApi(
      'chat.postMessage',
      { ok: true, channel: DM, ts: '7.1' },
      { match: toUser(s.teacher) },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(textOf(late.calls[0]?.blocks)).toContain('is now working on your fault');
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
