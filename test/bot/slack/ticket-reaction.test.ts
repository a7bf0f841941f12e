/**
 * A ticket from any message, through the real Bolt app: signed `reaction_added` events, the
 * message read with `conversations.history` (or `conversations.replies` for a reply), the card,
 * the reporter's DM with "Add details", ✅ and the reference in the message's thread; reacting
 * again, someone who may not report, another emoji, and the school's own emoji.
 */
import { eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, FAULT_BLOCK, SETTINGS_BLOCK } from '../../../src/bot/slack/ids';
import { CANNOT_READ, NOT_A_MEMBER } from '../../../src/bot/slack/listeners/ticket-reaction';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { incidentEvents, incidents, outbox, people } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0 } from '../../support/factories';
import {
  assertAllCallsMade,
  expectApi,
  SLACK,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import {
  BOT_TOKEN,
  blockAction,
  reactionAdded,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { settle, until } from '../../support/wait';

let tdb: TestDatabase;
let app: SlackTestApp;
const clock = fixedClock(T0);

/**
 * Web API calls nothing was pinned for: none may be made (a history read, a post). Names, asked of
 * Slack at first contact and daily and never failing a request, are left to their own tests.
 */
const unpinned: string[] = [];
const recordUnpinned = (req: { path?: string }) => {
  // The Web API's paths (the app under test is served on /slack/events, never pinned).
  const path = req.path ?? '';
  if (path.startsWith('/api/') && !/users\.info|team\.info/.test(path)) unpinned.push(path);
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
  nock.emitter.on('no match', recordUnpinned);
});
afterAll(async () => {
  nock.emitter.removeListener('no match', recordUnpinned);
  await app?.stop();
  await tdb?.destroy();
});
afterEach(async () => {
  await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
  assertAllCallsMade();
  const stray = unpinned.splice(0);
  expect(stray).toEqual([]);
});

async function personId(who: Who): Promise<string> {
  const [row] = await tdb.db.select().from(people).where(eq(people.slackUserId, who.userId));
  if (!row) throw new Error(`no person ${who.userId}`);
  return row.id;
}

const STAFFROOM = 'C0STAFF001';
const MESSAGE_TS = '1764494000.000200';
const CARD_TS = '1764494180.000100';
const STATUS_TS = '1764494190.000100';
const TEXT =
  'The projector in Room 4 says &lt;No signal&gt; &amp; flickers\nI tried the other HDMI cable. cc <@U0OTHER1|sam>';

/**
 * `users.info` as Slack answers it for the people of the test: each of `members` in `teamId`,
 * anyone else as `other` says (a bot, or someone of another organisation). Asked for whoever
 * reacts, and for names.
 */
function pinPeople(teamId: string, other: Record<string, object> = {}) {
  const asked: string[] = [];
  nock(SLACK)
    .persist()
    .post('/api/users.info')
    .matchHeader('authorization', `Bearer ${BOT_TOKEN}`)
    .reply((_uri, body) => {
      const user = new URLSearchParams(String(body)).get('user') ?? '';
      asked.push(user);
      const extra = other[user] ?? {};
      return [
        200,
        {
          ok: true,
          user: {
            id: user,
            team_id: teamId,
            name: user.toLowerCase(),
            deleted: false,
            is_bot: false,
            profile: { display_name: '' },
            ...extra,
          },
        },
      ];
    });
  return asked;
}

/** `conversations.history` answering with the teacher's message, its arguments recorded. */
function pinHistory(teamId: string, author: Who | undefined, text = TEXT, ts = MESSAGE_TS) {
  return expectApi('conversations.history', {
    ok: true,
    messages: [
      {
        type: 'message',
        ts,
        text,
        ...(author ? { user: author.userId, team: teamId } : { bot_id: 'B0MONITOR', subtype: 'bot_message' }),
      },
    ],
    has_more: false,
  });
}

async function schoolId(teamId: string) {
  const school = await findSchoolBySlackTeam(tdb.db, teamId);
  if (!school) throw new Error('no school');
  return school.id;
}

async function incidentsOf(teamId: string) {
  return tdb.db
    .select()
    .from(incidents)
    .where(eq(incidents.schoolId, await schoolId(teamId)));
}

async function pendingOf(teamId: string) {
  const id = await schoolId(teamId);
  return (await tdb.db.select().from(outbox).where(eq(outbox.schoolId, id))).filter(
    (r) => r.status === 'pending',
  );
}

const buttons = (blocks: ReadonlyArray<Record<string, unknown>> = []) =>
  blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Array<{ action_id: string; value?: string }>).map((e) => e));

