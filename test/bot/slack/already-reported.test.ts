/**
 * "Already reported" through the real Bolt app: choosing a device in the fault form (block_actions
 * from the modal, with the view and its state as Slack sends them) updates the form with the
 * warning and "Me too"; "Me too" follows the incident instead of reporting it; the office merges a
 * duplicate with `/spoc incident INC-n merge INC-m`; followers are told by DM when it is fixed.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, ALREADY_REPORTED_BLOCK, CALLBACK, FAULT_BLOCK } from '../../../src/bot/slack/ids';
import { faultModalView } from '../../../src/bot/slack/views/fault-modal.view';
import { incidentEvents, incidentFollowers, incidents, outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { listLocations } from '../../../src/domain/locations/list-locations';
import { registerAsset } from '../../../src/domain/registers/assets';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { assetInput, uniqueId } from '../../support/factories';
import {
  type ApiArgs,
  assertAllCallsMade,
  expectApi,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import { API_APP_ID, sign, slashCommand, viewSubmission, type Who } from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

const MONDAY = '2027-03-01T09:00:00Z';
const clock = fixedClock(MONDAY);
let tdb: TestDatabase;
let app: SlackTestApp;
beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(() => {
  clock.set(MONDAY);
  assertAllCallsMade();
});

type View = Record<string, unknown> & { blocks: Array<Record<string, unknown>> };

async function school() {
  const s = await slackSchool(app, uniqueId('C'));
  const ctxOf = async (who: Who): Promise<Ctx> => {
    const found = await identifySlackUser(tdb.db, clock, {
      teamId: s.teamId,
      userId: who.userId,
      userName: who.userName,
    });
    return { db: tdb.db, clock, actor: found.actor };
  };
  const jones: Who = { teamId: s.teamId, userId: uniqueId('U'), userName: 'mr.jones' };
  const khan: Who = { teamId: s.teamId, userId: uniqueId('U'), userName: 'mr.khan' };
  const officeCtx = await ctxOf(s.office);
  const library = (await listLocations(officeCtx)).find((l) => l.name === 'Library')!.id;
  const projector = must(
    await registerAsset(
      officeCtx,
      assetInput({ tag: 'PRJ-1', type: 'projector', make: 'Epson', model: 'EB-X41', locationId: library }),
    ),
  );
  return {
    ...s,
    jones,
    khan,
    library,
    projector,
    officeCtx,
    teacherCtx: await ctxOf(s.teacher),
    techCtx: await ctxOf(s.tech),
    khanCtx: await ctxOf(khan),
    jonesCtx: await ctxOf(jones),
  };
}

const selected = (value: string, text: string) => ({
  text: { type: 'plain_text', text, emoji: true },
  value,
});

/**
 * The fault form's state as Slack holds it: what was typed and chosen, each under its block and
 * the element's action id.
 */
function formState(chosen: { summary: string; locationId: string; assetId?: string }) {
  return {
    values: {
      [FAULT_BLOCK.summary]: { [ACTION.input]: { type: 'plain_text_input', value: chosen.summary } },
      [FAULT_BLOCK.description]: { [ACTION.input]: { type: 'plain_text_input', value: null } },
      [FAULT_BLOCK.locationId]: {
        [ACTION.faultLocation]: {
          type: 'static_select',
          selected_option: selected(chosen.locationId, 'Library'),
        },
      },
      ...(chosen.assetId
        ? {
            [FAULT_BLOCK.assetId]: {
              [ACTION.input]: {
                type: 'static_select',
                selected_option: selected(chosen.assetId, 'PRJ-1 · Projector · Epson EB-X41'),
              },
            },
          }
        : {}),
      [FAULT_BLOCK.impact]: { [ACTION.input]: { type: 'static_select', selected_option: null } },
      [FAULT_BLOCK.urgency]: { [ACTION.input]: { type: 'radio_buttons', selected_option: null } },
    },
  };
}

