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
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../../src/bot/teams/render/adaptive-card';
import { ensureTeamsPerson, setPersonRole } from '../../../src/db/queries/people';
import { contracts, incidents, outbox, schools } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { reminderOutcomeLine } from '../../../src/domain/presenters/reminder-outcome';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
import type { Reminder } from '../../../src/domain/reminders/reminder';
import { FORBIDDEN, type Role } from '../../../src/domain/roles';
import { isSchoolTime, makeCalendar } from '../../../src/domain/school-time';
import { actorOf } from '../../../src/domain/schools/identify';
import { silentLogger } from '../../../src/log';
import { runReminderPass } from '../../../src/worker/reminder-pass';
import {
  APP_ID,
  CHANNEL_ID,
  COLLEAGUE,
  channelMessage,
  SERVICE_URL,
  TEACHER,
  TEAM_ID,
  taskInvoke,
} from '../../support/teams-activities';
import { postActivity, startTeamsSpoc, type TeamsSpoc } from '../../support/teams-app';
import { channelToken, makeSigningKey, pinBotFrameworkKeys, pinBotToken } from '../../support/teams-auth';
import { type ConnectorCall, pinRecordingConnector } from '../../support/teams-connector';
import { must, until } from '../../support/wait';

const key = makeSigningKey('spoc-reminder-dialogs-key');
const token = () => channelToken(key, { appId: APP_ID, serviceUrl: SERVICE_URL });
let t: TeamsSpoc;
let calls: ConnectorCall[] = [];
const db = () => t.spoc.database.db;

/** The office member who deals with reminders (Adele Vance, the colleague of the test activities). */
const OFFICE = COLLEAGUE;
/** The school's admin (Megan Bowen, who said `spoc setup`). */
const ADMIN = TEACHER;
const A_TEACHER = {
  id: '29:teacher-lee',
  name: 'Lee Gu',
  aadObjectId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
};

/**
 * The frozen moments: Monday 09:00 UTC at least two weeks before the real clock (the pass never
 * records a time later than it), and the pass on the Tuesday at 10:00, both in school time.
 */
function frozenMoments(): { monday: Date; tuesday: Date } {
  const calendar = makeCalendar({
    timezone: 'Europe/London',
    dayStart: '08:00',
    dayEnd: '16:00',
    holidays: [],
  });
  const day = new Date(Date.now() - 14 * 86_400_000);
  day.setUTCHours(9, 0, 0, 0);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  for (;;) {
    const tuesday = new Date(day.getTime() + 25 * 3_600_000);
    if (isSchoolTime(calendar, day) && isSchoolTime(calendar, tuesday)) return { monday: day, tuesday };
    day.setUTCDate(day.getUTCDate() - 7);
  }
}
const { monday: MONDAY, tuesday: PASS_AT } = frozenMoments();
const isoDay = (at: Date, days = 0) => new Date(at.getTime() + days * 86_400_000).toISOString().slice(0, 10);
const hoursBefore = (at: Date, h: number) => new Date(at.getTime() - h * 3_600_000);

let schoolId = '';
let contractId = '';
let incidentId = '';
let officePersonId = '';
/** The reminders the pass posted, with their outbox ids. */
const posted: Array<{ outboxId: number; reminder: Reminder }> = [];
function entry(kind: string | RegExp) {
  const found = posted.find((p) =>
    typeof kind === 'string' ? p.reminder.kind === kind : kind.test(p.reminder.kind),
  );
  if (!found) throw new Error(`no ${kind} reminder`);
  return found;
}

async function personCtx(who: { aadObjectId: string; name: string }, role: Role, at: Date): Promise<Ctx> {
  const person = await ensureTeamsPerson(db(), schoolId, who.aadObjectId, who.name, at);
  if (person.role !== role) await setPersonRole(db(), schoolId, person.id, role, at);
  return { db: db(), clock: fixedClock(at), actor: actorOf({ ...person, role }) };
}

type Card = { body: Array<Record<string, unknown>>; actions?: Array<Record<string, unknown>> };
const cardText = (card: Card) => card.body.map((b) => String(b.text ?? '')).join('\n');

async function post(activity: Record<string, unknown>): Promise<string> {
  const res = await postActivity(t.spoc.url, activity, token());
  expect(res.status).toBe(200);
  return res.text;
}
let n = 0;
type Task = { task: { type: string; value: { title: string; card: { content: Card } } | string } };
/**
 * A dialog invoke from a reminder's button (task/fetch) or its form (task/submit), as Teams sends
 * it from the reminder's message: in that message's thread (`<channel>;messageid=<id>`).
 */
