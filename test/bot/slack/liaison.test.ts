/**
 * Liaison through the real Bolt app: forward, escalate (provider channel or email), provider
 * update, chase reminders, on hold pausing the SLA, the reporter's comment, and role checks.
 */
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, FORWARD_BLOCK } from '../../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { escalations, incidentEvents, incidents, outbox } from '../../../src/db/schema';
import { incidentAnswer } from '../../../src/domain/answers/incidents';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { commentOnIncident, replyToReporter } from '../../../src/domain/incidents/comment-incident';
import type { Impact, Urgency } from '../../../src/domain/incidents/priority';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { triageIncident } from '../../../src/domain/incidents/triage-incident';
import { cardActions } from '../../../src/domain/presenters/incident-card';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
import { FORBIDDEN } from '../../../src/domain/roles';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { silentLogger } from '../../../src/log';
import { runReminderPass } from '../../../src/worker/reminder-pass';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { uniqueId } from '../../support/factories';
import { incidentDetail } from '../../support/incident-detail';
import {
  type ApiArgs,
  assertAllCallsMade,
  expectApi,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import {
  API_APP_ID,
  blockAction,
  RESPONSE_URL_HOST,
  responsePath,
  sign,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

const MONDAY = '2027-03-01T09:00:00Z'; // school time (UK winter: 09:00 local)
const clock = fixedClock(MONDAY);
const CARD_TS = '1772355600.000100';
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
afterEach(() => {
  clock.set(MONDAY);
  assertAllCallsMade();
});

type School = Awaited<ReturnType<typeof school>>;

async function school() {
  const spoc = uniqueId('C');
  const s = await slackSchool(app, spoc);
  const ctxOf = async (who: Who): Promise<Ctx> => {
    const found = await identifySlackUser(tdb.db, clock, {
      teamId: s.teamId,
      userId: who.userId,
      userName: who.userName,
    });
    return { db: tdb.db, clock, actor: found.actor };
  };
  return {
    ...s,
    spoc,
    office: { ...s.office },
    officeCtx: await ctxOf(s.office),
    techCtx: await ctxOf(s.tech),
    teacherCtx: await ctxOf(s.teacher),
  };
}

/** A fault reported by the teacher, with its card posted in the SPOC channel and the reporter's DM sent. */
async function reported(s: School, impact: Impact = 'room', urgency: Urgency = 'today') {
  const incident = must(
    await reportFault(s.teacherCtx, {
      summary: 'Projector has no picture',
      description: 'Blue screen, then nothing',
      locationId: undefined,
      urgency,
      impact,
    }),
  ).incident;
  expectApi(
    'chat.postMessage',
    { ok: true, channel: s.spoc, ts: CARD_TS },
    { match: (a) => a.channel === s.spoc },
  );
  expectApi(
    'chat.postMessage',
    { ok: true, channel: 'D1', ts: '1.1' },
    { match: (a) => a.channel === s.teacher.userId },
  );
  await app.dispatcher.runOnce();
  return incident;
}

async function addCounty(s: School, chatChannel: string, hours: number | null) {
  const provider = must(
    await addProvider(s.officeCtx, {
      name: 'County ICT',
      level: 'second',
      contactName: 'Jo Helpdesk',
      email: 'help@county.example',
      phone: '01234 567890',
      chatChannel,
      notes: '',
    }),
  );
  must(
    await addContract(s.officeCtx, {
      providerId: provider.id,
      title: 'ICT support',
      service: '',
      startDate: '2026-09-01',
      endDate: '2027-08-31',
      noticeDays: 30,
      autoRenews: false,
      valuePence: null,
      responseTargetHours: hours,
      notes: '',
    }),
  );
  return provider;
}

/** Opens a card form: the button press, and the modal Slack was asked to open. */
async function openForm(who: Who, actionId: string, incidentId: string, through = app) {
  const open = expectApi('views.open', { ok: true });
  await through.send(blockAction(who, actionId, incidentId));
  return (await until(() => open.calls[0], `${actionId} form`)).view!;
}

function respondCapture(teamId: string, times = 1) {
  const said: Array<Record<string, unknown>> = [];
  nock(RESPONSE_URL_HOST)
    .post(responsePath(teamId))
    .times(times)
    .reply((_uri, body) => {
      said.push(body as Record<string, unknown>);
      return [200, 'ok'];
    });
  return said;
}

/** An option chosen from the card's overflow menu, as Slack sends it. */
function overflowChoice(who: Who, value: string) {
  const payload = {
    type: 'block_actions',
    user: { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId },
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: CARD_TS, channel_id: 'C0SPOC0001', is_ephemeral: false },
    trigger_id: '2222.42.overflow',
    team: { id: who.teamId, domain: 'hillside-primary' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: 'C0SPOC0001', name: 'ict-spoc' },
    message: { type: 'message', user: 'UBOT', ts: CARD_TS, bot_id: 'BBOT', text: 'card', blocks: [] },
    state: { values: {} },
    response_url: `${RESPONSE_URL_HOST}${responsePath(who.teamId)}`,
    actions: [
      {
        type: 'overflow',
        action_id: ACTION.cardMore,
        block_id: 'incident_actions',
        selected_option: { text: { type: 'plain_text', text: 'Put on hold', emoji: true }, value },
        action_ts: '1764494160.654321',
      },
    ],
  };
  return sign(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
}

async function incidentRow(id: string) {
  const [row] = await tdb.db.select().from(incidents).where(eq(incidents.id, id));
  if (!row) throw new Error('incident gone');
  return row;
}

/**
 * Pins the card update, its thread line and any DMs, delivers, and returns what was sent. The
 * reporter's DM is their fault's status message (posted in `reported`), updated in place, with
 * the step in its thread: what they are told is both.
 */
async function deliverChange(s: School, dms: Who[] = []) {
  const update = expectApi(
    'chat.update',
    { ok: true, channel: s.spoc, ts: CARD_TS },
    { match: (a) => a.channel === s.spoc },
  );
  const thread = expectApi(
    'chat.postMessage',
    { ok: true, channel: s.spoc, ts: '1772355600.000900' },
    { match: (a) => a.channel === s.spoc && a.thread_ts === CARD_TS },
  );
  const sent = dms.map((who) =>
    who.userId === s.teacher.userId
      ? [
          expectApi(
            'chat.update',
            { ok: true, channel: 'D1', ts: '1.1' },
            { match: (a) => a.channel === 'D1' },
          ),
          expectApi(
            'chat.postMessage',
            { ok: true, channel: 'D1', ts: '1.2' },
            { match: (a) => a.thread_ts === '1.1' },
          ),
        ]
      : [
          expectApi(
            'chat.postMessage',
            { ok: true, channel: 'D2', ts: '2.2' },
            { match: (a) => a.channel === who.userId },
          ),
        ],
  );
  await app.dispatcher.runOnce();
  return {
    card: textOf(update.calls[0]?.blocks),
    cardBlocks: update.calls[0]?.blocks ?? [],
    thread: String(thread.calls[0]?.text ?? ''),
    dms: sent.map((pinned) => pinned.map((d) => textOf(d.calls[0]?.blocks)).join('\n')),
  };
}

describe('chase reminder', () => {
  // First in the file: the reminder pass runs for every school with a SPOC channel.
  it('posts Chase once the provider’s response target passes in school time; pressing it chases them in their channel', async () => {
    const s = await school();
    const incident = await reported(s, 'person', 'this_week'); // P4: no SLA reminders get in the way
    const county = await addCounty(s, 'C0COUNTY01', 8);
    must(
      await triageIncident(s.officeCtx, {
        incidentId: incident.id,
        impact: 'person',
        urgency: 'this_week',
        category: 'av',
      }),
    );
    await deliverChange(s);
    const form = await openForm(s.office, ACTION.escalate, incident.id);
    const res = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.escalateModal,
        { providerId: { option: county.id }, providerRef: 'CAS-77', note: 'Lamp replaced, still blank' },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(res.json()).toMatchObject({ response_action: 'update' });
    const provider = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'C0COUNTY01', ts: '9.1' },
      {
        match: (a) => a.channel === 'C0COUNTY01',
      },
    );
    await deliverChange(s, [s.teacher]);
    expect(provider.calls).toHaveLength(1);

    // Monday 09:00 + 8 school hours = Tuesday 09:00. Monday afternoon: nothing to chase yet.
    clock.set('2027-03-01T15:00:00Z');
    const early = await runReminderPass({ db: tdb.db, log: silentLogger, now: clock.now() });
    const schoolId = (await findSchoolBySlackTeam(tdb.db, s.teamId))!.id;
    expect(early.find((r) => r.schoolId === schoolId)?.posted.map((r) => r.kind)).toEqual(['digest']);
    // Saturday would be due, but reminders only run in school time; Tuesday 10:00 it is due.
    expect(
      (
        await runReminderPass({
          db: tdb.db,
          log: silentLogger,
          now: new Date('2027-03-06T10:00:00Z'),
          dryRun: true,
        })
      ).find((r) => r.schoolId === schoolId)?.posted,
    ).toEqual([]);
    clock.set('2027-03-02T10:00:00Z');
    const pass = await runReminderPass({ db: tdb.db, log: silentLogger, now: clock.now() });
    expect(pass.find((r) => r.schoolId === schoolId)?.posted.map((r) => r.kind)).toEqual([
      'escalation.chase',
    ]);
    const posted = expectApi(
      'chat.postMessage',
      { ok: true, channel: s.spoc, ts: '1772442000.000100' },
      {
        times: 3, // Monday's briefing (the week ahead), Tuesday's, then the chase in its thread
        match: (a) => a.channel === s.spoc,
      },
    );
    await app.dispatcher.runOnce();
    expect(posted.calls.filter((c) => !c.thread_ts).map((c) => String(c.text).split(':')[0])).toEqual([
      'Briefing for Mon 1 Mar 2027',
      'Briefing for Tue 2 Mar 2027',
    ]);
    // The briefing names it too; the chase with its buttons is the reply in the briefing's thread.
    const chase = posted.calls.find((c) => c.thread_ts && textOf(c.blocks).includes('has not answered'));
    expect(chase?.thread_ts).toBe('1772442000.000100');
    expect(textOf(chase?.blocks)).toContain('*County ICT* has not answered about *INC-1*');
    expect(textOf(chase?.blocks)).toContain('(their ref CAS-77)');
    if (!chase) throw new Error('no chase reminder posted');
    const actions = chase.blocks?.find((b) => b.type === 'actions') as { elements: ApiArgs[] } | undefined;
    const button = actions?.elements ?? [];
    expect(button.map((b) => b.action_id)).toEqual([ACTION.reminderChase, ACTION.reminderSnooze]);
    expect(button[1]?.value).toBe(`incident:${incident.id}`);

    // A second pass the same hour posts nothing again.
    const again = await runReminderPass({ db: tdb.db, log: silentLogger, now: clock.now() });
    expect(again.find((r) => r.schoolId === schoolId)?.posted).toEqual([]);

    // Chase: the message says so, the presser is told where it went, the provider is chased in their channel.
    const said = respondCapture(s.teamId, 2);
    await app.send(
      blockAction(s.office, ACTION.reminderChase, String(button[0]?.value), {
        channelId: s.spoc,
        messageTs: '1772442000.000100',
      }),
    );
    await until(() => said[1], 'chase replies');
    expect(said[0]).toMatchObject({ replace_original: true });
    expect(textOf(said[0])).toContain('Chased (first chase)');
    expect(textOf(said[0])).toContain(`<@${s.office.userId}>`);
    expect(textOf(said[1])).toContain('Chased *County ICT* about *INC-1* in <#C0COUNTY01>');
    const [row] = await tdb.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
    // The next answer is due a full target (8 school hours) from the chase: Wednesday 10:00.
    expect(row).toMatchObject({ chaseCount: 1, respondBy: new Date('2027-03-03T10:00:00Z') });
    const chased = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'C0COUNTY01', ts: '9.2' },
      {
        match: (a) => a.channel === 'C0COUNTY01',
      },
    );
    const delivered = await deliverChange(s);
    expect(delivered.thread).toContain(`<@${s.office.userId}> chased *County ICT* (chase 1)`);
    expect(textOf(chased.calls[0]?.blocks)).toContain('Chasing INC-1');

    // Pressing the same reminder again records nothing more.
    const twice = respondCapture(s.teamId, 2);
    await app.send(
      blockAction(s.office, ACTION.reminderChase, String(button[0]?.value), {
        channelId: s.spoc,
        messageTs: '1772442000.000100',
      }),
    );
    await until(() => twice[1], 'second press replies');
    expect(textOf(twice[0])).toContain('Already chased');
    const [after] = await tdb.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
    expect(after?.chaseCount).toBe(1);
  });
});

