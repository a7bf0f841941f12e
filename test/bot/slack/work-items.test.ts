/**
 * Changes and problems through the real Bolt app: signed requests in, every Web API call pinned.
 */
import { and, eq, ne } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, REGISTER_BLOCK, WORK_BLOCK as W } from '../../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { incidents, outbox, workItemIncidents, workItems } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { registerAsset } from '../../../src/domain/registers/assets';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { createWorkItem } from '../../../src/domain/work-items/commands';
import { silentLogger } from '../../../src/log';
import { runReminderPass } from '../../../src/worker/reminder-pass';
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
import {
  blockAction,
  RESPONSE_URL_HOST,
  responsePath,
  type SignedRequest,
  sign,
  slashCommand,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

const NOW = '2027-03-01T09:00:00Z'; // a Monday, in school time
const clock = fixedClock(NOW);
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
afterEach(assertAllCallsMade);

/** A school set up in Slack with its own SPOC channel, and command contexts for its people. */
async function school() {
  const channel = uniqueId('C');
  const s = await slackSchool(app, channel);
  const ctxOf = async (who: Who, at = clock) => {
    const id = await identifySlackUser(tdb.db, at, {
      teamId: who.teamId,
      userId: who.userId,
      userName: who.userName,
    });
    return { db: tdb.db, clock: at, actor: id.actor };
  };
  const row = await findSchoolBySlackTeam(tdb.db, s.teamId);
  return {
    ...s,
    ctxOf,
    schoolId: row!.id,
    teacher2: { teamId: s.teamId, userId: uniqueId('U'), userName: 'mr.jones' },
  };
}

/** Marks everything queued so far as delivered, so a test pins only what it is about. */
async function drain() {
  await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
}

function captureResponses(teamId: string) {
  const said: Array<Record<string, unknown>> = [];
  nock(RESPONSE_URL_HOST)
    .post(responsePath(teamId))
    .reply((_uri, body) => {
      said.push(body as Record<string, unknown>);
      return [200, 'ok'];
    });
  return said;
}

/** Opens a form by pressing a button; returns the view Slack was asked to open. */
async function pressForForm(who: Who, actionId: string, value: string, opts = {}) {
  const open = expectApi('views.open', { ok: true });
  await app.send(blockAction(who, actionId, value, opts));
  await until(() => open.calls[0], 'views.open');
  return open.calls[0]!.view as Record<string, unknown> & { private_metadata: string; callback_id: string };
}

const inChannel = (channel: string) => (a: ApiArgs) => a.channel === channel;
const dmTo = (who: Who) => (a: ApiArgs) => a.channel === who.userId;

async function workItemOf(schoolId: string, kind: 'change' | 'problem', number: number) {
  const [row] = await tdb.db
    .select()
    .from(workItems)
    .where(and(eq(workItems.schoolId, schoolId), eq(workItems.kind, kind), eq(workItems.number, number)));
  if (!row) throw new Error(`no ${kind} ${number}`);
  return row;
}

/** A view submission with a conversations_select value (the shared builder covers the other inputs). */
function withConversation(request: SignedRequest, blockId: string, channel: string): SignedRequest {
  const payload = JSON.parse(new URLSearchParams(request.body).get('payload') ?? '{}');
  payload.view.state.values[blockId] = {
    value: { type: 'conversations_select', selected_conversation: channel },
  };
  return sign(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
}

describe('a problem with linked incidents, resolved together', () => {
  it('opens, links (never another school’s incident), takes progress and resolves its incidents, telling each reporter', async () => {
    const s = await school();
    const other = await school();
    const teacher = await s.ctxOf(s.teacher);
    const teacher2 = await s.ctxOf(s.teacher2);
    const tech = await s.ctxOf(s.tech);
    must(await reportFault(teacher, { summary: 'Hall projector shows no signal', urgency: 'today' }));
    must(await reportFault(teacher2, { summary: 'Hall projector flickers', urgency: 'today' }));
    const third = must(
      await reportFault(teacher, { summary: 'Hall projector dead again', urgency: 'today' }),
    );
    const foreign = must(
      await reportFault(await other.ctxOf(other.teacher), { summary: 'Other school', urgency: 'today' }),
    );
    await drain();
    // The cards exist in the SPOC channel (posted earlier): INC-1 and INC-2 carry these.
    const rows = await tdb.db.select().from(incidents).where(eq(incidents.schoolId, s.schoolId));
    for (const r of rows) {
      await tdb.db
        .update(incidents)
        .set({ cardChannel: s.channel, cardTs: `1772355600.00010${r.number}` })
        .where(eq(incidents.id, r.id));
    }
    must(await resolveIncident(tech, { incidentId: third.incident.id, resolution: 'Reseated the cable' }));
    await drain();

    // The list: empty, with New change / New problem for the SPOC only.
    const list = (await app.send(slashCommand(s.office, '/spoc', 'changes'))).json();
    expect(textOf(list.blocks)).toContain('Nothing open');
    expect(JSON.stringify(list.blocks)).toContain(ACTION.workNewProblem);
    const techList = (await app.send(slashCommand(s.tech, '/spoc', 'problems'))).json();
    expect(textOf(techList.blocks)).toContain('*Open problems* (0)');
    expect(JSON.stringify(techList.blocks)).not.toContain(ACTION.workNewProblem);
    const bad = (await app.send(slashCommand(s.office, '/spoc', 'changes soon'))).json();
    expect(bad.text).toContain("I don't know the list `soon`");

    // A technician may not open one: refused at the button and in the command.
    const refused = captureResponses(s.teamId);
    await app.send(blockAction(s.tech, ACTION.workNewProblem, ''));
    expect((await until(() => refused[0], 'refusal')).text).toBe(
      'Only office staff (the SPOC) can open, edit and close changes and problems.',
    );
    const crafted = await app.send(
      viewSubmission(
        s.tech,
        CALLBACK.workCreateModal,
        { [W.title]: 'Sneaky' },
        { privateMetadata: '{"kind":"problem"}' },
      ),
    );
    expect(crafted.json()).toEqual({
      response_action: 'errors',
      errors: { [W.title]: 'Only office staff (the SPOC) can open, edit and close changes and problems.' },
    });

    // The SPOC opens a problem; a reference of another school's numbering or a crafted id is not found.
    const form = await pressForForm(s.office, ACTION.workNewProblem, '');
    expect(form.callback_id).toBe(CALLBACK.workCreateModal);
    const values = (incidentsText: string) => ({
      [W.title]: 'Hall projector keeps failing',
      [W.description]: 'Three faults this month',
      [W.owner]: { user: s.tech.userId },
      [W.targetDate]: '2027-03-12',
      [W.incidents]: incidentsText,
    });
    const submit = (incidentsText: string) =>
      app.send(
        viewSubmission(s.office, CALLBACK.workCreateModal, values(incidentsText), {
          privateMetadata: form.private_metadata,
          viewId: uniqueId('V'),
        }),
      );
    expect((await submit('INC-1, INC-9')).json()).toEqual({
      response_action: 'errors',
      errors: { [W.incidents]: 'INC-9 not found in your school.' },
    });
    expect((await submit(`INC-1 ${foreign.incident.id}`)).json()).toEqual({
      response_action: 'errors',
      errors: { [W.incidents]: 'an incident not found in your school.' },
    });
    const created = (await submit('INC-1')).json();
    expect(created.response_action).toBe('update');
    expect(textOf(created.view)).toContain('*PRB-1* Hall projector keeps failing is open');
    const problem = await workItemOf(s.schoolId, 'problem', 1);
    expect(problem).toMatchObject({ status: 'proposed', percentDone: 0, targetDate: '2027-03-12' });
    const listed = textOf((await app.send(slashCommand(s.office, '/spoc', 'changes'))).json().blocks);
    expect(listed).toContain('*PRB-1* · Problem · Hall projector keeps failing');
    expect(listed).toContain(
      `<@${s.tech.userId}> · Proposed · \`░░░░░ 0%\` · target 12/03/2027 · last update`,
    );
    const opened = captureResponses(s.teamId);
    await app.send(blockAction(s.office, ACTION.workView, problem.id));
    expect(textOf(await until(() => opened[0], 'detail'))).toContain('*Linked incidents* (1, 1 open)');

    // Link the other two from the detail's "Link incident".
    const link = await pressForForm(s.office, ACTION.workLink, problem.id);
    const linked = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.workLinkModal,
        { [W.incidents]: 'INC-2 INC-3', [W.linkMode]: { option: 'link' } },
        { privateMetadata: link.private_metadata },
      ),
    );
    expect(textOf(linked.json().view)).toContain('Linked INC-2, INC-3 to *PRB-1*.');
    // Another school pressing the same button with the crafted id finds nothing.
    const nosy = captureResponses(other.teamId);
    await app.send(blockAction(other.office, ACTION.workLink, problem.id));
    expect((await until(() => nosy[0], 'not found')).text).toBe(
      "I couldn't find that change or problem in your school.",
    );

    // The technician posts progress: a bad percent is answered beside the field.
    const update = await pressForForm(s.tech, ACTION.workProgress, problem.id);
    expect(update.callback_id).toBe(CALLBACK.workProgressModal);
    const progress = (fields: Record<string, string | { option: string }>) =>
      app.send(
        viewSubmission(s.tech, CALLBACK.workProgressModal, fields, {
          privateMetadata: update.private_metadata,
          viewId: uniqueId('V'),
        }),
      );
    expect((await progress({ [W.note]: 'Ordered a new HDMI run', [W.percentDone]: '160' })).json()).toEqual({
      response_action: 'errors',
      errors: { [W.percentDone]: 'Give a whole number from 0 to 100.' },
    });
    const posted = (await progress({ [W.note]: 'Ordered a new HDMI run', [W.percentDone]: '60' })).json();
    expect(textOf(posted.view)).toContain('*PRB-1* is now Proposed · `▓▓▓░░ 60%`');

    // Implemented: the form offers to resolve the linked incidents still open (INC-3 is already fixed).
    const done = (
      await progress({ [W.note]: 'New HDMI run fitted', [W.status]: { option: 'implemented' } })
    ).json() as { response_action: string; view: { callback_id: string; private_metadata: string } };
    expect(done.response_action).toBe('update');
    expect(done.view.callback_id).toBe(CALLBACK.workResolveModal);
    const offer = textOf(done.view);
    expect(offer).toContain('2 linked incidents are still open');
    expect(offer).toContain('INC-1');
    expect(offer).toContain('INC-2');
    expect(offer).not.toContain('INC-3');

    const resolved = await app.send(
      viewSubmission(
        s.tech,
        CALLBACK.workResolveModal,
        { [W.resolution]: 'We replaced the projector cable in the hall' },
        { privateMetadata: done.view.private_metadata },
      ),
    );
    const said = textOf(resolved.json().view);
    expect(said).toContain('Resolved INC-1, INC-2 for *PRB-1*');
    expect(said).toContain('Already done, left as they were: INC-3 (Resolved).');

    // Each card is refreshed in place, its thread told, and each reporter's status DM (posted now:
    // none was before) says it is fixed, with the step in its thread.
    const cards = expectApi('chat.update', { ok: true }, { times: 2 });
    const threads = expectApi(
      'chat.postMessage',
      { ok: true, ts: '1772355601.000001' },
      {
        times: 2,
        match: inChannel(s.channel),
      },
    );
    const dm1 = expectApi(
      'chat.postMessage',
      { ok: true, ts: '1772355601.000002' },
      { match: (a) => dmTo(s.teacher)(a) && !a.thread_ts },
    );
    const dm2 = expectApi(
      'chat.postMessage',
      { ok: true, ts: '1772355601.000003' },
      { match: (a) => dmTo(s.teacher2)(a) && !a.thread_ts },
    );
    const steps = expectApi(
      'chat.postMessage',
      { ok: true, ts: '1772355601.000004' },
      { times: 2, match: (a) => a.thread_ts === '1772355601.000002' || a.thread_ts === '1772355601.000003' },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 6, retried: 0, dead: 0 });
    expect(steps.calls.map((c) => c.channel).sort()).toEqual([s.teacher.userId, s.teacher2.userId].sort());
    expect(cards.calls.map((c) => c.ts).sort()).toEqual(['1772355600.000101', '1772355600.000102']);
    for (const c of cards.calls) expect(textOf(c.blocks)).toContain('Resolved');
    expect(threads.calls.map((c) => c.thread_ts).sort()).toEqual(['1772355600.000101', '1772355600.000102']);
    expect(textOf(dm1.calls[0]!.blocks)).toContain('We replaced the projector cable in the hall');
    expect(textOf(dm1.calls[0]!.blocks)).toContain('INC-1');
    expect(textOf(dm2.calls[0]!.blocks)).toContain('INC-2');

    // The detail shows it all: linked incidents with their status and the dated updates.
    const detail = (await app.send(slashCommand(s.office, '/spoc', 'problem PRB-1'))).json();
    const text = textOf(detail.blocks);
    expect(text).toContain('Hall projector keeps failing');
    expect(text).toContain(`<@${s.tech.userId}>`);
    expect(text).toContain('▓▓▓▓▓ 100%');
    expect(text).toContain('*INC-1* Hall projector shows no signal — Resolved');
    expect(text).toContain('Ordered a new HDMI run');
    expect(text).toContain('Proposed → *Implemented*');
    expect(text).toContain('resolved INC-1, INC-2');
    expect(JSON.stringify(detail.blocks)).toContain(ACTION.workEdit);
    const usage = (await app.send(slashCommand(s.office, '/spoc', 'problem'))).json();
    expect(usage.text).toBe('Usage: `/spoc problem PRB-2`');
  });
});

