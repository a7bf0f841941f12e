import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION, CALLBACK } from '../../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { incidents, outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0, uniqueId } from '../../support/factories';
import {
  type ApiArgs,
  assertAllCallsMade,
  expectApi,
  expectResponseUrl,
  type SlackTestApp,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import {
  blockAction,
  messageShortcut,
  responsePath,
  sign,
  slashCommand,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';

const SPOC_CHANNEL = 'C0SPOC0001';
let tdb: TestDatabase;
let app: SlackTestApp;
const clock = fixedClock(T0);

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(assertAllCallsMade);

/** A school set up through `/spoc setup`, with a technician and an office member. */
async function school() {
  const teamId = uniqueId('T');
  const who = (name: string): Who => ({ teamId, userId: uniqueId('U'), userName: name });
  const admin = who('head');
  const tech = who('sam.tech');
  const office = who('mrs.office');
  const teacher = who('ms.patel');
  await app.install(teamId);
  const setup = await app.send(slashCommand(admin, '/spoc', 'setup', SPOC_CHANNEL));
  expect(setup.status).toBe(200);
  expect(setup.json().text).toContain('is now the SPOC channel');
  await app.settleTopic(teamId);
  for (const [person, role] of [
    [tech, 'technician'],
    [office, 'office'],
  ] as const) {
    const res = await app.send(
      slashCommand(admin, '/spoc', `role <@${person.userId}|${person.userName}> ${role}`),
    );
    expect(res.json().text).toContain(`is now *${role}*`);
  }
  return { teamId, admin, tech, office, teacher };
}

async function reportViaModal(who: Who, summary: string, viewId = uniqueId('V')) {
  const res = await app.send(
    viewSubmission(
      who,
      CALLBACK.faultModal,
      { summary, description: 'Shows "No signal"', urgency: { option: 'lesson_stopped' } },
      { viewId },
    ),
  );
  expect(res.status).toBe(200);
  return res.json();
}

async function incidentOf(teamId: string, number: number) {
  const s = await findSchoolBySlackTeam(tdb.db, teamId);
  const [row] = await tdb.db
    .select()
    .from(incidents)
    .where(and(eq(incidents.schoolId, s?.id ?? ''), eq(incidents.number, number)));
  if (!row) throw new Error(`no incident ${number}`);
  return row;
}

describe('teacher /fault → card → claim → resolve → DM', () => {
  it('works end to end through the real Bolt app', async () => {
    const s = await school();

    // /fault opens the form, prefilled from the text, with the school's locations.
    const open = expectApi('views.open', { ok: true, view: { id: 'V0OPENED01' } });
    const res = await app.send(slashCommand(s.teacher, '/fault', 'Projector in the hall is dead'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await vi_waitFor(() => open.calls.length === 1);
    const view = open.calls[0]!.view!;
    expect(view.callback_id).toBe(CALLBACK.faultModal);
    expect(textOf(view)).toContain('Projector in the hall is dead');
    expect(textOf(view)).toContain('ICT suite');
    expect(open.calls[0]!.trigger_id).toBe('1337.42.abcdef');

    // Submitting commits the incident and shows the reference at once.
    const ack = await reportViaModal(s.teacher, 'Projector in the hall is dead');
    expect(ack.response_action).toBe('update');
    expect(textOf(ack.view)).toContain('INC-1');

    // The outbox posts the card in the SPOC channel and confirms to the reporter by DM: the fault's
    // one status message, updated in place from now on.
    const post = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000100' },
      { match: inSpoc },
    );
    const dm = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764494100.000200' },
      { match: toUser(s.teacher) },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect(post.calls[0]).toMatchObject({ channel: SPOC_CHANNEL });
    const card = textOf(post.calls[0]!.blocks);
    expect(card).toContain('INC-1');
    expect(card).toContain('P2');
    expect(card).toContain(`<@${s.teacher.userId}>`);
    expect(card).toContain('New');
    expect(post.calls[0]!.blocks!.at(-1)).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: ACTION.claim },
        { action_id: ACTION.triage },
        { action_id: ACTION.forward },
        { action_id: ACTION.resolve },
        // Less common steps (note, hold, close) sit in the card's overflow menu.
        { action_id: ACTION.cardMore, type: 'overflow' },
      ],
    });
    expect(dm.calls[0]).toMatchObject({ channel: s.teacher.userId });
    expect(textOf(dm.calls[0]!.blocks)).toContain('INC-1');

    // The technician claims: card updated in place, history in the thread, reporter told.
    const incident = await incidentOf(s.teamId, 1);
    const claim = await app.send(blockAction(s.tech, ACTION.claim, incident.id));
    expect(claim.status).toBe(200);
    await vi_waitFor(async () => (await incidentOf(s.teamId, 1)).status === 'in_progress');
    const update = expectApi(
      'chat.update',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000100' },
      { match: inSpoc },
    );
    const thread = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000300' },
      { match: inSpoc },
    );
    const claimedDm = expectApi(
      'chat.update',
      { ok: true, channel: 'D0TEACHER1', ts: '1764494100.000200' },
      { match: inDm },
    );
    const claimedLine = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764494100.000400' },
      { match: inDm },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(update.calls[0]).toMatchObject({ channel: SPOC_CHANNEL, ts: '1764494100.000100' });
    expect(textOf(update.calls[0]!.blocks)).toContain('In progress');
    expect(textOf(update.calls[0]!.blocks)).toContain(`<@${s.tech.userId}>`);
    expect(thread.calls[0]).toMatchObject({ channel: SPOC_CHANNEL, thread_ts: '1764494100.000100' });
    expect(thread.calls[0]!.text).toContain(`Claimed by <@${s.tech.userId}>`);
    expect(claimedDm.calls[0]).toMatchObject({ channel: 'D0TEACHER1', ts: '1764494100.000200' });
    expect(textOf(claimedDm.calls[0]!.blocks)).toContain(`Claimed by <@${s.tech.userId}>`);
    expect(claimedLine.calls[0]).toMatchObject({ thread_ts: '1764494100.000200' });
    expect(textOf(claimedLine.calls[0]!.blocks)).toContain('is now working on your fault');

    // Resolve opens a form; submitting it resolves and tells the reporter.
    const resolveForm = expectApi('views.open', { ok: true });
    await app.send(blockAction(s.tech, ACTION.resolve, incident.id));
    await vi_waitFor(() => resolveForm.calls.length === 1);
    const meta = resolveForm.calls[0]!.view!.private_metadata as string;
    expect(resolveForm.calls[0]!.view!.callback_id).toBe(CALLBACK.resolveModal);
    const empty = await app.send(
      viewSubmission(s.tech, CALLBACK.resolveModal, { resolution: ' ' }, { privateMetadata: meta }),
    );
    expect(empty.json()).toEqual({
      response_action: 'errors',
      errors: { resolution: 'Say what was done to fix it.' },
    });
    const done = await app.send(
      viewSubmission(
        s.tech,
        CALLBACK.resolveModal,
        { resolution: 'Reseated the HDMI cable', category: { option: 'av' } },
        { privateMetadata: meta },
      ),
    );
    expect(done.status).toBe(200);
    expect(done.text).toBe('');
    expect(await incidentOf(s.teamId, 1)).toMatchObject({
      status: 'resolved',
      resolution: 'Reseated the HDMI cable',
      category: 'av',
    });
    const update2 = expectApi(
      'chat.update',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000100' },
      { match: inSpoc },
    );
    const thread2 = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000500' },
      { match: inSpoc },
    );
    const fixedDm = expectApi(
      'chat.update',
      { ok: true, channel: 'D0TEACHER1', ts: '1764494100.000200' },
      { match: inDm },
    );
    const fixedLine = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764494100.000600' },
      { match: inDm },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(textOf(update2.calls[0]!.blocks)).toContain('Resolved');
    expect(thread2.calls[0]!.text).toContain('Resolved by');
    expect(textOf(fixedDm.calls[0]!.blocks)).toContain('has been fixed');
    expect(textOf(fixedDm.calls[0]!.blocks)).toContain('Reseated the HDMI cable');
    // The one DM now carries Fixed / Still broken; the step, in its thread, is sent to the DM too.
    expect(JSON.stringify(fixedDm.calls[0]!.blocks!.at(-1))).toContain(ACTION.reporterFixed);
    expect(fixedLine.calls[0]).toMatchObject({ thread_ts: '1764494100.000200' });
    expect(String(fixedLine.calls[0]!.reply_broadcast)).toBe('true');
  });
});