/** A block_actions from inside the open modal, as Slack sends it: the whole view, its state, the action. */
function inModal(who: Who, view: View, state: unknown, action: Record<string, unknown>) {
  const payload = {
    type: 'block_actions',
    user: { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId },
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: view.id },
    trigger_id: '7777.42.modal',
    team: { id: who.teamId, domain: 'hillside-primary' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      ...view,
      team_id: who.teamId,
      state,
      root_view_id: view.id,
      previous_view_id: null,
      app_id: API_APP_ID,
      bot_id: 'BBOT',
    },
    actions: [{ ...action, action_ts: '1772355700.123456' }],
  };
  return sign(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
}

const blockOf = (view: ApiArgs['view'], id: string) =>
  (view?.blocks as Array<Record<string, unknown>> | undefined)?.find((b) => b.block_id === id);

describe('Already reported, in the Slack fault form', () => {
  it('warns when the chosen device has an open incident, keeps what was typed, and Me too follows it', async () => {
    const s = await school();
    const first = must(
      await reportFault(s.teacherCtx, {
        summary: 'Projector shows no signal',
        urgency: 'today',
        assetId: s.projector.id,
      }),
    ).incident;
    clock.set('2027-03-01T09:40:00Z');

    // Mr Jones's form, as SPOC opened it and he chose the Library: the devices there.
    const opened: View = {
      ...(faultModalView({
        locations: await listLocations(s.jonesCtx),
        locationId: s.library,
        assets: [{ id: s.projector.id, label: 'PRJ-1 · Projector · Epson EB-X41' }],
        metadata: { source: 'command', channelId: 'C0GENERAL1' },
      }) as unknown as View),
      id: 'V0FAULT0JONES',
      hash: '1772355640.abc',
      private_metadata: JSON.stringify({ source: 'command', channelId: 'C0GENERAL1' }),
    };
    const assetBlock = blockOf(opened as ApiArgs['view'], FAULT_BLOCK.assetId);
    expect(assetBlock).toMatchObject({ dispatch_action: true, element: { action_id: ACTION.input } });

    // He chooses the projector.
    const update = expectApi('views.update', { ok: true });
    const state = formState({ summary: 'No picture', locationId: s.library, assetId: s.projector.id });
    await app.send(
      inModal(s.jones, opened, state, {
        type: 'static_select',
        action_id: ACTION.input,
        block_id: FAULT_BLOCK.assetId,
        selected_option: selected(s.projector.id, 'PRJ-1 · Projector · Epson EB-X41'),
      }),
    );
    const updated = await until(() => update.calls[0], 'form update');
    expect(updated).toMatchObject({ view_id: 'V0FAULT0JONES', hash: '1772355640.abc' });
    const view = updated.view as View;
    expect(view.callback_id).toBe(CALLBACK.faultModal);
    // The same input blocks and element ids, so Slack keeps what he typed; his choices stay chosen.
    for (const id of Object.values(FAULT_BLOCK)) expect(blockOf(view, id), id).toBeDefined();
    expect(blockOf(view, FAULT_BLOCK.summary)).toMatchObject({ element: { action_id: ACTION.input } });
    expect(blockOf(view, FAULT_BLOCK.assetId)).toMatchObject({
      element: { initial_option: { value: s.projector.id } },
    });
    expect(blockOf(view, FAULT_BLOCK.locationId)).toMatchObject({
      element: { initial_option: { value: s.library } },
    });
    expect(blockOf(view, ALREADY_REPORTED_BLOCK)).toEqual({
      type: 'section',
      block_id: ALREADY_REPORTED_BLOCK,
      text: {
        type: 'mrkdwn',
        text:
          `:warning: Already reported as *INC-${first.number}* by ms.patel, 40 minutes ago.\n` +
          'It is about this device (PRJ-1 in Library). If it is the same fault, press *Me too*: ' +
          'you will be told when it is fixed, and no second report is made.',
      },
      accessory: {
        type: 'button',
        action_id: ACTION.faultMeToo,
        text: { type: 'plain_text', text: 'Me too', emoji: true },
        value: first.id,
        style: 'primary',
      },
    });
    // Right under the device it is about.
    const ids = view.blocks.map((b) => b.block_id);
    expect(ids.indexOf(ALREADY_REPORTED_BLOCK)).toBe(ids.indexOf(FAULT_BLOCK.assetId) + 1);

    // Me too, pressed twice (a double click): following once, no incident raised.
    const done = expectApi('views.update', { ok: true }, { times: 2 });
    const meToo = {
      type: 'button',
      action_id: ACTION.faultMeToo,
      block_id: ALREADY_REPORTED_BLOCK,
      text: { type: 'plain_text', text: 'Me too', emoji: true },
      value: first.id,
      style: 'primary',
    };
    const shown: View = { ...view, id: 'V0FAULT0JONES', hash: '1772355641.def' };
    await app.send(inModal(s.jones, shown, state, meToo));
    await until(() => done.calls[0], 'me too');
    expect(done.calls[0]?.view).toMatchObject({ type: 'modal', title: { text: 'Following' } });
    expect(done.calls[0]?.view?.submit).toBeUndefined();
    expect(textOf(done.calls[0]?.view)).toContain(
      `Thanks — you are now following *INC-${first.number}* and will be told when it is fixed. No new report was made.`,
    );
    await app.send(inModal(s.jones, shown, state, meToo));
    await until(() => done.calls[1], 'me too again');
    expect(textOf(done.calls[1]?.view)).toContain(`You are already following *INC-${first.number}*`);
    const schoolId = s.officeCtx.actor.schoolId;
    expect(await tdb.db.select().from(incidents).where(eq(incidents.schoolId, schoolId))).toHaveLength(1);
    expect(
      (await tdb.db.select().from(incidentFollowers).where(eq(incidentFollowers.incidentId, first.id))).map(
        (f) => f.personId,
      ),
    ).toEqual([s.jonesCtx.actor.personId]);
    expect(
      await tdb.db
        .select()
        .from(incidentEvents)
        .where(and(eq(incidentEvents.incidentId, first.id), eq(incidentEvents.kind, 'followed'))),
    ).toHaveLength(1);
  });

  it('says nothing for a place alone, and nothing once the fault is fixed', async () => {
    const s = await school();
    const first = must(
      await reportFault(s.teacherCtx, { summary: 'No signal', urgency: 'today', assetId: s.projector.id }),
    ).incident;
    const opened: View = {
      ...(faultModalView({
        locations: await listLocations(s.jonesCtx),
        metadata: { source: 'home' },
      }) as unknown as View),
      id: 'V0FAULT0PLACE',
      hash: '1772355650.abc',
    };
    const update = expectApi('views.update', { ok: true }, { times: 2 });
    await app.send(
      inModal(s.jones, opened, formState({ summary: '', locationId: s.library }), {
        type: 'static_select',
        action_id: ACTION.faultLocation,
        block_id: FAULT_BLOCK.locationId,
        selected_option: selected(s.library, 'Library'),
      }),
    );
    const placed = (await until(() => update.calls[0], 'place chosen')).view as View;
    expect(blockOf(placed, FAULT_BLOCK.assetId)).toBeDefined();
    expect(blockOf(placed, ALREADY_REPORTED_BLOCK)).toBeUndefined();
    must(await resolveIncident(s.techCtx, { incidentId: first.id, resolution: 'Cable reseated' }));
    await app.send(
      inModal(s.jones, placed, formState({ summary: '', locationId: s.library, assetId: s.projector.id }), {
        type: 'static_select',
        action_id: ACTION.input,
        block_id: FAULT_BLOCK.assetId,
        selected_option: selected(s.projector.id, 'PRJ-1 · Projector · Epson EB-X41'),
      }),
    );
    const chosen = (await until(() => update.calls[1], 'device chosen')).view as View;
    expect(blockOf(chosen, ALREADY_REPORTED_BLOCK)).toBeUndefined();
  });
});

