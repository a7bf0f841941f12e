/**
 * Known fixes in Slack, through the real Bolt app with signed requests in Slack's shapes: saving a
 * fix from the Resolve modal's tick; `/spoc fixes` with Add and Retire; and the fault form
 * suggesting fixes as the summary is typed (block_actions from the modal with its whole view
 * state, answered with `views.update` on the view's id and hash) and "That fixed it" counting the
 * deflection once, with nothing reported.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, FAULT_BLOCK, RESOLVE_BLOCK } from '../../../src/bot/slack/ids';
import { listActiveLocations } from '../../../src/db/queries/locations';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { incidents, knownFixes, knownFixUses } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { addKnownFix } from '../../../src/domain/known-fixes/known-fixes';
import { registerAsset } from '../../../src/domain/registers/assets';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { assetInput, T0 } from '../../support/factories';
import {
  assertAllCallsMade,
  expectApi,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import {
  API_APP_ID,
  blockAction,
  RESPONSE_URL_HOST,
  responsePath,
  sign,
  slashCommand,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

let tdb: TestDatabase;
let app: SlackTestApp;
const clock = fixedClock(T0);
beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
// Every view and message call to Slack is pinned: one nobody pinned (an update that should not
// happen) fails the test. (Name lookups, users.info and team.info, may fail: SPOC keeps the name.)
const unpinned: string[] = [];
nock.emitter.on('no match', (req: { path?: string }) => {
  if (/^\/api\/(views|chat)\./.test(String(req.path))) unpinned.push(String(req.path));
});
afterEach(() => {
  assertAllCallsMade();
  expect(unpinned.splice(0)).toEqual([]);
});

async function ctxOf(who: Who): Promise<Ctx> {
  const found = await identifySlackUser(tdb.db, clock, { teamId: who.teamId, userId: who.userId });
  return { db: tdb.db, clock, actor: found.actor };
}

async function schoolIdOf(who: Who): Promise<string> {
  return (await findSchoolBySlackTeam(tdb.db, who.teamId))!.id;
}

type State = Record<string, Record<string, Record<string, unknown>>>;

/**
 * A block_actions payload from inside an open modal, as Slack sends it: the action, and the view
 * with its id, hash, blocks and the state of every input in it.
 */
