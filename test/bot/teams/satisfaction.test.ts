/**
 * The satisfaction question in Teams, through `POST /api/messages` with signed activities: Fixed
 * on the status card asks 👍 / 👎 in the card (Universal Actions, `adaptiveCard/action`), one press
 * answers once, "Add a comment" is a dialog (`task/fetch`, `task/submit`) refused under its field
 * and kept once, and the status card in the personal chat then loses the button.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { setPersonRole } from '../../../src/db/queries/people';
import { recordStatusMessage } from '../../../src/db/queries/status-messages';
import { incidentRatings, incidents, outbox } from '../../../src/db/schema';
import { systemClock } from '../../../src/domain/clock';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { actorOf, identifyTeamsUser } from '../../../src/domain/schools/identify';
import {
  COLLEAGUE,
  PERSONAL_CONVERSATION_ID,
  personalMessage,
  TEACHER,
  TEAM_ID,
  TENANT_ID,
} from '../../support/teams-activities';
import { type Card, input, under, useTeamsSpoc } from '../../support/teams-harness';
import { until } from '../../support/wait';

const { calls, db, post } = useTeamsSpoc('spoc-satisfaction-key');
const clock = systemClock;
const STATUS_ID = '1:status-card';

async function person(who: { id: string; name: string; aadObjectId: string }) {
  const found = await identifyTeamsUser(db(), clock, {
    tenantId: TENANT_ID,
    teamId: TEAM_ID,
    aadObjectId: who.aadObjectId,
    userId: who.id,
    userName: who.name,
  });
  if (!found.ok) throw new Error(found.error.message);
  return found.value;
}

beforeAll(async () => {
  // Megan's personal chat is known to SPOC (its reference stored), as once she has spoken to it.
  await post(personalMessage('hello', `f:${randomUUID()}`));
});

/** A fault Megan reported and Adele (a technician) claimed and resolved; her status card is posted. */
async function resolvedFault(summary: string): Promise<{ id: string; techId: string }> {
  const teacher = await person(TEACHER);
  const tech = await person(COLLEAGUE);
  await setPersonRole(db(), tech.school.id, tech.person.id, 'technician', clock.now());
  const techCtx = { db: db(), clock, actor: actorOf({ ...tech.person, role: 'technician' }) };
  const reported = await reportFault(
    { db: db(), clock, actor: actorOf(teacher.person) },
    { summary, urgency: 'today', submissionKey: `test:${randomUUID()}` },
  );
  if (!reported.ok) throw new Error(reported.error.message);
  const id = reported.value.incident.id;
  if (!(await claimIncident(techCtx, { incidentId: id })).ok) throw new Error('not claimed');
  if (!(await resolveIncident(techCtx, { incidentId: id, resolution: 'Replaced the cable' })).ok)
    throw new Error('not resolved');
  // Her status card, where the outbox would have posted it.
  await db().update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
  await recordStatusMessage(
    db(),
    teacher.school.id,
    id,
    teacher.person.id,
    { channel: PERSONAL_CONVERSATION_ID, postedId: STATUS_ID, shown: 'before' },
    clock.now(),
  );
  return { id, techId: tech.person.id };
}

type Answer = { statusCode: number; type: string; value: Card | string };

/** A press on the status card in the personal chat, as Teams sends it. */
async function press(verb: string, incidentId: string, from = TEACHER): Promise<Answer> {
  const { text: _t, textFormat: _f, ...message } = personalMessage('', `f:${randomUUID()}`);
  const res = await post({
    ...message,
    from,
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: STATUS_ID,
    value: { action: { type: 'Action.Execute', verb, data: { value: incidentId } }, trigger: 'manual' },
  });
  return JSON.parse(res.text) as Answer;
}

type Task = {
  task:
    | { type: 'continue'; value: { title: string; card: { content: Card } } }
    | { type: 'message'; value: string };
};
/** A dialog invoke from the personal chat. */
async function task(name: 'task/fetch' | 'task/submit', data: Record<string, unknown>, from = TEACHER) {
  const { text: _t, textFormat: _f, entities: _e, ...message } = personalMessage('', `f:${randomUUID()}`);
  const res = await post({
    ...message,
    from,
    type: 'invoke',
    name,
    value: { data, context: { theme: 'default' } },
  });
  return JSON.parse(res.text) as Task;
}

const cardIn = (a: Answer): Card => {
  if (typeof a.value === 'string') throw new Error(`a message, not a card: ${a.value}`);
  return a.value;
};
const words = (c: Card) => JSON.stringify(c);
/** The buttons in the card's body (the question's row), by verb and title. */
const bodyButtons = (c: Card) =>
  c.body
    .filter((e) => e.type === 'ActionSet')
    .flatMap((e) => e.actions as Array<Record<string, unknown>>)
    .map((a) => [a.type, a.verb ?? (a.data as { verb?: string }).verb, a.title]);