describe('merging and telling followers, in Slack', () => {
  it('the office merges a duplicate by command; a teacher may not; followers hear once when it is fixed', async () => {
    const s = await school();
    const first = must(
      await reportFault(s.teacherCtx, { summary: 'No signal', urgency: 'today', assetId: s.projector.id }),
    ).incident;
    // Mr Khan reports it again through the form, warning or not.
    const res = await app.send(
      viewSubmission(
        s.khan,
        CALLBACK.faultModal,
        {
          summary: 'Projector is dead',
          urgency: { option: 'today' },
          [FAULT_BLOCK.locationId]: { option: s.library },
          [FAULT_BLOCK.assetId]: { option: s.projector.id },
        },
        { viewId: uniqueId('V') },
      ),
    );
    expect(res.json().response_action).toBe('update');
    const [duplicate] = await tdb.db
      .select()
      .from(incidents)
      .where(
        and(
          eq(incidents.schoolId, s.officeCtx.actor.schoolId),
          eq(incidents.reporterId, s.khanCtx.actor.personId),
        ),
      );
    const say = async (who: Who, text: string) =>
      textOf((await app.send(slashCommand(who, '/spoc', text))).json());

    expect(await say(s.teacher, `incident INC-${duplicate!.number} merge INC-${first.number}`)).toContain(
      'Only office staff (the SPOC) can triage incidents.',
    );
    expect(await say(s.office, `incident INC-${first.number} merge INC-${first.number}`)).toContain(
      'An incident cannot be merged into itself',
    );
    expect(await say(s.office, `incident INC-${duplicate!.number} merge INC-${first.number}`)).toContain(
      `*INC-${duplicate!.number}* is merged into *INC-${first.number}* and closed. 1 person now follows *INC-${first.number}* and will be told when it is fixed. Both cards say so.`,
    );
    expect(await say(s.office, `incident INC-${duplicate!.number} merge into INC-${first.number}`)).toContain(
      `*INC-${duplicate!.number}* is already merged into *INC-${first.number}*.`,
    );
    const [closed] = await tdb.db.select().from(incidents).where(eq(incidents.id, duplicate!.id));
    expect(closed).toMatchObject({ status: 'closed', mergedIntoId: first.id });

    // Everything so far is delivered; then the fix.
    await tdb.db
      .update(outbox)
      .set({ status: 'sent' })
      .where(eq(outbox.schoolId, s.officeCtx.actor.schoolId));
    must(await resolveIncident(s.techCtx, { incidentId: first.id, resolution: 'New lamp fitted' }));
    const pending = await tdb.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.schoolId, s.officeCtx.actor.schoolId), eq(outbox.status, 'pending')));
    const followerRows = pending.filter((r) => r.message.event === 'follower_fixed');
    expect(followerRows.map((r) => r.message.personId)).toEqual([s.khanCtx.actor.personId]);
    // Only the follower's notice is left to send here (the card and the reporter are tested elsewhere).
    for (const r of pending.filter((p) => p.message.event !== 'follower_fixed'))
      await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.id, r.id));
    const dm = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0KHAN', ts: '1772356000.000100' },
      {
        match: (a) => a.channel === s.khan.userId,
      },
    );
    await app.dispatcher.runOnce();
    const sent = await until(() => dm.calls[0], 'follower DM');
    expect(sent.text).toBe(`INC-${first.number}, the fault you are following, was fixed`);
    expect(textOf(sent.blocks)).toContain(
      `:tada: Good news: *INC-${first.number}* (PRJ-1 in Library), the fault you are following, has been fixed.`,
    );
    expect(textOf(sent.blocks)).not.toContain('New lamp');
  });
});