function viewAction(
  who: Who,
  view: { id: string; hash: string; blocks: unknown[]; privateMetadata: string; state: State },
  action: Record<string, unknown>,
) {
  const payload = {
    type: 'block_actions',
    user: { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId },
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: view.id },
    trigger_id: '7777.42.action',
    team: { id: who.teamId, domain: 'hillside-primary' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: view.id,
      team_id: who.teamId,
      type: 'modal',
      blocks: view.blocks,
      private_metadata: view.privateMetadata,
      callback_id: CALLBACK.faultModal,
      state: { values: view.state },
      hash: view.hash,
      title: { type: 'plain_text', text: 'Report an ICT fault', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Report', emoji: true },
      previous_view_id: null,
      root_view_id: view.id,
      app_id: API_APP_ID,
      external_id: '',
      app_installed_team_id: who.teamId,
      bot_id: 'BBOT',
    },
    actions: [{ ...action, action_ts: '1764494170.2' }],
  };
  return sign(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
}

const suggestedIds = (view: Record<string, unknown>) =>
  (view.blocks as Array<{ block_id?: string; accessory?: { value?: string } }>)
    .filter((b) => b.block_id?.startsWith('known_fix_'))
    .map((b) => b.accessory?.value);

const inputOf = (view: Record<string, unknown>, blockId: string) =>
  (view.blocks as Array<Record<string, unknown>>).find((b) => b.block_id === blockId);

describe('saving a known fix when resolving', () => {
  it('saves it from the tick with the incident’s defaults, once, with errors beside the field', async () => {
    const s = await slackSchool(app);
    const teacher = await ctxOf(s.teacher);
    const tech = await ctxOf(s.tech);
    const reported = must(
      await reportFault(teacher, { summary: 'Projector has no signal', urgency: 'today' }),
    );
    must(await claimIncident(tech, { incidentId: reported.incident.id }));
    const open = expectApi('views.open');
    await app.send(blockAction(s.tech, ACTION.resolve, reported.incident.id));
    const form = (await until(() => open.calls[0], 'resolve form')).view!;
    expect(inputOf(form, RESOLVE_BLOCK.saveFix)).toMatchObject({
      optional: true,
      element: { type: 'checkboxes', options: [{ value: 'yes', text: { text: 'Save as a known fix' } }] },
    });
    expect(inputOf(form, RESOLVE_BLOCK.fixTitle)).toMatchObject({
      element: { initial_value: 'Projector has no signal' },
    });
    // No device or place on this fault: it can only be matched by its words.
    expect(inputOf(form, RESOLVE_BLOCK.fixScope)).toMatchObject({
      element: { type: 'radio_buttons', initial_option: { value: 'words' } },
    });
    const meta = form.private_metadata as string;
    const viewId = `V0RES${randomBytes(3).toString('hex').toUpperCase()}`;
    const values = {
      [RESOLVE_BLOCK.resolution]: 'Pressed Source on the remote and chose HDMI 1.',
      [RESOLVE_BLOCK.saveFix]: { checked: ['yes'] },
      [RESOLVE_BLOCK.fixTitle]: 'Projector has no signal',
      [RESOLVE_BLOCK.fixScope]: { option: 'words' },
      [RESOLVE_BLOCK.fixKeywords]: 'x'.repeat(301),
    };
    const bad = await app.send(
      viewSubmission(s.tech, CALLBACK.resolveModal, values, { viewId, privateMetadata: meta }),
    );
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: { fixKeywords: 'The key words must be 300 characters or fewer.' },
    });
    const good = { ...values, [RESOLVE_BLOCK.fixKeywords]: 'beamer HDMI' };
    const done = await app.send(
      viewSubmission(s.tech, CALLBACK.resolveModal, good, { viewId, privateMetadata: meta }),
    );
    expect(done.status).toBe(200);
    // Slack's retry of the same submission saves nothing twice.
    await app.send(viewSubmission(s.tech, CALLBACK.resolveModal, good, { viewId, privateMetadata: meta }));
    const saved = await tdb.db
      .select()
      .from(knownFixes)
      .where(eq(knownFixes.incidentId, reported.incident.id));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      title: 'Projector has no signal',
      steps: 'Pressed Source on the remote and chose HDMI 1.',
      keywords: 'beamer HDMI',
      locationId: null,
    });
    const uses = await tdb.db.select().from(knownFixUses).where(eq(knownFixUses.fixId, saved[0]!.id));
    expect(uses).toMatchObject([{ kind: 'resolved', incidentId: reported.incident.id }]);
    const [row] = await tdb.db.select().from(incidents).where(eq(incidents.id, reported.incident.id));
    expect(row?.status).toBe('resolved');
  });

  it('saves nothing when the box is not ticked', async () => {
    const s = await slackSchool(app);
    const reported = must(
      await reportFault(await ctxOf(s.teacher), { summary: 'Mouse broken', urgency: 'today' }),
    );
    const open = expectApi('views.open');
    await app.send(blockAction(s.tech, ACTION.resolve, reported.incident.id));
    const form = (await until(() => open.calls[0], 'resolve form')).view!;
    await app.send(
      viewSubmission(
        s.tech,
        CALLBACK.resolveModal,
        { [RESOLVE_BLOCK.resolution]: 'New mouse.', [RESOLVE_BLOCK.fixTitle]: 'Mouse broken' },
        { privateMetadata: form.private_metadata as string },
      ),
    );
    expect(
      await tdb.db.select().from(knownFixes).where(eq(knownFixes.incidentId, reported.incident.id)),
    ).toEqual([]);
  });
});

