/**
 * Renewed and Reassign, the reminder buttons that open a dialog, replace the channel's message of
 * the reminder once done, as the other buttons do: through `POST /api/messages` with signed
 * activities and every connector call pinned. The reminder pass (as of a frozen school-time
 * moment) makes a contract's notice reminder and an incident's SLA reminder; the outbox posts them
 * into the school's SPOC channel and records each one's Teams message id on its row. A dialog's
 * submit does not name that message, so a valid submit finds it from the row and replaces it
 * (`PUT …/activities/<id>`) with the done card the dialog shows; a refused submit, and a replay of
 * the same form, change nothing in the channel.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { contracts, incidents, outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
import { FORBIDDEN } from '../../../src/domain/roles';
import { CHANNEL_ID } from '../../support/teams-activities';
import type { ConnectorCall } from '../../support/teams-connector';
import {
  A_TEACHER,
  type Card,
  cardText,
  dialogCard,
  hoursBefore,
  isoDay,
  line,
  OFFICE,
  PASS_AT,
  useTeamsReminders,
} from '../../support/teams-reminders';
import { must } from '../../support/wait';

const spoc = useTeamsReminders('spoc-reminder-dialogs-key');
const { calls, db, entry, postedIdOf, button } = spoc;

let contractId = '';
let incidentId = '';
let officePersonId = '';

/** A dialog invoke from the reminder's message `messageId`, in that message's thread. */
const task = (
  name: 'task/fetch' | 'task/submit',
  body: Record<string, unknown>,
  messageId: string,
  from = OFFICE,
) => spoc.task(name, body, from, messageId);

/** The updates of the channel's message `id` so far (the outbox updates incident cards too). */
const puts = (id: string) => calls.filter((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${id}`));
/** The path of the update that replaces the channel's message `id` (the root of its own thread). */
const messagePath = (id: string) => `/uk/v3/conversations/${CHANNEL_ID};messageid=${id}/activities/${id}`;
const putCard = (call: ConnectorCall | undefined) =>
  (call?.body.attachments as Array<{ content: Card }> | undefined)?.[0]?.content;

/** The form of the dialog a reminder's button opens, and its submit button's data. */
async function openForm(kind: string | RegExp, verb: string, messageId: string) {
  const data = button(kind, verb).data as Record<string, unknown>;
  const opened = await task('task/fetch', data, messageId);
  expect(opened.task.type).toBe('continue');
  const form = dialogCard(opened);
  return { data, submitData: form.actions?.[0]?.data as Record<string, unknown> };
}

beforeAll(async () => {
  const { office, teacher } = await spoc.setUpSchool();
  officePersonId = office.actor.personId;

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
  contractId = must(
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
  // The whole school's Wi-Fi down for an hour: its first response is due or overdue.
  incidentId = must(
    await reportFault(
      { ...teacher, clock: fixedClock(hoursBefore(PASS_AT, 1)) },
      { summary: 'Whole school Wi-Fi down', urgency: 'lesson_stopped', impact: 'whole_school' },
    ),
  ).incident.id;

  // The worker's pass, as of Tuesday 10:00, recorded now; the outbox posts it into the SPOC channel.
  await spoc.runPass();
  await spoc.waitPosted([entry('contract.notice'), entry(/^incident\.sla_/)]);
}, 60_000);

describe('Renewed and Reassign replace the reminder in the channel', () => {
  it('records on the outbox row the Teams message id each reminder was posted as', async () => {
    for (const kind of ['contract.notice', /^incident\.sla_/]) {
      const { outboxId } = entry(kind);
      const [row] = await db().select().from(outbox).where(eq(outbox.id, outboxId));
      expect(row?.postedId).toBe(postedIdOf(outboxId));
    }
  });

  it('Renewed: a refused or forbidden submit leaves the message; a valid one replaces it once with the done card', async () => {
    const messageId = postedIdOf(entry('contract.notice').outboxId);
    const { submitData } = await openForm('contract.notice', 'reminder.renewed', messageId);
    const before = puts(messageId).length;

    // A date the domain refuses keeps the form open; a teacher's submit is refused outright.
    const early = await task('task/submit', { ...submitData, newEndDate: isoDay(PASS_AT, 10) }, messageId);
    expect(early.task.type).toBe('continue');
    expect(dialogCard(early).actions).toBeDefined();
    expect(
      await task('task/submit', { ...submitData, newEndDate: isoDay(PASS_AT, 400) }, messageId, A_TEACHER),
    ).toEqual({ task: { type: 'message', value: FORBIDDEN['register.manage'] } });
    expect(puts(messageId).length).toBe(before);
    const [unchanged] = await db().select().from(contracts).where(eq(contracts.id, contractId));
    expect(unchanged?.endDate).toBe(isoDay(PASS_AT, 50));

    const newEnd = isoDay(PASS_AT, 415);
    const done = await task('task/submit', { ...submitData, newEndDate: newEnd }, messageId);
    const card = dialogCard(done);
    expect(card.actions).toBeUndefined();
    expect(cardText(card)).toContain(line({ kind: 'renewed', endDate: newEnd }));
    const updates = puts(messageId).slice(before);
    expect(updates.map((c) => c.path)).toEqual([messagePath(messageId)]);
    expect(putCard(updates[0])).toEqual(card);

    // The same form again (Teams re-delivers it): the same answer, no second update.
    expect(await task('task/submit', { ...submitData, newEndDate: isoDay(PASS_AT, 500) }, messageId)).toEqual(
      done,
    );
    expect(puts(messageId).length).toBe(before + 1);
    const [renewed] = await db().select().from(contracts).where(eq(contracts.id, contractId));
    expect(renewed?.endDate).toBe(newEnd);
  });

  it('Reassign: a refused person leaves the message; giving it replaces it once with the done card', async () => {
    const messageId = postedIdOf(entry(/^incident\.sla_/).outboxId);
    const { submitData } = await openForm(/^incident\.sla_/, 'reminder.reassign', messageId);
    const before = puts(messageId).length;

    // A person the school does not have: refused under the field, nothing changes.
    const crafted = await task(
      'task/submit',
      { ...submitData, assignee: '00000000-0000-4000-8000-000000000000' },
      messageId,
    );
    expect(dialogCard(crafted).actions).toBeDefined();
    expect(puts(messageId).length).toBe(before);

    const done = await task('task/submit', { ...submitData, assignee: officePersonId }, messageId);
    const card = dialogCard(done);
    expect(card.actions).toBeUndefined();
    expect(cardText(card)).toContain(line({ kind: 'given', to: { name: OFFICE.name, slackUserId: null } }));
    const [given] = await db().select().from(incidents).where(eq(incidents.id, incidentId));
    expect(given?.assigneeId).toBe(officePersonId);
    const updates = puts(messageId).slice(before);
    expect(updates.map((c) => c.path)).toEqual([messagePath(messageId)]);
    expect(putCard(updates[0])).toEqual(card);

    // The same form again: the same answer, no second update of the reminder.
    expect(await task('task/submit', { ...submitData, assignee: officePersonId }, messageId)).toEqual(done);
    expect(puts(messageId).length).toBe(before + 1);
  });
});