const ratingsOf = (id: string) =>
  db().select().from(incidentRatings).where(eq(incidentRatings.incidentId, id));

describe('the satisfaction question in Teams', () => {
  it('Fixed asks 👍 / 👎 on the status card; one press answers once; the comment is a dialog', async () => {
    const { id, techId } = await resolvedFault('Projector in Room 4');
    const [{ number } = { number: 0 }] = await db().select().from(incidents).where(eq(incidents.id, id));
    const ref = `INC-${number}`;

    const fixed = cardIn(await press('reporter.fixed', id));
    expect(words(fixed)).toContain('Thanks for letting us know');
    expect(words(fixed)).toContain(`are you happy with how **${ref}** was dealt with?`);
    expect(bodyButtons(fixed)).toEqual([
      ['Action.Execute', 'satisfaction.up', '👍 Yes'],
      ['Action.Execute', 'satisfaction.down', '👎 No'],
    ]);
    // Fixed / Still broken are gone: no actions under the card.
    expect(fixed.actions).toBeUndefined();

    const up = cardIn(await press('satisfaction.up', id));
    expect(words(up)).toContain(
      'Thank you for your answer (👍). If you like, add a comment for the school office.',
    );
    expect(words(up)).toContain('**Status:** Closed on ');
    expect(bodyButtons(up)).toEqual([['Action.Submit', 'satisfaction.comment', 'Add a comment']]);
    expect(await ratingsOf(id)).toMatchObject([{ rating: 'up', assigneeId: techId, comment: '' }]);

    // 👎 after: the first answer stands.
    expect(words(cardIn(await press('satisfaction.down', id)))).toContain(
      `You have already answered 👍 about **${ref}** — thank you.`,
    );
    expect(await ratingsOf(id)).toHaveLength(1);

    // Someone else's press: refused in the domain's words.
    const other = await press('satisfaction.up', id, COLLEAGUE);
    expect(other).toMatchObject({
      type: 'application/vnd.microsoft.activity.message',
      value: `Only the person who reported ${ref} can answer for it.`,
    });

    // "Add a comment": the dialog, Slack's words and limit.
    const fetched = await task('task/fetch', { verb: 'satisfaction.comment', value: id });
    if (fetched.task.type !== 'continue') throw new Error(`no form: ${JSON.stringify(fetched)}`);
    expect(fetched.task.value.title).toBe(`Comment on ${ref}`);
    const form = fetched.task.value.card.content;
    expect(input(form, 'comment')).toMatchObject({ label: 'Your comment', maxLength: 500, isRequired: true });
    expect(words(form)).toContain('Only the school office sees answers; the technician is not shown yours.');
    const submit = form.actions?.[0]?.data as Record<string, unknown>;
    expect(submit).toMatchObject({ verb: 'satisfaction.comment', value: id });

    const refused = await task('task/submit', { ...submit, comment: 'x'.repeat(501) });
    if (refused.task.type !== 'continue') throw new Error('no form again');
    expect(under(refused.task.value.card.content, 'comment')).toBe(
      'Keep it under 500 characters (this is 501).',
    );

    calls.splice(0);
    const sent = await task('task/submit', { ...submit, comment: 'Sorted before lunch' });
    if (sent.task.type !== 'continue') throw new Error('no thanks');
    expect(sent.task.value.title).toBe('Thank you');
    expect(words(sent.task.value.card.content)).toContain(
      `your comment on **${ref}** is with the school office`,
    );
    expect(await ratingsOf(id)).toMatchObject([{ rating: 'up', comment: 'Sorted before lunch' }]);
    // Her status card in the personal chat loses "Add a comment".
    const put = await until(
      () => calls.find((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${STATUS_ID}`)),
      'status card updated',
    );
    const updated = (put.body.attachments as Array<{ content: Card }>)[0]?.content as Card;
    expect(words(updated)).toContain('Your comment is with the school office.');
    expect(bodyButtons(updated)).toEqual([]);

    // A replay of the submit: the same answer, nothing kept twice.
    expect(await task('task/submit', { ...submit, comment: 'Sorted before lunch' })).toEqual(sent);
    // The button on an old card: the dialog says it is done.
    expect(await task('task/fetch', { verb: 'satisfaction.comment', value: id })).toEqual({
      task: { type: 'message', value: 'You have already added a comment to your answer — thank you.' },
    });
  });
});