describe('/spoc fixes', () => {
  it('lists fixes with their uses; the office adds and retires, technicians only read', async () => {
    const s = await slackSchool(app);
    const spoc = async (who: Who, text: string) => (await app.send(slashCommand(who, '/spoc', text))).json();
    expect(textOf(await spoc(s.office, 'fixes'))).toContain('No known fixes yet.');
    expect(textOf(await spoc(s.teacher, 'fixes'))).toContain(
      'Only technicians and office staff can see the registers.',
    );
    expect(textOf(await spoc(s.office, 'help'))).toContain('`/spoc fixes`');

    const open = expectApi('views.open');
    await app.send(blockAction(s.office, ACTION.fixAdd, ''));
    const form = (await until(() => open.calls[0], 'fix form')).view!;
    expect(form.callback_id).toBe(CALLBACK.knownFixModal);
    const values = { title: 'Printer says offline', steps: 'Turn it off and on.', assetTag: 'NOPE-1' };
    const bad = await app.send(viewSubmission(s.office, CALLBACK.knownFixModal, values));
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: { assetTag: 'No device has the tag “NOPE-1”: check the sticker, or leave it blank.' },
    });
    const good = await app.send(
      viewSubmission(s.office, CALLBACK.knownFixModal, { ...values, assetTag: undefined }),
    );
    expect(textOf(good.json().view)).toContain('Known fix *Printer says offline* saved.');

    const list = await spoc(s.office, 'fixes');
    expect(textOf(list)).toContain('*Printer says offline*');
    expect(textOf(list)).toContain('matched by its words · not used yet');
    expect(textOf(list)).toContain(`${ACTION.fixRetire}|`);
    expect(textOf(list)).toContain(ACTION.fixAdd);
    const techList = textOf(await spoc(s.tech, 'fixes'));
    expect(techList).toContain('*Printer says offline*');
    expect(techList).not.toContain(ACTION.fixRetire);
    expect(techList).not.toContain(ACTION.fixAdd);

    const [fix] = await tdb.db
      .select()
      .from(knownFixes)
      .where(eq(knownFixes.schoolId, await schoolIdOf(s.office)));
    const replaced: Array<Record<string, unknown>> = [];
    nock(RESPONSE_URL_HOST)
      .post(responsePath(s.teamId))
      .reply((_uri, body) => {
        replaced.push(body as Record<string, unknown>);
        return [200, 'ok'];
      });
    await app.send(blockAction(s.office, ACTION.rowMenu, `${ACTION.fixRetire}|${fix!.id}`));
    const after = await until(() => replaced[0], 'list after retire');
    expect(after.replace_original).toBe(true);
    expect(textOf(after)).toContain('is retired: it is not suggested any more');
    expect(textOf(after)).toContain('_retired_');
    expect(textOf(after)).toContain(`${ACTION.fixRestore}|`);
  });
});