describe('reacting with 🎫', () => {
  it('makes the message an incident: the card, the author’s DM with Add details, ✅ and the reference in its thread', async () => {
    const s = await slackSchool(app);
    pinPeople(s.teamId);
    const history = pinHistory(s.teamId, s.teacher);
    await app.send(
      reactionAdded(s.office, 'ticket', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId),
    );
    const [made] = await until(async () => {
      const rows = await incidentsOf(s.teamId);
      return rows.length > 0 ? rows : undefined;
    }, 'the incident');
    // The message was read exactly: that ts, and nothing else.
    expect(history.calls[0]).toMatchObject({
      channel: STAFFROOM,
      latest: MESSAGE_TS,
      oldest: MESSAGE_TS,
      inclusive: 'true',
      limit: '1',
    });
    expect(made).toMatchObject({
      number: 1,
      summary: 'The projector in Room 4 says <No signal> & flickers',
      description:
        'The projector in Room 4 says <No signal> & flickers\nI tried the other HDMI cable. cc @sam',
      sourceChannel: STAFFROOM,
      sourceTs: MESSAGE_TS,
      priority: 'P3',
      status: 'new',
    });
    // The author reports it; the reactor is recorded, and did it.
    expect(made?.reporterId).toBe(await personId(s.teacher));
    expect(made?.reactedById).toBe(await personId(s.office));
    const [reported] = await tdb.db
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, made?.id ?? ''));
    expect(reported).toMatchObject({ kind: 'reported', actorId: await personId(s.office) });

    // The outbox: the card in the SPOC channel, the author's DM, the message marked.
    const card = expectApi(
      'chat.postMessage',
      { ok: true, channel: s.channel, ts: CARD_TS },
      {
        match: (a) => a.channel === s.channel,
      },
    );
    const dm = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: STATUS_TS },
      {
        match: (a) => a.channel === s.teacher.userId,
      },
    );
    const tick = expectApi('reactions.add', { ok: true });
    const reply = expectApi(
      'chat.postMessage',
      { ok: true, channel: STAFFROOM, ts: '1764494200.000100' },
      {
        match: (a) => a.channel === STAFFROOM,
      },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(textOf(card.calls[0]?.blocks)).toContain(
      'The projector in Room 4 says &lt;No signal&gt; &amp; flickers',
    );
    expect(tick.calls[0]).toMatchObject({
      channel: STAFFROOM,
      timestamp: MESSAGE_TS,
      name: 'white_check_mark',
    });
    expect(reply.calls[0]).toMatchObject({ channel: STAFFROOM, thread_ts: MESSAGE_TS });
    expect(textOf(reply.calls[0]?.blocks)).toContain('Logged as *INC-1*');
    expect(textOf(reply.calls[0]?.blocks)).toContain(`<@${s.teacher.userId}> will hear from me how it goes`);
    const status = dm.calls[0];
    expect(textOf(status?.blocks)).toContain('I logged this from your message in the chat');
    expect(buttons(status?.blocks).map((b) => [b.action_id, b.value])).toEqual([
      [ACTION.detailsOpen, made?.id],
      [ACTION.commentOpen, made?.id],
    ]);
  });

  it('marking the message: a ✅ already there is as good; a message deleted meanwhile is not retried', async () => {
    const s = await slackSchool(app);
    pinPeople(s.teamId);
    const SECOND_TS = '1764494050.000400';
    pinHistory(s.teamId, s.teacher);
    pinHistory(s.teamId, s.tech, 'Wifi down in the hall', SECOND_TS);
    await app.send(
      reactionAdded(s.office, 'ticket', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId),
    );
    await until(async () => ((await incidentsOf(s.teamId)).length === 1 ? true : undefined), 'the first');
    await app.send(reactionAdded(s.office, 'ticket', { channel: STAFFROOM, ts: SECOND_TS }, s.tech.userId));
    await until(async () => ((await incidentsOf(s.teamId)).length === 2 ? true : undefined), 'the second');
    expectApi(
      'chat.postMessage',
      { ok: true, channel: s.channel, ts: CARD_TS },
      {
        match: (a) => a.channel === s.channel,
        times: 2,
      },
    );
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0PEOPLE01', ts: STATUS_TS },
      {
        match: (a) => a.channel === s.teacher.userId || a.channel === s.tech.userId,
        times: 2,
      },
    );
    expectApi(
      'reactions.add',
      { ok: false, error: 'already_reacted' },
      {
        match: (a) => a.timestamp === MESSAGE_TS,
      },
    );
    expectApi(
      'reactions.add',
      { ok: false, error: 'message_not_found' },
      {
        match: (a) => a.timestamp === SECOND_TS,
      },
    );
    const reply = expectApi(
      'chat.postMessage',
      { ok: true, channel: STAFFROOM, ts: '1764494200.000100' },
      {
        match: (a) => a.channel === STAFFROOM,
      },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 5, retried: 0, dead: 1 });
    expect(reply.calls.map((c) => c.thread_ts)).toEqual([MESSAGE_TS]);
  });

  it('again, by anyone, later: nothing changes and nothing is said', async () => {
    const s = await slackSchool(app);
    const asked = pinPeople(s.teamId);
    pinHistory(s.teamId, s.teacher);
    await app.send(
      reactionAdded(s.office, 'ticket', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId),
    );
    await until(async () => ((await incidentsOf(s.teamId)).length > 0 ? true : undefined), 'the first');
    const reactors = [s.tech, s.teacher, s.office];
    const queued = (await pendingOf(s.teamId)).length;
    expect(queued).toBe(3);
    clock.set('2026-12-01T10:00:00Z');
    try {
      // No history is read, no message posted: the message is already an incident.
      const before = asked.length;
      for (const who of reactors) {
        await app.send(
          reactionAdded(who, ':ticket:', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId),
        );
      }
      // Each reactor is looked up; then nothing more is asked of Slack.
      await until(() => (asked.length >= before + reactors.length ? true : undefined), 'the reactors');
      await settle(() => asked.length + unpinned.length, 600);
      expect(await incidentsOf(s.teamId)).toHaveLength(1);
      expect(await pendingOf(s.teamId)).toHaveLength(queued);
    } finally {
      clock.set(T0);
    }
  });

  it('by someone of another organisation: they are told privately, and nothing is logged; a bot is not told', async () => {
    const s = await slackSchool(app);
    const guest: Who = { teamId: s.teamId, userId: 'U0GUEST001', userName: 'guest' };
    const bot: Who = { teamId: s.teamId, userId: 'U0ZAPIER01', userName: 'zapier' };
    pinPeople(s.teamId, {
      [guest.userId]: { team_id: 'T0OTHERORG', is_stranger: true },
      [bot.userId]: { is_bot: true },
    });
    const told = expectApi('chat.postEphemeral', { ok: true, message_ts: '1764494170.000300' });
    await app.send(reactionAdded(guest, 'ticket', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId));
    expect(await until(() => told.calls[0], 'the guest told')).toMatchObject({
      channel: STAFFROOM,
      user: guest.userId,
      text: NOT_A_MEMBER,
    });
    await app.send(reactionAdded(bot, 'ticket', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId));
    await settle(() => told.calls.length, 400);
    expect(told.calls).toHaveLength(1);
    expect(await incidentsOf(s.teamId)).toEqual([]);
  });

  it('another emoji, a DM with SPOC, SPOC’s own message: ignored without a word', async () => {
    const s = await slackSchool(app);
    // Nothing is pinned: any Web API call would fail the test.
    await app.send(
      reactionAdded(s.office, 'thumbsup', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId),
    );
    await app.send(
      reactionAdded(s.office, 'tickets', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId),
    );
    await app.send(
      reactionAdded(
        s.teacher,
        'ticket',
        { channel: 'D0TEACHER1', ts: MESSAGE_TS, channelType: 'im' },
        s.teacher.userId,
      ),
    );
    await app.send(reactionAdded(s.office, 'ticket', { channel: s.channel, ts: CARD_TS }, 'UBOT'));
    await settle(() => 0, 400);
    expect(await incidentsOf(s.teamId)).toEqual([]);
  });

  it('a reply in a thread is read from its thread and answered there; an app’s message is reported by the reactor', async () => {
    const s = await slackSchool(app);
    pinPeople(s.teamId);
    const REPLY_TS = '1764494100.000500';
    const history = expectApi('conversations.history', { ok: true, messages: [], has_more: false });
    const replies = expectApi('conversations.replies', {
      ok: true,
      messages: [
        {
          type: 'message',
          ts: MESSAGE_TS,
          thread_ts: MESSAGE_TS,
          text: 'Backup report',
          bot_id: 'B0MONITOR',
        },
        {
          type: 'message',
          ts: REPLY_TS,
          thread_ts: MESSAGE_TS,
          text: 'Backup failed on SRV-01',
          bot_id: 'B0MONITOR',
        },
      ],
      has_more: false,
    });
    await app.send(reactionAdded(s.tech, 'ticket', { channel: STAFFROOM, ts: REPLY_TS }));
    const [made] = await until(async () => {
      const rows = await incidentsOf(s.teamId);
      return rows.length > 0 ? rows : undefined;
    }, 'the incident');
    expect(history.calls).toHaveLength(1);
    expect(replies.calls[0]).toMatchObject({
      channel: STAFFROOM,
      ts: REPLY_TS,
      latest: REPLY_TS,
      inclusive: 'true',
    });
    expect(made).toMatchObject({ summary: 'Backup failed on SRV-01', sourceTs: REPLY_TS });
    expect(made?.reporterId).toBe(made?.reactedById);
    expect((await pendingOf(s.teamId)).map((r) => r.message)).toContainEqual({
      type: 'incident.source',
      incidentId: made?.id,
      threadTs: MESSAGE_TS,
    });
  });

  it('a message SPOC cannot read: the reactor is told, and nothing is logged', async () => {
    const s = await slackSchool(app);
    pinPeople(s.teamId);
    expectApi('conversations.history', { ok: false, error: 'not_in_channel' });
    const told = expectApi('chat.postEphemeral', { ok: true, message_ts: '1764494170.000300' });
    await app.send(
      reactionAdded(s.office, 'ticket', { channel: 'C0PRIVATE1', ts: MESSAGE_TS }, s.teacher.userId),
    );
    expect((await until(() => told.calls[0], 'told')).text).toBe(CANNOT_READ);
    expect(await incidentsOf(s.teamId)).toEqual([]);
  });
});

