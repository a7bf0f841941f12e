/**
 * Changes and problems in Teams, through `POST /api/messages` with signed activities and every
 * connector call pinned: New change opens the shared form as a dialog (the owner chosen from the
 * school's staff by person id); a title too short comes back under its field with what was typed
 * kept, a good one is saved once however often the submit arrives; `spoc changes` lists it with
 * the same words as Slack's; Open shows it in full; Post update and Link incident work from their
 * dialogs and show on the detail; a problem finished by an update offers to resolve its open
 * incidents in the same dialog; a teacher is refused the form and the list.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { formSubmissions, incidents, workItems } from '../../../src/db/schema';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { FORBIDDEN } from '../../../src/domain/roles';
import { COLLEAGUE, channelMessage, TEACHER } from '../../support/teams-activities';
import { type Card, cardOf, input, under, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';

const harness = useTeamsSpoc('spoc-office-work-items-key');
const { calls, db, post } = harness;
const { knownPerson, task, press, ask, words, cardIn, submitOf, actionsOf, verbOf } = officeTools(harness, {
  idPrefix: { task: 'f:work-', press: 'f:wpress-' },
});

describe('changes and problems in Teams', () => {
  it('opens a change with a field error first, lists it, takes progress and a link; a problem resolves its incidents; a teacher is refused', async () => {
    await post(channelMessage('spoc setup', '401'));
    // Megan set SPOC up, so she is the admin: she runs the office's work and may own it.
    const { person: megan, ctx } = await knownPerson();
    const fault = await reportFault(ctx, { summary: 'Hall Wi-Fi drops at lunch', urgency: 'today' });
    if (!fault.ok) throw new Error(JSON.stringify(fault.error));
    const inc = `INC-${fault.value.incident.number}`;

    // The list starts empty, with New change and New problem for the office.
    const empty = await ask('spoc changes');
    expect(words(empty)).toContain('Open changes and problems** (0)');
    expect(words(empty)).toContain('Nothing open. `spoc changes all` shows closed ones too.');
    const newChange = actionsOf(empty).find((a) => verbOf(a) === 'work.newChange');
    expect(newChange).toMatchObject({ type: 'Action.Submit', title: 'New change' });

    // New change: the shared form; the owner is chosen from the school's staff by person id.
    const opened = await task('task/fetch', { verb: 'work.newChange', value: '' });
    if (opened.task.type !== 'continue') throw new Error(JSON.stringify(opened));
    expect(opened.task.value.title).toBe('New change');
    const form = cardIn(opened);
    expect(input(form, 'title')).toMatchObject({ type: 'Input.Text', label: 'Title', isRequired: true });
    const owner = input(form, 'owner') as { type: string; choices: Array<{ title: string; value: string }> };
    expect(owner.type).toBe('Input.ChoiceSet');
    expect(owner.choices).toContainEqual({ title: megan.displayName, value: megan.id });
    const submit = submitOf(form);

    // A title too short: the domain's words under the field, what was typed kept.
    const refused = cardIn(
      await task('task/submit', { ...submit, title: 'Wi', owner: megan.id, percentDone: 10 }),
    );
    expect(under(refused, 'title')).toBe('Say in a few words what it is.');
    expect(input(refused, 'title')).toMatchObject({ value: 'Wi' });
    expect(input(refused, 'owner')).toMatchObject({ value: megan.id });
    expect(input(refused, 'percentDone')).toMatchObject({ value: 10 });

    const good = {
      ...submit,
      title: 'New Wi-Fi in the hall',
      owner: megan.id,
      percentDone: 10,
      targetDate: '2031-03-12',
    };
    const saved = await task('task/submit', good);
    expect(words(saved)).toContain('**CHG-1** New Wi-Fi in the hall is open. `spoc change CHG-1` shows it.');
    // Sent again (a retry, a double click): the same answer, one change.
    expect(await task('task/submit', good)).toEqual(saved);
    const changes = await db()
      .select()
      .from(workItems)
      .where(and(eq(workItems.schoolId, megan.schoolId), eq(workItems.kind, 'change')));
    expect(changes).toHaveLength(1);
    const change = changes[0]!;
    expect(change).toMatchObject({ ownerId: megan.id, percentDone: 10, targetDate: '2031-03-12' });
    expect(
      await db().select().from(formSubmissions).where(eq(formSubmissions.kind, 'teams.workChange')),
    ).toHaveLength(1);

    // `spoc changes` lists it as Slack does, with Open on its row.
    const list = await ask('spoc changes');
    expect(words(list)).toContain('Open changes and problems** (1)');
    expect(words(list)).toContain('**CHG-1** · Change · New Wi-Fi in the hall');
    expect(words(list)).toContain(`**${megan.displayName}** · Proposed · \`▓░░░░ 10%\` · target 12/03/2031`);
    const open = actionsOf(list).find((a) => verbOf(a) === 'work.view') as { data: { value: string } };
    expect(open.data.value).toBe(change.id);
    const detail = await press('work.view', open.data);
    expect(words(detail.value)).toContain('**Linked incidents** (0)');
    expect(actionsOf(detail.value as Card).map(verbOf)).toEqual(['work.progress', 'work.edit', 'work.link']);

    // Post update: a bad percent under its field, then the update.
    const update = cardIn(await task('task/fetch', { verb: 'work.progress', value: change.id }));
    expect(words(update)).toContain('Now: Proposed');
    const badPercent = cardIn(
      await task('task/submit', { ...submitOf(update), note: 'Cabling ordered', percentDone: 160 }),
    );
    expect(under(badPercent, 'percentDone')).toBe('Give a whole number from 0 to 100.');
    const posted = await task('task/submit', {
      ...submitOf(update),
      note: 'Cabling ordered',
      status: 'approved',
      percentDone: 40,
    });
    expect(words(posted)).toContain('Update posted: **CHG-1** is now Approved');

    // Link incident: linked, and shown on the detail with its summary.
    const link = cardIn(await task('task/fetch', { verb: 'work.link', value: change.id }));
    expect(input(link, 'linkMode')).toMatchObject({ value: 'link' });
    const linked = await task('task/submit', { ...submitOf(link), incidents: inc, linkMode: 'link' });
    expect(words(linked)).toContain(`Linked ${inc} to **CHG-1**.`);
    const full = await ask('spoc change CHG-1');
    expect(words(full)).toContain('**Linked incidents** (1, 1 open)');
    expect(words(full)).toContain(`**${inc}** Hall Wi-Fi drops at lunch`);
    expect(words(full)).toContain('Proposed → **Approved**');
    expect(words(full)).toContain('> Cabling ordered');

    // A problem: opened from its dialog with the incident linked; an update that finishes it
    // offers to resolve the incident still open, in the same dialog, and resolving tells the reporter.
    const newProblem = cardIn(await task('task/fetch', { verb: 'work.newProblem', value: '' }));
    const problemSaved = await task('task/submit', {
      ...submitOf(newProblem),
      title: 'Hall Wi-Fi keeps dropping',
      incidents: inc,
    });
    expect(words(problemSaved)).toContain('**PRB-1** Hall Wi-Fi keeps dropping is open.');
    const problems = await ask('spoc problems');
    expect(words(problems)).toContain('Open problems** (1)');
    const [problem] = await db()
      .select()
      .from(workItems)
      .where(and(eq(workItems.schoolId, megan.schoolId), eq(workItems.kind, 'problem')));
    if (!problem) throw new Error('no problem');
    const finish = cardIn(await task('task/fetch', { verb: 'work.progress', value: problem.id }));
    const offered = await task('task/submit', {
      ...submitOf(finish),
      note: 'New access point fitted',
      status: 'implemented',
    });
    if (offered.task.type !== 'continue') throw new Error(JSON.stringify(offered));
    expect(offered.task.value.title).toBe('Resolve incidents');
    const offer = offered.task.value.card.content;
    expect(words(offer)).toContain('1 linked incident is still open. Resolve it now and tell the reporters?');
    expect(submitOf(offer)).toMatchObject({ verb: 'work.resolveLinked', value: problem.id });
    const resolveData = { ...submitOf(offer), resolution: 'A new access point covers the hall' };
    const resolved = await task('task/submit', resolveData);
    expect(words(resolved)).toContain(`Resolved ${inc} for **PRB-1**; each reporter is being told.`);
    // Sent again (a retry, a double click): the form no longer opens, and the first answer is shown.
    expect(await task('task/submit', resolveData)).toEqual(resolved);
    const [incident] = await db().select().from(incidents).where(eq(incidents.id, fault.value.incident.id));
    expect(incident?.status).toBe('resolved');

    // A teacher (Adele has no role) is refused the form, the list and Open, in the domain's words.
    expect(await task('task/fetch', { verb: 'work.newChange', value: '' }, COLLEAGUE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['work.manage'] },
    });
    expect(await task('task/fetch', { verb: 'work.progress', value: change.id }, COLLEAGUE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['work.update'] },
    });
    expect(await press('work.view', { value: change.id }, COLLEAGUE)).toMatchObject({
      value: FORBIDDEN['work.view'],
    });
    const crafted = await task(
      'task/submit',
      { verb: 'work.newChange', value: '', formId: crypto.randomUUID(), title: 'Sneaky change' },
      COLLEAGUE,
    );
    expect(words(crafted)).toContain(FORBIDDEN['work.manage']);
    expect(
      await db()
        .select()
        .from(workItems)
        .where(and(eq(workItems.schoolId, megan.schoolId), eq(workItems.title, 'Sneaky change'))),
    ).toHaveLength(0);
  });

  it('in the SPOC channel, answers the asker alone; a teacher asking is refused', async () => {
    calls.splice(0);
    await post(channelMessage('spoc changes all', '501'));
    // The reply to that message (not whatever the outbox may be sending meanwhile).
    const card = cardOf(
      calls.find((c) => c.method === 'POST' && c.path.endsWith('/activities/501')),
    ) as Card & {
      refresh?: { action: { verb: string; data: { value: string } }; userIds: string[] };
    };
    expect(words(card)).toContain('the answer is shown to them alone');
    expect(card.refresh).toMatchObject({
      action: { verb: 'reply.show', data: { value: 'spoc changes all' } },
      userIds: [TEACHER.id],
    });
    const own = await press('reply.show', card.refresh?.action.data ?? {});
    expect(words(own.value)).toContain('All changes and problems');
    const theirs = await press('reply.show', card.refresh?.action.data ?? {}, COLLEAGUE);
    expect(words(theirs.value)).toContain(FORBIDDEN['work.view']);
    expect(words(theirs.value)).not.toContain('CHG-1');
    const usage = await ask('spoc changes soon');
    expect(words(usage)).toContain(
      "I don't know the list `soon`. Usage: `spoc changes [open|changes|problems|all]`",
    );
  });
});
