/**
 * Out of hours, through the real Bolt app with the Web API pinned by nock: the service's hours in
 * the SPOC channel's topic (at setup and when the hours change), the on-call person chosen with
 * Slack's user picker in the settings form, a P1 out of school time told to them once, and the
 * reporter told when the office will see a fault reported out of hours.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, SETTINGS_BLOCK } from '../../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { incidentEvents, outbox, people } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { ON_CALL_FIELD, ON_CALL_NOBODY_FIELD } from '../../../src/domain/forms/settings';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { triageIncident } from '../../../src/domain/incidents/triage-incident';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { uniqueId } from '../../support/factories';
import {
  type ApiArgs,
  assertAllCallsMade,
  expectApi,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import { blockAction, slashCommand, viewSubmission, type Who } from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

// Saturday 5 December 2026, 11:00 in London (GMT): out of school time.
const SATURDAY = '2026-12-05T11:00:00Z';
// Monday 30 November 2026, 09:15: school time.
const MONDAY_MORNING = '2026-11-30T09:15:00Z';
const clock = fixedClock(SATURDAY);
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
  clock.set(SATURDAY);
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

async function schoolRow(teamId: string) {
  const row = await findSchoolBySlackTeam(tdb.db, teamId);
  if (!row) throw new Error('no school');
  return row;
}

type StateValue = Parameters<typeof viewSubmission>[2][string];

/** The settings form as an admin leaves it, with `changes` over it (the on-call picker left empty). */
function form(changes: Record<string, StateValue> = {}): Record<string, StateValue> {
  return {
    [SETTINGS_BLOCK.dayStart]: '08:00',
    [SETTINGS_BLOCK.dayEnd]: '16:00',
    [ON_CALL_FIELD]: { user: null as unknown as string },
    [ON_CALL_NOBODY_FIELD]: { checked: [] },
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
    ...changes,
  };
}

const pendingOf = async (schoolId: string, type: string) =>
  tdb.db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.schoolId, schoolId),
        eq(outbox.status, 'pending'),
        sql`${outbox.message}->>'type' = ${type}`,
      ),
    );

const TOPIC = 'ICT help: Mon–Fri 08:00–16:00 in term time · /fault to report';

describe("the SPOC channel's topic", () => {
  /** `/spoc setup` in a new workspace, as its first admin. */
  async function setUp(channel: string) {
    const admin: Who = { teamId: uniqueId('T'), userId: uniqueId('U'), userName: 'head' };
    await app.install(admin.teamId);
    const res = await app.send(slashCommand(admin, '/spoc', 'setup', channel));
    return { admin, text: String(res.json().text) };
  }

  it('shows the service hours once setup is done, set through the outbox; the answer says them', async () => {
    const { text } = await setUp('C0TOPIC001');
    expect(text).toContain(
      "ICT help hours: Mon–Fri 08:00–16:00 in term time. A fault reported outside them is seen when the office next opens; a P1 goes to the person on call, if the settings name one. The channel's topic shows these hours.",
    );
    const topic = expectApi('conversations.setTopic', { ok: true, channel: { id: 'C0TOPIC001' } });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(topic.calls).toHaveLength(1);
    expect(topic.calls[0]).toMatchObject({ channel: 'C0TOPIC001', topic: TOPIC });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
  });

  it('follows new hours saved in the settings form; other changes leave it alone', async () => {
    const s = await slackSchool(app);
    await drain();
    const school = await schoolRow(s.teamId);
    const targets = await app.send(
      viewSubmission(s.admin, CALLBACK.settingsModal, form({ [SETTINGS_BLOCK.P1_respond]: '15m' })),
    );
    expect(targets.json()).toMatchObject({ response_action: 'update' });
    expect(await pendingOf(school.id, 'channel.topic')).toHaveLength(0);

    const hours = await app.send(
      viewSubmission(
        s.admin,
        CALLBACK.settingsModal,
        form({ [SETTINGS_BLOCK.dayStart]: '08:30', [SETTINGS_BLOCK.dayEnd]: '15:30' }),
      ),
    );
    expect(hours.json()).toMatchObject({ response_action: 'update' });
    const topic = expectApi('conversations.setTopic', { ok: true, channel: { id: s.channel } });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(topic.calls[0]).toMatchObject({
      channel: s.channel,
      topic: 'ICT help: Mon–Fri 08:30–15:30 in term time · /fault to report',
    });
  });

  it('is not tried again on a workspace installed before SPOC asked for the topic scope', async () => {
    const { admin } = await setUp('C0TOPIC002');
    expectApi('conversations.setTopic', {
      ok: false,
      error: 'missing_scope',
      needed: 'channels:write.topic',
    });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 0, dead: 1 });
    const school = await schoolRow(admin.teamId);
    expect(await pendingOf(school.id, 'channel.topic')).toHaveLength(0);
  });
});

