/**
 * Known fixes in Teams, through `POST /api/messages` with signed activities and every connector
 * call pinned: the Resolve dialog's "Save as a known fix" saves the fix once with a `resolved`
 * use; `spoc fixes` lists it with its uses and the office's Edit and Retire; the fault card then
 * suggests it, with "Check for known fixes", and "That fixed it" replaces the form with thanks,
 * counts the deflection once and reports nothing, even when the form's Report arrives after.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { incidents, knownFixes, knownFixUses } from '../../../src/db/schema';
import {
  COLLEAGUE,
  cardSubmit,
  channelMessage,
  mentionOf,
  messageActionInvoke,
  PERSONAL_CONVERSATION_ID,
  personalMessage,
  taskInvoke,
} from '../../support/teams-activities';
import { type Card, cardOf, input, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';

const harness = useTeamsSpoc('spoc-known-fixes-key');
const { calls, db, post, reportFault } = harness;
const { task, words, actionsOf, verbOf, knownPerson } = officeTools(harness, {
  idPrefix: { task: 'f:fix-' },
});

const inChat = () => calls.filter((c) => c.method === 'POST' && c.path.includes(PERSONAL_CONVERSATION_ID));
/** SPOC's reply to the personal-chat message `id` (not a notice the outbox sends meanwhile). */
const replyTo = (id: string) => cardOf(inChat().find((c) => c.path.endsWith(`/activities/${id}`))) as Card;

