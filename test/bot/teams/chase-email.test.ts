/**
 * Chase on a reminder in Teams, through `POST /api/messages` with signed activities and every
 * connector call pinned (the set-up of `reminders.test.ts`): two escalations go unanswered, one to
 * a provider with only an email address and one to a provider with a chat channel in the register.
 * The presser's answer is the reminder done and, as Slack tells them alone, the chase email to
 * send (to, subject, body and a mailto button), for both: a Teams school has no Slack to post into
 * a provider's chat channel with. The message everyone else in the channel sees is replaced with
 * the reminder done and nothing more.
 */
import { eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown, renderText } from '../../../src/bot/teams/render/adaptive-card';
import { ensureTeamsPerson, setPersonRole } from '../../../src/db/queries/people';
import { escalations, outbox, schools } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { escalateIncident, getEscalationSummary } from '../../../src/domain/incidents/escalate-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { triageIncident } from '../../../src/domain/incidents/triage-incident';
import {
  chasedInChannelText,
  chaseEmail,
  chaseEmailIntro,
  mailtoOf,
} from '../../../src/domain/presenters/escalation-email';
import { ESCALATE_FORM, emailHeading, orPhone } from '../../../src/domain/presenters/incident-forms';
import { reminderOutcomeLine } from '../../../src/domain/presenters/reminder-outcome';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
import type { Reminder } from '../../../src/domain/reminders/reminder';
import type { Role } from '../../../src/domain/roles';
import { isSchoolTime, makeCalendar } from '../../../src/domain/school-time';
import { actorOf } from '../../../src/domain/schools/identify';
import { silentLogger } from '../../../src/log';
import { runReminderPass } from '../../../src/worker/reminder-pass';
import {
  APP_ID,
  CHANNEL_ID,
  COLLEAGUE,
  cardAction,
  channelMessage,
  SERVICE_URL,
  TEACHER,
  TEAM_ID,
} from '../../support/teams-activities';
import { postActivity, startTeamsSpoc, type TeamsSpoc } from '../../support/teams-app';
import { channelToken, makeSigningKey, pinBotFrameworkKeys, pinBotToken } from '../../support/teams-auth';
import { type ConnectorCall, pinRecordingConnector } from '../../support/teams-connector';
import { until } from '../../support/wait';

const key = makeSigningKey('spoc-chase-email-key');
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
/** The chat channel the second provider has in the register (a Slack channel id). */
const PROVIDER_CHANNEL = 'C0CHASE01';

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
let office: Ctx;
/** The escalated incidents: to a provider with only an email address, and to one with a channel. */
const ids = { byEmail: '', inChannel: '' };
/** The chase reminders the pass posted, with their outbox ids. */
const posted: Array<{ outboxId: number; reminder: Reminder }> = [];

async function personCtx(who: { aadObjectId: string; name: string }, role: Role, at: Date): Promise<Ctx> {
  const person = await ensureTeamsPerson(db(), schoolId, who.aadObjectId, who.name, at);
  if (person.role !== role) await setPersonRole(db(), schoolId, person.id, role, at);
  return { db: db(), clock: fixedClock(at), actor: actorOf({ ...person, role }) };
}
function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

type Card = { body: Array<Record<string, unknown>>; actions?: Array<Record<string, unknown>> };
type Answer = { statusCode: number; type: string; value: unknown };