describe('suggested known fixes in the fault form', () => {
  it('suggests fixes as the summary is typed, and "That fixed it" reports nothing, counted once', async () => {
    const s = await slackSchool(app);
    const office = await ctxOf(s.office);
    const fix = must(
      await addKnownFix(office, {
        title: 'Projector shows No signal',
        steps: 'Press Source on the remote and choose HDMI 1.',
        keywords: 'beamer',
        locationId: null,
        assetType: null,
        assetId: null,
      }),
    );
    const open = expectApi('views.open');
    await app.send(slashCommand(s.teacher, '/fault', ''));
    const form = (await until(() => open.calls[0], 'fault form')).view!;
    // The school has fixes: the summary looks for them as it is typed.
    expect(inputOf(form, FAULT_BLOCK.summary)).toMatchObject({
      dispatch_action: true,
      element: {
        action_id: ACTION.faultSummary,
        dispatch_action_config: { trigger_actions_on: ['on_character_entered'] },
      },
    });

    const viewId = `V0FLT${randomBytes(3).toString('hex').toUpperCase()}`;
    const state = (summary: string): State => ({
      [FAULT_BLOCK.summary]: { [ACTION.faultSummary]: { type: 'plain_text_input', value: summary } },
      [FAULT_BLOCK.description]: { [ACTION.input]: { type: 'plain_text_input', value: null } },
      [FAULT_BLOCK.locationId]: { [ACTION.faultLocation]: { type: 'static_select', selected_option: null } },
      [FAULT_BLOCK.impact]: { [ACTION.input]: { type: 'static_select', selected_option: null } },
      [FAULT_BLOCK.urgency]: { [ACTION.input]: { type: 'radio_buttons', selected_option: null } },
    });
    const typed = (summary: string, blocks: unknown[]) =>
      viewAction(
        s.teacher,
        {
          id: viewId,
          hash: '1764494170.a1b2',
          blocks,
          privateMetadata: form.private_metadata as string,
          state: state(summary),
        },
        {
          type: 'plain_text_input',
          block_id: FAULT_BLOCK.summary,
          action_id: ACTION.faultSummary,
          value: summary,
        },
      );
    // Nothing matches "the": no update at all.
    await app.send(typed('the', form.blocks as unknown[]));
    const update = expectApi('views.update');
    await app.send(typed('the beamer', form.blocks as unknown[]));
    const updated = await until(() => update.calls[0], 'form with suggestions');
    expect(updated).toMatchObject({ view_id: viewId, hash: '1764494170.a1b2' });
    const shown = updated.view as Record<string, unknown>;
    expect(shown.callback_id).toBe(CALLBACK.faultModal);
    // The same blocks, so Slack keeps what was typed; the fix with its button after them.
    expect(inputOf(shown, FAULT_BLOCK.summary)).toMatchObject({
      element: { action_id: ACTION.faultSummary },
    });
    expect(inputOf(shown, 'known_fix_1')).toMatchObject({
      accessory: { action_id: ACTION.fixWorked, value: fix.id, text: { text: 'That fixed it' } },
    });
    expect(textOf(shown)).toContain('Press Source on the remote');
    // More typing that matches the same fix: no further update.
    await app.send(typed('the beamer is dark', shown.blocks as unknown[]));
    await new Promise((r) => setTimeout(r, 300));
    expect(update.calls).toHaveLength(1);

    const thanks = expectApi('views.update', { ok: true }, { times: 2 });
    const press = () =>
      app.send(
        viewAction(
          s.teacher,
          {
            id: viewId,
            hash: '1764494171.c3d4',
            blocks: shown.blocks as unknown[],
            privateMetadata: '',
            state: state('the beamer'),
          },
          {
            type: 'button',
            block_id: 'known_fix_1',
            action_id: ACTION.fixWorked,
            value: fix.id,
            text: { type: 'plain_text', text: 'That fixed it' },
          },
        ),
      );
    await press();
    await press();
    await until(() => thanks.calls[1], 'thanks twice');
    expect(thanks.calls[0]).toMatchObject({ view_id: viewId });
    expect(textOf(thanks.calls[0]!.view)).toContain('glad *Projector shows No signal* sorted it');
    const schoolId = await schoolIdOf(s.teacher);
    const uses = await tdb.db
      .select()
      .from(knownFixUses)
      .where(and(eq(knownFixUses.schoolId, schoolId), eq(knownFixUses.kind, 'deflected')));
    expect(uses).toMatchObject([{ fixId: fix.id, key: viewId }]);
    // A Report of that same form (sent before the thanks showed) raises nothing.
    const late = await app.send(
      viewSubmission(
        s.teacher,
        CALLBACK.faultModal,
        { summary: 'the beamer', urgency: { option: 'today' } },
        { viewId },
      ),
    );
    expect(late.json().response_action).toBe('update');
    expect(await tdb.db.select().from(incidents).where(eq(incidents.schoolId, schoolId))).toEqual([]);
  });

  it('looks again when a place or a device is chosen: the device’s own fix first, then the place’s', async () => {
    const s = await slackSchool(app);
    const office = await ctxOf(s.office);
    const schoolId = await schoolIdOf(s.office);
    const [hall] = (await listActiveLocations(tdb.db, schoolId)).filter((l) => l.name === 'Hall');
    const prj = must(
      await registerAsset(office, assetInput({ tag: 'PRJ-7', type: 'projector', locationId: hall!.id })),
    );
    const blank = { keywords: '', assetType: null, locationId: null, assetId: null };
    const lamp = must(
      await addKnownFix(office, {
        ...blank,
        title: 'Reset the lamp',
        steps: 'Hold Menu for 5 s.',
        assetId: prj.id,
      }),
    );
    const wifi = must(
      await addKnownFix(office, {
        ...blank,
        title: 'Hall wifi',
        steps: 'Use SchoolNet-2.',
        locationId: hall!.id,
      }),
    );
    const open = expectApi('views.open');
    await app.send(slashCommand(s.teacher, '/fault', ''));
    const form = (await until(() => open.calls[0], 'fault form')).view!;
    const viewId = `V0LOC${randomBytes(3).toString('hex').toUpperCase()}`;
    const state = (asset: string | null): State => ({
      [FAULT_BLOCK.summary]: { [ACTION.faultSummary]: { type: 'plain_text_input', value: null } },
      [FAULT_BLOCK.locationId]: {
        [ACTION.faultLocation]: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Hall' }, value: hall!.id },
        },
      },
      ...(asset
        ? {
            [FAULT_BLOCK.assetId]: {
              [ACTION.faultAsset]: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: 'PRJ-7' }, value: asset },
              },
            },
          }
        : {}),
    });
    const view = (blocks: unknown[], asset: string | null) => ({
      id: viewId,
      hash: '1764494180.e5f6',
      blocks,
      privateMetadata: form.private_metadata as string,
      state: state(asset),
    });
    const byPlace = expectApi('views.update');
    await app.send(
      viewAction(s.teacher, view(form.blocks as unknown[], null), {
        type: 'static_select',
        block_id: FAULT_BLOCK.locationId,
        action_id: ACTION.faultLocation,
        selected_option: { text: { type: 'plain_text', text: 'Hall' }, value: hall!.id },
      }),
    );
    const placed = (await until(() => byPlace.calls[0], 'form for the Hall')).view as Record<string, unknown>;
    // The devices there, the select looking for fixes once one is chosen; the Hall's own fix.
    expect(inputOf(placed, FAULT_BLOCK.assetId)).toMatchObject({
      dispatch_action: true,
      element: { action_id: ACTION.faultAsset },
    });
    expect(suggestedIds(placed)).toEqual([wifi.id]);
    const byDevice = expectApi('views.update');
    await app.send(
      viewAction(s.teacher, view(placed.blocks as unknown[], prj.id), {
        type: 'static_select',
        block_id: FAULT_BLOCK.assetId,
        action_id: ACTION.faultAsset,
        selected_option: { text: { type: 'plain_text', text: 'PRJ-7' }, value: prj.id },
      }),
    );
    const devised = (await until(() => byDevice.calls[0], 'form for PRJ-7')).view as Record<string, unknown>;
    expect(suggestedIds(devised)).toEqual([lamp.id, wifi.id]);
  });

  it('asks nothing of Slack as the summary is typed where the school has no fixes', async () => {
    const s = await slackSchool(app);
    const open = expectApi('views.open');
    await app.send(slashCommand(s.teacher, '/fault', 'Projector'));
    const form = (await until(() => open.calls[0], 'fault form')).view!;
    const summary = inputOf(form, FAULT_BLOCK.summary) as Record<string, unknown>;
    expect(summary.dispatch_action).toBeUndefined();
    expect(summary.element).toMatchObject({ action_id: ACTION.input });
    expect(textOf(form)).not.toContain(ACTION.fixWorked);
  });
});