describe('the on-call person in the settings form', () => {
  type OpenedView = {
    callback_id: string;
    blocks: Array<{ block_id?: string; element?: Record<string, unknown>; label?: { text: string } }>;
  };

  async function openForm(s: Awaited<ReturnType<typeof slackSchool>>): Promise<OpenedView> {
    const opened = expectApi('views.open', { ok: true, view: { id: 'V0SETTINGS' } });
    await app.send(blockAction(s.admin, ACTION.settingsEdit, 'edit'));
    return (await until(() => opened.calls[0], 'form')).view as OpenedView;
  }

  it("is chosen with Slack's user picker, refused unless staff, and cleared with Nobody", async () => {
    const s = await slackSchool(app);
    await drain();
    const school = await schoolRow(s.teamId);

    const view = await openForm(s);
    const picker = view.blocks.find((b) => b.block_id === ON_CALL_FIELD);
    expect(picker).toMatchObject({
      type: 'input',
      optional: true,
      label: { text: 'On call for P1s out of school time' },
      element: { type: 'users_select', action_id: ACTION.input },
    });
    expect(picker?.element).not.toHaveProperty('initial_user');
    expect(view.blocks.find((b) => b.block_id === ON_CALL_NOBODY_FIELD)?.element).toMatchObject({
      type: 'checkboxes',
    });

    // A teacher cannot be on call: refused beside the picker, nothing saved.
    const teacher = await app.send(
      viewSubmission(s.admin, CALLBACK.settingsModal, form({ [ON_CALL_FIELD]: { user: s.teacher.userId } })),
    );
    expect(teacher.json()).toEqual({
      response_action: 'errors',
      errors: {
        [ON_CALL_FIELD]:
          'The person on call must be a technician, office member or admin: give them a role first.',
      },
    });
    // Someone SPOC has never seen is recorded as a teacher, so refused too, and not left behind.
    const stranger = await app.send(
      viewSubmission(s.admin, CALLBACK.settingsModal, form({ [ON_CALL_FIELD]: { user: 'U0STRANGER' } })),
    );
    expect(stranger.json()).toMatchObject({ response_action: 'errors' });
    const strangers = await tdb.db
      .select()
      .from(people)
      .where(and(eq(people.schoolId, school.id), eq(people.slackUserId, 'U0STRANGER')));
    expect(strangers).toHaveLength(0);
    // Office staff cannot change it, whatever the payload says.
    const crafted = await app.send(
      viewSubmission(s.office, CALLBACK.settingsModal, form({ [ON_CALL_FIELD]: { user: s.tech.userId } })),
    );
    expect(crafted.json()).toMatchObject({ response_action: 'errors' });
    expect((await schoolRow(s.teamId)).onCallPersonId).toBeNull();

    // The technician: saved, shown in the settings, and the form opens on them.
    const saved = await app.send(
      viewSubmission(s.admin, CALLBACK.settingsModal, form({ [ON_CALL_FIELD]: { user: s.tech.userId } })),
    );
    expect(saved.json()).toMatchObject({ response_action: 'update' });
    expect(textOf(saved.json().view)).toContain('Settings saved (1 changed)');
    const [tech] = await tdb.db
      .select()
      .from(people)
      .where(and(eq(people.schoolId, school.id), eq(people.slackUserId, s.tech.userId)));
    expect((await schoolRow(s.teamId)).onCallPersonId).toBe(tech?.id);
    const shown = await app.send(slashCommand(s.office, '/spoc', 'settings'));
    expect(textOf(shown.json().blocks)).toContain(
      `*Out of hours*: the service's hours are Mon–Fri 08:00–16:00 in term time; a fault reported outside them is seen when the office next opens. A P1 out of hours goes at once to <@${s.tech.userId}> (on call).`,
    );
    const reopened = await openForm(s);
    expect(reopened.blocks.find((b) => b.block_id === ON_CALL_FIELD)?.element).toMatchObject({
      initial_user: s.tech.userId,
    });

    // Slack's picker still names them, but "Nobody" clears it.
    const cleared = await app.send(
      viewSubmission(
        s.admin,
        CALLBACK.settingsModal,
        form({ [ON_CALL_FIELD]: { user: s.tech.userId }, [ON_CALL_NOBODY_FIELD]: { checked: ['true'] } }),
      ),
    );
    expect(textOf(cleared.json().view)).toContain('Settings saved (1 changed)');
    expect((await schoolRow(s.teamId)).onCallPersonId).toBeNull();
    expect(textOf((await app.send(slashCommand(s.office, '/spoc', 'settings'))).json().blocks)).toContain(
      'Nobody is on call: a P1 out of hours waits for the office.',
    );
  });
});