describe('repeated faults suggest a problem', () => {
  /** A school with a projector in the hall that failed at these days before NOW (all since fixed). */
  async function faults(daysAgo: number[]) {
    const s = await school();
    const office = await s.ctxOf(s.office);
    const tech = await s.ctxOf(s.tech);
    const hall = (
      await (await import('../../../src/db/queries/locations')).listActiveLocations(tdb.db, s.schoolId)
    ).find((l) => l.name === 'Hall')!;
    const asset = must(
      await registerAsset(office, {
        tag: 'PROJ-HALL',
        type: 'projector',
        make: 'Epson',
        model: 'EB-X',
        serial: '',
        locationId: hall.id,
        supplier: '',
        purchaseDate: null,
        costPence: null,
        warrantyEnd: null,
        status: 'in_use',
        notes: '',
      }),
    );
    for (const [i, d] of daysAgo.entries()) {
      const at = fixedClock(new Date(new Date(NOW).getTime() - d * 86_400_000));
      const r = must(
        await reportFault(await s.ctxOf(s.teacher, at), {
          summary: `Hall projector fault ${i + 1}`,
          locationId: hall.id,
          assetId: asset.id,
          urgency: 'today',
        }),
      );
      must(
        await resolveIncident(
          { ...tech, clock: at },
          { incidentId: r.incident.id, resolution: 'Power cycled' },
        ),
      );
    }
    await drain();
    return s;
  }

  /** Runs a reminder pass and delivers this school's reminders; returns what reached its channel. */
  async function pass(s: { schoolId: string; channel: string }, expected: number) {
    await runReminderPass({ db: tdb.db, log: silentLogger, now: new Date(NOW) });
    // Other tests' schools get their own digests; they are not this test's business.
    await tdb.db
      .update(outbox)
      .set({ status: 'sent' })
      .where(and(eq(outbox.status, 'pending'), ne(outbox.schoolId, s.schoolId)));
    const posted = expectApi(
      'chat.postMessage',
      { ok: true, channel: s.channel, ts: '1772355600.000900' },
      {
        times: expected,
        match: inChannel(s.channel),
      },
    );
    await app.dispatcher.runOnce();
    return posted.calls;
  }

  it('3 faults on one asset within 30 days are suggested once; "Open a problem" opens it prefilled and links them', async () => {
    const s = await faults([20, 9, 2]);
    const [briefing, suggestion, ...rest] = await pass(s, 2);
    // The day's briefing (with the week ahead), then the suggestion, with its button, in its thread.
    expect(briefing?.text).toBe('Briefing for Mon 1 Mar 2027: repeated faults: 1');
    expect(suggestion?.thread_ts).toBe('1772355600.000900');
    expect(rest).toEqual([]);
    const text = textOf(suggestion?.blocks);
    expect(text).toContain('*3 faults* on *PROJ-HALL* in 30 days (INC-1, INC-2, INC-3)');
    const button = JSON.stringify(suggestion?.blocks);
    expect(button).toContain(ACTION.problemSuggested);

    // Once per cluster: the next pass posts nothing more.
    await runReminderPass({ db: tdb.db, log: silentLogger, now: new Date(NOW) });
    expect(
      await tdb.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.schoolId, s.schoolId), eq(outbox.status, 'pending'))),
    ).toEqual([]);

    const actions = suggestion!.blocks!.find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string; value: string }>;
    };
    const value = actions.elements.find((e) => e.action_id === ACTION.problemSuggested)!.value;
    const teacherSaid = captureResponses(s.teamId);
    await app.send(blockAction(s.teacher, ACTION.problemSuggested, value, { channelId: s.channel }));
    expect((await until(() => teacherSaid[0], 'refusal')).text).toContain('Only office staff');
    const form = await pressForForm(s.office, ACTION.problemSuggested, value, {
      channelId: s.channel,
      messageTs: '1772355600.000900',
    });
    expect(textOf(form)).toContain('Repeated faults: PROJ-HALL');
    expect(textOf(form)).toContain('INC-1, INC-2, INC-3');
    const reminderUpdate = expectApi('chat.update', { ok: true });
    const saved = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.workCreateModal,
        { [W.title]: 'Repeated faults: PROJ-HALL', [W.incidents]: 'INC-1, INC-2, INC-3' },
        { privateMetadata: form.private_metadata },
      ),
    );
    expect(textOf(saved.json().view)).toContain('*PRB-1*');
    await until(() => reminderUpdate.calls[0], 'reminder updated');
    expect(reminderUpdate.calls[0]).toMatchObject({ channel: s.channel, ts: '1772355600.000900' });
    expect(textOf(reminderUpdate.calls[0]!.blocks)).toContain(`*PRB-1* opened — <@${s.office.userId}>`);
    const problem = await workItemOf(s.schoolId, 'problem', 1);
    const links = await tdb.db
      .select()
      .from(workItemIncidents)
      .where(eq(workItemIncidents.workItemId, problem.id));
    expect(links).toHaveLength(3);
  });

  it("a suggestion can be snoozed: a new fault on the asset posts nothing for 7 days; another school's place cannot be snoozed", async () => {
    const s = await faults([20, 9, 2]);
    const [, suggestion] = await pass(s, 2);
    const actions = suggestion!.blocks!.find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string; value: string }>;
    };
    const snooze = actions.elements.find((e) => e.action_id === ACTION.reminderSnooze);
    expect(snooze?.value).toMatch(/^repeats:asset:/);
    const said = captureResponses(s.teamId);
    await app.send(blockAction(s.office, ACTION.reminderSnooze, snooze!.value, { channelId: s.channel }));
    expect(textOf((await until(() => said[0], 'snoozed')).blocks)).toContain('Snoozed until Mon 8 Mar 2027');

    // A fourth fault would make a new suggestion; snoozed, it is not posted.
    const hall = (
      await (await import('../../../src/db/queries/locations')).listActiveLocations(tdb.db, s.schoolId)
    ).find((l) => l.name === 'Hall')!;
    const [asset] = await tdb.db.select().from(incidents).where(eq(incidents.schoolId, s.schoolId));
    must(
      await reportFault(await s.ctxOf(s.teacher), {
        summary: 'Hall projector fault 4',
        locationId: hall.id,
        assetId: asset!.assetId ?? undefined,
        urgency: 'today',
      }),
    );
    await drain();
    await runReminderPass({ db: tdb.db, log: silentLogger, now: new Date(NOW) });
    expect(
      await tdb.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.schoolId, s.schoolId), eq(outbox.status, 'pending'))),
    ).toEqual([]);

    // A crafted press naming another school's location is refused.
    const other = await school();
    const theirs = (
      await (await import('../../../src/db/queries/locations')).listActiveLocations(tdb.db, other.schoolId)
    )[0]!;
    const refused = captureResponses(s.teamId);
    await app.send(blockAction(s.office, ACTION.reminderSnooze, `repeats:location:${theirs.id}`));
    expect((await until(() => refused[0], 'refusal')).text).toBe(
      'That reminder is not about anything in your school any more.',
    );
  });

  it('3 faults spread over 31 days suggest nothing', async () => {
    const s = await faults([31, 15, 1]);
    const [briefing, ...rest] = await pass(s, 1);
    expect(briefing?.text).toBe('Briefing for Mon 1 Mar 2027: the week ahead');
    expect(rest).toEqual([]);
    expect(
      await tdb.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.schoolId, s.schoolId), eq(outbox.status, 'pending'))),
    ).toEqual([]);
  });
});

