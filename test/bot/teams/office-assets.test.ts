/**
 * The asset register and the licence list in Teams, through `POST /api/messages` with signed
 * activities and every connector call pinned: `spoc assets` in the personal chat answers with the
 * list card (the same words as Slack's) and Next shows page 2; View and `spoc asset TAG` show an
 * asset's page; Register an asset opens the shared asset form as a dialog, a bad cost and a taken
 * tag come back under their fields with what was typed kept, a good one is saved once however often
 * the submit arrives; Move and Status / dispose change the asset; a licence is added and listed
 * with its compliance and key reference; a teacher is refused the forms and the registers.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { assets, formSubmissions, licences } from '../../../src/db/schema';
import { registerAsset } from '../../../src/domain/registers/assets';
import { FORBIDDEN } from '../../../src/domain/roles';
import { assetInput } from '../../support/factories';
import { COLLEAGUE, channelMessage, TEACHER } from '../../support/teams-activities';
import { type Card, cardOf, input, under, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';

const harness = useTeamsSpoc('spoc-office-assets-key');
const { calls, db, post } = harness;
const { knownPerson, task, press, ask, words, actionsOf, button, choice, formOf } = officeTools(harness, {
  idPrefix: { task: 'f:asset-', ask: 'f:say-' },
});

describe('the asset register and licences in Teams', () => {
  it('lists and pages, registers with field errors once, views, moves, disposes; adds a licence', async () => {
    await post(channelMessage('spoc setup', '201'));
    // Megan (the admin, so the office) has 24 assets already: the list pages.
    const { person: megan, ctx } = await knownPerson();
    for (let i = 1; i <= 24; i++) {
      const added = await registerAsset(
        ctx,
        assetInput({ tag: `TAB-${String(i).padStart(2, '0')}`, type: 'tablet', make: 'Acer', model: '' }),
      );
      expect(added.ok).toBe(true);
    }

    const list = await ask('spoc assets');
    expect(words(list)).toContain('**Asset register** (24) — page 1 of 2');
    expect(words(list)).toContain('**TAB-01** · Tablet · Acer · _no location_');
    expect(actionsOf(list).filter((a) => a.verb === 'asset.view')).toHaveLength(20);
    expect(button(list, 'asset.add')).toMatchObject({
      type: 'Action.Submit',
      title: 'Register an asset',
      data: { msteams: { type: 'task/fetch' } },
    });

    // Next → page 2, the same list's last four.
    const page2 = await press('registers.next', button(list, 'registers.next').data);
    expect(words(page2.value)).toContain('(24) — page 2 of 2');
    expect(words(page2.value)).toContain('TAB-24');
    expect(words(page2.value)).not.toContain('TAB-01');

    // View on a row: the asset's page, for the presser.
    const viewed = await press('asset.view', button(list, 'asset.view').data);
    expect(words(viewed.value)).toContain('**TAB-01** · Tablet · In use');
    expect(words(viewed.value)).toContain('Registered by');

    // Register an asset: the shared form; a bad cost, then a taken tag, refused under the field.
    const opened = formOf(await task('task/fetch', { verb: 'asset.add', value: '' }));
    expect(opened.title).toBe('Register an asset');
    expect(input(opened.form, 'tag')).toMatchObject({
      type: 'Input.Text',
      label: 'Asset tag',
      isRequired: true,
    });
    expect(input(opened.form, 'costPence')).toMatchObject({ type: 'Input.Text', label: 'Cost (£)' });
    const library = choice(opened.form, 'locationId', 'Library');
    const typed = {
      ...opened.submit,
      tag: 'LAP-0042',
      type: 'laptop',
      make: 'Dell',
      locationId: library,
      costPence: 'twelve quid',
      status: 'in_use',
    };
    const badCost = formOf(await task('task/submit', typed)).form;
    expect(under(badCost, 'costPence')).toBe('"twelve quid" is not an amount of money');
    expect(input(badCost, 'tag')).toMatchObject({ value: 'LAP-0042' });
    expect(input(badCost, 'make')).toMatchObject({ value: 'Dell' });
    expect(input(badCost, 'costPence')).toMatchObject({ value: 'twelve quid' });

    const taken = formOf(await task('task/submit', { ...typed, tag: 'tab-01', costPence: '£1,049.50' })).form;
    expect(under(taken, 'tag')).toBe('Asset tag “tab-01” is already in the register.');
    expect(input(taken, 'tag')).toMatchObject({ value: 'tab-01' });

    // A warranty ending before the purchase date, refused under the warranty as in Slack.
    const early = formOf(
      await task('task/submit', {
        ...typed,
        costPence: '£1,049.50',
        purchaseDate: '2025-09-01',
        warrantyEnd: '2025-08-31',
      }),
    ).form;
    expect(under(early, 'warrantyEnd')).toBe('The warranty must end after the purchase date.');
    expect(input(early, 'warrantyEnd')).toMatchObject({ value: '2025-08-31' });

    const good = { ...typed, costPence: '£1,049.50' };
    const saved = await task('task/submit', good);
    expect(saved.task.type).toBe('continue');
    expect(words(saved)).toContain('✅ Asset **LAP-0042** saved.');
    // Sent again (a retry, a double click): the same answer, one asset.
    expect(await task('task/submit', good)).toEqual(saved);
    const [laptop, ...others] = await db().select().from(assets).where(eq(assets.tag, 'LAP-0042'));
    expect(others).toHaveLength(0);
    expect(laptop).toMatchObject({ type: 'laptop', make: 'Dell', locationId: library, costPence: 104950 });
    expect(
      await db().select().from(formSubmissions).where(eq(formSubmissions.kind, 'teams.asset')),
    ).toHaveLength(1);
    if (!laptop) throw new Error('not saved');

    // spoc asset TAG: the asset's page, with Edit, Move and Status / dispose as dialogs.
    const detail = await ask('spoc asset lap-0042');
    expect(words(detail)).toContain('**LAP-0042** · Laptop · In use');
    expect(words(detail)).toContain('£1,049.50');
    expect(words(detail)).toContain('Library');
    for (const [verb, title] of [
      ['asset.edit', 'Edit'],
      ['asset.move', 'Move'],
      ['asset.status', 'Status / dispose'],
    ] as const) {
      expect(button(detail, verb)).toMatchObject({
        type: 'Action.Submit',
        title,
        data: { msteams: { type: 'task/fetch' }, value: laptop.id },
      });
    }

    // Move: the form asks where it is now; the asset is there after.
    const move = formOf(await task('task/fetch', button(detail, 'asset.move').data));
    expect(move.title).toBe('Move LAP-0042');
    expect(words(move.form)).toContain('Where is **LAP-0042** now?');
    expect(input(move.form, 'locationId')).toMatchObject({
      label: 'New location',
      isRequired: true,
      value: library,
    });
    const hall = choice(move.form, 'locationId', 'Hall');
    const moved = await task('task/submit', { ...move.submit, locationId: hall });
    expect(words(moved)).toContain('🚚 **LAP-0042** moved.');
    const [there] = await db().select().from(assets).where(eq(assets.id, laptop.id));
    expect(there?.locationId).toBe(hall);

    // Status / dispose: disposal needs a note, said under it; then it is disposed.
    const status = formOf(await task('task/fetch', button(detail, 'asset.status').data));
    expect(status.title).toBe('Status of LAP-0042');
    const noNote = formOf(await task('task/submit', { ...status.submit, status: 'disposed' })).form;
    expect(under(noNote, 'note')).toBe('Say how it was disposed of (e.g. WEEE collection, certificate no.).');
    expect(input(noNote, 'status')).toMatchObject({ value: 'disposed' });
    const disposed = await task('task/submit', {
      ...status.submit,
      status: 'disposed',
      note: 'WEEE collection',
    });
    expect(words(disposed)).toContain('**LAP-0042** is now disposed.');
    const [gone] = await db().select().from(assets).where(eq(assets.id, laptop.id));
    expect(gone?.status).toBe('disposed');
    const history = await ask('spoc asset LAP-0042');
    expect(words(history)).toContain('Moved by');
    expect(words(history)).toContain('Disposed of by');
    expect(words(history)).toContain('WEEE collection');

    // A licence added through its dialog, then listed with compliance and the key reference.
    const licenceForm = formOf(await task('task/fetch', { verb: 'licence.add', value: '' }));
    expect(licenceForm.title).toBe('Add a licence');
    expect(input(licenceForm.form, 'seatsInUse')).toMatchObject({ type: 'Input.Number', value: 0 });
    const badLicence = formOf(
      await task('task/submit', {
        ...licenceForm.submit,
        title: 'Purple Mash',
        type: 'per_user',
        quantity: 30,
        seatsInUse: 32,
        costPence: '12.345',
      }),
    ).form;
    expect(under(badLicence, 'costPence')).toBe('"12.345" is not an amount of money');
    const licence = await task('task/submit', {
      ...licenceForm.submit,
      title: 'Purple Mash',
      type: 'per_user',
      quantity: 30,
      seatsInUse: 32,
      costPence: '450',
      keyReference: 'Safe, envelope 4',
    });
    expect(words(licence)).toContain('📄 Licence **Purple Mash** saved.');
    // Over-deployed is accepted, and said on a warning line under the saved sentence.
    expect(words(licence)).toContain('⚠️ 32 seats in use of 30 bought: over-deployed.');
    const [mash] = await db()
      .select()
      .from(licences)
      .where(and(eq(licences.schoolId, megan.schoolId), eq(licences.title, 'Purple Mash')));
    expect(mash).toMatchObject({ quantity: 30, seatsInUse: 32, costPence: 45000 });
    const licenceList = await ask('spoc licences');
    expect(words(licenceList)).toContain('**Licences** (1) — ⚠️ 1 need attention');
    expect(words(licenceList)).toContain('32 of 30 seats');
    expect(words(licenceList)).toContain('Over-deployed');
    expect(words(licenceList)).toContain('Key: Safe, envelope 4');
    expect(button(licenceList, 'licence.edit')).toMatchObject({ type: 'Action.Submit', title: 'Edit' });
    expect(words(await ask('spoc licenses'))).toContain('32 of 30 seats');
    const edit = formOf(await task('task/fetch', button(licenceList, 'licence.edit').data));
    expect(edit.title).toBe('Edit licence');
    expect(input(edit.form, 'keyReference')).toMatchObject({ value: 'Safe, envelope 4' });
    expect(input(edit.form, 'costPence')).toMatchObject({ value: '450.00' });

    // A teacher (Adele has no role yet) is refused each form, and the registers, in the domain's words.
    for (const verb of ['asset.add', 'asset.edit', 'asset.status', 'licence.add', 'licence.edit'])
      expect(await task('task/fetch', { verb, value: laptop.id }, COLLEAGUE)).toEqual({
        task: { type: 'message', value: FORBIDDEN['register.manage'] },
      });
    expect(await task('task/fetch', { verb: 'asset.move', value: laptop.id }, COLLEAGUE)).toEqual({
      task: { type: 'message', value: FORBIDDEN['asset.move'] },
    });
    expect(await press('asset.view', { value: laptop.id }, COLLEAGUE)).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: FORBIDDEN['register.view'],
    });
    // A submit sent by a teacher anyway is refused by the command: nothing is saved.
    const sneaky = await task(
      'task/submit',
      { ...opened.submit, formId: crypto.randomUUID(), tag: 'X-1', type: 'laptop', status: 'in_use' },
      COLLEAGUE,
    );
    expect(words(sneaky)).not.toContain('saved');
    expect(await db().select().from(assets).where(eq(assets.tag, 'X-1'))).toHaveLength(0);
  });

  it('in the SPOC channel, answers the asker alone (a user-specific view)', async () => {
    calls.splice(0);
    await post(channelMessage('spoc assets tablet', '301'));
    const card = cardOf(calls.find((c) => c.method === 'POST')) as Card & {
      refresh?: { action: { verb: string; data: { value: string } }; userIds: string[] };
    };
    expect(words(card)).toContain('the answer is shown to them alone');
    expect(words(card)).not.toContain('TAB-01');
    expect(card.refresh).toMatchObject({
      action: { verb: 'reply.show', data: { value: 'spoc assets tablet' } },
      userIds: [TEACHER.id],
    });
    const own = await press('reply.show', card.refresh?.action.data ?? {});
    expect(words(own.value)).toContain('**Assets matching “tablet”** (24) — page 1 of 2');
  });
});