describe('forward', () => {
  it('to a technician: the card and thread say so, and the technician is told by DM with the card’s link', async () => {
    const s = await school();
    const incident = await reported(s);
    must(
      await addProvider(s.officeCtx, {
        name: 'Oakwood Technicians',
        level: 'first',
        contactName: '',
        email: '',
        phone: '',
        chatChannel: '',
        notes: '',
      }),
    );
    const form = await openForm(s.office, ACTION.forward, incident.id);
    expect(form.callback_id).toBe(CALLBACK.forwardModal);
    expect(textOf(form)).toContain('Oakwood Technicians');
    const meta = { privateMetadata: form.private_metadata as string };
    const none = await app.send(viewSubmission(s.office, CALLBACK.forwardModal, {}, meta));
    expect(none.json()).toEqual({
      response_action: 'errors',
      errors: { assignee: 'Choose a technician, or a first-level provider below.' },
    });
    const ok = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.forwardModal,
        { assignee: { option: s.techCtx.actor.personId } },
        meta,
      ),
    );
    expect(ok.text).toBe('');
    expect(await incidentRow(incident.id)).toMatchObject({ status: 'assigned', supportLevel: 'first' });
    const link = expectApi('chat.getPermalink', {
      ok: true,
      channel: s.spoc,
      permalink: `https://hillside.slack.com/archives/${s.spoc}/p1772355600000100`,
    });
    const sent = await deliverChange(s, [s.tech]);
    expect(link.calls[0]).toMatchObject({ channel: s.spoc, message_ts: CARD_TS });
    expect(sent.thread).toContain(`Forwarded to <@${s.tech.userId}> by <@${s.office.userId}>`);
    expect(sent.card).toContain('Assigned');
    expect(sent.dms[0]).toContain('You have been given *INC-1*');
    expect(sent.dms[0]).toContain(
      `<https://hillside.slack.com/archives/${s.spoc}/p1772355600000100|Open the card>`,
    );
  });

  it('to a first-level provider: one or the other, and the card shows who has it', async () => {
    const s = await school();
    const incident = await reported(s);
    const oakwood = must(
      await addProvider(s.officeCtx, {
        name: 'Oakwood Technicians',
        level: 'first',
        contactName: '',
        email: '',
        phone: '',
        chatChannel: '',
        notes: '',
      }),
    );
    const form = await openForm(s.office, ACTION.forward, incident.id);
    const meta = { privateMetadata: form.private_metadata as string };
    const both = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.forwardModal,
        { assignee: { option: s.techCtx.actor.personId }, providerId: { option: oakwood.id } },
        meta,
      ),
    );
    expect(both.json()).toEqual({
      response_action: 'errors',
      errors: { providerId: 'Choose a technician or a provider, not both.' },
    });
    await app.send(
      viewSubmission(s.office, CALLBACK.forwardModal, { providerId: { option: oakwood.id } }, meta),
    );
    expect(await incidentRow(incident.id)).toMatchObject({
      status: 'assigned',
      providerId: oakwood.id,
      supportLevel: 'first',
      assigneeId: null,
    });
    const sent = await deliverChange(s);
    expect(sent.card).toContain('First line · Oakwood Technicians');
    expect(sent.thread).toContain('Forwarded to *Oakwood Technicians* (first-line support)');
  });

  it('offers the school’s staff alone, by SPOC person id: never a teacher or anyone else in the workspace', async () => {
    const s = await school();
    const incident = await reported(s);
    const admin = (await identifySlackUser(tdb.db, clock, { teamId: s.teamId, userId: s.admin.userId }))
      .actor;
    const form = await openForm(s.office, ACTION.forward, incident.id);
    const blocks = form.blocks as Array<{
      block_id?: string;
      label?: { text: string };
      element?: { type: string; options?: Array<{ text: { text: string }; value: string }> };
    }>;
    const picker = blocks.find((b) => b.block_id === FORWARD_BLOCK.assignee);
    expect(picker?.label?.text).toBe('A technician');
    expect(picker?.element?.type).toBe('static_select');
    const values = (picker?.element?.options ?? []).map((o) => o.value);
    expect(values.sort()).toEqual(
      [admin.personId, s.officeCtx.actor.personId, s.techCtx.actor.personId].sort(),
    );
    expect(values).not.toContain(s.teacherCtx.actor.personId);
    expect(JSON.stringify(form)).not.toContain('users_select');
  });

  it('refuses a crafted choice of a teacher or of another school’s person beside the field, in plain words', async () => {
    const s = await school();
    const other = await school();
    const incident = await reported(s);
    const form = await openForm(s.office, ACTION.forward, incident.id);
    const meta = { privateMetadata: form.private_metadata as string };
    const send = (personId: string) =>
      app.send(viewSubmission(s.office, CALLBACK.forwardModal, { assignee: { option: personId } }, meta));

    const teacher = (await send(s.teacherCtx.actor.personId)).json();
    expect(teacher).toEqual({
      response_action: 'errors',
      errors: { assignee: 'Choose a technician or office member from the list.' },
    });
    // Slack shows a field's error as plain text: no markup, no raw backticks.
    expect(JSON.stringify(teacher)).not.toMatch(/[`*]/);

    const stranger = (await send(other.techCtx.actor.personId)).json();
    expect(stranger).toEqual({
      response_action: 'errors',
      errors: { assignee: 'I could not find that person.' },
    });
    expect(await incidentRow(incident.id)).toMatchObject({ status: 'new', assigneeId: null });
    const none = await tdb.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incident.id));
    expect(none.filter((e) => e.kind === 'assigned')).toEqual([]);
  });

  it('refuses a second-level provider beside the field without markup', async () => {
    const s = await school();
    const incident = await reported(s);
    const county = await addCounty(s, '', 8);
    const form = await openForm(s.office, ACTION.forward, incident.id);
    const res = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.forwardModal,
        { providerId: { option: county.id } },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { providerId: 'County ICT is not first-level support: use Escalate for them.' },
    });
    expect(JSON.stringify(res.json())).not.toMatch(/[`*]/);
  });
});