describe('rules', () => {
  it('refuses a bad or stale signature with 401 and changes nothing', async () => {
    const s = await school();
    const good = viewSubmission(s.teacher, CALLBACK.faultModal, {
      summary: 'Forged fault',
      urgency: { option: 'today' },
    });
    const forged = { ...good, headers: { ...good.headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` } };
    expect((await app.send(forged)).status).toBe(401);
    const stale = sign(good.body, 'application/x-www-form-urlencoded', Math.floor(Date.now() / 1000) - 600);
    expect((await app.send(stale)).status).toBe(401);
    const rows = await tdb.db.select().from(incidents).where(eq(incidents.summary, 'Forged fault'));
    expect(rows).toEqual([]);
  });

  it('a double submit of the same form makes one incident', async () => {
    const s = await school();
    const [a, b] = await Promise.all([
      reportViaModal(s.teacher, 'Twice', 'V0DOUBLE01'),
      reportViaModal(s.teacher, 'Twice', 'V0DOUBLE01'),
    ]);
    expect(textOf(a.view)).toContain('INC-1');
    expect(textOf(b.view)).toContain('INC-1');
    const rows = await tdb.db.select().from(incidents).where(eq(incidents.summary, 'Twice'));
    expect(rows).toHaveLength(1);
    expect(await tdb.db.select().from(outbox).where(eq(outbox.schoolId, rows[0]!.schoolId))).toHaveLength(2);
    await drain();
  });

  it('shows form errors beside the field and writes nothing', async () => {
    const s = await school();
    const res = await app.send(
      viewSubmission(s.teacher, CALLBACK.faultModal, {
        summary: 'no',
        urgency: { option: 'today' },
        locationId: { option: 'not-a-location' },
      }),
    );
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: {
        summary: 'Say in a few words what is wrong.',
        locationId: 'Choose a location from the list.',
      },
    });
  });

  it('refuses a teacher pressing Claim, in the command', async () => {
    const s = await school();
    await reportViaModal(s.teacher, 'Teacher tries to claim');
    const incident = await incidentOf(s.teamId, 1);
    const told = expectResponseUrl(responsePath(s.teamId));
    await app.send(blockAction(s.teacher, ACTION.claim, incident.id));
    await vi_waitFor(() => told.calls.length === 1);
    expect(told.calls[0]).toMatchObject({
      response_type: 'ephemeral',
      text: 'Only technicians and office staff can claim incidents.',
    });
    expect(await incidentOf(s.teamId, 1)).toMatchObject({ status: 'new', assigneeId: null });
    await drain();
  });

  it('tells a second claimer who has it', async () => {
    const s = await school();
    await reportViaModal(s.teacher, 'Two techs');
    const incident = await incidentOf(s.teamId, 1);
    await app.send(blockAction(s.tech, ACTION.claim, incident.id));
    await vi_waitFor(async () => (await incidentOf(s.teamId, 1)).status === 'in_progress');
    const told = expectResponseUrl(responsePath(s.teamId));
    await app.send(blockAction(s.office, ACTION.claim, incident.id));
    await vi_waitFor(() => told.calls.length === 1);
    expect(told.calls[0]!.text).toBe('Already claimed by sam.tech.');
    await drain();
  });

  it('never lets a crafted payload from another school touch an incident', async () => {
    const a = await school();
    const b = await school();
    await reportViaModal(a.teacher, 'School A only');
    const incident = await incidentOf(a.teamId, 1);
    const told = expectResponseUrl(responsePath(b.teamId));
    await app.send(blockAction(b.admin, ACTION.claim, incident.id));
    await vi_waitFor(() => told.calls.length === 1);
    expect(told.calls[0]!.text).toBe("I couldn't find that incident in your school.");
    const res = await app.send(
      viewSubmission(
        b.admin,
        CALLBACK.resolveModal,
        { resolution: 'hijacked' },
        { privateMetadata: JSON.stringify({ incidentId: incident.id }) },
      ),
    );
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { resolution: "I couldn't find that incident in your school." },
    });
    expect(await incidentOf(a.teamId, 1)).toMatchObject({
      status: 'new',
      assigneeId: null,
      resolution: null,
    });
    await drain();
  });

  it('acknowledges /fault without waiting for Slack to open the form', async () => {
    const s = await school();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let answered = false;
    nock('https://slack.com')
      .post('/api/views.open')
      .reply(async () => {
        await gate;
        answered = true;
        return [200, { ok: true }];
      });
    const res = await app.send(slashCommand(s.teacher, '/fault', ''));
    expect(res.status).toBe(200);
    expect(answered).toBe(false); // the HTTP answer came while views.open was still waiting
    release();
    await vi_waitFor(() => answered);
  });

  it('apologises with a reference when something unexpected fails', async () => {
    const s = await school();
    // The database falls over in the middle of the submission.
    vi.spyOn(tdb.db, 'transaction').mockRejectedValueOnce(new Error('connection terminated'));
    const res = await app.send(
      viewSubmission(s.teacher, CALLBACK.faultModal, {
        summary: 'Projector dead',
        urgency: { option: 'today' },
      }),
    );
    vi.restoreAllMocks();
    const body = res.json();
    expect(body.response_action).toBe('update');
    expect(textOf(body.view)).toMatch(/Sorry — something went wrong \(ref E-[0-9A-F]{8}\)/);
  });

  it('opens the same form from the message shortcut, prefilled', async () => {
    const s = await school();
    const open = expectApi('views.open', { ok: true });
    await app.send(
      messageShortcut(
        s.teacher,
        CALLBACK.reportFromMessage,
        'Wi-Fi keeps dropping in Year 5\nSince this morning',
      ),
    );
    await vi_waitFor(() => open.calls.length === 1);
    const view = open.calls[0]!.view!;
    expect(view.callback_id).toBe(CALLBACK.faultModal);
    expect(textOf(view)).toContain('Wi-Fi keeps dropping in Year 5');
    expect(textOf(view)).toContain('Since this morning');
  });
});

const inSpoc = (args: ApiArgs) => args.channel === SPOC_CHANNEL;
const toUser = (who: Who) => (args: ApiArgs) => args.channel === who.userId;
const inDm = (args: ApiArgs) => args.channel === 'D0TEACHER1';

async function drain() {
  // Deliver what the test left in the outbox so later tests start clean.
  await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
}

async function vi_waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met in time');
}
