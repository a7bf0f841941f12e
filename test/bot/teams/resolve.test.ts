/**
 * Resolve as a dialog, through `POST /api/messages` with signed activities and every connector
 * call pinned: the incident card's Resolve button asks for `task/fetch`, answered with the
 * resolution form; a refused `task/submit` keeps the dialog open with the domain's message under
 * the field and the rest kept; a valid one resolves, closes the dialog, and the outbox updates
 * the card in place and tells the reporter (with Fixed / Still broken). A replay records nothing.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { incidentEvents, incidents } from '../../../src/db/schema';
import { FORBIDDEN } from '../../../src/domain/roles';
import {
  CHANNEL_ID,
  COLLEAGUE,
  channelMessage,
  mentionOf,
  PERSONAL_CONVERSATION_ID,
  taskInvoke,
} from '../../support/teams-activities';
import { type Card, cardOf, input, postedCard, under, useTeamsSpoc } from '../../support/teams-harness';
import { until } from '../../support/wait';

const { calls, db, post, reportFault } = useTeamsSpoc('spoc-resolve-key');

type TaskResponse = { task: { type: string; value: unknown } };
type Dialog = { title: string; card: { contentType: string; content: Card } };

let incidentId = '';
let resolveData: Record<string, unknown> = {};

describe('Resolve in Teams', () => {
  it('puts a Resolve button on the incident card that opens a dialog', async () => {
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
    const card = postedCard(created);
    const [stored] = await db().select().from(incidents);
    incidentId = stored?.id ?? '';
    const resolve = card.actions?.find((a) => a.title === 'Resolve');
    expect(resolve).toMatchObject({
      type: 'Action.Submit',
      data: { msteams: { type: 'task/fetch' }, verb: 'incident.resolve', value: incidentId },
    });
    // Claim stays a Universal Action.
    expect(card.actions?.find((a) => a.title === 'Claim')).toMatchObject({
      type: 'Action.Execute',
      verb: 'incident.claim',
    });
    resolveData = resolve?.data as Record<string, unknown>;
  });

  it('answers task/fetch with the resolution form, worded as Slack words it', async () => {
    const res = await post(taskInvoke('task/fetch', resolveData, 'f:fetch-1'));
    const task = JSON.parse(res.text) as TaskResponse;
    expect(task.task.type).toBe('continue');
    const dialog = task.task.value as Dialog;
    expect(dialog.title).toBe('Resolve INC-1');
    expect(dialog.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const form = dialog.card.content;
    expect(input(form, 'resolution')).toMatchObject({
      type: 'Input.Text',
      label: 'What was done?',
      isRequired: true,
      isMultiline: true,
      maxLength: 3000,
    });
    expect(JSON.stringify(form)).toContain('The reporter sees this, so keep it in plain words.');
    expect(input(form, 'category')).toMatchObject({ type: 'Input.ChoiceSet', label: 'Category' });
  });

  it('keeps the dialog open on an empty or too short note, the error under the field, the rest kept', async () => {
    const fetched = JSON.parse((await post(taskInvoke('task/fetch', resolveData, 'f:fetch-2'))).text);
    const submit = (fetched as TaskResponse & { task: { value: Dialog } }).task.value.card.content
      .actions?.[0]?.data as Record<string, unknown>;
    expect(submit).toMatchObject({ verb: 'incident.resolve', value: incidentId });

    const empty = JSON.parse(
      (await post(taskInvoke('task/submit', { ...submit, resolution: '', category: 'av' }, 'f:submit-1')))
        .text,
    ) as TaskResponse;
    expect(empty.task.type).toBe('continue');
    const again = (empty.task.value as Dialog).card.content;
    expect(under(again, 'resolution')).toBe('Say what was done to fix it.');
    expect(JSON.stringify(again)).toContain('Please say what was done.');
    expect(input(again, 'category')).toMatchObject({ value: 'av' });
    // The same form, so its submit is still the one recorded once.
    expect(again.actions?.[0]?.data).toEqual(submit);

    const short = JSON.parse(
      (await post(taskInvoke('task/submit', { ...submit, resolution: 'ok' }, 'f:submit-2'))).text,
    ) as TaskResponse;
    expect(input((short.task.value as Dialog).card.content, 'resolution')).toMatchObject({ value: 'ok' });

    const [stored] = await db().select().from(incidents).where(eq(incidents.id, incidentId));
    expect(stored?.status).toBe('new');
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
  });

  it('resolves once on a valid submit, closes the dialog, updates the card and tells the reporter', async () => {
    const fetched = JSON.parse((await post(taskInvoke('task/fetch', resolveData, 'f:fetch-3'))).text);
    const submit = (fetched as { task: { value: Dialog } }).task.value.card.content.actions?.[0]
      ?.data as Record<string, unknown>;
    const valid = taskInvoke(
      'task/submit',
      { ...submit, resolution: 'Replaced the HDMI cable', category: 'av' },
      'f:submit-3',
    );
    const res = await post(valid);
    // Nothing in the answer: Teams closes the dialog.
    expect(res.text).toBe('');
    const [stored] = await db().select().from(incidents).where(eq(incidents.id, incidentId));
    expect(stored).toMatchObject({
      status: 'resolved',
      resolution: 'Replaced the HDMI cable',
      category: 'av',
    });

    // The outbox, woken at once: the card updated in place, the reporter told in their chat.
    const put = await until(() => calls.find((c) => c.method === 'PUT'), 'card updated in place');
    expect(put.path).toContain(`${CHANNEL_ID};messageid=9001/activities/9001`);
    expect(JSON.stringify(cardOf(put))).toContain('Resolved');
    const notice = await until(
      () =>
        calls.find(
          (c) =>
            c.path.includes(PERSONAL_CONVERSATION_ID) && JSON.stringify(c.body).includes('has been fixed'),
        ),
      'reporter told',
    );
    const told = cardOf(notice);
    expect(JSON.stringify(told)).toContain('has been fixed');
    expect(told.actions?.map((a) => a.verb)).toEqual(['reporter.fixed', 'reporter.stillBroken']);

    // Teams delivers the same submit again, and a double click sends it anew: nothing more.
    const events = async () =>
      (await db().select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId))).length;
    const before = await events();
    // Let the reporter's step (a short message under their status card) land first.
    await new Promise((r) => setTimeout(r, 300));
    calls.splice(0);
    expect((await post(valid)).text).toBe('');
    expect((await post({ ...valid, id: 'f:submit-4' })).text).toBe('');
    expect(await events()).toBe(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toEqual([]);
  });

  it("refuses a teacher's Resolve in the domain's words, with no form", async () => {
    const colleague = {
      id: '29:teacher-two',
      name: 'Lee Gu',
      aadObjectId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
    };
    const res = await post(taskInvoke('task/fetch', resolveData, 'f:fetch-5', colleague));
    expect(JSON.parse(res.text)).toEqual({ task: { type: 'message', value: FORBIDDEN['incident.resolve'] } });
  });

  it('closes the dialog with the domain refusal when the form is stale or not for Resolve', async () => {
    const res = await post(
      taskInvoke('task/fetch', { verb: 'incident.triage', value: incidentId }, 'f:fetch-4'),
    );
    expect(JSON.parse(res.text)).toMatchObject({ task: { type: 'message' } });
    const stale = await post(
      taskInvoke('task/submit', { verb: 'incident.resolve', value: incidentId }, 'f:s-5'),
    );
    expect(JSON.parse(stale.text)).toMatchObject({ task: { type: 'message' } });
  });
});