describe('done once', () => {
  /** This school's messages still waiting in the outbox, by type. */
  async function pendingOf(s: School) {
    const schoolId = (await findSchoolBySlackTeam(tdb.db, s.teamId))!.id;
    const rows = await tdb.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.schoolId, schoolId), eq(outbox.status, 'pending')));
    return rows.map((r) => r.message as { type: string; personId?: string });
  }
  async function discard(s: School) {
    const schoolId = (await findSchoolBySlackTeam(tdb.db, s.teamId))!.id;
    await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.schoolId, schoolId));
  }
  const eventsOf = async (incidentId: string, kind: string) =>
    (await tdb.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId))).filter(
      (e) => e.kind === kind,
    );

  it('forwarding twice to the same technician records it once and tells them once', async () => {
    const s = await school();
    const incident = await reported(s);
    const forward = async (viewId: string) => {
      const form = await openForm(s.office, ACTION.forward, incident.id);
      const res = await app.send(
        viewSubmission(
          s.office,
          CALLBACK.forwardModal,
          { assignee: { option: s.techCtx.actor.personId } },
          { privateMetadata: form.private_metadata as string, viewId },
        ),
      );
      expect(res.text).toBe('');
    };
    await forward('V0FORWARD01');
    await forward('V0FORWARD02');
    const assigned = await eventsOf(incident.id, 'assigned');
    expect(assigned).toHaveLength(1);
    expect(assigned[0]?.data).toMatchObject({ submissionKey: 'V0FORWARD01' });
    const dms = (await pendingOf(s)).filter((m) => m.type === 'person.notify');
    expect(dms).toEqual([expect.objectContaining({ personId: s.techCtx.actor.personId, event: 'assigned' })]);
    await discard(s);
  });

  it('a note submitted twice (Slack retried it) is recorded once; a new note is recorded', async () => {
    const s = await school();
    const incident = await reported(s);
    const note = async (viewId: string, text: string) => {
      const res = await app.send(
        viewSubmission(
          s.tech,
          CALLBACK.noteModal,
          { note: text },
          { privateMetadata: JSON.stringify({ incidentId: incident.id }), viewId },
        ),
      );
      expect(res.text).toBe('');
    };
    await note('V0NOTE00001', 'Checked the cable');
    await note('V0NOTE00001', 'Checked the cable');
    await note('V0NOTE00002', 'Lamp hours at 4000');
    const comments = await eventsOf(incident.id, 'comment');
    expect(comments.map((e) => [e.data.note, e.data.submissionKey])).toEqual([
      ['Checked the cable', 'V0NOTE00001'],
      ['Lamp hours at 4000', 'V0NOTE00002'],
    ]);
    expect((await pendingOf(s)).filter((m) => m.type === 'incident.thread')).toHaveLength(2);
    await discard(s);
  });

  it("the reporter's comment submitted twice is recorded once", async () => {
    const s = await school();
    const incident = await reported(s);
    const comment = () =>
      app.send(
        viewSubmission(
          s.teacher,
          CALLBACK.commentModal,
          { note: 'Still blank after lunch' },
          { privateMetadata: JSON.stringify({ incidentId: incident.id }), viewId: 'V0COMMENT01' },
        ),
      );
    await comment();
    await comment();
    expect(await eventsOf(incident.id, 'comment')).toHaveLength(1);
    await discard(s);
  });
});

