/**
 * The incident card's staff forms and the reporter's comment as Teams dialogs, through
 * `POST /api/messages` with signed activities and every connector call pinned. One incident goes
 * through them in turn (triage, forward, hold, resume, note, escalate, provider update, the
 * reporter's comment, hand back, close): each form is worded as Slack's modal; a refused submit
 * keeps the dialog open with what was typed and the domain's message under the field; a valid one
 * closes it (or shows what comes next), changes the database and the outbox updates the card; a
 * replay records nothing more; a teacher is refused in the domain's words. Then Resume pressed
 * twice, and a card posted before its buttons opened dialogs.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { formSubmissions, incidentEvents, incidents, outbox, people } from '../../../src/db/schema';
import { systemClock } from '../../../src/domain/clock';
import { PRESS_AGAIN } from '../../../src/domain/presenters/incident-forms';
import { addProvider } from '../../../src/domain/registers/providers';
import { FORBIDDEN } from '../../../src/domain/roles';
import { actorOf } from '../../../src/domain/schools/identify';
import {
  CHANNEL_ID,
  COLLEAGUE,
  cardAction,
  channelMessage,
  mentionOf,
  personalMessage,
  TEACHER,
  taskInvoke,
} from '../../support/teams-activities';
import { type Card, input, postedCard, under, useTeamsSpoc } from '../../support/teams-harness';
import { until } from '../../support/wait';

const { calls, db, post, reportFault } = useTeamsSpoc('spoc-staff-dialogs-key');

/** Megan set the school up (its admin, so its SPOC) and reports the fault; Adele is a technician. */
const SPOC = TEACHER;
/** Someone who is only a teacher. */
const LEE = { id: '29:teacher-two', name: 'Lee Gu', aadObjectId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d' };

let n = 0;

type Dialog = { title: string; card: { content: Card } };
type Task = { task: { type: 'continue'; value: Dialog } | { type: 'message'; value: string } } | undefined;

const words = (card: Card) => JSON.stringify(card);
const verbOf = (a: Record<string, unknown>) => (a.verb ?? (a.data as { verb?: string }).verb) as string;

async function invoke(name: 'task/fetch' | 'task/submit', data: Record<string, unknown>, from = SPOC) {
  const res = await post(taskInvoke(name, data, `f:dialog-${++n}`, from));
  return (res.text ? JSON.parse(res.text) : undefined) as Task;
}
/** A dialog's form: its title, card and the submit button's data (verb, value, form id). */
async function open(verb: string, from = SPOC, value = incidentId) {
  const task = await invoke('task/fetch', { verb, value }, from);
  if (task?.task.type !== 'continue') throw new Error(`no form: ${JSON.stringify(task)}`);
  const { title, card } = task.task.value;
  const submit = card.content.actions?.[0]?.data as Record<string, unknown>;
  expect(submit).toMatchObject({ verb, value });
  return { title, form: card.content, submit };
}
const dialogOf = (task: Task): Dialog => {
  if (task?.task.type !== 'continue') throw new Error(`no dialog: ${JSON.stringify(task)}`);
  return task.task.value;
};
/** A form sent again after a refusal: the same dialog, with its card. */
const refusedCard = (task: Task): Card => dialogOf(task).card.content;

const stored = async () => (await db().select().from(incidents).where(eq(incidents.id, incidentId)))[0];
const eventCount = async () =>
  (await db().select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId))).length;
const recorded = async (kind: string) =>
  (await db().select().from(formSubmissions).where(eq(formSubmissions.kind, kind))).length;

/** A valid submit: the dialog closes (or shows what is next), and a replay or double click records once. */
async function submitOnce(kind: string, data: Record<string, unknown>) {
  const before = await eventCount();
  const first = await invoke('task/submit', data);
  const after = await eventCount();
  expect(after).toBeGreaterThan(before);
  expect(await recorded(kind)).toBe(1);
  // The card updated in place by the outbox, woken at once.
  // (The reporter's status card follows it in their personal chat: a PUT there too.)
  const onCard = (c: { method: string; path: string }) => c.method === 'PUT' && c.path.includes(CHANNEL_ID);
  const put = await until(() => calls.find(onCard), 'card updated in place');
  expect(put.path).toContain(`${CHANNEL_ID};messageid=9001/activities/9001`);
  await new Promise((r) => setTimeout(r, 200));
  calls.splice(0);
  const again = await invoke('task/submit', data);
  expect(again).toEqual(first);
  expect(await eventCount()).toBe(after);
  expect(await recorded(kind)).toBe(1);
  await new Promise((r) => setTimeout(r, 200));
  expect(calls.filter(onCard)).toEqual([]);
  return first;
}

