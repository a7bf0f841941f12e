/**
 * A Teams school set up and a fault reported, through `POST /api/messages` with real activity
 * shapes and signed tokens: `spoc setup` and `spoc role` in the team's channel, then `fault …` in
 * the personal chat, its form card, a refused submit shown on the card, the reference, and a
 * re-delivered submit recorded once. Every connector call is pinned.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { incidents, people, schools } from '../../../src/db/schema';
import { FORBIDDEN } from '../../../src/domain/roles';
import {
  CHANNEL_ID,
  COLLEAGUE,
  cardSubmit,
  channelMessage,
  mentionOf,
  messageActionInvoke,
  PERSONAL_CONVERSATION_ID,
  personalMessage,
  TEACHER,
  TEAM_ID,
  TENANT_ID,
} from '../../support/teams-activities';
import { postActivity } from '../../support/teams-app';
import { type Card, cardOf, input, under, useTeamsSpoc } from '../../support/teams-harness';
import { until } from '../../support/wait';

const teams = useTeamsSpoc('spoc-setup-fault-key');
const { calls, db, post, token } = teams;

const said = () =>
  calls
    .filter((c) => c.method === 'POST')
    .map((c) => String(c.body.text ?? ''))
    .join('\n');

describe('spoc setup in a channel of the team', () => {
  it('makes the channel the SPOC channel and the first person admin', async () => {
    await post(channelMessage('spoc setup', '101'));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toBe(`/uk/v3/conversations/${CHANNEL_ID};messageid=101/activities/101`);
    expect(said()).toContain('This channel is now the SPOC channel for');
    expect(said()).toContain('You are the first admin. Give people roles with `@SPOC spoc role @person');
    const [school] = await db().select().from(schools).where(eq(schools.teamsTeamId, TEAM_ID));
    expect(school).toMatchObject({
      teamsTenantId: TENANT_ID,
      teamsChannelId: CHANNEL_ID,
      slackChannelId: null,
    });
    const [teacher] = await db().select().from(people).where(eq(people.teamsUserId, TEACHER.aadObjectId));
    expect(teacher).toMatchObject({ role: 'admin', displayName: TEACHER.name, schoolId: school?.id });
  });

  it('refuses a second person with the words Slack uses', async () => {
    await post(channelMessage('spoc setup', '102', COLLEAGUE));
    expect(said()).toBe('SPOC is already set up here. Only an admin can move the SPOC channel.');
    const [colleague] = await db().select().from(people).where(eq(people.teamsUserId, COLLEAGUE.aadObjectId));
    expect(colleague?.role).toBe('teacher');
  });

  it('in the personal chat answers where to say it', async () => {
    await post(personalMessage('spoc setup', '103'));
    expect(said()).toBe(
      'Run `@SPOC spoc setup` in the channel where fault reports should go, not in a direct message.',
    );
  });
});

describe('spoc role @person in the channel', () => {
  it('an admin makes a mentioned colleague technician (found by their Entra object id)', async () => {
    await post(
      channelMessage(`spoc role <at>${COLLEAGUE.name}</at> technician`, '201', TEACHER, [
        mentionOf(COLLEAGUE),
      ]),
    );
    expect(calls.find((c) => c.method === 'GET')?.path).toBe(
      `/uk/v3/conversations/${TEAM_ID}/members/${COLLEAGUE.id}`,
    );
    expect(said()).toBe('Adele Vance is now **technician** (was teacher).');
    const [colleague] = await db().select().from(people).where(eq(people.teamsUserId, COLLEAGUE.aadObjectId));
    expect(colleague?.role).toBe('technician');
  });

  it('a non-admin is refused; a missing mention gets the usage', async () => {
    await post(
      channelMessage(`spoc role <at>${TEACHER.name}</at> teacher`, '202', COLLEAGUE, [mentionOf(TEACHER)]),
    );
    expect(said()).toBe(FORBIDDEN['school.roles']);
    expect(calls.some((c) => c.method === 'GET')).toBe(false);
    calls.splice(0);
    await post(channelMessage('spoc role technician', '203'));
    expect(said()).toContain('Usage: `@SPOC spoc role @person teacher|technician|office|admin`');
  });
});

describe('fault in the personal chat', () => {
  let formId = '';
  const cardMessageId = '1:reply-1';

  it('answers with the form card, the summary filled in', async () => {
    await post(personalMessage('fault Projector in Room 4 shows no signal', '301'));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toBe(`/uk/v3/conversations/${PERSONAL_CONVERSATION_ID}/activities/301`);
    const card = cardOf(calls[0]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(input(card, 'summary')).toMatchObject({
      type: 'Input.Text',
      isRequired: true,
      value: 'Projector in Room 4 shows no signal',
    });
    expect(input(card, 'urgency')).toMatchObject({
      isRequired: true,
      errorMessage: 'Choose how urgent it is.',
    });
    const where = input(card, 'locationId') as { choices: { title: string }[] };
    expect(where.choices.map((c) => c.title)).toContain('ICT suite');
    const submit = card.actions?.find((a) => (a.data as { verb?: string }).verb === 'fault.submit');
    formId = (submit?.data as { formId?: string } | undefined)?.formId ?? '';
    expect(formId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a submit with no summary comes back on the card, the error under the field, the rest kept', async () => {
    const value = { verb: 'fault.submit', formId, description: 'Since break, all day', urgency: 'today' };
    await post(cardSubmit(value, cardMessageId, '302'));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'PUT',
      path: `/uk/v3/conversations/${PERSONAL_CONVERSATION_ID}/activities/${cardMessageId}`,
    });
    const card = cardOf(calls[0]);
    expect(under(card, 'summary')).toBe('Say in a few words what is wrong.');
    expect(input(card, 'description')).toMatchObject({ value: 'Since break, all day' });
    expect(input(card, 'urgency')).toMatchObject({ value: 'today' });
    expect(await db().select().from(incidents)).toHaveLength(0);
  });

  it('a full submit stores the incident and replaces the card with its reference; a replay records nothing', async () => {
    const value = {
      verb: 'fault.submit',
      formId,
      summary: 'Projector in Room 4 shows no signal',
      description: 'Since break',
      urgency: 'lesson_stopped',
    };
    const submit = cardSubmit(value, cardMessageId, '303');
    await post(submit);
    // The form itself is replaced with the reference, in the answer to the submit.
    const answered = calls.filter((c) => c.method === 'PUT');
    expect(answered).toHaveLength(1);
    expect(answered[0]?.path).toContain(PERSONAL_CONVERSATION_ID);
    expect(JSON.stringify(cardOf(answered[0]))).toContain('your fault is logged as **INC-1**');
    // The outbox, woken by the report, posts the incident card into the SPOC channel with Claim.
    const card = await until(
      () => calls.find((c) => c.method === 'CREATE'),
      'incident card in the SPOC channel',
    );
    expect(card.body).toMatchObject({ isGroup: true, channelData: { channel: { id: CHANNEL_ID } } });
    const posted = JSON.stringify(card.body);
    expect(posted).toContain('INC-1');
    expect(posted).toContain('"verb":"incident.claim"');
    const stored = await db().select().from(incidents);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      summary: 'Projector in Room 4 shows no signal',
      urgency: 'lesson_stopped',
    });

    // Teams delivers the same submit again; then a double click sends it as a new activity.
    calls.splice(0);
    await post(submit);
    await post(cardSubmit(value, cardMessageId, '304'));
    expect(await db().select().from(incidents)).toHaveLength(1);
    expect(calls.filter((c) => c.method !== 'PUT' && c.method !== 'POST')).toEqual([]);
    expect(calls.filter((c) => c.method === 'PUT').length).toBe(2);
    for (const c of calls) expect(JSON.stringify(cardOf(c))).toContain('INC-1');
  });
});

describe('the message action "Report ICT fault"', () => {
  const messagePayload = {
    id: '1485983408600',
    body: {
      contentType: 'html',
      content: '<p>The <b>printer</b> in the library &amp; office</p><p>is jammed</p>',
    },
  };

  it('opens the form as a dialog with the message text, and its submit answers with the reference', async () => {
    const before = (await db().select().from(incidents)).length;
    const fetched = await postActivity(
      teams.t.spoc.url,
      messageActionInvoke('composeExtension/fetchTask', { commandId: 'reportFault', messagePayload }),
      token(),
    );
    expect(fetched.status).toBe(200);
    const task = JSON.parse(fetched.text) as {
      task: { type: string; value: { title: string; card: { content: Card } } };
    };
    expect(task.task).toMatchObject({ type: 'continue', value: { title: 'Report an ICT fault' } });
    const card = task.task.value.card.content;
    expect(input(card, 'summary')).toMatchObject({ value: 'The printer in the library & office' });
    expect(input(card, 'description')).toMatchObject({
      value: 'The printer in the library & office\nis jammed',
    });
    const data = card.actions?.find((a) => (a.data as { verb?: string }).verb === 'fault.submit')?.data as {
      formId: string;
    };
    const submitted = await postActivity(
      teams.t.spoc.url,
      messageActionInvoke(
        'composeExtension/submitAction',
        {
          commandId: 'reportFault',
          messagePayload,
          data: { ...data, verb: 'fault.submit', summary: 'The printer is jammed', urgency: 'today' },
        },
        'f:invoke-2',
      ),
      token(),
    );
    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.text)).toEqual({
      task: { type: 'message', value: `Thanks — your fault is logged as **INC-${before + 1}**.` },
    });
    expect(await db().select().from(incidents)).toHaveLength(before + 1);
    expect(calls).toHaveLength(0);
  });
});
