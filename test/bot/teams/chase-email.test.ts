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
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown, renderText } from '../../../src/bot/teams/render/adaptive-card';
import { escalations, outbox } from '../../../src/db/schema';
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
import { CHANNEL_ID } from '../../support/teams-activities';
import {
  type Card,
  hoursBefore,
  isoDay,
  MONDAY,
  OFFICE,
  PASS_AT,
  useTeamsReminders,
} from '../../support/teams-reminders';
import { must } from '../../support/wait';

const spoc = useTeamsReminders('spoc-chase-email-key');
const { calls, db, posted, press } = spoc;

/** The chat channel the second provider has in the register (a Slack channel id). */
const PROVIDER_CHANNEL = 'C0CHASE01';

let schoolId = '';
let office: Ctx;
/** The escalated incidents: to a provider with only an email address, and to one with a channel. */
const ids = { byEmail: '', inChannel: '' };

/** The chase reminder about `incidentId`'s escalation. */
async function chaseReminder(incidentId: string) {
  const [row] = await db().select().from(escalations).where(eq(escalations.incidentId, incidentId));
  const found = posted.find(
    (p) => p.reminder.kind === 'escalation.chase' && p.reminder.escalationId === row?.id,
  );
  if (!found || !row) throw new Error(`no chase reminder about ${incidentId}`);
  return { ...found, escalationId: row.id };
}
/** Presses Chase on the reminder about `incidentId`: the presser's card and the card put in its place. */
async function chase(incidentId: string) {
  const { outboxId, escalationId } = await chaseReminder(incidentId);
  const { messageId, card: postedReminder } = spoc.postedReminder(outboxId);
  const button = postedReminder.actions?.find((a) => a.verb === 'reminder.chase');
  expect(button).toBeDefined();
  // The press replaces the reminder's message (the outbox updates the incident's own card too).
  const reminderPath = `/uk/v3/conversations/${CHANNEL_ID};messageid=${messageId}/activities/${messageId}`;
  const updatesOf = () => calls.filter((c) => c.method === 'PUT' && c.path === reminderPath);
  expect(updatesOf()).toEqual([]);
  const answer = await press('reminder.chase', button!.data as Record<string, unknown>, OFFICE, messageId);
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
  const school = await spoc.setUpSchool();
  schoolId = school.schoolId;
  office = school.office;
  const { teacher } = school;

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
  await spoc.runPass((reminder) => reminder.kind === 'escalation.chase');
  expect(posted).toHaveLength(2);
  await spoc.waitPosted(posted, 'chase reminder posted');
}, 60_000);

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
    const again = await press('reminder.chase', data as Record<string, unknown>, OFFICE, messageId);
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
