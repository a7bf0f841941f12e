/**
 * The satisfaction question through the real Bolt app, with Slack's own payload shapes: Fixed
 * pressed on the status DM asks 👍 / 👎 there; one press answers (kept once, with who had the
 * fault); the card's thread is told only that the reporter answered; "Add a comment" opens the
 * comment form, whose errors appear beside the field and whose submission is kept once; on the
 * App Home the same buttons answer, and the status DM follows.
 */
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, SATISFACTION_BLOCK } from '../../../src/bot/slack/ids';
import { setIncidentCard } from '../../../src/db/queries/incidents';
import { countPending } from '../../../src/db/queries/outbox';
import { recordStatusMessage } from '../../../src/db/queries/status-messages';
import { incidentRatings, outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { identifySlackUser } from '../../../src/domain/schools/identify';
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
const STATUS_TS = '1764494300.000100';
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

/** A fault the teacher reported and the technician resolved; its card and her status DM are posted. */
async function resolvedFault() {
  const s = await slackSchool(app);
  const teacher = await ctxOf(s.teacher);
  const tech = await ctxOf(s.tech);
  const { incident } = must(await reportFault(teacher, { summary: 'Projector in Room 4', urgency: 'today' }));
  const incidentId = incident.id;
  must(await claimIncident(tech, { incidentId }));
  await setIncidentCard(tdb.db, teacher.school.id, incidentId, s.channel, CARD_TS);
  must(await resolveIncident(tech, { incidentId, resolution: 'Reseated the HDMI cable' }));
  await recordStatusMessage(
    tdb.db,
    teacher.school.id,
    incidentId,
    teacher.actor.personId,
    { channel: DM, postedId: STATUS_TS, shown: 'before' },
    clock.now(),
  );
  await drain();
  return { ...s, schoolId: teacher.school.id, incidentId, teacherCtx: teacher, techCtx: tech };
}

type Blocks = Array<{
  type: string;
  elements?: Array<{ action_id: string; value?: string; text?: { text: string } }>;
}>;
const buttonsOf = (blocks: unknown) =>
  ((blocks ?? []) as Blocks)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((e) => [e.action_id, e.text?.text]));
const ratingsOf = (incidentId: string) =>
  tdb.db.select().from(incidentRatings).where(eq(incidentRatings.incidentId, incidentId));
const inDm = { channelId: DM, messageTs: STATUS_TS };