describe('a diary entry tied to a change', () => {
  it('is offered the open changes, announced in the channel chosen and shown on the change', async () => {
    const s = await school();
    const office = await s.ctxOf(s.office);
    const change = must(
      await createWorkItem(office, {
        kind: 'change',
        title: 'New Wi-Fi in the hall',
        description: '',
        owner: null,
        targetDate: null,
      }),
    );
    must(
      await createWorkItem(office, {
        kind: 'problem',
        title: 'Printer jams',
        description: '',
        owner: null,
        targetDate: null,
      }),
    );
    const form = await pressForForm(s.office, ACTION.diaryAdd, '');
    const formText = JSON.stringify(form);
    expect(formText).toContain('CHG-1 New Wi-Fi in the hall');
    expect(formText).not.toContain('Printer jams');
    expect(formText).toContain('conversations_select');

    const request = withConversation(
      viewSubmission(s.office, CALLBACK.diaryModal, {
        [REGISTER_BLOCK.date]: '2027-03-10',
        [REGISTER_BLOCK.title]: 'Wi-Fi off in the hall, 8–10am',
        [REGISTER_BLOCK.kind]: { option: 'maintenance' },
        [REGISTER_BLOCK.notes]: 'Installers on site; use the library instead.',
        [REGISTER_BLOCK.workItemId]: { option: change.item.id },
      }),
      REGISTER_BLOCK.announceChannel,
      'C0STAFF001',
    );
    const saved = (await app.send(request)).json();
    expect(saved.response_action).toBe('update');

    const notice = expectApi(
      'chat.postMessage',
      { ok: true, ts: '1772355600.000700' },
      {
        match: inChannel('C0STAFF001'),
      },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    const text = textOf(notice.calls[0]!.blocks);
    expect(text).toContain('*Wed 10 Mar 2027* — *Wi-Fi off in the hall, 8–10am*');
    expect(text).toContain('Installers on site; use the library instead.');
    expect(text).toContain('Part of *CHG-1* New Wi-Fi in the hall');

    const detail = (await app.send(slashCommand(s.tech, '/spoc', 'change CHG-1'))).json();
    expect(textOf(detail.blocks)).toContain('10/03/2027 · Maintenance · Wi-Fi off in the hall, 8–10am');
    // A technician may post progress but not edit or link.
    const buttons = JSON.stringify(detail.blocks);
    expect(buttons).toContain(ACTION.workProgress);
    expect(buttons).not.toContain(ACTION.workEdit);
  });
});