async function post(activity: Record<string, unknown>): Promise<string> {
  const res = await postActivity(t.spoc.url, activity, token());
  expect(res.status).toBe(200);
  return res.text;
}
let n = 0;
/** A press on a reminder's Action.Execute from the message `replyToId`, answered with a card or a message. */
async function press(verb: string, data: Record<string, unknown>, replyToId: string, from = OFFICE) {
  n += 1;
  return JSON.parse(await post(cardAction(verb, data, `f:chase-${n}`, from, replyToId))) as Answer;
}
/** The chase reminder about `incidentId`'s escalation. */
async function chaseReminder(incidentId: string) {
  const [row] = await db().select().from(escalations).where(eq(escalations.incidentId, incidentId));
  const found = posted.find(
    (p) => p.reminder.kind === 'escalation.chase' && p.reminder.escalationId === row?.id,
  );
  if (!found || !row) throw new Error(`no chase reminder about ${incidentId}`);
  return { ...found, escalationId: row.id };
}
/** The posted card of the reminder `outboxId` and its Teams message id (posts are numbered from 9001). */
function postedCard(outboxId: number): { messageId: string; card: Card } {
  const posts = calls.filter((c) => c.method === 'CREATE');
  const at = posts.findIndex((c) => JSON.stringify(c.body).includes(`"outbox":"${outboxId}"`));
  if (at < 0) throw new Error(`the reminder ${outboxId} was not posted`);
  const activity = posts[at]!.body.activity as { attachments: Array<{ content: Card }> };
  return { messageId: String(9001 + at), card: activity.attachments[0]!.content };
}
/** Presses Chase on the reminder about `incidentId`: the presser's card and the card put in its place. */
async function chase(incidentId: string) {
  const { outboxId, escalationId } = await chaseReminder(incidentId);
  const { messageId, card: postedReminder } = postedCard(outboxId);
  const button = postedReminder.actions?.find((a) => a.verb === 'reminder.chase');
  expect(button).toBeDefined();
  // The press replaces the reminder's message (the outbox updates the incident's own card too).
  const reminderPath = `/uk/v3/conversations/${CHANNEL_ID};messageid=${messageId}/activities/${messageId}`;
  const updatesOf = () => calls.filter((c) => c.method === 'PUT' && c.path === reminderPath);
  expect(updatesOf()).toEqual([]);
  const answer = await press('reminder.chase', button!.data as Record<string, unknown>, messageId);
  expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  const updates = updatesOf();
  expect(updates).toHaveLength(1);
  const forEveryone = (updates.at(-1)!.body.attachments as Array<{ content: Card }>)[0]!.content;
  const summary = must(await getEscalationSummary(office, escalationId));
  return { forPresser: answer.value as Card, forEveryone, summary, messageId, data: button!.data };
}
const texts = (elements: Array<Record<string, unknown>>): string[] =>
  elements.flatMap((e) =>
    e.type === 'Container' ? texts(e.items as Array<Record<string, unknown>>) : [String(e.text ?? '')],
  );
const cardText = (card: Card) => texts(card.body).join('\n');
/** Every Action.OpenUrl on the card, in its body or its actions. */
function openUrls(card: Card): Array<Record<string, unknown>> {
  const walk = (e: Record<string, unknown>): Array<Record<string, unknown>> => [
    ...(e.type === 'Action.OpenUrl' ? [e] : []),
    ...((e.items ?? e.actions ?? []) as Array<Record<string, unknown>>).flatMap(walk),
  ];
  return [...card.body, ...(card.actions ?? [])].flatMap(walk);
}