describe('known fixes in Teams', () => {
  let fixId = '';

  it('saves a known fix from the Resolve dialog, once, with the incident’s defaults', async () => {
    await post(channelMessage('spoc setup', '101'));
    await post(
      channelMessage(`spoc role <at>${COLLEAGUE.name}</at> technician`, '102', undefined, [
        mentionOf(COLLEAGUE),
      ]),
    );
    await reportFault(
      'fault Projector shows no signal',
      { summary: 'Projector shows no signal', urgency: 'today' },
      ['301', '302'],
    );
    const [incident] = await db().select().from(incidents);
    const opened = await task('task/fetch', { verb: 'incident.resolve', value: incident!.id });
    if (opened.task.type !== 'continue') throw new Error(JSON.stringify(opened));
    const form = opened.task.value.card.content;
    expect(input(form, 'saveFix')).toMatchObject({
      type: 'Input.Toggle',
      title: 'Save as a known fix',
      value: 'false',
    });
    expect(input(form, 'fixTitle')).toMatchObject({ value: 'Projector shows no signal' });
    expect(input(form, 'fixScope')).toMatchObject({
      value: 'words',
      choices: [{ title: 'Any fault described in the same words', value: 'words' }],
    });
    const submit = form.actions?.[0]?.data as Record<string, unknown>;
    const values = {
      ...submit,
      resolution: 'Pressed Source and chose HDMI 1.',
      saveFix: 'true',
      fixTitle: 'Projector shows no signal',
      fixScope: 'words',
      fixKeywords: 'beamer',
    };
    const bad = await task('task/submit', { ...values, fixKeywords: 'x'.repeat(301) }, COLLEAGUE);
    expect(words(bad)).toContain('The key words must be 300 characters or fewer.');
    // Saved: nothing in the answer, so Teams closes the dialog.
    expect((await post(taskInvoke('task/submit', values, 'f:fix-close-1', COLLEAGUE))).text).toBe('');
    // Teams delivering the submit again saves nothing twice.
    await post(taskInvoke('task/submit', values, 'f:fix-close-2', COLLEAGUE));
    const saved = await db().select().from(knownFixes).where(eq(knownFixes.incidentId, incident!.id));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      title: 'Projector shows no signal',
      steps: 'Pressed Source and chose HDMI 1.',
      keywords: 'beamer',
    });
    fixId = saved[0]!.id;
    const uses = await db().select().from(knownFixUses).where(eq(knownFixUses.fixId, fixId));
    expect(uses).toMatchObject([{ kind: 'resolved', incidentId: incident!.id }]);
  });

  it('lists the fixes with spoc fixes, with Add, Edit and Retire for the office', async () => {
    calls.splice(0);
    await post(personalMessage('spoc fixes', 'f:fixes-1'));
    const list = replyTo('f:fixes-1');
    expect(words(list)).toContain('Projector shows no signal');
    expect(words(list)).toContain('used once');
    const verbs = actionsOf(list).map(verbOf);
    expect(verbs).toEqual(expect.arrayContaining(['fix.add', 'fix.edit', 'fix.retire']));
    const edit = await task('task/fetch', { verb: 'fix.edit', value: fixId });
    if (edit.task.type !== 'continue') throw new Error(JSON.stringify(edit));
    expect(edit.task.value.title).toBe('Edit known fix');
    expect(input(edit.task.value.card.content, 'title')).toMatchObject({
      value: 'Projector shows no signal',
    });
  });

  it('suggests the fix on the fault card; That fixed it reports nothing and counts once', async () => {
    calls.splice(0);
    await post(personalMessage('fault the beamer is dark', '401'));
    const card = replyTo('401');
    const fixed = actionsOf(card).find((a) => verbOf(a) === 'fault.fixed');
    expect(fixed).toMatchObject({ type: 'Action.Submit', title: 'That fixed it', data: { fixId } });
    expect(actionsOf(card).map(verbOf)).toContain('fault.fixes');
    expect(words(card)).toContain('Known fixes that may help');
    const formId = (fixed!.data as { formId: string }).formId;

    calls.splice(0);
    await post(cardSubmit({ verb: 'fault.fixed', formId, fixId }, '1:reply-4', '402'));
    await post(cardSubmit({ verb: 'fault.fixed', formId, fixId }, '1:reply-4', '403'));
    // The form's own message replaced (not whatever the outbox may update meanwhile).
    const onForm = (c: { method: string; path: string }, id: string) =>
      c.method === 'PUT' && c.path.endsWith(`/activities/${id}`);
    const thanks = calls.filter((c) => onForm(c, '1:reply-4'));
    expect(thanks).toHaveLength(2);
    expect(words(cardOf(thanks[0]))).toContain('glad **Projector shows no signal** sorted it');
    const { person } = await knownPerson();
    const deflected = await db()
      .select()
      .from(knownFixUses)
      .where(and(eq(knownFixUses.schoolId, person.schoolId), eq(knownFixUses.kind, 'deflected')));
    expect(deflected).toMatchObject([{ fixId, key: `teams:${formId}` }]);
    // The same form's Report, sent after: the thanks again, and no incident.
    calls.splice(0);
    await post(
      cardSubmit(
        { verb: 'fault.submit', formId, summary: 'the beamer is dark', urgency: 'today' },
        '1:reply-4',
        '404',
      ),
    );
    expect(words(cardOf(calls.find((c) => onForm(c, '1:reply-4'))))).toContain('sorted it');
    expect(await db().select().from(incidents)).toHaveLength(1);
  });

  it('Check for known fixes brings the form back with the fixes for what is typed', async () => {
    calls.splice(0);
    await post(personalMessage('fault', '501'));
    const blank = replyTo('501');
    expect(actionsOf(blank).map(verbOf)).not.toContain('fault.fixed');
    const check = actionsOf(blank).find((a) => verbOf(a) === 'fault.fixes');
    const formId = (check!.data as { formId: string }).formId;
    calls.splice(0);
    await post(
      cardSubmit({ verb: 'fault.fixes', formId, summary: 'no signal on the projector' }, '1:reply-5', '502'),
    );
    const again = cardOf(
      calls.find((c) => c.method === 'PUT' && c.path.endsWith('/activities/1:reply-5')),
    ) as Card;
    expect(input(again, 'summary')).toMatchObject({ value: 'no signal on the projector' });
    expect(actionsOf(again).find((a) => verbOf(a) === 'fault.fixed')).toMatchObject({
      data: { fixId, formId },
    });
  });

  it('the message action’s dialog suggests the fix too; That fixed it closes it with thanks', async () => {
    const messagePayload = {
      id: '1485983408700',
      body: { contentType: 'text', content: 'beamer shows nothing' },
    };
    const fetched = await post(
      messageActionInvoke(
        'composeExtension/fetchTask',
        { commandId: 'reportFault', messagePayload },
        'f:mx-1',
      ),
    );
    const task = JSON.parse(fetched.text) as { task: { value: { card: { content: Card } } } };
    const card = task.task.value.card.content;
    const fixed = actionsOf(card).find((a) => verbOf(a) === 'fault.fixed');
    expect(fixed).toMatchObject({ data: { fixId } });
    const data = fixed!.data as Record<string, unknown>;
    const before = (await db().select().from(incidents)).length;
    const answer = await post(
      messageActionInvoke(
        'composeExtension/submitAction',
        { commandId: 'reportFault', messagePayload, data: { ...data, summary: 'beamer shows nothing' } },
        'f:mx-2',
      ),
    );
    expect(JSON.parse(answer.text)).toEqual({
      task: {
        type: 'message',
        value: expect.stringContaining('glad **Projector shows no signal** sorted it'),
      },
    });
    expect(await db().select().from(incidents)).toHaveLength(before);
    // The dialog's Report, sent after, reports nothing either.
    const late = await post(
      messageActionInvoke(
        'composeExtension/submitAction',
        {
          commandId: 'reportFault',
          messagePayload,
          data: {
            formId: data.formId,
            verb: 'fault.submit',
            summary: 'beamer shows nothing',
            urgency: 'today',
          },
        },
        'f:mx-3',
      ),
    );
    expect(JSON.parse(late.text).task.value).toContain('sorted it');
    expect(await db().select().from(incidents)).toHaveLength(before);
  });
});
