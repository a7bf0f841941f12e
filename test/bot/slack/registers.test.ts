import { eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, FAULT_BLOCK, REGISTER_BLOCK } from '../../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { incidents } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { registerAsset } from '../../../src/domain/registers/assets';
import { addLocation } from '../../../src/domain/registers/locations';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { createWorkItem } from '../../../src/domain/work-items/commands';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0, uniqueId } from '../../support/factories';
import {
  assertAllCallsMade,
  expectApi,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import {
  appHomeOpened,
  blockAction,
  blockSuggestion,
  RESPONSE_URL_HOST,
  responsePath,
  slashCommand,
  viewSelect,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { until } from '../../support/wait';

let tdb: TestDatabase;
let app: SlackTestApp;
beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, fixedClock(T0));
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(assertAllCallsMade);

async function school() {
  return slackSchool(app);
}

async function spoc(who: Who, text: string) {
  const res = await app.send(slashCommand(who, '/spoc', text));
  return res.json();
}

/** Opens the register form from its button and returns the view Slack was asked to open. */
async function openForm(who: Who, actionId: string, value = '') {
  const open = expectApi('views.open', { ok: true });
  await app.send(blockAction(who, actionId, value));
  return (await until(() => open.calls[0], 'form')).view!;
}

function optionValue(view: Record<string, unknown>, blockId: string, label: string): string {
  const block = (
    view.blocks as Array<{
      block_id?: string;
      element?: { options?: Array<{ value: string; text: { text: string } }> };
    }>
  ).find((b) => b.block_id === blockId);
  const found = block?.element?.options?.find((o) => o.text.text === label);
  if (!found) throw new Error(`no option ${label} in ${blockId}`);
  return found.value;
}

describe('registers in Slack', () => {
  it('registers an asset through the form, with errors beside the field, and lists and shows it', async () => {
    const s = await school();
    const form = await openForm(s.office, ACTION.assetAdd);
    expect(form.callback_id).toBe(CALLBACK.assetModal);
    const library = optionValue(form, REGISTER_BLOCK.locationId, 'Library');
    const values = {
      [REGISTER_BLOCK.tag]: 'LAP-0042',
      [REGISTER_BLOCK.type]: { option: 'laptop' },
      [REGISTER_BLOCK.make]: 'Dell',
      [REGISTER_BLOCK.locationId]: { option: library },
      [REGISTER_BLOCK.costPence]: 'twelve quid',
      [REGISTER_BLOCK.status]: { option: 'in_use' },
    };
    const bad = await app.send(
      viewSubmission(s.office, CALLBACK.assetModal, values, {
        privateMetadata: form.private_metadata as string,
      }),
    );
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: { costPence: '"twelve quid" is not an amount of money' },
    });
    const good = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.assetModal,
        { ...values, [REGISTER_BLOCK.costPence]: '£1,049.50' },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(good.json().response_action).toBe('update');
    expect(textOf(good.json().view)).toContain('Asset *LAP-0042* saved.');

    const list = textOf(await spoc(s.tech, 'assets library'));
    expect(list).toContain('*LAP-0042* · Laptop');
    const detail = textOf(await spoc(s.tech, 'asset lap-0042'));
    expect(detail).toContain('£1,049.50');
    expect(detail).toContain('Registered by');
    expect(detail).toContain(ACTION.assetMove); // technicians may move
    expect(detail).not.toContain(ACTION.assetEdit); // but not edit
    expect(detail).toContain('*LAP-0042* · Laptop · In use');
    // Said without a tag: how to say it, worded once for both platforms.
    expect(textOf(await spoc(s.tech, 'asset'))).toContain('Usage: `/spoc asset LAP-0042`');
    expect(textOf(await spoc(s.teacher, 'assets'))).toContain(
      'Only technicians and office staff can see the registers.',
    );
  });

  it('refuses a warranty ending before the purchase date beside the warranty field', async () => {
    const s = await school();
    const form = await openForm(s.office, ACTION.assetAdd);
    const values = {
      [REGISTER_BLOCK.tag]: 'LAP-0043',
      [REGISTER_BLOCK.type]: { option: 'laptop' },
      [REGISTER_BLOCK.purchaseDate]: '2025-09-01',
      [REGISTER_BLOCK.warrantyEnd]: '2025-08-31',
      [REGISTER_BLOCK.status]: { option: 'in_use' },
    };
    const meta = { privateMetadata: form.private_metadata as string };
    const early = await app.send(viewSubmission(s.office, CALLBACK.assetModal, values, meta));
    expect(early.json()).toEqual({
      response_action: 'errors',
      errors: { warrantyEnd: 'The warranty must end after the purchase date.' },
    });
    const good = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.assetModal,
        { ...values, [REGISTER_BLOCK.warrantyEnd]: '2028-08-31' },
        meta,
      ),
    );
    expect(textOf(good.json().view)).toContain('Asset *LAP-0043* saved.');
  });

  it('saves a licence within its seats with no warning', async () => {
    const s = await school();
    const form = await openForm(s.office, ACTION.licenceAdd);
    const res = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.licenceModal,
        {
          [REGISTER_BLOCK.title]: 'Espresso',
          [REGISTER_BLOCK.type]: { option: 'per_user' },
          [REGISTER_BLOCK.quantity]: '30',
          [REGISTER_BLOCK.seatsInUse]: '30',
        },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    const saved = textOf(res.json().view);
    expect(saved).toContain('Licence *Espresso* saved.');
    expect(saved).not.toContain('over-deployed');
  });

  it('pages through a long list with Next and Previous', async () => {
    const s = await school();
    const ctx = await identifySlackUser(tdb.db, fixedClock(T0), {
      teamId: s.teamId,
      userId: s.office.userId,
    });
    for (let i = 1; i <= 14; i++) {
      const added = await addLocation(
        { db: tdb.db, clock: fixedClock(T0), actor: ctx.actor },
        { name: `Room ${String(i).padStart(2, '0')}`, parentId: null, defaultImpact: null },
      );
      expect(added.ok).toBe(true);
    }
    const first = await spoc(s.office, 'locations');
    expect(textOf(first)).toContain('*Locations* (21) — page 1 of 2');
    const next = (
      first.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>
    )
      .find((b) => b.type === 'actions')!
      .elements!.find((e) => e.action_id === `${ACTION.page}_next`)!;
    const page2: Array<Record<string, unknown>> = [];
    nock(RESPONSE_URL_HOST)
      .post(responsePath(s.teamId))
      .reply((_uri, body) => {
        page2.push(body as Record<string, unknown>);
        return [200, 'ok'];
      });
    await app.send(blockAction(s.office, next.action_id, next.value));
    const shown = await until(() => page2[0], 'page 2');
    expect(shown.replace_original).toBe(true);
    expect(textOf(shown)).toContain('*Locations* (21) — page 2 of 2');
    expect(textOf(shown)).toContain(`${ACTION.page}_prev`);
    expect(textOf(shown)).toContain('Staff room');
  });

  it('offers the assets at the chosen location in the fault form, and links the incident', async () => {
    const s = await school();
    const form = await openForm(s.office, ACTION.assetAdd);
    const hall = optionValue(form, REGISTER_BLOCK.locationId, 'Hall');
    await app.send(
      viewSubmission(
        s.office,
        CALLBACK.assetModal,
        {
          [REGISTER_BLOCK.tag]: 'PRJ-7',
          [REGISTER_BLOCK.type]: { option: 'projector' },
          [REGISTER_BLOCK.make]: 'Epson',
          [REGISTER_BLOCK.locationId]: { option: hall },
          [REGISTER_BLOCK.status]: { option: 'in_use' },
        },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    const update = expectApi('views.update', { ok: true });
    await app.send(
      viewSelect(s.teacher, ACTION.faultLocation, FAULT_BLOCK.locationId, hall, {
        id: 'V0FAULT001',
        hash: '1764494170.hash',
        privateMetadata: JSON.stringify({ source: 'command' }),
        callbackId: CALLBACK.faultModal,
      }),
    );
    const updated = await until(() => update.calls[0], 'form update');
    expect(updated).toMatchObject({ view_id: 'V0FAULT001', hash: '1764494170.hash' });
    const assetId = optionValue(updated.view!, FAULT_BLOCK.assetId, 'PRJ-7 · Projector · Epson');
    const res = await app.send(
      viewSubmission(
        s.teacher,
        CALLBACK.faultModal,
        {
          summary: 'Projector flickers',
          urgency: { option: 'today' },
          [FAULT_BLOCK.locationId]: { option: hall },
          [FAULT_BLOCK.assetId]: { option: assetId },
        },
        { viewId: uniqueId('V') },
      ),
    );
    expect(res.json().response_action).toBe('update');
    const row = await findSchoolBySlackTeam(tdb.db, s.teamId);
    const [incident] = await tdb.db.select().from(incidents).where(eq(incidents.schoolId, row!.id));
    expect(incident).toMatchObject({ assetId, locationId: hall });
    expect(textOf(await spoc(s.tech, 'asset PRJ-7'))).toContain('Projector flickers');
  });

  it('searches locations as the person types, in their own school only', async () => {
    const a = await school();
    const b = await school();
    const form = await openForm(b.office, ACTION.locationAdd);
    await app.send(
      viewSubmission(
        b.office,
        CALLBACK.locationModal,
        { [REGISTER_BLOCK.name]: 'Secret Annexe' },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    const mine = await app.send(
      blockSuggestion(a.teacher, ACTION.faultLocation, FAULT_BLOCK.locationId, 'ann'),
    );
    expect(mine.json()).toEqual({ options: [] });
    const theirs = await app.send(
      blockSuggestion(b.teacher, ACTION.faultLocation, FAULT_BLOCK.locationId, 'ANN'),
    );
    const options = theirs.json().options as Array<{ text: { text: string } }>;
    expect(options.map((o) => o.text.text)).toEqual(['Secret Annexe']);
    const all = await app.send(
      blockSuggestion(b.teacher, ACTION.locationSearch, REGISTER_BLOCK.locationId, ''),
    );
    expect(all.json().options).toHaveLength(8);
  });

  it('adds and archives locations; names stay unique', async () => {
    const s = await school();
    const form = await openForm(s.office, ACTION.locationAdd);
    const saved = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.locationModal,
        { [REGISTER_BLOCK.name]: "Mrs Brown's class" },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(textOf(saved.json().view)).toContain("Location *Mrs Brown's class* saved.");
    const dup = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.locationModal,
        { [REGISTER_BLOCK.name]: "mrs brown's CLASS" },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(dup.json()).toEqual({
      response_action: 'errors',
      errors: { name: "There is already a location called “mrs brown's CLASS”." },
    });
    const list = textOf(await spoc(s.office, 'locations'));
    expect(list).toContain("Mrs Brown's class");
    // Each row's menu offers Edit and Archive, by the action each runs.
    expect(list).toContain(ACTION.rowMenu);
    expect(list).toContain(`${ACTION.locationEdit}|`);
    expect(list).toContain(`${ACTION.locationArchive}|`);
  });

  it('shows licence compliance; key references only to office', async () => {
    const s = await school();
    const form = await openForm(s.office, ACTION.licenceAdd);
    const res = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.licenceModal,
        {
          [REGISTER_BLOCK.title]: 'Purple Mash',
          [REGISTER_BLOCK.type]: { option: 'per_user' },
          [REGISTER_BLOCK.quantity]: '30',
          [REGISTER_BLOCK.seatsInUse]: '32',
          [REGISTER_BLOCK.keyReference]: 'Safe, envelope 4',
        },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    // Accepted, and the saved message says plainly that more seats are in use than were bought.
    const saved = textOf(res.json().view);
    expect(saved).toContain(
      'Licence *Purple Mash* saved.\n:warning: 32 seats in use of 30 bought: over-deployed.',
    );
    const office = textOf(await spoc(s.office, 'licences'));
    expect(office).toContain(':warning: 1 need attention');
    expect(office).toContain('32 of 30 seats');
    expect(office).toContain('Over-deployed');
    expect(office).toContain('Key: Safe, envelope 4');
    expect(textOf(await spoc(s.tech, 'licences'))).not.toContain('Safe, envelope 4');
  });

  it('shows register health on the office App Home', async () => {
    const s = await school();
    const ctx = await identifySlackUser(tdb.db, fixedClock(T0), {
      teamId: s.teamId,
      userId: s.office.userId,
    });
    const office = { db: tdb.db, clock: fixedClock(T0), actor: ctx.actor };
    const asset = (tag: string, warrantyEnd: string) => ({
      tag,
      type: 'laptop' as const,
      make: '',
      model: '',
      serial: '',
      locationId: null,
      supplier: '',
      purchaseDate: null,
      costPence: null,
      warrantyEnd,
      status: 'in_use' as const,
      notes: '',
    });
    expect((await registerAsset(office, asset('LAP-SOON', '2026-12-15'))).ok).toBe(true);
    expect((await registerAsset(office, asset('LAP-LATER', '2027-06-01'))).ok).toBe(true);
    const change = await createWorkItem(office, {
      kind: 'change',
      title: 'Wi-Fi in the hall',
      description: '',
      owner: null,
      targetDate: '2026-11-01',
      status: 'in_progress',
      percentDone: 40,
    });
    expect(change.ok).toBe(true);
    const publish = expectApi('views.publish', { ok: true });
    await app.send(appHomeOpened(s.office));
    const home = textOf((await until(() => publish.calls[0], 'home')).view);
    expect(home).toContain('*Warranties ending in the next 30 days* (1)');
    expect(home).toContain('*LAP-SOON* Laptop — warranty ends 15/12/2026');
    expect(home).not.toContain('LAP-LATER');
    expect(home).toContain('Licences are in order.');
    expect(home).toContain(ACTION.assetAdd);
    expect(home).toContain('*Changes and problems* (1 open)');
    expect(home).toMatch(
      /\*CHG-1\* Wi-Fi in the hall\n`▓▓░░░ 40%` In progress · :warning: overdue since 01\/11\/2026/,
    );
    const teacherHome = expectApi('views.publish', { ok: true });
    await app.send(appHomeOpened(s.teacher));
    const teacherView = textOf((await until(() => teacherHome.calls[0], 'teacher home')).view);
    expect(teacherView).not.toContain('Registers');
    expect(teacherView).not.toContain('Changes and problems');
  });

  it('refuses a teacher pressing a register button, without opening a form', async () => {
    const s = await school();
    const said: Array<{ text?: string }> = [];
    nock(RESPONSE_URL_HOST)
      .post(responsePath(s.teamId))
      .reply((_uri, body) => {
        said.push(body as { text?: string });
        return [200, 'ok'];
      });
    await app.send(blockAction(s.teacher, ACTION.assetAdd, ''));
    const reply = await until(() => said[0], 'refusal');
    expect(reply.text).toBe('Only office staff (the SPOC) can change the registers.');
  });
});