describe('in the status DM', () => {
  it('Fixed asks 👍 / 👎 there; one press answers, once; the thread hears only that she answered', async () => {
    const f = await resolvedFault();
    const fixed = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterFixed, f.incidentId, inDm));
    const asked = await until(() => fixed.calls[0], 'the status DM with the question');
    expect(asked).toMatchObject({ replace_original: true, text: 'Your fault INC-1 is closed' });
    expect(textOf(asked.blocks)).toContain('*Status:* Closed on Mon 30 Nov 2026');
    expect(textOf(asked.blocks)).toContain(
      '*One quick question:* are you happy with how *INC-1* was dealt with? Only the school office sees answers; the technician is not shown yours.',
    );
    expect(buttonsOf(asked.blocks)).toEqual([
      [ACTION.satisfactionUp, '👍 Yes'],
      [ACTION.satisfactionDown, '👎 No'],
    ]);
    await drain();

    // 👍, pressed on the status DM as Slack sends it: the message stays the status message, thanked.
    clock.set('2026-11-30T09:20:00Z');
    const up = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.satisfactionUp, f.incidentId, inDm));
    const thanked = await until(() => up.calls[0], 'thanked');
    expect(thanked).toMatchObject({ replace_original: true, text: 'Your fault INC-1 is closed' });
    expect(textOf(thanked.blocks)).toContain(
      ':pray: Thank you for your answer (👍). If you like, add a comment for the school office.',
    );
    expect(textOf(thanked.blocks)).toContain('*Status:* Closed on Mon 30 Nov 2026');
    expect(buttonsOf(thanked.blocks)).toEqual([[ACTION.satisfactionComment, 'Add a comment']]);
    expect(await ratingsOf(f.incidentId)).toEqual([
      expect.objectContaining({
        rating: 'up',
        personId: f.teacherCtx.actor.personId,
        assigneeId: f.techCtx.actor.personId,
        createdAt: new Date('2026-11-30T09:20:00Z'),
      }),
    ]);

    // The card's thread is told that she answered, in words that never carry the answer.
    const thread = expectApi(
      'chat.postMessage',
      { ok: true, channel: f.channel, ts: '9.1' },
      { match: (a: ApiArgs) => a.thread_ts === CARD_TS },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    const line = String(thread.calls[0]?.text);
    expect(line).toContain(`<@${f.teacher.userId}> answered the satisfaction question`);
    expect(line).not.toMatch(/👍|👎|:\+1:|thumbs|happy|\bup\b|\bdown\b/i);
    expect(textOf(thread.calls[0]?.blocks)).not.toMatch(/👍|👎/);

    // 👎 straight after (a change of mind, a double click): the first answer stands, nothing sent.
    const down = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.satisfactionDown, f.incidentId, inDm));
    expect(textOf((await until(() => down.calls[0], 'already')).blocks)).toContain(
      'You have already answered 👍 about *INC-1* — thank you.',
    );
    expect(await ratingsOf(f.incidentId)).toHaveLength(1);
    expect(await countPending(tdb.db, f.schoolId)).toBe(0);

    // Fixed pressed again on an old message: nothing is asked again.
    const again = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterFixed, f.incidentId, inDm));
    const second = await until(() => again.calls[0], 'fixed again');
    expect(textOf(second.blocks)).not.toContain('One quick question');
    expect(buttonsOf(second.blocks)).toEqual([[ACTION.satisfactionComment, 'Add a comment']]);
  });

  it('the thanks stays on her status DM when the fix’s own notice is delivered after her answers', async () => {
    const f = await resolvedFault();
    // The notice of the fix ("is it working now?") is still queued when she presses Fixed.
    const notices = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, f.schoolId));
    const resolvedNotice = notices.find(
      (r) => r.message.type === 'person.notify' && r.message.event === 'resolved',
    );
    if (!resolvedNotice) throw new Error('no notice of the fix');
    await tdb.db.update(outbox).set({ status: 'pending' }).where(eq(outbox.id, resolvedNotice.id));
    const fixed = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterFixed, f.incidentId, inDm));
    await until(() => fixed.calls[0], 'the question');
    const up = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.satisfactionUp, f.incidentId, inDm));
    expect(textOf((await until(() => up.calls[0], 'thanked')).blocks)).toContain(
      'Thank you for your answer (👍)',
    );
    // Now the outbox delivers: the card and its thread, and the notice's line in her status DM's
    // thread — but no update of the status DM itself, which keeps the thanks (an update would be
    // an unpinned call, and the delivery would fail and be retried).
    expectApi(
      'chat.update',
      { ok: true, channel: f.channel, ts: CARD_TS },
      { match: (a: ApiArgs) => a.channel === f.channel },
    );
    const cardThread = expectApi(
      'chat.postMessage',
      { ok: true, channel: f.channel, ts: '9.2' },
      { times: 2, match: (a: ApiArgs) => a.thread_ts === CARD_TS },
    );
    const step = expectApi(
      'chat.postMessage',
      { ok: true, channel: DM, ts: '9.3' },
      { match: (a: ApiArgs) => a.thread_ts === STATUS_TS },
    );
    expect(await app.dispatcher.runOnce()).toMatchObject({ retried: 0, dead: 0 });
    expect(cardThread.calls).toHaveLength(2);
    expect(textOf(step.calls[0]?.blocks)).toContain('has been fixed');
  });

  it('"Add a comment": the form, errors beside its field, kept once; the DM loses the button', async () => {
    const f = await resolvedFault();
    const fixed = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterFixed, f.incidentId, inDm));
    await until(() => fixed.calls[0], 'asked');
    const down = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.satisfactionDown, f.incidentId, inDm));
    await until(() => down.calls[0], 'answered');
    await drain();

    const opened = expectApi('views.open', { ok: true, view: { id: 'V0SATISF01' } });
    await app.send(blockAction(f.teacher, ACTION.satisfactionComment, f.incidentId, inDm));
    const view = (await until(() => opened.calls[0], 'form')).view as Record<string, unknown>;
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: CALLBACK.satisfactionComment,
      title: { text: 'Comment on INC-1' },
      private_metadata: JSON.stringify({ incidentId: f.incidentId }),
    });
    expect(view.blocks).toContainEqual(
      expect.objectContaining({
        type: 'input',
        block_id: SATISFACTION_BLOCK.comment,
        hint: expect.objectContaining({
          text: 'Only the school office sees answers; the technician is not shown yours.',
        }),
        element: expect.objectContaining({ type: 'plain_text_input', max_length: 500, multiline: true }),
      }),
    );
    expect(textOf(view)).toContain('You answered 👎 about *INC-1*');

    const meta = { privateMetadata: JSON.stringify({ incidentId: f.incidentId }) };
    const empty = await app.send(
      viewSubmission(
        f.teacher,
        CALLBACK.satisfactionComment,
        { [SATISFACTION_BLOCK.comment]: undefined },
        meta,
      ),
    );
    expect(empty.json()).toEqual({
      response_action: 'errors',
      errors: { [SATISFACTION_BLOCK.comment]: 'Write a comment, or press Cancel: the comment is optional.' },
    });
    const long = await app.send(
      viewSubmission(
        f.teacher,
        CALLBACK.satisfactionComment,
        { [SATISFACTION_BLOCK.comment]: 'x'.repeat(501) },
        meta,
      ),
    );
    expect(long.json()).toEqual({
      response_action: 'errors',
      errors: { [SATISFACTION_BLOCK.comment]: 'Keep it under 500 characters (this is 501).' },
    });

    // Sent: the form thanks her, and her status DM keeps the thanks without "Add a comment".
    const status = expectApi('chat.update', { ok: true, channel: DM, ts: STATUS_TS });
    const submission = viewSubmission(
      f.teacher,
      CALLBACK.satisfactionComment,
      { [SATISFACTION_BLOCK.comment]: 'It took three days' },
      { ...meta, viewId: 'V0SATISF01' },
    );
    const sent = await app.send(submission);
    expect(sent.json()).toMatchObject({ response_action: 'update', view: { title: { text: 'Thank you' } } });
    expect(textOf(sent.json().view)).toContain(
      'Thank you — your comment on *INC-1* is with the school office.',
    );
    const updated = await until(() => status.calls[0], 'status DM');
    expect(textOf(updated.blocks)).toContain(
      'Thank you for your answer (👎). Your comment is with the school office.',
    );
    expect(buttonsOf(updated.blocks)).toEqual([]);
    expect(await ratingsOf(f.incidentId)).toMatchObject([{ rating: 'down', comment: 'It took three days' }]);

    // Slack's retry of the same submission: the same answer, nothing recorded or updated again.
    const retried = await app.send(submission);
    expect(retried.json()).toMatchObject({
      response_action: 'update',
      view: { title: { text: 'Thank you' } },
    });
    // The button pressed again on an old copy: told, no form.
    const told = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.satisfactionComment, f.incidentId, inDm));
    expect(await until(() => told.calls[0], 'told')).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'You have already added a comment to your answer — thank you.',
    });
    expect(await countPending(tdb.db, f.schoolId)).toBe(0);
  });

  it('takes no answer from anyone but the reporter, nor from another school', async () => {
    const f = await resolvedFault();
    const fixed = expectResponseUrl(responsePath(f.teamId));
    await app.send(blockAction(f.teacher, ACTION.reporterFixed, f.incidentId, inDm));
    await until(() => fixed.calls[0], 'asked');
    await drain();
    for (const [who, action] of [
      [f.tech, ACTION.satisfactionUp],
      [f.office, ACTION.satisfactionDown],
      [f.admin, ACTION.satisfactionComment],
    ] as const) {
      const told = expectResponseUrl(responsePath(f.teamId));
      await app.send(blockAction(who, action, f.incidentId, { channelId: 'D0OTHER' }));
      expect(await until(() => told.calls[0], 'refusal')).toEqual({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Only the person who reported INC-1 can answer for it.',
      });
    }
    const elsewhere = await slackSchool(app, 'C0ELSEWHERE');
    const told = expectResponseUrl(responsePath(elsewhere.teamId));
    await app.send(blockAction(elsewhere.admin, ACTION.satisfactionUp, f.incidentId));
    expect((await until(() => told.calls[0], 'not found')).text).toBe(
      "I couldn't find that incident in your school.",
    );
    expect(await ratingsOf(f.incidentId)).toEqual([]);
    expect(await countPending(tdb.db, f.schoolId)).toBe(0);
  });
});