describe('escalate', () => {
  it('with their reference: the summary goes to the provider’s channel, the card says who has it, the reporter is told', async () => {
    const s = await school();
    const incident = await reported(s);
    const county = await addCounty(s, 'C0COUNTY02', 8);
    must(await claimIncident(s.techCtx, { incidentId: incident.id }));
    await deliverChange(s, [s.teacher]);
    must(await commentOnIncident(s.techCtx, { incidentId: incident.id, note: 'Tried a new lamp' }));
    await deliverChange(s);
    const form = await openForm(s.office, ACTION.escalate, incident.id);
    expect(form.callback_id).toBe(CALLBACK.escalateModal);
    const meta = { privateMetadata: form.private_metadata as string };
    const bad = await app.send(
      viewSubmission(s.office, CALLBACK.escalateModal, { providerId: { option: county.id }, note: '' }, meta),
    );
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: { note: 'Say what is wrong and what has been tried.' },
    });
    const res = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.escalateModal,
        { providerId: { option: county.id }, providerRef: 'CAS-123', note: 'Lamp replaced, still blank' },
        meta,
      ),
    );
    const reply = res.json() as { response_action: string; view: Record<string, unknown> };
    expect(reply.response_action).toBe('update');
    expect(textOf(reply.view)).toContain('The summary is being posted in <#C0COUNTY02>');
    expect(await incidentRow(incident.id)).toMatchObject({
      status: 'escalated',
      providerRef: 'CAS-123',
      supportLevel: 'second',
    });

    const provider = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'C0COUNTY02', ts: '9.3' },
      {
        match: (a) => a.channel === 'C0COUNTY02',
      },
    );
    const sent = await deliverChange(s, [s.teacher]);
    const summary = textOf(provider.calls[0]?.blocks);
    for (const expected of [
      'has escalated *INC-1* to you: Projector has no picture',
      'Your reference: CAS-123',
      'Priority: P2',
      'Location: not given',
      'Blue screen, then nothing',
      'Lamp replaced, still blank',
      'Reported by ms.patel',
      'Taken on by sam.tech',
      'Note by sam.tech: Tried a new lamp',
      'Contact: mrs.office',
    ])
      expect(summary).toContain(expected);
    expect(sent.card).toContain('With *County ICT* (ref CAS-123) since');
    expect(sent.card).toContain('answer due');
    expect(sent.card).toContain('Second line · County ICT (ref CAS-123)');
    expect(sent.thread).toContain(`Escalated to *County ICT* (ref CAS-123) by <@${s.office.userId}>`);
    expect(sent.dms[0]).toContain('needs outside help');
    expect(sent.dms[0]).toContain('County ICT');
    const buttons = (sent.cardBlocks.find((b) => b.type === 'actions') as { elements: ApiArgs[] }).elements;
    expect(buttons.map((b) => b.action_id)).toEqual([
      ACTION.providerUpdate,
      ACTION.handBack,
      ACTION.resolve,
      ACTION.cardMore,
    ]);

    // The provider's update: their reference changes and the first update counts as their answer.
    const update = await openForm(s.office, ACTION.providerUpdate, incident.id);
    await app.send(
      viewSubmission(
        s.office,
        CALLBACK.providerUpdateModal,
        { note: 'Engineer visiting Thursday', providerRef: 'CAS-124' },
        { privateMetadata: update.private_metadata as string },
      ),
    );
    const updated = await deliverChange(s);
    expect(updated.thread).toContain('Update from *County ICT*');
    expect(updated.thread).toContain('their ref is now CAS-124');
    expect(updated.card).toContain('answered');
    const [row] = await tdb.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
    expect(row).toMatchObject({ providerRef: 'CAS-124', respondedAt: new Date(MONDAY) });
  });

  it('with no chat channel: the person escalating is handed the email to send', async () => {
    const s = await school();
    const incident = await reported(s);
    const county = await addCounty(s, '', 8);
    must(
      await triageIncident(s.officeCtx, {
        incidentId: incident.id,
        impact: 'room',
        urgency: 'today',
        category: 'av',
      }),
    );
    await deliverChange(s);
    const form = await openForm(s.office, ACTION.escalate, incident.id);
    const res = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.escalateModal,
        { providerId: { option: county.id }, note: 'Lamp replaced, still blank' },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    const view = (res.json() as { view: { title: { text: string }; blocks: ApiArgs[] } }).view;
    expect(view.title.text).toBe('Send this email');
    const text = textOf(view.blocks);
    expect(text).toContain('*To:* help@county.example');
    expect(text).toContain('*Subject:* INC-1: Projector has no picture');
    const body = textOf(view.blocks.find((b) => b.type === 'rich_text'));
    for (const expected of [
      'Hello Jo Helpdesk,',
      'Our reference: INC-1',
      'Your reference: please send us yours',
      'Location: not given',
      'Asset: none recorded',
      'Blue screen, then nothing',
      'Lamp replaced, still blank',
      'History so far:',
      'Reported by ms.patel',
      'Triaged by mrs.office',
    ])
      expect(body).toContain(expected);
    const mail = (view.blocks.find((b) => b.type === 'actions') as { elements: ApiArgs[] }).elements[0];
    expect(String(mail?.url)).toMatch(/^mailto:help%40county\.example\?subject=INC-1/);
    const sent = await deliverChange(s, [s.teacher]);
    expect(sent.card).toContain('With *County ICT* (no reference yet)');
  });

  it('with no chat channel and a slow database: the form closes, and the email to send comes by DM', async () => {
    // Slower than the ack budget (here 300 ms), though well inside the database's own bound.
    const slowApp = await startSlackTestApp(tdb, clock, { ackBudgetMs: 300 });
    const s = await school();
    const incident = await reported(s);
    const county = await addCounty(s, '', 8);
    must(
      await triageIncident(s.officeCtx, {
        incidentId: incident.id,
        impact: 'room',
        urgency: 'today',
        category: 'av',
      }),
    );
    await deliverChange(s);
    const form = await openForm(s.office, ACTION.escalate, incident.id, slowApp);
    // Another transaction holds the incident's row for 800 ms: the escalation waits past the ack
    // budget.
    let holding!: () => void;
    const held = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const lock = tdb.db.transaction(async (tx) => {
      await tx.select().from(incidents).where(eq(incidents.id, incident.id)).for('update');
      holding();
      await new Promise<void>((resolve) => setTimeout(resolve, 800));
    });
    await held;
    const dm = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D3', ts: '3.3' },
      { match: (a) => a.channel === s.office.userId },
    );
    const res = await slowApp
      .send(
        viewSubmission(
          s.office,
          CALLBACK.escalateModal,
          { providerId: { option: county.id }, note: 'Lamp replaced, still blank' },
          { privateMetadata: form.private_metadata as string },
        ),
      )
      .finally(() => slowApp.close());
    await lock;
    // The modal was closed by an empty ack: the view could not follow it.
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const message = await until(() => dm.calls[0], 'email by DM');
    expect(String(message.text)).toContain('*INC-1* is escalated to *County ICT*');
    const text = textOf(message.blocks);
    expect(text).toContain('*To:* help@county.example');
    expect(text).toContain('*Subject:* INC-1: Projector has no picture');
    expect(textOf(message.blocks?.find((b) => b.type === 'rich_text'))).toContain(
      'Lamp replaced, still blank',
    );
    expect((await deliverChange(s, [s.teacher])).card).toContain('With *County ICT* (no reference yet)');
  });

  it('refuses a teacher pressing Escalate, or submitting the form, and nothing changes', async () => {
    const s = await school();
    const incident = await reported(s);
    const county = await addCounty(s, '', 8);
    const said = respondCapture(s.teamId);
    await app.send(blockAction(s.teacher, ACTION.escalate, incident.id));
    expect((await until(() => said[0], 'refusal')).text).toBe(
      'Only office staff (the SPOC) can escalate to a support provider.',
    );
    const crafted = await app.send(
      viewSubmission(
        s.teacher,
        CALLBACK.escalateModal,
        { providerId: { option: county.id }, note: 'Let me through' },
        { privateMetadata: JSON.stringify({ incidentId: incident.id }) },
      ),
    );
    expect(crafted.json()).toEqual({
      response_action: 'errors',
      errors: { providerId: 'Only office staff (the SPOC) can escalate to a support provider.' },
    });
    expect(await incidentRow(incident.id)).toMatchObject({ status: 'new', providerId: null });
    expect(await tdb.db.select().from(escalations).where(eq(escalations.incidentId, incident.id))).toEqual(
      [],
    );
  });
});

