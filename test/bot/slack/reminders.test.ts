import { eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, REGISTER_BLOCK } from '../../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { contracts, incidents, payments, reminderSnoozes } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { schedulePayment } from '../../../src/domain/registers/payments';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { silentLogger } from '../../../src/log';
import { runReminderPass } from '../../../src/worker/reminder-pass';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { uniqueId } from '../../support/factories';
import {
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
  slashCommand,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { until } from '../../support/wait';

const NOW = '2027-03-01T09:00:00Z'; // a Monday, in school time
/** Each test's school has its own SPOC channel, so one test's reminders never meet another's. */
let SPOC = 'C0SPOC0200';
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

/** A school set up in Slack, with an office member who keeps the registers. */
async function school() {
  SPOC = uniqueId('C');
  const s = await slackSchool(app, SPOC);
  const who = await identifySlackUser(tdb.db, clock, { teamId: s.teamId, userId: s.office.userId });
  return { ...s, ctx: { db: tdb.db, clock, actor: who.actor } };
}

/**
 * Runs a pass and delivers what it queued: the day's briefing (the week's digest in it, on a
 * Monday) as the one new message in the SPOC channel, each item with buttons in its thread, and a
 * P1 SLA breach on its own. Returns the items, the briefing and what stood alone.
 */
async function remind(count: number, alone = 0) {
  await runReminderPass({ db: tdb.db, log: silentLogger, now: new Date(NOW) });
  const posted = expectApi(
    'chat.postMessage',
    { ok: true, channel: SPOC, ts: BRIEFING_TS },
    { times: count + alone + 1, match: (a) => a.channel === SPOC },
  );
  await app.dispatcher.runOnce();
  const briefings = posted.calls.filter((c) => String(c.text).startsWith('Briefing for'));
  expect(briefings).toHaveLength(1);
  const [briefing] = briefings;
  expect(briefing?.thread_ts).toBeUndefined();
  expect(textOf(briefing?.blocks)).toContain('The week ahead');
  const items = posted.calls.filter((c) => c.thread_ts === BRIEFING_TS);
  expect(items).toHaveLength(count);
  return Object.assign(items, {
    briefing: briefing!,
    alone: posted.calls.filter((c) => c !== briefing && !c.thread_ts),
  });
}

/** The ts Slack gives every post here (so the briefing's, which its items are threaded under). */
const BRIEFING_TS = '1772355600.000100';

function respondCapture(teamId: string) {
  const said: Array<Record<string, unknown>> = [];
  nock(RESPONSE_URL_HOST)
    .post(responsePath(teamId))
    .reply((_uri, body) => {
      said.push(body as Record<string, unknown>);
      return [200, 'ok'];
    });
  return said;
}

function buttonsOf(message: { blocks?: Array<Record<string, unknown>> }) {
  const actions = message.blocks?.find((b) => b.type === 'actions') as
    | { elements: Array<{ action_id: string; value: string }> }
    | undefined;
  return actions?.elements ?? [];
}

describe('reminders in the SPOC channel', () => {
  it('a payment reminder’s Mark paid pays it, schedules the next and updates the message', async () => {
    const s = await school();
    const p = await schedulePayment(s.ctx, {
      payee: 'Oakwood ICT',
      providerId: null,
      amountPence: 123450,
      dueDate: '2027-03-05',
      recurrence: 'monthly',
      reference: 'INV-9',
      notes: '',
    });
    expect(p.ok).toBe(true);
    const [message] = await remind(1);
    expect(textOf(message?.blocks)).toContain(
      'Payment of *£1,234.50* to *Oakwood ICT* (ref INV-9) is due in 4 days (Fri 5 Mar 2027).',
    );
    const paid = buttonsOf(message!).find((b) => b.action_id === ACTION.reminderPaid)!;
    const said = respondCapture(s.teamId);
    await app.send(
      blockAction(s.office, ACTION.reminderPaid, paid.value, {
        channelId: SPOC,
        messageTs: '1772355600.000100',
      }),
    );
    const update = await until(() => said[0], 'message update');
    expect(update.replace_original).toBe(true);
    expect(textOf(update)).toContain(
      'Marked paid Mon 1 Mar 2027. Next payment of £1,234.50 scheduled for Mon 5 Apr 2027.',
    );
    expect(textOf(update)).toContain(`<@${s.office.userId}>`);
    const row = await findSchoolBySlackTeam(tdb.db, s.teamId);
    const rows = await tdb.db
      .select()
      .from(payments)
      .where(eq(payments.schoolId, row!.id))
      .orderBy(payments.dueDate);
    expect(rows.map((r) => [r.dueDate, r.status])).toEqual([
      ['2027-03-05', 'paid'],
      ['2027-04-05', 'scheduled'],
    ]);
  });

  it('a later pass the same day updates the briefing in place and adds its item to the thread', async () => {
    const s = await school();
    const pay = async (payee: string) =>
      expect(
        (
          await schedulePayment(s.ctx, {
            payee,
            providerId: null,
            amountPence: 5000,
            dueDate: '2027-03-04',
            recurrence: 'none',
            reference: '',
            notes: '',
          })
        ).ok,
      ).toBe(true);
    await pay('Oakwood ICT');
    const first = await remind(1);
    expect(textOf(first.briefing.blocks)).toContain('Payments (1)');

    await pay('Fibre Co');
    // As if at 11:00, recorded at the test's frozen moment, so the dispatcher sends it now.
    await runReminderPass({
      db: tdb.db,
      log: silentLogger,
      now: new Date('2027-03-01T11:00:00Z'),
      recordedAt: new Date(NOW),
    });
    const update = expectApi('chat.update', { ok: true }, { match: (a) => a.ts === BRIEFING_TS });
    const item = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: '1772362800.000200' },
      { match: (a) => a.channel === SPOC },
    );
    await app.dispatcher.runOnce();
    const updated = update.calls[0]!;
    expect(updated.channel).toBe(SPOC);
    expect(textOf(updated.blocks)).toContain('Payments (2)');
    expect(textOf(updated.blocks)).toContain('Fibre Co');
    // The only new post is the item, in the briefing's thread.
    expect(item.calls.map((c) => c.thread_ts)).toEqual([BRIEFING_TS]);
    expect(textOf(item.calls[0]?.blocks)).toContain('Fibre Co');
  });

  it('Snooze 7 days holds the reminder back; a teacher may not snooze', async () => {
    const s = await school();
    const p = await schedulePayment(s.ctx, {
      payee: 'Printer lease',
      providerId: null,
      amountPence: 9900,
      dueDate: '2027-03-01',
      recurrence: 'none',
      reference: '',
      notes: '',
    });
    expect(p.ok).toBe(true);
    const [message] = await remind(1);
    const snooze = buttonsOf(message!).find((b) => b.action_id === ACTION.reminderSnooze)!;
    const teacher: Who = { teamId: s.teamId, userId: uniqueId('U'), userName: 'ms.patel' };
    const refused = respondCapture(s.teamId);
    await app.send(blockAction(teacher, ACTION.reminderSnooze, snooze.value));
    expect((await until(() => refused[0], 'refusal')).text).toBe(
      'Only office staff (the SPOC) can change the registers.',
    );
    const said = respondCapture(s.teamId);
    await app.send(blockAction(s.office, ACTION.reminderSnooze, snooze.value));
    expect(textOf(await until(() => said[0], 'snoozed'))).toContain('Snoozed until Mon 8 Mar 2027');
    const row = await findSchoolBySlackTeam(tdb.db, s.teamId);
    expect(
      await tdb.db.select().from(reminderSnoozes).where(eq(reminderSnoozes.schoolId, row!.id)),
    ).toHaveLength(1);
  });

  it('a contract notice reminder: Renewed asks the new end date and updates the contract and the message', async () => {
    const s = await school();
    const provider = await addProvider(s.ctx, {
      name: 'Oakwood ICT',
      level: 'second',
      contactName: '',
      email: '',
      phone: '',
      chatChannel: '',
      notes: '',
    });
    if (!provider.ok) throw new Error(provider.error.message);
    const contract = await addContract(s.ctx, {
      providerId: provider.value.id,
      title: 'Support SLA',
      service: '',
      startDate: '2026-04-01',
      endDate: '2027-04-20',
      noticeDays: 30,
      autoRenews: true,
      valuePence: null,
      responseTargetHours: 8,
      notes: '',
    });
    if (!contract.ok) throw new Error(contract.error.message);
    const [notice] = await remind(1);
    if (!notice) throw new Error('no reminder posted');
    expect(textOf(notice.blocks)).toContain(
      'The notice deadline for *Support SLA* with *Oakwood ICT* is Sun 21 Mar 2027 — in 20 days. It renews automatically if nobody gives notice.',
    );
    const renewed = buttonsOf(notice).find((b) => b.action_id === ACTION.reminderRenewed)!;
    const open = expectApi('views.open', { ok: true });
    await app.send(
      blockAction(s.office, ACTION.reminderRenewed, renewed.value, {
        channelId: SPOC,
        messageTs: '1772355600.000100',
      }),
    );
    const form = (await until(() => open.calls[0], 'renew form')).view!;
    expect(form.callback_id).toBe(CALLBACK.renewModal);
    const early = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.renewModal,
        { [REGISTER_BLOCK.expiryDate]: '2027-01-01' },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(early.json()).toEqual({
      response_action: 'errors',
      errors: { expiryDate: 'Must be after the current end date.' },
    });
    const update = expectApi(
      'chat.update',
      { ok: true },
      { match: (a) => a.channel === SPOC && a.ts === '1772355600.000100' },
    );
    const ok = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.renewModal,
        { [REGISTER_BLOCK.expiryDate]: '2028-04-20' },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(ok.status).toBe(200);
    const updated = await until(() => update.calls[0], 'message update');
    expect(textOf(updated.blocks)).toContain('Renewed to Thu 20 Apr 2028');
    const [row] = await tdb.db.select().from(contracts).where(eq(contracts.id, contract.value.id));
    expect(row).toMatchObject({ endDate: '2028-04-20', status: 'active' });
  });

  it('/spoc term records school holidays, when nothing is posted', async () => {
    const s = await school();
    const spoc = async (who: Who, text: string) =>
      textOf((await app.send(slashCommand(who, '/spoc', text))).json());
    expect(await spoc(s.office, 'term add 01/03/2027 05/03/2027 Staff training week')).toContain(
      '*Staff training week* added: Mon 1 Mar 2027 – Fri 5 Mar 2027. No reminders then, and SLA clocks rest.',
    );
    expect(await spoc(s.office, 'term add 2027-08-01 2027-12-31 Too long')).toContain('at most 120 days');
    expect(await spoc(s.office, 'term add tomorrow never Nonsense')).toContain(
      'Usage: `/spoc term add 19/12/2026 04/01/2027 Christmas`',
    );
    const teacher: Who = { teamId: s.teamId, userId: uniqueId('U'), userName: 'ms.patel' };
    expect(await spoc(teacher, 'term add 01/04/2027 02/04/2027 Mine')).toContain(
      'Only office staff (the SPOC) can change the registers.',
    );
    expect(await spoc(s.office, 'term')).toContain('*Staff training week*: 01/03/2027 – 05/03/2027');
    const p = await schedulePayment(s.ctx, {
      payee: 'Oakwood ICT',
      providerId: null,
      amountPence: 100,
      dueDate: '2027-03-02',
      recurrence: 'none',
      reference: '',
      notes: '',
    });
    expect(p.ok).toBe(true);
    const results = await runReminderPass({ db: tdb.db, log: silentLogger, now: new Date(NOW) });
    const row = await findSchoolBySlackTeam(tdb.db, s.teamId);
    expect(results.find((r) => r.schoolId === row!.id)?.posted).toEqual([]);
    expect(await spoc(s.office, 'term remove 01/03/2027')).toContain('*Staff training week* removed.');
  });

  it('an SLA reminder’s Reassign gives the incident to a named technician and updates the message', async () => {
    const s = await school();
    const tech: Who = { teamId: s.teamId, userId: uniqueId('U'), userName: 'alex.tech' };
    await app.send(slashCommand(s.admin, '/spoc', `role <@${tech.userId}> technician`));
    const teacher = await identifySlackUser(tdb.db, fixedClock('2027-03-01T08:00:00Z'), {
      teamId: s.teamId,
      userId: uniqueId('U'),
      userName: 'ms.patel',
    });
    const reported = await reportFault(
      { db: tdb.db, clock: fixedClock('2027-03-01T08:00:00Z'), actor: teacher.actor },
      { summary: 'Whole school Wi-Fi down', urgency: 'lesson_stopped', impact: 'whole_school' },
    );
    if (!reported.ok) throw new Error(reported.error.message);
    // The card and the reporter's confirmation go first; then the pass (P1, an hour old) warns.
    expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: '1772352000.000100' },
      { match: (a) => a.channel === SPOC },
    );
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D1', ts: '1.1' },
      { match: (a) => a.channel === teacher.person.slackUserId },
    );
    await app.dispatcher.runOnce();
    // A P1 whose target is missed stands alone, beside the briefing (here only the week ahead).
    const {
      alone: [breach],
    } = await remind(0, 1);
    expect(breach?.thread_ts).toBeUndefined();
    expect(textOf(breach?.blocks)).toContain('first response was due');
    const reassign = buttonsOf(breach!).find((b) => b.action_id === ACTION.reminderReassign)!;
    const open = expectApi('views.open', { ok: true });
    await app.send(
      blockAction(s.office, ACTION.reminderReassign, reassign.value, {
        channelId: SPOC,
        messageTs: '1772355600.000100',
      }),
    );
    const form = (await until(() => open.calls[0], 'reassign form')).view!;
    expect(form.callback_id).toBe(CALLBACK.reassignModal);
    const update = expectApi('chat.update', { ok: true }, { match: (a) => a.ts === '1772355600.000100' });
    const res = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.reassignModal,
        { assignee: { user: tech.userId } },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(res.status).toBe(200);
    expect(textOf((await until(() => update.calls[0], 'message update')).blocks)).toContain(
      `Given to <@${tech.userId}>`,
    );
    const [row] = await tdb.db.select().from(incidents).where(eq(incidents.id, reported.value.incident.id));
    expect(row?.status).toBe('assigned');
  });
});