describe('on the App Home', () => {
  it('Fixed there shows the question on top of the Home; 👍 there answers, and the status DM follows', async () => {
    const f = await resolvedFault();
    const publish = expectApi('views.publish', { ok: true });
    const follows = expectApi('chat.update', { ok: true, channel: DM, ts: STATUS_TS });
    await app.send(homeButton(f.teacher, ACTION.reporterFixed, f.incidentId));
    const home = (await until(() => publish.calls[0], 'home')).view as { blocks: unknown };
    expect(textOf(home)).toContain('One quick question');
    expect(buttonsOf(home.blocks)).toEqual(
      expect.arrayContaining([
        [ACTION.satisfactionUp, '👍 Yes'],
        [ACTION.satisfactionDown, '👎 No'],
      ]),
    );
    expect(buttonsOf((await until(() => follows.calls[0], 'status DM')).blocks)).toEqual([
      [ACTION.satisfactionUp, '👍 Yes'],
      [ACTION.satisfactionDown, '👎 No'],
    ]);
    await drain();

    const thanks = expectApi('views.publish', { ok: true });
    const status = expectApi('chat.update', { ok: true, channel: DM, ts: STATUS_TS });
    await app.send(homeButton(f.teacher, ACTION.satisfactionUp, f.incidentId));
    expect(textOf((await until(() => thanks.calls[0], 'home thanks')).view)).toContain(
      'Thank you for your answer (👍)',
    );
    const dm = await until(() => status.calls[0], 'status DM thanks');
    expect(textOf(dm.blocks)).toContain('Thank you for your answer (👍)');
    expect(buttonsOf(dm.blocks)).toEqual([[ACTION.satisfactionComment, 'Add a comment']]);
    expect(await ratingsOf(f.incidentId)).toMatchObject([{ rating: 'up' }]);
  });
});