describe('on hold', () => {
  it('pauses the SLA: no breach reminder while held, and the paused school minutes are added on resume', async () => {
    const s = await school();
    const incident = await reported(s, 'whole_school', 'lesson_stopped'); // P1: resolve within 4 school hours
    clock.set('2027-03-01T09:05:00Z');
    must(await claimIncident(s.techCtx, { incidentId: incident.id }));
    await deliverChange(s, [s.teacher]);
    clock.set('2027-03-01T09:10:00Z');
    // Put on hold from the card's overflow menu.
    const open = expectApi('views.open', { ok: true });
    await app.send(overflowChoice(s.tech, `${ACTION.hold}|${incident.id}`));
    const form = (await until(() => open.calls[0], 'hold form')).view!;
    expect(form.callback_id).toBe(CALLBACK.holdModal);
    await app.send(
      viewSubmission(
        s.tech,
        CALLBACK.holdModal,
        { reason: { option: 'parts' }, detail: 'new lamp ordered' },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(await incidentRow(incident.id)).toMatchObject({
      status: 'on_hold',
      holdReason: 'Waiting for parts (new lamp ordered)',
    });
    const held = await deliverChange(s, [s.teacher]);
    expect(held.card).toContain('On hold since');
    expect(held.card).toContain('SLA clock paused while on hold');
    expect(held.dms[0]).toContain('Waiting for parts (new lamp ordered)');
    expect(held.thread).toContain(`Put on hold by <@${s.tech.userId}>`);

    // 14:00: without the hold, resolution (due 13:00) would have breached. Nothing is due.
    clock.set('2027-03-01T14:00:00Z');
    const schoolId = (await findSchoolBySlackTeam(tdb.db, s.teamId))!.id;
    const pass = await runReminderPass({ db: tdb.db, log: silentLogger, now: clock.now(), dryRun: true });
    expect(pass.find((r) => r.schoolId === schoolId)?.posted.map((r) => r.kind)).toEqual(['digest']);

    await app.send(blockAction(s.tech, ACTION.resume, incident.id));
    const row = await until(async () => {
      const r = await incidentRow(incident.id);
      return r.status === 'in_progress' ? r : undefined;
    }, 'resumed');
    // Held 09:10–14:00: 290 school minutes, which push the resolution target back.
    expect(row).toMatchObject({ slaPausedMinutes: 290, onHoldSince: null, holdReason: null });
    const resumed = await deliverChange(s);
    expect(resumed.thread).toContain('SLA clock paused for 4h 50m of school time');
    // Resolution now due 09:00 + 4h + 4h50m of school time: Tuesday 09:50.
    expect(resumed.card).toContain('Resolution due');
    const after = await runReminderPass({ db: tdb.db, log: silentLogger, now: clock.now(), dryRun: true });
    expect(after.find((r) => r.schoolId === schoolId)?.posted.map((r) => r.kind)).toEqual(['digest']);
    // A second Resume changes nothing: once its answer is in, there is still one 'resumed'.
    const again = respondCapture(s.teamId);
    await app.send(blockAction(s.tech, ACTION.resume, incident.id));
    expect((await until(() => again[0], 'second resume answered')).text).toBe(
      'INC-1 is not on hold any more, so there is nothing to resume.',
    );
    const events = await tdb.db
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, incident.id));
    expect(events.filter((e) => e.kind === 'resumed')).toHaveLength(1);
  });
});