describe('the school’s own ticket emoji', () => {
  it('set in /spoc settings (checked beside the field), then only it makes tickets', async () => {
    const s = await slackSchool(app);
    // The form as the admin leaves it, but for the emoji.
    const fields = {
      [SETTINGS_BLOCK.dayStart]: '08:00',
      [SETTINGS_BLOCK.dayEnd]: '16:00',
      [SETTINGS_BLOCK.P1_respond]: '30m',
      [SETTINGS_BLOCK.P1_resolve]: '4h',
      [SETTINGS_BLOCK.P2_respond]: '2h',
      [SETTINGS_BLOCK.P2_resolve]: '1 day',
      [SETTINGS_BLOCK.P3_respond]: '1 day',
      [SETTINGS_BLOCK.P3_resolve]: '3 days',
      [SETTINGS_BLOCK.P4_respond]: '3 days',
      [SETTINGS_BLOCK.P4_resolve]: '10 days',
      [SETTINGS_BLOCK.paymentDueSoonDays]: '7',
      [SETTINGS_BLOCK.contractNoticeDays]: '60, 30, 7',
      [SETTINGS_BLOCK.contractEndDays]: '30',
      [SETTINGS_BLOCK.licenceExpiryDays]: '60, 30',
      [SETTINGS_BLOCK.warrantyDays]: '30',
      [SETTINGS_BLOCK.ticketEmoji]: 'red alert!',
    };
    const bad = await app.send(viewSubmission(s.admin, CALLBACK.settingsModal, fields));
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: { [SETTINGS_BLOCK.ticketEmoji]: expect.stringContaining('lower-case letters, digits') },
    });
    const good = await app.send(
      viewSubmission(s.admin, CALLBACK.settingsModal, { ...fields, [SETTINGS_BLOCK.ticketEmoji]: ':sos:' }),
    );
    expect(good.json()).toMatchObject({ response_action: 'update' });

    await app.send(
      reactionAdded(s.office, 'ticket', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId),
    );
    await settle(() => 0, 400);
    expect(await incidentsOf(s.teamId)).toEqual([]);

    pinPeople(s.teamId);
    pinHistory(s.teamId, s.teacher);
    await app.send(reactionAdded(s.office, 'sos', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId));
    await until(async () => ((await incidentsOf(s.teamId)).length === 1 ? true : undefined), 'the ticket');
  });
});