async function task(
  name: 'task/fetch' | 'task/submit',
  body: Record<string, unknown>,
  messageId: string,
  from = OFFICE,
) {
  n += 1;
  return JSON.parse(await post({ ...taskInvoke(name, body, messageId, from), id: `f:task-${n}` })) as Task;
}
const dialogCard = (t: Task) => (t.task.value as { title: string; card: { content: Card } }).card.content;

/** The Teams message id of the posted reminder that carries `outboxId` (posts are numbered from 9001). */
function postedIdOf(outboxId: number): string {
  const posts = calls.filter((c) => c.method === 'CREATE');
  const at = posts.findIndex((c) => JSON.stringify(c.body).includes(`"outbox":"${outboxId}"`));
  if (at < 0) throw new Error(`the reminder ${outboxId} was not posted`);
  return String(9001 + at);
}
/** The button with `verb` on the posted card of a reminder of `kind`. */
function button(kind: string | RegExp, verb: string): Record<string, unknown> {
  const { outboxId } = entry(kind);
  const call = calls.find(
    (c) => c.method === 'CREATE' && JSON.stringify(c.body).includes(`"outbox":"${outboxId}"`),
  );
  if (!call) throw new Error(`the reminder ${outboxId} was not posted`);
  const card = (call.body.activity as { attachments: Array<{ content: Card }> }).attachments[0]!.content;
  const action = card.actions?.find((a) => (a.verb ?? (a.data as { verb?: string }).verb) === verb);
  if (!action) throw new Error(`no ${verb} on the ${kind} reminder`);
  return action;
}
/** The updates of the channel's message `id` so far (the outbox updates incident cards too). */
const puts = (id: string) => calls.filter((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${id}`));
/** The path of the update that replaces the channel's message `id` (the root of its own thread). */
const messagePath = (id: string) => `/uk/v3/conversations/${CHANNEL_ID};messageid=${id}/activities/${id}`;
const putCard = (call: ConnectorCall | undefined) =>
  (call?.body.attachments as Array<{ content: Card }> | undefined)?.[0]?.content;
/** The outcome line as Teams shows it, naming the presser. */
const line = (outcome: Parameters<typeof reminderOutcomeLine>[0], by = OFFICE.name) =>
  renderText(reminderOutcomeLine(outcome, { name: by, slackUserId: null }), 'Europe/London');

/** The form of the dialog a reminder's button opens, and its submit button's data. */
async function openForm(kind: string | RegExp, verb: string, messageId: string) {
  const data = button(kind, verb).data as Record<string, unknown>;
  const opened = await task('task/fetch', data, messageId);
  expect(opened.task.type).toBe('continue');
  const form = dialogCard(opened);
  return { data, submitData: form.actions?.[0]?.data as Record<string, unknown> };
}

beforeAll(async () => {
  pinBotFrameworkKeys([key]);
  pinBotToken();
  calls = pinRecordingConnector().calls;
  t = await startTeamsSpoc();
  // The school's team, its SPOC channel and its admin, as Teams says them.
  await post(channelMessage('spoc setup', '101'));
  const [school] = await db().select().from(schools).where(eq(schools.teamsTeamId, TEAM_ID));
  schoolId = school!.id;
  await personCtx(ADMIN, 'admin', MONDAY);
  const office = await personCtx(OFFICE, 'office', MONDAY);
  officePersonId = office.actor.personId;
  const teacher = await personCtx(A_TEACHER, 'teacher', hoursBefore(MONDAY, 24 * 7));

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
  await runReminderPass({ db: db(), log: silentLogger, now: PASS_AT, recordedAt: new Date() });
  const rows = await db().select().from(outbox).where(eq(outbox.schoolId, schoolId));
  for (const row of rows) {
    const m = row.message as { type: string; reminder?: Reminder };
    if (m.type === 'reminder' && m.reminder) posted.push({ outboxId: row.id, reminder: m.reminder });
  }
  for (const kind of ['contract.notice', /^incident\.sla_/]) {
    const { outboxId } = entry(kind);
    await until(
      async () => {
        const [row] = await db().select().from(outbox).where(eq(outbox.id, outboxId));
        return row?.status === 'sent' ? row : undefined;
      },
      `${String(kind)} reminder posted`,
      10_000,
    );
  }
}, 60_000);
afterAll(async () => {
  await t?.destroy();
  nock.cleanAll();
});

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