describe('reporter comment', () => {
  it('tells whoever has the incident, with the note and the photo link', async () => {
    const s = await school();
    const incident = await reported(s);
    must(await claimIncident(s.techCtx, { incidentId: incident.id }));
    await deliverChange(s, [s.teacher]);
    must(
      await commentOnIncident(s.teacherCtx, {
        incidentId: incident.id,
        note: 'It smells of burning now',
        link: 'https://photos.example/p/9',
      }),
    );
    const sent = await deliverChange(s, [s.tech]);
    expect(sent.dms[0]).toContain(`<@${s.teacher.userId}> added to *INC-1*`);
    expect(sent.dms[0]).toContain('It smells of burning now');
    expect(sent.dms[0]).toContain('https://photos.example/p/9');
    expect(sent.thread).toContain(
      `<@${s.teacher.userId}> (who reported it) added — It smells of burning now`,
    );
    expect(sent.thread).toContain('<https://photos.example/p/9|link>');
  });

  it('a staff note right after does not take the place of the reporter’s words in the DM', async () => {
    const s = await school();
    const incident = await reported(s);
    must(await claimIncident(s.techCtx, { incidentId: incident.id }));
    await deliverChange(s, [s.teacher]);
    must(
      await commentOnIncident(s.teacherCtx, { incidentId: incident.id, note: 'It smells of burning now' }),
    );
    must(await commentOnIncident(s.officeCtx, { incidentId: incident.id, note: 'Office: lamp on order' }));
    expectApi(
      'chat.update',
      { ok: true, channel: s.spoc, ts: CARD_TS },
      { times: 2, match: (a) => a.channel === s.spoc },
    );
    // The reporter's status DM is left alone: the notes change nothing she would see.
    expectApi(
      'chat.postMessage',
      { ok: true, channel: s.spoc, ts: '1772355600.000900' },
      { times: 2, match: (a) => a.channel === s.spoc && a.thread_ts === CARD_TS },
    );
    const dm = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D2', ts: '2.2' },
      { match: (a) => a.channel === s.tech.userId },
    );
    await app.dispatcher.runOnce();
    const told = textOf((await until(() => dm.calls[0], 'DM to the technician')).blocks);
    expect(told).toContain(`<@${s.teacher.userId}> added to *INC-1*`);
    expect(told).toContain('It smells of burning now');
    expect(told).not.toContain('lamp on order');
  });
});

