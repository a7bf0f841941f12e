/**
 * Out of hours in Teams, through `POST /api/messages` with signed activities and every connector
 * call pinned: `spoc setup` says the service's hours (a Teams channel has no topic a bot may set,
 * so nothing is queued for one), and the settings dialog names the on-call person for P1s from the
 * school's staff by SPOC person id, refusing a teacher or another school's person under the field.
 */
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox, people, schools } from '../../../src/db/schema';
import { ON_CALL_FIELD, ON_CALL_NOBODY_FIELD } from '../../../src/domain/forms/settings';
import { COLLEAGUE, channelMessage } from '../../support/teams-activities';
import { input, under, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';

const harness = useTeamsSpoc('spoc-out-of-hours-key');
const { calls, db, post } = harness;
const { knownPerson, task, replyTo, words } = officeTools(harness, {
  idPrefix: { task: 'f:ooh-', ask: 'f:ooh-say-' },
});

const said = () =>
  calls
    .filter((c) => c.method === 'POST')
    .map((c) => String(c.body.text ?? ''))
    .join('\n');

describe('out of hours in Teams', () => {
  it('spoc setup says the service hours; no topic is queued for a Teams channel', async () => {
    await post(channelMessage('spoc setup', '201'));
    expect(said()).toContain(
      'ICT help hours: Mon–Fri 08:00–16:00 in term time. A fault reported outside them is seen when the office next opens; a P1 goes to the person on call, if the settings name one.',
    );
    expect(said()).not.toContain('topic');
    const topics = await db().select().from(outbox).where(sql`${outbox.message}->>'type' = 'channel.topic'`);
    expect(topics).toHaveLength(0);
  });

  it('the settings dialog names the on-call person from the staff; a teacher or a stranger is refused', async () => {
    // Adele speaks to SPOC in the team: she is a teacher of the school.
    await post(channelMessage('spoc help', '202', COLLEAGUE));
    const { person: megan } = await knownPerson();
    const [adele] = await db().select().from(people).where(eq(people.teamsUserId, COLLEAGUE.aadObjectId));
    if (!adele) throw new Error('no Adele');

    const opened = await task('task/fetch', { verb: 'settings.edit', value: 'edit' });
    if (opened.task.type !== 'continue') throw new Error(JSON.stringify(opened));
    const form = opened.task.value.card.content;
    const picker = input(form, ON_CALL_FIELD) as { type: string; label: string; choices: unknown[] };
    expect(picker).toMatchObject({ type: 'Input.ChoiceSet', label: 'On call for P1s out of school time' });
    // The staff only (Megan, the admin), by SPOC person id: a teacher is not offered.
    expect(picker.choices).toEqual([{ title: megan.displayName, value: megan.id }]);
    expect(input(form, ON_CALL_NOBODY_FIELD)).toMatchObject({ type: 'Input.Toggle' });
    const values = Object.fromEntries(
      form.body.filter((b) => typeof b.id === 'string' && 'value' in b).map((b) => [b.id, b.value]),
    );
    const submit = form.actions?.[0]?.data as Record<string, unknown>;

    // A crafted choice naming the teacher: refused under the field, nothing saved.
    const teacher = await task('task/submit', { ...submit, ...values, [ON_CALL_FIELD]: adele.id });
    if (teacher.task.type !== 'continue') throw new Error(JSON.stringify(teacher));
    expect(under(teacher.task.value.card.content, ON_CALL_FIELD)).toBe(
      'The person on call must be a technician, office member or admin: give them a role first.',
    );
    // Another school's person (or any id not of this school) is not found.
    const stranger = await task('task/submit', {
      ...submit,
      ...values,
      [ON_CALL_FIELD]: '00000000-0000-4000-8000-000000000001',
    });
    if (stranger.task.type !== 'continue') throw new Error(JSON.stringify(stranger));
    expect(under(stranger.task.value.card.content, ON_CALL_FIELD)).toBe(
      'Choose the on-call person from the list.',
    );
    const [before] = await db().select().from(schools).where(eq(schools.id, megan.schoolId));
    expect(before?.onCallPersonId).toBeNull();

    const saved = await task('task/submit', { ...submit, ...values, [ON_CALL_FIELD]: megan.id });
    expect(words(saved)).toContain('Settings saved (1 changed).');
    const [after] = await db().select().from(schools).where(eq(schools.id, megan.schoolId));
    expect(after?.onCallPersonId).toBe(megan.id);
    expect(words(await replyTo('spoc settings'))).toContain(
      `A P1 out of hours goes at once to **${megan.displayName}** (on call).`,
    );

    // Opened again, the dialog opens on her; "Nobody" clears it.
    const again = await task('task/fetch', { verb: 'settings.edit', value: 'edit' });
    if (again.task.type !== 'continue') throw new Error(JSON.stringify(again));
    const form2 = again.task.value.card.content;
    expect(input(form2, ON_CALL_FIELD)).toMatchObject({ value: megan.id });
    const values2 = Object.fromEntries(
      form2.body.filter((b) => typeof b.id === 'string' && 'value' in b).map((b) => [b.id, b.value]),
    );
    const submit2 = form2.actions?.[0]?.data as Record<string, unknown>;
    const cleared = await task('task/submit', { ...submit2, ...values2, [ON_CALL_NOBODY_FIELD]: 'true' });
    expect(words(cleared)).toContain('Settings saved (1 changed).');
    const [cleared2] = await db().select().from(schools).where(eq(schools.id, megan.schoolId));
    expect(cleared2?.onCallPersonId).toBeNull();
  });
});