describe('a fault reported out of school time', () => {
  const CARD_TS = '1764932400.000100';
  const toUser = (who: Who) => (args: ApiArgs) => args.channel === who.userId;

  /** A school with the technician on call (chosen in the settings form), its topic already set. */
  async function schoolWithOnCall() {
    const s = await slackSchool(app);
    const saved = await app.send(
      viewSubmission(s.admin, CALLBACK.settingsModal, form({ [ON_CALL_FIELD]: { user: s.tech.userId } })),
    );
    expect(saved.json()).toMatchObject({ response_action: 'update' });
    await drain();
    return s;
  }

  it('tells the reporter when the office will see it; a P2 wakes nobody', async () => {
    const s = await schoolWithOnCall();
    const teacher = await ctxOf(s.teacher);
    must(await reportFault(teacher, { summary: 'Library printer jammed', urgency: 'today' }));
    expectApi(
      'chat.postMessage',
      { ok: true, channel: s.channel, ts: CARD_TS },
      { match: (a) => a.channel === s.channel },
    );
    const status = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764932400.000200' },
      { match: toUser(s.teacher) },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    const said = textOf(status.calls[0]?.blocks);
    expect(said).toContain('*Status:* Reported — waiting for someone to pick it up');
    expect(said).toContain(
      'It was reported out of school time: the office will see it on *Mon 7 Dec 2026 at 08:00*.',
    );
    expect(said).not.toContain('person on call');
  });

  it('says nothing of it in school time', async () => {
    clock.set(MONDAY_MORNING);
    const s = await schoolWithOnCall();
    const teacher = await ctxOf(s.teacher);
    must(
      await reportFault(teacher, {
        summary: 'Whole school Wi-Fi down',
        impact: 'whole_school',
        urgency: 'lesson_stopped',
      }),
    );
    expectApi(
      'chat.postMessage',
      { ok: true, channel: s.channel, ts: CARD_TS },
      { match: (a) => a.channel === s.channel },
    );
    const status = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764932400.000200' },
      { match: toUser(s.teacher) },
    );
    // A P1 in school time: the card and the reporter's message; the on-call person is not woken.
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect(textOf(status.calls[0]?.blocks)).not.toContain('out of school time');
  });

  it('as a P1, goes to the on-call person at once, once, with a link to its card', async () => {
    const s = await schoolWithOnCall();
    const teacher = await ctxOf(s.teacher);
    const { incident } = must(
      await reportFault(teacher, {
        summary: 'Whole school Wi-Fi down',
        impact: 'whole_school',
        urgency: 'lesson_stopped',
      }),
    );
    expect(incident.priority).toBe('P1');
    expectApi(
      'chat.postMessage',
      { ok: true, channel: s.channel, ts: CARD_TS },
      { match: (a) => a.channel === s.channel },
    );
    const status = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764932400.000200' },
      { match: toUser(s.teacher) },
    );
    expectApi('chat.getPermalink', {
      ok: true,
      permalink: `https://hillside.slack.com/archives/${s.channel}/p1764932400000100`,
    });
    const onCall = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TECH0001', ts: '1764932400.000300' },
      { match: toUser(s.tech) },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    const page = onCall.calls[0];
    expect(page?.text).toBe('P1 out of school time: INC-1');
    expect(textOf(page?.blocks)).toContain(
      `*P1 out of school time:* *INC-1* — Whole school Wi-Fi down, reported by <@${s.teacher.userId}>.`,
    );
    expect(textOf(page?.blocks)).toContain(
      `<https://hillside.slack.com/archives/${s.channel}/p1764932400000100|Open the card>`,
    );
    expect(textOf(status.calls[0]?.blocks)).toContain(
      'the office will see it on *Mon 7 Dec 2026 at 08:00*. It is urgent, so the person on call has been told now.',
    );

    // Triaged again as a P1 out of hours (P1 → P2 → P1): they were told already, so not again.
    const office = await ctxOf(s.office);
    const triage = (urgency: 'lesson_stopped' | 'this_week') =>
      triageIncident(office, {
        incidentId: incident.id,
        impact: 'whole_school',
        urgency,
        category: 'network',
      });
    must(await triage('this_week'));
    must(await triage('lesson_stopped'));
    const told = await tdb.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.schoolId, incident.schoolId), sql`${outbox.message}->>'event' = 'on_call'`));
    expect(told).toHaveLength(1);
  });

  it('triaged to P1 out of hours, goes to the on-call person then, once; not when they triage it themselves', async () => {
    const s = await schoolWithOnCall();
    const teacher = await ctxOf(s.teacher);
    const { incident } = must(
      await reportFault(teacher, { summary: 'Hall projector dead', urgency: 'this_week' }),
    );
    await drain();
    const office = await ctxOf(s.office);
    const triage = () =>
      triageIncident(office, {
        incidentId: incident.id,
        impact: 'whole_school',
        urgency: 'lesson_stopped',
        category: 'av',
      });
    const first = must(await triage());
    expect(first.incident.priority).toBe('P1');
    must(await triage());
    const told = await tdb.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.schoolId, incident.schoolId), sql`${outbox.message}->>'event' = 'on_call'`));
    expect(told.map((r) => r.message)).toEqual([
      expect.objectContaining({ type: 'person.notify', incidentId: incident.id, event: 'on_call' }),
    ]);
    // The history records who was told.
    const triaged = await tdb.db
      .select()
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, incident.id), eq(incidentEvents.kind, 'triaged')));
    expect(triaged.map((e) => e.data.onCallTold ?? null)).toEqual([told[0]?.message.personId, null]);

    // The on-call technician triaging a P1 themselves needs no message about it.
    const another = must(await reportFault(teacher, { summary: 'Server room alarm', urgency: 'this_week' }));
    const tech = await ctxOf(s.tech);
    await tdb.db.execute(sql`update people set role = 'office' where id = ${tech.actor.personId}`);
    const techOffice = await ctxOf(s.tech);
    must(
      await triageIncident(techOffice, {
        incidentId: another.incident.id,
        impact: 'whole_school',
        urgency: 'lesson_stopped',
        category: 'network',
      }),
    );
    const second = await tdb.db
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.schoolId, incident.schoolId),
          sql`${outbox.message}->>'incidentId' = ${another.incident.id}`,
        ),
      );
    expect(second.map((r) => r.message.event).filter(Boolean)).toEqual(['reported']);
  });
});