describe('staff note or reply to the reporter', () => {
  it('each form says who will read it; a reply reaches the reporter once, a staff note never does', async () => {
    const s = await school();
    const incident = await reported(s);
    must(await claimIncident(s.techCtx, { incidentId: incident.id }));
    const claimed = await deliverChange(s, [s.teacher]);
    // The card offers both, each named for who reads it.
    const buttons = (claimed.cardBlocks.find((b) => b.type === 'actions') as { elements: ApiArgs[] })
      .elements;
    const more = buttons.find((b) => b.action_id === ACTION.cardMore) as unknown as {
      options: Array<{ text: { text: string }; value: string }>;
    };
    expect(more.options.map((o) => o.text.text)).toEqual(
      expect.arrayContaining(['Add a staff note', 'Reply to the reporter']),
    );
    expect(more.options.find((o) => o.text.text === 'Reply to the reporter')?.value).toBe(
      `${ACTION.reply}|${incident.id}`,
    );
    // Each form says, where it is written, who will read it.
    const noteForm = await openForm(s.tech, ACTION.note, incident.id);
    expect(noteForm.title).toMatchObject({ text: 'Staff note on INC-1' });
    expect(textOf(noteForm.blocks)).toContain('Staff only: it goes in the card’s thread');
    const replyForm = await openForm(s.tech, ACTION.reply, incident.id);
    expect(replyForm.title).toMatchObject({ text: 'Reply on INC-1' });
    expect(textOf(replyForm.blocks)).toContain('Sent to the person who reported it');

    // A staff note: the card's thread only, nothing to the reporter.
    await app.send(
      viewSubmission(
        s.tech,
        CALLBACK.noteModal,
        { note: 'Lamp hours at 4,900' },
        { privateMetadata: noteForm.private_metadata as string },
      ),
    );
    const noted = await deliverChange(s);
    expect(noted.thread).toContain(`Staff note from <@${s.tech.userId}> — Lamp hours at 4,900`);

    // The reply, submitted twice (Slack retried it): recorded once, told once — in the status
    // message's thread and, as it is written to her, in her chat too.
    for (let i = 0; i < 2; i++) {
      const res = await app.send(
        viewSubmission(
          s.tech,
          CALLBACK.replyModal,
          { note: 'A new lamp arrives on Thursday' },
          { privateMetadata: replyForm.private_metadata as string, viewId: 'V0REPLY0001' },
        ),
      );
      expect(res.status).toBe(200);
    }
    const replied = await deliverChange(s, [s.teacher]);
    expect(replied.thread).toContain(
      `<@${s.tech.userId}> wrote to the reporter — A new lamp arrives on Thursday`,
    );
    expect(replied.dms[0]).toContain('The ICT team wrote to you about your fault *INC-1*');
    expect(replied.dms[0]).toContain('A new lamp arrives on Thursday');
    expect(replied.dms[0]).not.toContain('Lamp hours');
    const events = await tdb.db
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, incident.id));
    expect(events.filter((e) => e.kind === 'reply')).toHaveLength(1);
    const told = await tdb.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.schoolId, incident.schoolId)));
    expect(
      told.filter((r) => r.message.type === 'person.notify' && r.message.event === 'replied'),
    ).toHaveLength(1);

    // What she sees of her fault: the reply, never the staff note.
    const theirs = JSON.stringify(await incidentAnswer(s.teacherCtx, ['INC-1']));
    expect(theirs).toContain('A new lamp arrives on Thursday');
    expect(theirs).not.toContain('Lamp hours');
    // A teacher cannot write as the ICT team.
    const refused = await replyToReporter(s.teacherCtx, { incidentId: incident.id, note: 'Hello' });
    expect(refused.ok).toBe(false);
  });
});

