/**
 * Reminder buttons in Teams, through `POST /api/messages` with signed activities and every
 * connector call pinned. Real reminders are made as the worker makes them (the reminder pass, run
 * as of a frozen school-time moment) and delivered by the outbox into the school's SPOC channel;
 * each button is then pressed: the record changes, the answer is the reminder as it was, without
 * buttons, with the outcome line naming the presser (Slack's words); a teacher is refused in the
 * domain's words; a second press changes nothing and says so; a press naming another school's
 * reminder or record changes nothing and says only that the card is out of date.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTeamsPerson, setPersonRole } from '../../../src/db/queries/people';
import { ensureTeamsSchool } from '../../../src/db/queries/schools';
import {
  contracts,
  escalations,
  incidentEvents,
  incidents,
  locations,
  outbox,
  payments,
  reminderSnoozes,
  workItemIncidents,
  workItems,
} from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { escalateIncident } from '../../../src/domain/incidents/escalate-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { triageIncident } from '../../../src/domain/incidents/triage-incident';
import { REMINDER_ALREADY_DONE } from '../../../src/domain/presenters/reminder-outcome';
import { registerAsset } from '../../../src/domain/registers/assets';
import { addDiaryEntry } from '../../../src/domain/registers/diary';
import { addLicence } from '../../../src/domain/registers/licences';
import { schedulePayment } from '../../../src/domain/registers/payments';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
import { FORBIDDEN } from '../../../src/domain/roles';
import { schoolToday } from '../../../src/domain/school-time';
import { actorOf } from '../../../src/domain/schools/identify';
import { setupSchool } from '../../../src/domain/schools/setup-school';
import { assetInput } from '../../support/factories';
import { CHANNEL_ID, TENANT_ID } from '../../support/teams-activities';
import {
  A_TEACHER,
  ADMIN,
  type Answer,
  type Card,
  cardText,
  dialogCard,
  hoursBefore,
  isoDay,
  line,
  MONDAY,
  OFFICE,
  PASS_AT,
  TECH,
  useTeamsReminders,
} from '../../support/teams-reminders';
import { must, until } from '../../support/wait';

const spoc = useTeamsReminders('spoc-reminders-key');
const { calls, db, posted, entry, button, postedIdOf, press, task } = spoc;

let schoolId = '';
let otherSchoolId = '';
const ids = {
  payment: '',
  broadband: '',
  contract: '',
  slaIncident: '',
  escalatedIncident: '',
  otherPayment: '',
  licence: '',
  asset: '',
};
let otherOutboxId = 0;
let otherPersonId = '';
let officePersonId = '';
let adminPersonId = '';

const isMessage = (a: Answer, text: string) =>
  expect(a).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });
function doneCard(a: Answer): Card {
  expect(a).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  const card = a.value as Card;
  expect(card.actions).toBeUndefined();
  return card;
}
const dataOf = (action: Record<string, unknown>) => action.data as Record<string, unknown>;

beforeAll(async () => {
  const { admin, office, teacher } = await spoc.setUpSchool();
  schoolId = spoc.schoolId();
  officePersonId = office.actor.personId;
  adminPersonId = admin.actor.personId;
  await spoc.personCtx(TECH, 'technician', MONDAY);
  expect(admin.actor.role).toBe('admin');

  // A monthly payment due in four days.
  ids.payment = must(
    await schedulePayment(office, {
      payee: 'Oakwood ICT',
      providerId: null,
      amountPence: 123450,
      dueDate: isoDay(PASS_AT, 4),
      recurrence: 'monthly',
      reference: 'INV-9',
      notes: '',
    }),
  ).id;
  // A one-off broadband bill due in two days.
  ids.broadband = must(
    await schedulePayment(office, {
      payee: 'Fibre Co',
      providerId: null,
      amountPence: 4500,
      dueDate: isoDay(PASS_AT, 2),
      recurrence: 'none',
      reference: '',
      notes: '',
    }),
  ).id;
  // A contract whose notice deadline is 20 days off.
  const oakwood = must(
    await addProvider(office, {
      name: 'Oakwood ICT',
      level: 'second',
      contactName: '',
      email: 'help@oakwood.example',
      phone: '',
      chatChannel: '',
      notes: '',
    }),
  );
  ids.contract = must(
    await addContract(office, {
      providerId: oakwood.id,
      title: 'Support SLA',
      service: '',
      startDate: isoDay(PASS_AT, -300),
      endDate: isoDay(PASS_AT, 50),
      noticeDays: 30,
      autoRenews: true,
      valuePence: null,
      responseTargetHours: 8,
      notes: '',
    }),
  ).id;
  // A licence running out in 10 days, a laptop's warranty in 12, and an engineer's visit today.
  ids.licence = must(
    await addLicence(office, {
      title: 'Purple Mash',
      publisher: '2Simple',
      type: 'site',
      quantity: null,
      seatsInUse: 0,
      startDate: isoDay(PASS_AT, -355),
      expiryDate: isoDay(PASS_AT, 10),
      supplier: '',
      costPence: null,
      keyReference: '',
      notes: '',
    }),
  ).id;
  ids.asset = must(
    await registerAsset(
      office,
      assetInput({ tag: 'LAP-0042', purchaseDate: isoDay(PASS_AT, -718), warrantyEnd: isoDay(PASS_AT, 12) }),
    ),
  ).id;
  must(
    await addDiaryEntry(office, {
      date: isoDay(PASS_AT, 0),
      title: 'Engineer visit: new Wi-Fi access points',
      kind: 'visit',
      notes: '',
      assetId: null,
    }),
  );
  // An incident escalated on Monday 09:00, 8 school hours to answer: overdue by Tuesday 10:00.
  const county = must(
    await addProvider(office, {
      name: 'County ICT',
      level: 'second',
      contactName: 'Jo Helpdesk',
      email: 'help@county.example',
      phone: '',
      chatChannel: '',
      notes: '',
    }),
  );
  must(
    await addContract(office, {
      providerId: county.id,
      title: 'ICT support',
      service: '',
      startDate: isoDay(PASS_AT, -100),
      endDate: isoDay(PASS_AT, 400),
      noticeDays: 30,
      autoRenews: false,
      valuePence: null,
      responseTargetHours: 8,
      notes: '',
    }),
  );
  const projector = must(
    await reportFault(
      { ...teacher, clock: fixedClock(hoursBefore(MONDAY, 1)) },
      { summary: 'Hall projector lamp', urgency: 'this_week', impact: 'person' },
    ),
  ).incident;
  ids.escalatedIncident = projector.id;
  must(
    await triageIncident(office, {
      incidentId: projector.id,
      impact: 'person',
      urgency: 'this_week',
      category: 'av',
    }),
  );
  must(
    await escalateIncident(office, {
      incidentId: projector.id,
      providerId: county.id,
      providerRef: 'CAS-77',
      note: 'Lamp replaced, still blank',
    }),
  );
  // Three faults in one room within the month: a problem is suggested.
  const [room] = await db()
    .select()
    .from(locations)
    .where(eq(locations.schoolId, schoolId))
    .orderBy(locations.name)
    .limit(1);
  for (const [h, what] of [
    [50, 'Board flickers'],
    [30, 'Board flickers again'],
    [3, 'Board dead'],
  ] as const) {
    must(
      await reportFault(
        { ...teacher, clock: fixedClock(hoursBefore(PASS_AT, h)) },
        { summary: what, urgency: 'this_week', impact: 'person', locationId: room!.id },
      ),
    );
  }
  // The whole school's Wi-Fi down for an hour: its first response is due or overdue.
  ids.slaIncident = must(
    await reportFault(
      { ...teacher, clock: fixedClock(hoursBefore(PASS_AT, 1)) },
      { summary: 'Whole school Wi-Fi down', urgency: 'lesson_stopped', impact: 'whole_school' },
    ),
  ).incident.id;

  // Another school (another team of the tenant) with its own payment and reminder.
  const other = await ensureTeamsSchool(
    db(),
    TENANT_ID,
    '19:other-team@thread.tacv2',
    'Other School',
    MONDAY,
  );
  otherSchoolId = other.id;
  const otherAdmin = await ensureTeamsPerson(
    db(),
    other.id,
    'aa11bb22-cc33-4d44-8e55-ff6677889900',
    'Pat Other',
    MONDAY,
  );
  await setPersonRole(db(), other.id, otherAdmin.id, 'admin', MONDAY);
  otherPersonId = otherAdmin.id;
  const otherCtx = {
    db: db(),
    clock: fixedClock(MONDAY),
    actor: actorOf({ ...otherAdmin, role: 'admin' as const }),
  };
  must(await setupSchool(otherCtx, { teamsChannelId: '19:other-spoc@thread.tacv2' }));
  ids.otherPayment = must(
    await schedulePayment(otherCtx, {
      payee: 'Elsewhere Ltd',
      providerId: null,
      amountPence: 9900,
      dueDate: isoDay(PASS_AT, 3),
      recurrence: 'none',
      reference: '',
      notes: '',
    }),
  ).id;

  // The worker's pass, as of Tuesday 10:00, recorded now; the outbox posts it into the SPOC channel.
  await spoc.runPass();
  const [otherRow] = (await db().select().from(outbox).where(eq(outbox.schoolId, otherSchoolId))).filter(
    (r) => (r.message as { reminder?: { kind: string } }).reminder?.kind === 'payment.due_soon',
  );
  otherOutboxId = otherRow!.id;
  // The digest and today's diary have no buttons, so no outbox id to find their posts by.
  await spoc.waitPosted(
    posted.filter((p) => p.reminder.kind !== 'digest' && p.reminder.kind !== 'diary.today'),
  );
}, 60_000);

describe('reminder buttons in Teams', () => {
  it('posts one briefing in the SPOC channel, each item a reply in its thread, and a P1 breach on its own', () => {
    const briefings = calls.filter(
      (c) => c.method === 'CREATE' && JSON.stringify(c.body).includes('Briefing for'),
    );
    expect(briefings).toHaveLength(1);
    const briefing = briefings[0]!;
    expect(briefing.path).toBe('/uk/v3/conversations');
    const text = cardText(
      (briefing.body.activity as { attachments: Array<{ content: Card }> }).attachments[0]!.content,
    );
    expect(text).toContain('Payments (2)');
    expect(text.match(/Engineer visit/g)).toHaveLength(1);
    expect(text).toContain('Engineer visit: new Wi-Fi access points');
    const thread = `${CHANNEL_ID};messageid=${briefing.id}`;
    for (const p of posted.filter((p) => p.reminder.kind !== 'digest')) {
      const post = calls.find(
        (c) =>
          (c.method === 'CREATE' || c.method === 'POST') &&
          JSON.stringify(c.body).includes(`"outbox":"${p.outboxId}"`),
      )!;
      const alone = p.reminder.kind === 'incident.sla_breach' && p.reminder.priority === 'P1';
      // A reply in the briefing's thread; a P1 whose target is missed is a post of its own.
      if (alone) expect(post.method, p.reminder.kind).toBe('CREATE');
      else expect(post.path, p.reminder.kind).toBe(`/uk/v3/conversations/${thread}/activities`);
    }
    // The pass's only posts of their own: the briefing and each P1 breach.
    const ownPosts = calls.filter(
      (c) => c.method === 'CREATE' && JSON.stringify(c.body).includes('"outbox":"'),
    );
    expect(ownPosts).toHaveLength(
      posted.filter((p) => p.reminder.kind === 'incident.sla_breach' && p.reminder.priority === 'P1').length,
    );
  });

  it('posts each reminder with its outbox id on every button', () => {
    expect(posted.map((p) => p.reminder.kind)).toEqual(
      expect.arrayContaining([
        'payment.due_soon',
        'contract.notice',
        'escalation.chase',
        'problem.suggested',
        expect.stringMatching(/^incident\.sla_(warning|breach)$/),
        'licence.expiring',
        'asset.warranty',
      ]),
    );
    // Today's diary has nothing to press: it is in the day's briefing only.
    expect(posted.map((p) => p.reminder.kind)).not.toContain('diary.today');
    const paid = button('payment.due_soon', 'reminder.paid', ids.payment);
    expect(paid).toMatchObject({
      type: 'Action.Execute',
      verb: 'reminder.paid',
      data: { value: ids.payment, outbox: String(entry('payment.due_soon', ids.payment).outboxId) },
    });
    // Renewed opens a dialog: an Action.Submit asking for task/fetch, its value the reminder's id.
    const renewed = button('contract.notice', 'reminder.renewed');
    const id = String(entry('contract.notice').outboxId);
    expect(renewed).toMatchObject({
      type: 'Action.Submit',
      data: { msteams: { type: 'task/fetch' }, verb: 'reminder.renewed', value: id, outbox: id },
    });
  });

  it('Mark paid: a teacher is refused; the office pays it once, and the card shows the reminder and who paid it', async () => {
    const data = dataOf(button('payment.due_soon', 'reminder.paid', ids.payment));
    isMessage(await press('reminder.paid', data, A_TEACHER), FORBIDDEN['register.manage']);
    const [before] = await db().select().from(payments).where(eq(payments.id, ids.payment));
    expect(before?.status).not.toBe('paid');

    const messageId = postedIdOf(entry('payment.due_soon', ids.payment).outboxId);
    const updatesBefore = calls.filter((c) => c.method === 'PUT').length;
    const card = doneCard(await press('reminder.paid', data, OFFICE, messageId));
    // Everyone in the channel sees it done: the message itself is replaced with the same card.
    const updates = calls.filter((c) => c.method === 'PUT').slice(updatesBefore);
    expect(updates.map((c) => c.path)).toEqual([
      `/uk/v3/conversations/${CHANNEL_ID};messageid=${messageId}/activities/${messageId}`,
    ]);
    expect((updates[0]?.body.attachments as Array<{ content: Card }> | undefined)?.[0]?.content).toEqual(
      card,
    );
    const today = schoolToday(new Date(), 'Europe/London');
    const [paid] = await db().select().from(payments).where(eq(payments.id, ids.payment));
    expect(paid).toMatchObject({ status: 'paid', paidDate: today });
    const next = (await db().select().from(payments).where(eq(payments.schoolId, schoolId))).find(
      (p) => p.payee === 'Oakwood ICT' && p.id !== ids.payment,
    );
    expect(next?.dueDate).toBe(
      (() => {
        const d = new Date(`${isoDay(PASS_AT, 4)}T00:00:00Z`);
        d.setUTCMonth(d.getUTCMonth() + 1);
        return d.toISOString().slice(0, 10);
      })(),
    );
    const text = cardText(card);
    expect(text).toContain('Payment of **£1,234.50** to **Oakwood ICT** (ref INV-9) is due in 4 days');
    expect(text).toContain(
      line({
        kind: 'paid',
        already: false,
        paidDate: today,
        next: { amountPence: 123450, dueDate: next!.dueDate },
      }),
    );
    expect(text).toContain('— **Adele Vance**');

    // The same press again (a double click) shows the same; anyone else is told it was dealt with.
    expect(cardText(doneCard(await press('reminder.paid', data)))).toBe(text);
    isMessage(await press('reminder.paid', data, ADMIN), REMINDER_ALREADY_DONE);
    expect((await db().select().from(payments).where(eq(payments.schoolId, schoolId))).length).toBe(3);
  });

  it("a press naming another school's reminder, or another school's payment, changes nothing", async () => {
    const stale = 'This card is out of date; nothing was changed.';
    isMessage(
      await press('reminder.paid', { value: ids.otherPayment, outbox: String(otherOutboxId) }, ADMIN),
      stale,
    );
    // The school's own reminder, with another school's payment in place of its own.
    const own = dataOf(button('payment.due_soon', 'reminder.paid', ids.payment));
    isMessage(await press('reminder.paid', { ...own, value: ids.otherPayment }, ADMIN), stale);
    isMessage(
      await press(
        'reminder.snooze',
        { value: `payment:${ids.otherPayment}`, outbox: String(otherOutboxId) },
        ADMIN,
      ),
      stale,
    );
    const [other] = await db().select().from(payments).where(eq(payments.id, ids.otherPayment));
    expect(other?.status).toBe('scheduled');
    expect(
      await db().select().from(reminderSnoozes).where(eq(reminderSnoozes.schoolId, otherSchoolId)),
    ).toEqual([]);
  });

  it('Snooze: the reminder is snoozed 7 days, once', async () => {
    const data = dataOf(button('payment.due_soon', 'reminder.snooze', ids.broadband));
    isMessage(await press('reminder.snooze', data, A_TEACHER), FORBIDDEN['register.manage']);
    const card = doneCard(await press('reminder.snooze', data));
    const until7 = schoolToday(new Date(Date.now() + 7 * 86_400_000), 'Europe/London');
    expect(cardText(card)).toContain('to **Fibre Co**');
    expect(cardText(card)).toContain(line({ kind: 'snoozed', until: until7 }));
    const snoozed = () =>
      db()
        .select()
        .from(reminderSnoozes)
        .where(
          and(
            eq(reminderSnoozes.schoolId, schoolId),
            eq(reminderSnoozes.subject, `payment:${ids.broadband}`),
          ),
        );
    const [first] = await snoozed();
    expect(first?.until.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    isMessage(await press('reminder.snooze', data, ADMIN), REMINDER_ALREADY_DONE);
    expect(await snoozed()).toEqual([first]);
  });

  it('licence and warranty reminders are posted with their words and snooze from Teams; the diary has no buttons', async () => {
    const cardOfKind = (kind: string) => spoc.postedReminder(entry(kind).outboxId).card;
    expect(cardText(cardOfKind('licence.expiring'))).toContain('Purple Mash');
    expect(cardText(cardOfKind('asset.warranty'))).toContain('LAP-0042');
    // Today's diary, in the day's briefing, which has no buttons (so found by its words).
    const diaryPost = await until(
      () =>
        calls.find(
          (c) =>
            c.method === 'CREATE' &&
            JSON.stringify(c.body).includes('Engineer visit: new Wi-Fi access points'),
        ),
      "today's diary posted",
    );
    const diary = (diaryPost.body.activity as { attachments: Array<{ content: Card }> }).attachments[0]
      ?.content;
    expect(diary?.actions ?? []).toEqual([]);
    for (const [kind, subject] of [
      ['licence.expiring', `licence:${ids.licence}`],
      ['asset.warranty', `asset:${ids.asset}`],
    ] as const) {
      const data = dataOf(button(kind, 'reminder.snooze'));
      const card = doneCard(await press('reminder.snooze', data, OFFICE));
      expect(cardText(card)).toContain('Snoozed');
      const rows = await db()
        .select()
        .from(reminderSnoozes)
        .where(and(eq(reminderSnoozes.schoolId, schoolId), eq(reminderSnoozes.subject, subject)));
      expect(rows).toHaveLength(1);
    }
  });

  it('Will cancel: the contract is marked as being cancelled, once', async () => {
    const data = dataOf(button('contract.notice', 'reminder.willCancel'));
    isMessage(await press('reminder.willCancel', data, A_TEACHER), FORBIDDEN['register.manage']);
    const card = doneCard(await press('reminder.willCancel', data));
    expect(cardText(card)).toContain('The notice deadline for **Support SLA** with **Oakwood ICT**');
    expect(cardText(card)).toContain(line({ kind: 'willCancel' }));
    const [row] = await db().select().from(contracts).where(eq(contracts.id, ids.contract));
    expect(row?.status).toBe('cancelling');
    isMessage(await press('reminder.willCancel', data, ADMIN), REMINDER_ALREADY_DONE);
  });

  it('Chase: the escalation is chased once, and the card says when their next answer is due', async () => {
    const data = dataOf(button('escalation.chase', 'reminder.chase'));
    isMessage(await press('reminder.chase', data, A_TEACHER), FORBIDDEN['incident.escalate']);
    const card = doneCard(await press('reminder.chase', data));
    const [row] = await db()
      .select()
      .from(escalations)
      .where(eq(escalations.incidentId, ids.escalatedIncident));
    expect(row?.chaseCount).toBe(1);
    expect(cardText(card)).toContain('**County ICT** has not answered about **INC-1**');
    expect(cardText(card)).toContain(
      line({ kind: 'chased', already: false, chaseCount: 1, respondBy: row!.respondBy!.toISOString() }),
    );
    isMessage(await press('reminder.chase', data, ADMIN), REMINDER_ALREADY_DONE);
    const [after] = await db()
      .select()
      .from(escalations)
      .where(eq(escalations.incidentId, ids.escalatedIncident));
    expect(after?.chaseCount).toBe(1);
  });

  it('Open a problem: one problem, titled from the suggestion, with its faults linked', async () => {
    const data = dataOf(button('problem.suggested', 'reminder.openProblem'));
    isMessage(await press('reminder.openProblem', data, A_TEACHER), FORBIDDEN['work.manage']);
    const card = doneCard(await press('reminder.openProblem', data));
    const problems = await db().select().from(workItems).where(eq(workItems.schoolId, schoolId));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'problem', number: 1 });
    expect(problems[0]?.title).toMatch(/^Repeated faults: /);
    const linked = await db()
      .select()
      .from(workItemIncidents)
      .where(eq(workItemIncidents.workItemId, problems[0]!.id));
    expect(linked).toHaveLength(3);
    expect(cardText(card)).toContain('Something may be behind them');
    expect(cardText(card)).toContain(line({ kind: 'problemOpened', reference: 'PRB-1' }));
    isMessage(await press('reminder.openProblem', data, ADMIN), REMINDER_ALREADY_DONE);
    expect(await db().select().from(workItems).where(eq(workItems.schoolId, schoolId))).toHaveLength(1);
  });

  it("Claim on an SLA reminder claims the incident and answers with the reminder, not the incident's card", async () => {
    const claim = button(/^incident\.sla_/, 'incident.claim');
    const data = dataOf(claim);
    expect(data).toMatchObject({ value: ids.slaIncident, outbox: expect.any(String) });
    isMessage(await press('incident.claim', data, A_TEACHER), FORBIDDEN['incident.claim']);
    const card = doneCard(await press('incident.claim', data, TECH));
    expect(cardText(card)).toContain('Whole school Wi-Fi down');
    expect(cardText(card)).toContain(line({ kind: 'claimed' }, TECH.name));
    const [row] = await db().select().from(incidents).where(eq(incidents.id, ids.slaIncident));
    expect(row?.status).toBe('in_progress');
    isMessage(await press('incident.claim', data, ADMIN), REMINDER_ALREADY_DONE);
  });

  it("Renewed: a dialog asks the new end date; a refused date stays in the form with Slack's words; a valid one renews once", async () => {
    const data = dataOf(button('contract.notice', 'reminder.renewed'));
    expect(await task('task/fetch', data, A_TEACHER)).toEqual({
      task: { type: 'message', value: FORBIDDEN['register.manage'] },
    });
    expect(await task('task/fetch', { ...data, value: String(otherOutboxId) })).toEqual({
      task: { type: 'message', value: 'This card is out of date; nothing was changed.' },
    });
    const opened = await task('task/fetch', data);
    expect(opened.task.type).toBe('continue');
    const dialog = opened.task.value as { title: string; card: { content: Card } };
    expect(dialog.title).toBe('Contract renewed');
    const form = dialog.card.content;
    expect(cardText(form)).toContain('The notice deadline for **Support SLA**');
    expect(form.body.find((b) => b.id === 'newEndDate')).toMatchObject({
      type: 'Input.Date',
      label: 'New end date',
      isRequired: true,
    });
    const submit = form.actions?.[0];
    expect(submit).toMatchObject({ type: 'Action.Submit', title: 'Save' });
    const submitData = submit?.data as Record<string, unknown>;

    const early = await task('task/submit', { ...submitData, newEndDate: isoDay(PASS_AT, 10) });
    const again = (early.task.value as { card: { content: Card } }).card.content;
    const at = again.body.findIndex((b) => b.id === 'newEndDate');
    expect(again.body[at]).toMatchObject({ value: isoDay(PASS_AT, 10) });
    expect(again.body[at + 1]).toMatchObject({
      text: 'Must be after the current end date.',
      color: 'attention',
    });
    const [unchanged] = await db().select().from(contracts).where(eq(contracts.id, ids.contract));
    expect(unchanged?.endDate).toBe(isoDay(PASS_AT, 50));

    const newEnd = isoDay(PASS_AT, 415);
    const done = await task('task/submit', { ...submitData, newEndDate: newEnd });
    const doneDialog = done.task.value as { title: string; card: { content: Card } };
    expect(doneDialog.card.content.actions).toBeUndefined();
    expect(cardText(doneDialog.card.content)).toContain('The notice deadline for **Support SLA**');
    expect(cardText(doneDialog.card.content)).toContain(line({ kind: 'renewed', endDate: newEnd }));
    const [renewed] = await db().select().from(contracts).where(eq(contracts.id, ids.contract));
    expect(renewed).toMatchObject({ endDate: newEnd, status: 'active' });

    // The same submit again (Teams re-delivers it): nothing more, the same answer.
    const replay = await task('task/submit', { ...submitData, newEndDate: isoDay(PASS_AT, 500) });
    expect(replay).toEqual(done);
    const [still] = await db().select().from(contracts).where(eq(contracts.id, ids.contract));
    expect(still?.endDate).toBe(newEnd);
  });

  it("Reassign: a dialog offers the school's staff; another school's person is refused under the field; the incident is given once (from the technician who claimed it)", async () => {
    const data = dataOf(button(/^incident\.sla_/, 'reminder.reassign'));
    expect(await task('task/fetch', data, A_TEACHER)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.triage'] },
    });
    const opened = await task('task/fetch', data);
    expect(opened.task.value).toMatchObject({ title: 'Reassign' });
    const form = dialogCard(opened);
    expect(cardText(form)).toContain('Whole school Wi-Fi down');
    expect(cardText(form)).toContain('A technician or office member; they are told by direct message.');
    const field = form.body.find((b) => b.id === 'assignee') as {
      choices: Array<{ title: string; value: string }>;
    };
    expect(field).toMatchObject({ type: 'Input.ChoiceSet', label: 'Who should take it?', isRequired: true });
    expect(field.choices.map((c) => c.title).sort()).toEqual(['Adele Vance', 'Megan Bowen', 'Sam Tech']);
    expect(field.choices.map((c) => c.value)).not.toContain(otherPersonId);
    const submit = form.actions?.[0];
    expect(submit).toMatchObject({ type: 'Action.Submit', title: 'Give it to them' });
    const submitData = submit?.data as Record<string, unknown>;

    // A crafted choice: a person of another school names nobody here.
    const crafted = dialogCard(await task('task/submit', { ...submitData, assignee: otherPersonId }));
    const at = crafted.body.findIndex((b) => b.id === 'assignee');
    expect(crafted.body[at + 2]).toMatchObject({ text: 'I could not find that person.', color: 'attention' });
    const [before] = await db().select().from(incidents).where(eq(incidents.id, ids.slaIncident));
    expect(before?.assigneeId).not.toBe(otherPersonId);

    const done = await task('task/submit', { ...submitData, assignee: officePersonId });
    const card = dialogCard(done);
    expect(card.actions).toBeUndefined();
    expect(cardText(card)).toContain('Whole school Wi-Fi down');
    expect(cardText(card)).toContain(line({ kind: 'given', to: { name: OFFICE.name, slackUserId: null } }));
    const [given] = await db().select().from(incidents).where(eq(incidents.id, ids.slaIncident));
    expect(given?.assigneeId).toBe(officePersonId);

    // The same form sent again, even naming someone else: the same answer, nothing more recorded.
    const events = async () =>
      (await db().select().from(incidentEvents).where(eq(incidentEvents.incidentId, ids.slaIncident))).length;
    const count = await events();
    expect(await task('task/submit', { ...submitData, assignee: adminPersonId })).toEqual(done);
    expect(await events()).toBe(count);
    const [still] = await db().select().from(incidents).where(eq(incidents.id, ids.slaIncident));
    expect(still?.assigneeId).toBe(officePersonId);
  });
});
