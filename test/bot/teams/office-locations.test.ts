/**
 * The location register in Teams, through `POST /api/messages` with signed activities and every
 * connector call pinned: `spoc locations` in the personal chat answers with the list card (the
 * same words as Slack's); Add a location opens the shared location form as a dialog, a taken name
 * comes back under the field with what was typed kept, a good one is saved once however often the
 * submit arrives; Next shows page 2; Archive on a row archives it and says so over the list; a
 * teacher is refused the form. Said in the SPOC channel, the answer is shown to the asker alone.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { formSubmissions, locations } from '../../../src/db/schema';
import { addLocation } from '../../../src/domain/registers/locations';
import { FORBIDDEN } from '../../../src/domain/roles';
import {
  COLLEAGUE,
  channelMessage,
  PERSONAL_CONVERSATION_ID,
  personalMessage,
  TEACHER,
} from '../../support/teams-activities';
import { type Card, cardOf, input, under, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';

const harness = useTeamsSpoc('spoc-office-locations-key');
const { calls, db, post } = harness;
const { knownPerson, task, press, words, actionsOf } = officeTools(harness, { idPrefix: { task: 'f:loc-' } });

describe('the location register in Teams', () => {
  it('lists, adds with a field error, pages, archives; a teacher is refused the form', async () => {
    await post(channelMessage('spoc setup', '201'));
    // Megan (the admin, so the office) has 24 places more than the presets: the list pages.
    const { person: megan, ctx } = await knownPerson();
    for (let i = 1; i <= 24; i++) {
      const added = await addLocation(ctx, {
        name: `Room ${String(i).padStart(2, '0')}`,
        parentId: null,
        defaultImpact: null,
      });
      expect(added.ok).toBe(true);
    }
    const total = (await db().select().from(locations).where(eq(locations.schoolId, megan.schoolId))).length;

    calls.splice(0);
    await post(personalMessage('spoc locations', 'f:list'));
    const reply = calls.find((c) => c.method === 'POST' && c.path.includes(PERSONAL_CONVERSATION_ID));
    const list = cardOf(reply);
    expect(words(list)).toContain(`(${total}) — page 1 of 2`);
    const add = actionsOf(list).find(
      (a) => (a.data as { verb?: string } | undefined)?.verb === 'location.add',
    );
    expect(add).toMatchObject({
      type: 'Action.Submit',
      title: 'Add a location',
      data: { msteams: { type: 'task/fetch' } },
    });
    expect(actionsOf(list).filter((a) => a.verb === 'location.archive').length).toBe(20);

    // Add a location: the shared form, a taken name refused under the field.
    const opened = await task('task/fetch', { verb: 'location.add', value: '' });
    if (opened.task.type !== 'continue') throw new Error(JSON.stringify(opened));
    expect(opened.task.value.title).toBe('Add a location');
    const form = opened.task.value.card.content;
    expect(input(form, 'name')).toMatchObject({
      type: 'Input.Text',
      label: 'Name',
      isRequired: true,
      maxLength: 100,
    });
    expect(input(form, 'parentId')).toMatchObject({ type: 'Input.ChoiceSet', label: 'Inside' });
    expect(input(form, 'parentId')).not.toHaveProperty('isRequired');
    const submit = form.actions?.[0]?.data as Record<string, unknown>;
    const refused = await task('task/submit', { ...submit, name: 'room 07', defaultImpact: 'room' });
    if (refused.task.type !== 'continue') throw new Error(JSON.stringify(refused));
    const again = refused.task.value.card.content;
    expect(under(again, 'name')).toBe('There is already a location called “room 07”.');
    expect(input(again, 'name')).toMatchObject({ value: 'room 07' });
    expect(input(again, 'defaultImpact')).toMatchObject({ value: 'room' });

    const good = { ...submit, name: 'Art block', defaultImpact: 'department' };
    const saved = await task('task/submit', good);
    expect(saved.task.type).toBe('continue');
    expect(words(saved)).toContain('Location **Art block** saved.');
    // Sent again (a retry, a double click): the same answer, one location.
    expect(await task('task/submit', good)).toEqual(saved);
    const arts = await db().select().from(locations).where(eq(locations.name, 'Art block'));
    expect(arts).toHaveLength(1);
    expect(arts[0]?.defaultImpact).toBe('department');
    expect(
      await db().select().from(formSubmissions).where(eq(formSubmissions.kind, 'teams.location')),
    ).toHaveLength(1);

    // Next → page 2.
    const next = actionsOf(list).find((a) => a.verb === 'registers.next') as { data: { value: string } };
    const page2 = await press('registers.next', next.data);
    expect(words(page2.value)).toContain(`(${total + 1}) — page 2 of 2`);

    // Archive a row: done, said over the list, the row now offers Restore.
    const archive = actionsOf(list).find((a) => a.verb === 'location.archive') as { data: { value: string } };
    const archived = await press('location.archive', archive.data);
    expect(words(archived.value)).toContain('is archived: it leaves the drop-downs, and its history stays.');
    const [row] = await db().select().from(locations).where(eq(locations.id, archive.data.value));
    expect(row?.archived).toBe(true);
    expect(actionsOf(archived.value as Card).some((a) => a.verb === 'location.restore')).toBe(true);

    // A teacher (Adele has no role yet) is refused the form in the domain's words.
    const teacher = await task('task/fetch', { verb: 'location.add', value: '' }, COLLEAGUE);
    expect(teacher).toEqual({ task: { type: 'message', value: FORBIDDEN['register.manage'] } });
  });

  it('in the SPOC channel, answers the asker alone (a user-specific view)', async () => {
    calls.splice(0);
    await post(channelMessage('spoc locations', '301'));
    const sent = calls.find((c) => c.method === 'POST');
    const card = cardOf(sent) as Card & {
      refresh?: { action: { verb: string; data: { value: string } }; userIds: string[] };
    };
    expect(words(card)).toContain('the answer is shown to them alone');
    expect(words(card)).not.toContain('Room 01');
    expect(card.refresh).toMatchObject({
      action: { verb: 'reply.show', data: { value: 'spoc locations' } },
      userIds: [TEACHER.id],
    });
    const own = await press('reply.show', card.refresh?.action.data ?? {});
    expect(words(own.value)).toContain('Room 01');
  });
});