describe('merge from the card', () => {
  it('the office merges a duplicate from its card: the target named beside the field, merged once; a technician is refused', async () => {
    const s = await school();
    const first = await reported(s);
    const duplicate = await reported(s);
    const form = await openForm(s.office, ACTION.merge, duplicate.id);
    expect(form.title).toMatchObject({ text: 'Merge INC-2' });
    expect(textOf(form.blocks)).toContain('Which incident does it repeat?');
    const submit = (into: string) =>
      app.send(
        viewSubmission(
          s.office,
          CALLBACK.mergeModal,
          { into },
          { privateMetadata: form.private_metadata as string, viewId: uniqueId('V') },
        ),
      );
    // Itself, or a reference that is not one of the school's: said beside the field.
    expect((await submit('INC-2')).json()).toEqual({
      response_action: 'errors',
      errors: { into: 'An incident cannot be merged into itself: name the incident it repeats.' },
    });
    expect((await submit('INC-99')).json()).toEqual({
      response_action: 'errors',
      errors: { into: 'INC-99 is not an incident of your school.' },
    });
    // The incident it repeats: the duplicate is closed as merged into it.
    expect((await submit('inc-1')).text).toBe('');
    const merged = await incidentRow(duplicate.id);
    expect(merged).toMatchObject({ status: 'closed', mergedIntoId: first.id });
    // Merged again (a second form, or Slack's retry): nothing more happens.
    expect((await submit('INC-1')).text).toBe('');
    const events = await tdb.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, first.id));
    expect(events.filter((e) => e.kind === 'merged_in')).toHaveLength(1);
    // The card offers it to the office alone; a technician's press, or a crafted form, is refused.
    const offered = cardActions(incidentDetail()).find((a) => a.id === 'incident.merge');
    expect(offered).toMatchObject({ label: 'Merge into another incident', secondary: true });
    expect(offered?.roles).toEqual(['office', 'admin']);
    const refused = respondCapture(s.teamId);
    await app.send(blockAction(s.tech, ACTION.merge, first.id));
    expect((await until(() => refused[0], 'the refusal')).text).toBe(FORBIDDEN['incident.triage']);
    // (Reported, its messages left queued: nothing is delivered in the rest of this test.)
    const third = must(
      await reportFault(s.teacherCtx, { summary: 'Printer jammed again', urgency: 'today', impact: 'room' }),
    ).incident;
    const crafted = await app.send(
      viewSubmission(
        s.tech,
        CALLBACK.mergeModal,
        { into: 'INC-1' },
        { privateMetadata: JSON.stringify({ incidentId: third.id }) },
      ),
    );
    expect(crafted.json()).toEqual({
      response_action: 'errors',
      errors: { into: FORBIDDEN['incident.triage'] },
    });
    expect(await incidentRow(third.id)).toMatchObject({ status: 'new', mergedIntoId: null });
  });
});