describe('Add details', () => {
  it('opens the fault form filled in; its submit updates that incident, once; later it is refused', async () => {
    const s = await slackSchool(app);
    pinPeople(s.teamId);
    pinHistory(s.teamId, s.teacher);
    await app.send(
      reactionAdded(s.office, 'ticket', { channel: STAFFROOM, ts: MESSAGE_TS }, s.teacher.userId),
    );
    const [made] = await until(async () => {
      const rows = await incidentsOf(s.teamId);
      return rows.length > 0 ? rows : undefined;
    }, 'the incident');
    const incidentId = made?.id ?? '';

    const opened = expectApi('views.open', { ok: true, view: { id: 'V0DETAILS1' } });
    await app.send(blockAction(s.teacher, ACTION.detailsOpen, incidentId, { channelId: 'D0TEACHER1' }));
    const view = (await until(() => opened.calls[0], 'the form')).view as {
      callback_id: string;
      title: { text: string };
      private_metadata: string;
      blocks: Array<{ block_id?: string; element?: { initial_value?: string } }>;
    };
    expect(view.callback_id).toBe(CALLBACK.faultDetails);
    expect(view.title.text).toBe('Add details');
    const initial = Object.fromEntries(view.blocks.map((b) => [b.block_id, b.element?.initial_value]));
    expect(initial[FAULT_BLOCK.summary]).toBe('The projector in Room 4 says <No signal> & flickers');
    expect(initial[FAULT_BLOCK.description]).toContain('I tried the other HDMI cable.');

    const submit = () =>
      app.send(
        viewSubmission(
          s.teacher,
          CALLBACK.faultDetails,
          {
            [FAULT_BLOCK.summary]: 'Projector in Room 4: no signal',
            [FAULT_BLOCK.description]: 'From every laptop',
            [FAULT_BLOCK.urgency]: { option: 'lesson_stopped' },
          },
          { viewId: 'V0DETAILS1', privateMetadata: view.private_metadata },
        ),
      );
    const saved = await submit();
    expect(saved.json()).toMatchObject({
      response_action: 'update',
      view: { title: { text: 'Details added' } },
    });
    expect(await submit()).toMatchObject({ status: 200 });
    const rows = await incidentsOf(s.teamId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: incidentId,
      summary: 'Projector in Room 4: no signal',
      urgency: 'lesson_stopped',
      priority: 'P2',
    });
    const events = await tdb.db
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, incidentId));
    expect(events.map((e) => e.kind)).toEqual(['reported', 'details_added']);

    // Someone else's press is refused privately.
    const refusal = nock('https://hooks.slack.com').post(/.*/).reply(200, 'ok');
    await app.send(blockAction(s.office, ACTION.detailsOpen, incidentId));
    await until(() => (refusal.isDone() ? true : undefined), 'the refusal');
  });
});