let incidentId = '';
let adeleId = '';
let posted: Card;

describe('the staff forms as Teams dialogs', () => {
  it('puts every form on the incident card as a button that opens a dialog', async () => {
    await post(channelMessage('spoc setup', '101'));
    await post(
      channelMessage(`spoc role <at>${COLLEAGUE.name}</at> technician`, '102', undefined, [
        mentionOf(COLLEAGUE),
      ]),
    );
    const created = await reportFault(
      'fault Projector in Room 4 shows no signal',
      { summary: 'Projector in Room 4', urgency: 'today' },
      ['301', '302'],
    );
    posted = postedCard(created);
    incidentId = (await db().select().from(incidents))[0]?.id ?? '';
    const adele = await db().select().from(people).where(eq(people.teamsUserId, COLLEAGUE.aadObjectId));
    adeleId = adele[0]?.id ?? '';

    const dialogs = (posted.actions ?? []).filter((a) => a.type === 'Action.Submit');
    expect(dialogs.map(verbOf).sort()).toEqual(
      // A new incident: Escalate comes once it is triaged; the provider's steps once escalated.
      ['incident.triage', 'incident.forward', 'incident.resolve', 'incident.note', 'incident.hold']
        .concat(['incident.reply', 'incident.merge', 'incident.close'])
        .sort(),
    );
    for (const a of dialogs)
      expect(a.data).toMatchObject({ msteams: { type: 'task/fetch' }, value: incidentId });
    expect(posted.actions?.find((a) => a.title === 'Claim')).toMatchObject({ type: 'Action.Execute' });

    // The register the forms choose from: a first-level and a second-level provider.
    const [megan] = await db().select().from(people).where(eq(people.teamsUserId, SPOC.aadObjectId));
    if (!megan) throw new Error('no admin');
    const ctx = { db: db(), clock: systemClock, actor: actorOf(megan) };
    for (const [name, level] of [
      ['Oakwood Technicians', 'first'],
      ['County ICT', 'second'],
    ] as const) {
      const added = await addProvider(ctx, {
        name,
        level,
        contactName: 'Jo Helpdesk',
        email: 'help@county.example',
        phone: '01234 567890',
        chatChannel: '',
        notes: '',
      });
      expect(added.ok).toBe(true);
    }
  });

  it('Triage: Slack’s fields and words, the fields kept on a refusal, saved once', async () => {
    const { title, form, submit } = await open('incident.triage');
    expect(title).toBe('Triage INC-1');
    expect(input(form, 'impact')).toMatchObject({
      type: 'Input.ChoiceSet',
      label: 'Who is affected?',
      isRequired: true,
    });
    expect(input(form, 'urgency')).toMatchObject({ label: 'How urgent?', value: 'today' });
    expect(input(form, 'category')).toMatchObject({ label: 'Category' });
    expect(words(form)).toContain(
      'Priority follows from who is affected and how urgent it is (FITS matrix).',
    );
    expect(form.actions?.[0]?.title).toBe('Save');

    const refused = refusedCard(
      await invoke('task/submit', { ...submit, impact: '', urgency: 'today', category: '' }),
    );
    expect(under(refused, 'impact')).toBe('Choose who is affected.');
    expect(under(refused, 'category')).toBe('Choose a category.');
    expect(input(refused, 'urgency')).toMatchObject({ value: 'today' });
    expect(words(refused)).toContain('Please check the highlighted fields.');
    expect((await stored())?.status).toBe('new');

    const done = await submitOnce('teams.triage', {
      ...submit,
      impact: 'room',
      urgency: 'today',
      category: 'av',
    });
    expect(done).toBeUndefined();
    expect(await stored()).toMatchObject({ status: 'triaged', impact: 'room', category: 'av' });
    expect(await invoke('task/fetch', { verb: 'incident.triage', value: incidentId }, LEE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.triage'] },
    });
  });

  it('Forward: the school’s staff to choose from, a refusal under the field, assigned once', async () => {
    const { title, form, submit } = await open('incident.forward');
    expect(title).toBe('Forward INC-1');
    const assignee = input(form, 'assignee') as {
      label: string;
      choices: { title: string; value: string }[];
    };
    expect(assignee.label).toBe('A technician');
    expect(assignee.choices.map((c) => c.title)).toEqual(['Adele Vance', 'Megan Bowen']);
    expect(assignee.choices.find((c) => c.title === 'Adele Vance')?.value).toBe(adeleId);
    expect(words(form)).toContain('They are told by direct message, with a link to the card.');
    expect(input(form, 'providerId')).toMatchObject({
      label: '…or a first-level provider',
      choices: [{ title: 'Oakwood Technicians' }],
    });

    const providerId = (input(form, 'providerId') as { choices: { value: string }[] }).choices[0]?.value;
    const both = refusedCard(await invoke('task/submit', { ...submit, assignee: adeleId, providerId }));
    expect(under(both, 'providerId')).toBe('Choose a technician or a provider, not both.');
    expect(input(both, 'assignee')).toMatchObject({ value: adeleId });
    const stranger = refusedCard(
      await invoke('task/submit', { ...submit, assignee: '7d3f0c2e-9b1a-4c5d-8e6f-0a1b2c3d4e5f' }),
    );
    expect(under(stranger, 'assignee')).toBe('I could not find that person.');

    expect(await submitOnce('teams.forward', { ...submit, assignee: adeleId })).toBeUndefined();
    expect(await stored()).toMatchObject({ status: 'assigned', assigneeId: adeleId });
    expect(await invoke('task/fetch', { verb: 'incident.forward', value: incidentId }, LEE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.triage'] },
    });
  });

  it('Put on hold: the reasons to choose from, "something else" needs details, held once', async () => {
    const { title, form, submit } = await open('incident.hold');
    expect(title).toBe('Put on hold');
    expect(input(form, 'reason')).toMatchObject({
      label: 'What is it waiting for?',
      style: 'expanded',
      choices: [
        { title: 'Waiting for parts', value: 'parts' },
        { title: 'Waiting for the person who reported it', value: 'user' },
        { title: 'Something else (say what)', value: 'other' },
      ],
    });
    expect(input(form, 'detail')).toMatchObject({ label: 'Details', maxLength: 500 });
    expect(words(form)).toContain('The SLA clock is paused while it is on hold.');

    const refused = refusedCard(await invoke('task/submit', { ...submit, reason: 'other' }));
    expect(under(refused, 'detail')).toBe('Say what it is waiting for.');
    expect(input(refused, 'reason')).toMatchObject({ value: 'other' });

    expect(await submitOnce('teams.hold', { ...submit, reason: 'parts' })).toBeUndefined();
    expect((await stored())?.status).toBe('on_hold');
    expect(await invoke('task/fetch', { verb: 'incident.hold', value: incidentId }, LEE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.hold'] },
    });
  });

  it('Resume is a press: the card as it now is, and Slack’s words on a second press', async () => {
    const res = await post(cardAction('incident.resume', { value: incidentId }, `f:resume-${++n}`, SPOC));
    const answer = JSON.parse(res.text) as { statusCode: number; type: string; value: Card };
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect((await stored())?.status).toBe('in_progress');
    await until(() => calls.find((c) => c.method === 'PUT'), 'card updated in place');
    const events = await eventCount();

    const second = JSON.parse(
      (await post(cardAction('incident.resume', { value: incidentId }, `f:resume-${++n}`, SPOC))).text,
    ) as { value: Card };
    expect(second.value.body[0]).toMatchObject({
      text: 'INC-1 is not on hold any more, so there is nothing to resume.',
    });
    expect(await eventCount()).toBe(events);

    const teacher = JSON.parse(
      (await post(cardAction('incident.resume', { value: incidentId }, `f:resume-${++n}`, LEE))).text,
    ) as { value: Card };
    expect(words(teacher.value)).toContain(FORBIDDEN['incident.hold']);
  });

  it('Note: a note and a link, a bad link refused under its field, added once', async () => {
    const { title, form, submit } = await open('incident.note', COLLEAGUE);
    expect(title).toBe('Staff note on INC-1');
    expect(input(form, 'note')).toMatchObject({ label: 'Staff note', isMultiline: true, maxLength: 3000 });
    expect(words(form)).toContain('Staff only: it goes in the card’s thread');
    expect(input(form, 'link')).toMatchObject({
      label: 'Link',
      placeholder: 'https://…',
      maxLength: 2000,
    });
    // Teams marks the required note; the unmarked link may be left empty.
    expect(input(form, 'note')).toMatchObject({ isRequired: true });
    expect(input(form, 'link')).not.toHaveProperty('isRequired');
    expect(words(form)).toContain('A photo or document link, if it helps.');
    expect(form.actions?.[0]?.title).toBe('Add');

    const bad = refusedCard(
      await invoke(
        'task/submit',
        { ...submit, note: 'Ordered a new lamp', link: 'javascript:alert(1)' },
        COLLEAGUE,
      ),
    );
    expect(under(bad, 'link')).toBeTruthy();
    expect(input(bad, 'note')).toMatchObject({ value: 'Ordered a new lamp' });

    const before = await eventCount();
    const data = { ...submit, note: 'Ordered a new lamp', link: 'https://example.org/lamp.jpg' };
    expect(await invoke('task/submit', data, COLLEAGUE)).toBeUndefined();
    expect(await eventCount()).toBe(before + 1);
    expect(await invoke('task/submit', data, COLLEAGUE)).toBeUndefined();
    expect(await eventCount()).toBe(before + 1);
    expect(await recorded('teams.note')).toBe(1);
    expect(await invoke('task/fetch', { verb: 'incident.note', value: incidentId }, LEE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.note'] },
    });
  });

  it('Reply to the reporter: says who reads it, told to the reporter once; a teacher is refused', async () => {
    const { title, form, submit } = await open('incident.reply', COLLEAGUE);
    expect(title).toBe('Reply on INC-1');
    expect(input(form, 'note')).toMatchObject({ label: 'Message to the reporter', isRequired: true });
    expect(words(form)).toContain('Sent to the person who reported it, by direct message');
    expect(form.actions?.[0]?.title).toBe('Send');
    const empty = refusedCard(await invoke('task/submit', { ...submit, note: '  ' }, COLLEAGUE));
    expect(under(empty, 'note')).toBe('Write what you want to tell them.');
    const before = await eventCount();
    const data = { ...submit, note: 'The new lamp comes on Thursday' };
    expect(await invoke('task/submit', data, COLLEAGUE)).toBeUndefined();
    expect(await invoke('task/submit', data, COLLEAGUE)).toBeUndefined();
    expect(await eventCount()).toBe(before + 1);
    expect(await recorded('teams.reply')).toBe(1);
    const told = (await db().select().from(outbox)).filter(
      (r) => r.message.type === 'person.notify' && r.message.event === 'replied',
    );
    expect(told).toHaveLength(1);
    expect(await invoke('task/fetch', { verb: 'incident.reply', value: incidentId }, LEE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.note'] },
    });
  });

  it('Merge: names the incident it repeats, refused beside the field; a technician is refused', async () => {
    const { title, form, submit } = await open('incident.merge');
    expect(title).toBe('Merge INC-1');
    expect(input(form, 'into')).toMatchObject({ label: 'Which incident does it repeat?', isRequired: true });
    expect(words(form)).toContain('follow that one instead and are told when it is fixed');
    const itself = refusedCard(await invoke('task/submit', { ...submit, into: 'INC-1' }));
    expect(under(itself, 'into')).toBe(
      'An incident cannot be merged into itself: name the incident it repeats.',
    );
    const unknown = refusedCard(await invoke('task/submit', { ...submit, into: 'INC-404' }));
    expect(under(unknown, 'into')).toBe('INC-404 is not an incident of your school.');
    expect(await invoke('task/fetch', { verb: 'incident.merge', value: incidentId }, COLLEAGUE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.triage'] },
    });
  });

  it('Escalate: the second-level providers, then the email to send, as Slack shows it next', async () => {
    const { title, form, submit } = await open('incident.escalate');
    expect(title).toBe('Escalate INC-1');
    expect(input(form, 'providerId')).toMatchObject({
      label: 'Provider',
      isRequired: true,
      choices: [{ title: 'County ICT' }],
    });
    expect(input(form, 'providerRef')).toMatchObject({ label: 'Their reference', maxLength: 100 });
    expect(input(form, 'note')).toMatchObject({ label: 'Note for the provider', maxLength: 3000 });
    expect(words(form)).toContain('If they have given one yet; you can add it later with Provider update.');

    const refused = refusedCard(await invoke('task/submit', { ...submit, providerRef: 'CT-1', note: 'No' }));
    expect(under(refused, 'providerId')).toBe('Choose the provider to escalate to.');
    expect(under(refused, 'note')).toBe('Say what is wrong and what has been tried.');
    expect(input(refused, 'providerRef')).toMatchObject({ value: 'CT-1' });

    const providerId = (input(form, 'providerId') as { choices: { value: string }[] }).choices[0]?.value;
    const next = await submitOnce('teams.escalate', {
      ...submit,
      providerId,
      note: 'Lamp replaced, still no picture: the board may be faulty.',
    });
    const email = dialogOf(next);
    expect(email.title).toBe('Send this email');
    const text = words(email.card.content);
    expect(text).toContain('is escalated to **County ICT**');
    expect(text).toContain('They have no chat channel here, so send them this email');
    expect(text).toContain('**To:** help@county.example');
    expect(email.card.content.actions?.[0]).toMatchObject({
      type: 'Action.OpenUrl',
      title: 'Open in my email',
    });
    expect(String(email.card.content.actions?.[0]?.url)).toMatch(/^mailto:help%40county\.example\?subject=/);
    expect((await stored())?.status).toBe('escalated');
    expect(await invoke('task/fetch', { verb: 'incident.escalate', value: incidentId }, LEE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.escalate'] },
    });
  });

  it('Provider update: what they said and their reference, saved once', async () => {
    const { title, form, submit } = await open('incident.providerUpdate');
    expect(title).toBe('Provider update');
    expect(input(form, 'note')).toMatchObject({ label: 'What did they say or do?', isRequired: true });
    expect(input(form, 'providerRef')).toMatchObject({ label: 'Their reference' });

    const refused = refusedCard(await invoke('task/submit', { ...submit, providerRef: 'CT-42' }));
    expect(under(refused, 'note')).toBe('Say what the provider said or did.');
    expect(input(refused, 'providerRef')).toMatchObject({ value: 'CT-42' });

    const data = { ...submit, note: 'Engineer booked for Thursday', providerRef: 'CT-42' };
    expect(await submitOnce('teams.providerUpdate', data)).toBeUndefined();
    expect((await stored())?.providerRef).toBe('CT-42');
    expect(await invoke('task/fetch', { verb: 'incident.providerUpdate', value: incidentId }, LEE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.escalate'] },
    });
  });

  it("the reporter's comment: their form, refused under the field, sent once", async () => {
    const personal = (activity: Record<string, unknown>) => {
      const { text: _t, textFormat: _f, entities: _e, ...message } = personalMessage('', `f:personal-${++n}`);
      return { ...message, ...activity };
    };
    const fetchFrom = async (from: Record<string, unknown>) =>
      JSON.parse(
        (
          await post(
            personal({
              type: 'invoke',
              name: 'task/fetch',
              from,
              value: { data: { verb: 'reporter.comment', value: incidentId } },
            }),
          )
        ).text,
      ) as Task;
    const fetched = await fetchFrom(TEACHER);
    if (fetched?.task.type !== 'continue') throw new Error('no comment form');
    const { title, card } = fetched.task.value;
    expect(title).toBe('Add to INC-1');
    const form = card.content;
    expect(input(form, 'note')).toMatchObject({
      label: 'What would you like to add?',
      placeholder: 'e.g. It is still showing "No signal" after a restart',
      maxLength: 3000,
    });
    expect(input(form, 'note')).toMatchObject({ isRequired: true });
    expect(input(form, 'link')).toMatchObject({ label: 'Link to a photo' });
    expect(input(form, 'link')).not.toHaveProperty('isRequired');
    expect(words(form)).toContain('A link to a photo or screenshot, e.g. from OneDrive or Google Drive.');
    expect(form.actions?.[0]?.title).toBe('Send');
    const submit = form.actions?.[0]?.data as Record<string, unknown>;
    const send = async (data: Record<string, unknown>) =>
      JSON.parse(
        (
          await post(
            personal({ type: 'invoke', name: 'task/submit', value: { data: { ...submit, ...data } } }),
          )
        ).text,
      ) as Task;

    const bad = refusedCard(await send({ note: 'Still no picture', link: 'not a link' }));
    expect(under(bad, 'link')).toBeTruthy();
    expect(input(bad, 'note')).toMatchObject({ value: 'Still no picture' });

    const before = await eventCount();
    const sent = await send({ note: 'Still no picture this morning' });
    expect(dialogOf(sent).title).toBe('Sent');
    expect(words(dialogOf(sent).card.content)).toContain('Thanks — that is added to **INC-1**');
    expect(await eventCount()).toBe(before + 1);
    expect(await send({ note: 'Still no picture this morning' })).toEqual(sent);
    expect(await eventCount()).toBe(before + 1);
    expect(await recorded('teams.comment')).toBe(1);

    // Someone else's fault is not theirs to see, let alone add to.
    const other = await fetchFrom(LEE);
    expect(other).toMatchObject({ task: { type: 'message' } });
  });

  it('Hand back: the provider named, back in progress once', async () => {
    const { title, form, submit } = await open('incident.handBack');
    expect(title).toBe('Hand back');
    expect(words(form)).toContain(
      '**County ICT** has returned it to the school: it goes back in progress, ready to resolve.',
    );
    expect(input(form, 'note')).toMatchObject({ label: 'Note' });
    expect(input(form, 'note')).not.toHaveProperty('isRequired');
    expect(words(form)).toContain('What they did, or what is left for the school to do.');
    const tooLong = refusedCard(await invoke('task/submit', { ...submit, note: 'x'.repeat(3001) }));
    expect(under(tooLong, 'note')).toBeTruthy();
    expect(await submitOnce('teams.handBack', { ...submit, note: 'Board replaced' })).toBeUndefined();
    expect((await stored())?.status).toBe('in_progress');
    expect(await invoke('task/fetch', { verb: 'incident.handBack', value: incidentId }, LEE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.escalate'] },
    });
  });

  it('Close: a reason needed when never resolved, under the field; closed once', async () => {
    expect(await invoke('task/fetch', { verb: 'incident.close', value: incidentId }, LEE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['incident.close'] },
    });
    const { title, form, submit } = await open('incident.close');
    expect(title).toBe('Close INC-1');
    expect(input(form, 'note')).toMatchObject({
      label: 'Why is it being closed without a fix?',
      isRequired: true,
    });
    expect(words(form)).toContain('e.g. Duplicate of INC-3, or not an ICT fault. The reporter is told.');
    expect(form.actions?.[0]?.title).toBe('Close incident');
    const refused = refusedCard(await invoke('task/submit', { ...submit }));
    expect(under(refused, 'note')).toBe(
      'Say why it is being closed without a fix (e.g. duplicate of INC-3).',
    );
    expect(await submitOnce('teams.close', { ...submit, note: 'Duplicate of INC-2' })).toBeUndefined();
    expect((await stored())?.status).toBe('closed');
  });
});

describe('a card posted before its buttons opened dialogs', () => {
  it('answers an old Action.Execute press with the card as it now is and a line to press again', async () => {
    const res = await post(cardAction('incident.triage', { value: incidentId }, `f:old-${++n}`, SPOC));
    const answer = JSON.parse(res.text) as { type: string; value: Card };
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(answer.value.body[0]).toMatchObject({ text: PRESS_AGAIN });
    expect(words(answer.value)).toContain('Projector in Room 4');
    // Nothing changed.
    expect((await stored())?.status).toBe('closed');
  });

  it("gives the reporter's old comment button back as one that opens the form", async () => {
    const { text: _t, textFormat: _f, entities: _e, ...message } = personalMessage('', `f:old-${++n}`);
    const res = await post({
      ...message,
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'reporter.comment', data: { value: incidentId } } },
    });
    const answer = JSON.parse(res.text) as { value: Card };
    expect(words(answer.value)).toContain(PRESS_AGAIN);
    expect(answer.value.actions?.[0]).toMatchObject({
      type: 'Action.Submit',
      data: { msteams: { type: 'task/fetch' }, verb: 'reporter.comment', value: incidentId },
    });
  });
});