beforeAll(async () => {
  pinBotFrameworkKeys([key]);
  pinBotToken();
  calls = pinRecordingConnector().calls;
  t = await startTeamsSpoc();
  await post(channelMessage('spoc setup', '101'));
  const [school] = await db().select().from(schools).where(eq(schools.teamsTeamId, TEAM_ID));
  schoolId = school!.id;
  await personCtx(ADMIN, 'admin', MONDAY);
  office = await personCtx(OFFICE, 'office', MONDAY);
  const teacher = await personCtx(A_TEACHER, 'teacher', hoursBefore(MONDAY, 24 * 7));

  // Two incidents escalated on Monday 09:00, 8 school hours to answer: overdue by Tuesday 10:00.
  const escalated = async (provider: { name: string; email: string; phone: string; chatChannel: string }) => {
    const p = must(
      await addProvider(office, { ...provider, level: 'second', contactName: 'Jo Helpdesk', notes: '' }),
    );
    must(
      await addContract(office, {
        providerId: p.id,
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
    const incident = must(
      await reportFault(
        { ...teacher, clock: fixedClock(hoursBefore(MONDAY, 1)) },
        { summary: `${provider.name}: hall projector lamp`, urgency: 'this_week', impact: 'person' },
      ),
    ).incident;
    must(
      await triageIncident(office, {
        incidentId: incident.id,
        impact: 'person',
        urgency: 'this_week',
        category: 'av',
      }),
    );
    must(
      await escalateIncident(office, {
        incidentId: incident.id,
        providerId: p.id,
        providerRef: 'CAS-77',
        note: 'Lamp replaced, still blank',
      }),
    );
    return incident.id;
  };
  ids.byEmail = await escalated({
    name: 'County ICT',
    email: 'help@county.example',
    phone: '01632 960000',
    chatChannel: '',
  });
  ids.inChannel = await escalated({
    name: 'Channel ICT',
    email: 'help@channel.example',
    phone: '01632 960111',
    chatChannel: PROVIDER_CHANNEL,
  });

  // The worker's pass, as of Tuesday 10:00, recorded now; the outbox posts it into the SPOC channel.
  await runReminderPass({ db: db(), log: silentLogger, now: PASS_AT, recordedAt: new Date() });
  const rows = await db().select().from(outbox).where(eq(outbox.schoolId, schoolId));
  for (const row of rows) {
    const m = row.message as { type: string; reminder?: Reminder };
    if (m.type === 'reminder' && m.reminder?.kind === 'escalation.chase')
      posted.push({ outboxId: row.id, reminder: m.reminder });
  }
  expect(posted).toHaveLength(2);
  for (const { outboxId } of posted)
    await until(
      () =>
        calls.find((c) => c.method === 'CREATE' && JSON.stringify(c.body).includes(`"outbox":"${outboxId}"`)),
      'chase reminder posted',
      10_000,
    );
}, 60_000);
afterAll(async () => {
  await t?.destroy();
  nock.cleanAll();
});

describe('Chase in Teams: the email to send, for the presser alone', () => {
  it('answers the presser with the reminder done and the chase email; everyone else sees the reminder done only', async () => {
    const { forPresser, forEveryone, summary, messageId, data } = await chase(ids.byEmail);
    const draft = chaseEmail(summary);
    expect(draft.to).toBe('help@county.example');
    expect(draft.subject).toMatch(/^Chasing INC-\d+ \(your ref CAS-77\): County ICT: hall projector lamp$/);
    const tz = summary.timezone;
    const outcome = renderText(
      reminderOutcomeLine(
        {
          kind: 'chased',
          already: false,
          chaseCount: 1,
          respondBy: summary.escalation.respondBy?.toISOString() ?? null,
        },
        { name: OFFICE.name, slackUserId: null },
      ),
      tz,
    );

    // The presser: the reminder done, then the email set apart under it, with its mailto button.
    const presser = cardText(forPresser);
    expect(presser).toContain('**County ICT** has not answered about');
    expect(presser).toContain(outcome);
    expect(presser).toContain(renderText(chaseEmailIntro(summary), tz));
    expect(presser).toContain(renderText(emailHeading(draft, summary.provider), tz));
    expect(presser).toContain('**To:** help@county.example');
    expect(presser).toContain(escapeMarkdown(draft.subject));
    expect(presser).toContain(escapeMarkdown(draft.body));
    expect(presser).toContain(renderText(orPhone('01632 960000'), tz));
    expect(draft.body).toContain("We haven't had an answer yet.");
    const url = mailtoOf(draft);
    expect(url).toMatch(/^mailto:help%40county\.example\?subject=Chasing%20INC-\d+/);
    expect(openUrls(forPresser)).toEqual([{ type: 'Action.OpenUrl', title: ESCALATE_FORM.openEmail, url }]);
    // The reminder itself has no buttons left: the only one is the email's own.
    expect(forPresser.actions).toBeUndefined();

    // Everyone else: the message replaced with the reminder done, without the email or any button.
    const everyone = cardText(forEveryone);
    expect(everyone).toContain('**County ICT** has not answered about');
    expect(everyone).toContain(outcome);
    expect(everyone).not.toContain(escapeMarkdown(draft.subject));
    expect(everyone).not.toContain('help@county.example');
    expect(openUrls(forEveryone)).toEqual([]);
    expect(forEveryone.actions).toBeUndefined();
    expect(forEveryone.body).toEqual(forPresser.body.slice(0, forEveryone.body.length));

    // A repeat of their own press changes nothing, and shows them the email again.
    const again = await press('reminder.chase', data as Record<string, unknown>, messageId);
    expect(again.value).toEqual(forPresser);
    const [row] = await db().select().from(escalations).where(eq(escalations.incidentId, ids.byEmail));
    expect(row?.chaseCount).toBe(1);
  });

  it('with a Slack chat channel in the register, still hands a Teams school the email: it has no Slack to post with', async () => {
    const { forPresser, forEveryone, summary } = await chase(ids.inChannel);
    expect(cardText(forPresser)).not.toContain(renderText(chasedInChannelText(summary), summary.timezone));
    expect(cardText(forPresser)).toContain(escapeMarkdown(chaseEmail(summary).subject));
    expect(openUrls(forPresser).map((a) => a.url)).toEqual([mailtoOf(chaseEmail(summary))]);
    // Nothing was queued for the provider's Slack channel.
    const queued = await db().select().from(outbox).where(eq(outbox.schoolId, schoolId));
    expect(queued.filter((r) => (r.message as { type: string }).type === 'provider.escalation')).toEqual([]);
    expect(cardText(forEveryone)).not.toContain(escapeMarkdown(chaseEmail(summary).subject));
    expect(forEveryone.body).toEqual(forPresser.body.slice(0, forEveryone.body.length));
    expect(forPresser.body).toHaveLength(forEveryone.body.length + 1);
  });
});
