/**
 * Buttons, overflow options and page links carrying values SPOC never sent (junk, prototype
 * names, non-numeric pages, ids of records that are not there or belong to another school),
 * through the real Bolt app: each is acked at once, the presser is told in a sentence, and
 * neither school changes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bot/slack/ids';
import { STALE_ACTION_TEXT } from '../../../src/bot/slack/views/replies.view';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { registerAsset } from '../../../src/domain/registers/assets';
import { addLocation } from '../../../src/domain/registers/locations';
import { schedulePayment } from '../../../src/domain/registers/payments';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { createWorkItem } from '../../../src/domain/work-items/commands';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { schoolSnapshot } from '../../support/school-snapshot';
import {
  assertAllCallsMade,
  expectApi,
  expectResponseUrl,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
} from '../../support/slack-app';
import {
  API_APP_ID,
  blockAction,
  homeButton,
  RESPONSE_URL_HOST,
  responsePath,
  type SignedRequest,
  sign,
  type Who,
} from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

const clock = fixedClock('2027-03-01T09:00:00Z');
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
afterEach(assertAllCallsMade);

const NOT_AN_INCIDENT = "I couldn't find that incident in your school.";
const NIL = '00000000-0000-4000-8000-000000000000';

/** A school with one of everything a button can point at. */
async function school() {
  const s = await slackSchool(app);
  const ctxOf = async (who: Who): Promise<Ctx> => {
    // Seen as through Slack: asked for their names (Slack said none), so not asked again below.
    const found = await identifySlackUser(
      tdb.db,
      clock,
      { teamId: s.teamId, userId: who.userId, userName: who.userName },
      { person: async () => undefined, school: async () => undefined },
    );
    return { db: tdb.db, clock, actor: found.actor };
  };
  const office = await ctxOf(s.office);
  const teacher = await ctxOf(s.teacher);
  // Everyone has been seen once, so a press below changes nothing about them either.
  await ctxOf(s.tech);
  await ctxOf(s.admin);
  const incident = must(
    await reportFault(teacher, { summary: 'Projector is dead', urgency: 'today' }),
  ).incident;
  const provider = must(
    await addProvider(office, {
      name: 'County ICT',
      level: 'second',
      contactName: '',
      email: '',
      phone: '',
      chatChannel: '',
      notes: '',
    }),
  );
  const contract = must(
    await addContract(office, {
      providerId: provider.id,
      title: 'ICT support',
      service: '',
      startDate: '2026-09-01',
      endDate: '2027-08-31',
      noticeDays: 30,
      autoRenews: false,
      valuePence: null,
      responseTargetHours: null,
      notes: '',
    }),
  );
  const payment = must(
    await schedulePayment(office, {
      payee: 'County ICT',
      providerId: provider.id,
      amountPence: 12000,
      dueDate: '2027-03-10',
      recurrence: 'none',
      reference: '',
      notes: '',
    }),
  );
  const location = must(
    await addLocation(office, { name: 'Science lab', parentId: null, defaultImpact: null }),
  );
  const asset = must(
    await registerAsset(office, {
      tag: 'LAP-0042',
      type: 'laptop',
      make: '',
      model: '',
      serial: '',
      locationId: location.id,
      supplier: '',
      purchaseDate: null,
      costPence: null,
      warrantyEnd: null,
      status: 'in_use',
      notes: '',
    }),
  );
  const change = must(
    await createWorkItem(office, {
      kind: 'change',
      title: 'New Wi-Fi',
      description: '',
      owner: null,
      targetDate: null,
    }),
  ).item;
  return {
    ...s,
    schoolId: office.actor.schoolId,
    ids: { incident: incident.id, contract: contract.id, payment: payment.id, location: location.id },
    asset: asset.id,
    change: change.id,
  };
}
type School = Awaited<ReturnType<typeof school>>;

function interactive(payload: object): SignedRequest {
  return sign(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
}

/** An option chosen from an overflow menu (the incident card's ⋯), as Slack sends it. */
function overflow(who: Who, actionId: string, value: string): SignedRequest {
  return interactive({
    type: 'block_actions',
    user: { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId },
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: '1772355600.000100',
      channel_id: 'C0SPOC0001',
      is_ephemeral: false,
    },
    trigger_id: '2222.42.overflow',
    team: { id: who.teamId, domain: 'hillside-primary' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: 'C0SPOC0001', name: 'ict-spoc' },
    message: {
      type: 'message',
      user: 'UBOT',
      ts: '1772355600.000100',
      bot_id: 'BBOT',
      text: 'card',
      blocks: [],
    },
    state: { values: {} },
    response_url: `${RESPONSE_URL_HOST}${responsePath(who.teamId)}`,
    actions: [
      {
        type: 'overflow',
        action_id: actionId,
        block_id: 'incident_actions',
        selected_option: { text: { type: 'plain_text', text: 'More', emoji: true }, value },
        action_ts: '1764494160.654321',
      },
    ],
  });
}

interface Junk {
  name: string;
  /** The request, pressed by the office member unless it says otherwise (`mine` is the presser's school, `theirs` another). */
  press: (mine: School, theirs: School) => SignedRequest;
  /** What the presser is told: the shared sentence, unless the command has a more precise one. */
  told?: string;
}

const page = (kind: string, p: unknown, query = '') => JSON.stringify({ kind, page: p, query });

const JUNK: Junk[] = [
  {
    name: 'card menu: rm_rf|<id>',
    press: (m) => overflow(m.office, ACTION.cardMore, `rm_rf|${m.ids.incident}`),
  },
  {
    name: 'card menu: __proto__|<id>',
    press: (m) => overflow(m.office, ACTION.cardMore, `__proto__|${m.ids.incident}`),
  },
  {
    name: 'card menu: constructor|<id>',
    press: (m) => overflow(m.office, ACTION.cardMore, `constructor|${m.ids.incident}`),
  },
  {
    name: 'card menu naming itself',
    press: (m) => overflow(m.office, ACTION.cardMore, `${ACTION.cardMore}|${m.ids.incident}`),
  },
  {
    name: 'card menu: three parts',
    press: (m) => overflow(m.office, ACTION.cardMore, `${ACTION.claim}|${m.ids.incident}|x`),
  },
  {
    name: 'card menu: not an id',
    press: (m) => overflow(m.office, ACTION.cardMore, `${ACTION.hold}|rm -rf`),
  },
  { name: 'card menu: empty', press: (m) => overflow(m.office, ACTION.cardMore, '') },
  { name: 'Claim: rm_rf|x', press: (m) => blockAction(m.tech, ACTION.claim, 'rm_rf|x') },
  { name: 'Resolve: __proto__', press: (m) => blockAction(m.tech, ACTION.resolve, '__proto__') },
  {
    name: "Claim: another school's incident",
    press: (m, t) => blockAction(m.tech, ACTION.claim, t.ids.incident),
    told: NOT_AN_INCIDENT,
  },
  {
    name: "card menu: hold another school's incident",
    press: (m, t) => overflow(m.tech, ACTION.cardMore, `${ACTION.hold}|${t.ids.incident}`),
    told: NOT_AN_INCIDENT,
  },
  {
    name: 'card menu: an incident that does not exist',
    press: (m) => overflow(m.office, ACTION.cardMore, `${ACTION.triage}|${NIL}`),
    told: NOT_AN_INCIDENT,
  },
  {
    name: 'locations page: not a number',
    press: (m) => blockAction(m.office, `${ACTION.page}_next`, page('locations', 'abc')),
  },
  {
    name: 'assets page: zero',
    press: (m) => blockAction(m.office, `${ACTION.page}_prev`, page('assets', 0)),
  },
  {
    name: 'register page: __proto__ list',
    press: (m) => blockAction(m.office, `${ACTION.page}_next`, page('__proto__', 2)),
  },
  { name: 'register page: not JSON', press: (m) => blockAction(m.office, `${ACTION.page}_next`, 'rm_rf|2') },
  {
    name: 'payments page: a sentence for a number',
    press: (m) => blockAction(m.office, `${ACTION.supplyPage}_next`, page('payments', '2; drop table')),
  },
  {
    name: 'supply page: empty',
    press: (m) => blockAction(m.office, `${ACTION.supplyPage}_prev`, ''),
  },
  {
    name: 'changes page: negative',
    press: (m) =>
      blockAction(m.office, `${ACTION.workPage}_next`, JSON.stringify({ filter: 'open', page: -1 })),
  },
  {
    name: 'changes page: unknown list',
    press: (m) =>
      blockAction(m.office, `${ACTION.workPage}_next`, JSON.stringify({ filter: 'rm_rf', page: 2 })),
  },
  {
    name: 'row menu: an option it never offered',
    press: (m) => overflow(m.office, ACTION.rowMenu, `spoc_location_delete|${m.ids.location}`),
  },
  { name: 'row menu: __proto__', press: (m) => overflow(m.office, ACTION.rowMenu, '__proto__|x') },
  { name: 'row menu: no action named', press: (m) => overflow(m.office, ACTION.rowMenu, m.ids.location) },
  {
    name: '"Open a problem": junk suggestion',
    press: (m) => blockAction(m.office, ACTION.problemSuggested, '__proto__'),
  },
  { name: 'reminder "Renewed": junk', press: (m) => blockAction(m.office, ACTION.reminderRenewed, 'rm_rf') },
  {
    name: 'reminder "Renewed": another school\'s contract',
    press: (m, t) => blockAction(m.office, ACTION.reminderRenewed, t.ids.contract),
    told: "I couldn't find that contract.",
  },
  {
    name: 'reminder "Reassign": junk',
    press: (m) => blockAction(m.office, ACTION.reminderReassign, '__proto__|1'),
  },
  {
    name: 'reminder "Reassign": an incident that does not exist',
    press: (m) => blockAction(m.office, ACTION.reminderReassign, NIL),
    told: NOT_AN_INCIDENT,
  },
  {
    name: 'reminder "Mark paid": another school\'s payment',
    press: (m, t) => blockAction(m.office, ACTION.reminderPaid, t.ids.payment),
    told: "I couldn't find that payment in your school.",
  },
  {
    name: 'payment "Cancel": junk',
    press: (m) => blockAction(m.office, ACTION.paymentCancel, 'rm_rf|x'),
    told: "I couldn't find that payment in your school.",
  },
  {
    name: 'reporter "Fixed": another school\'s incident',
    press: (m, t) => blockAction(m.teacher, ACTION.reporterFixed, t.ids.incident),
    told: NOT_AN_INCIDENT,
  },
  {
    name: 'asset "Edit": another school\'s asset',
    press: (m, t) => blockAction(m.office, ACTION.assetEdit, t.asset),
    told: "I couldn't find that asset in your school.",
  },
  {
    name: 'change "Post an update": another school\'s change',
    press: (m, t) => blockAction(m.tech, ACTION.workProgress, t.change),
    told: "I couldn't find that change or problem in your school.",
  },
];

describe('junk in a known button, menu or page link', () => {
  let mine: School;
  let theirs: School;
  beforeAll(async () => {
    mine = await school();
    theirs = await school();
  });

  it.each(JUNK.map((j) => [j.name, j] as const))(
    '%s: acked, told in a sentence, nothing changes',
    async (_n, junk) => {
      const before = [
        await schoolSnapshot(tdb.db, mine.schoolId),
        await schoolSnapshot(tdb.db, theirs.schoolId),
      ];
      const said = expectResponseUrl(responsePath(mine.teamId));
      const res = await app.send(junk.press(mine, theirs));
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      const answer = await until(() => said.calls[0], 'the answer');
      expect(answer).toMatchObject({
        response_type: 'ephemeral',
        replace_original: false,
        text: junk.told ?? STALE_ACTION_TEXT,
      });
      expect([
        await schoolSnapshot(tdb.db, mine.schoolId),
        await schoolSnapshot(tdb.db, theirs.schoolId),
      ]).toEqual(before);
    },
  );

  it('answers by DM when the button has no message to answer under (App Home)', async () => {
    const before = await schoolSnapshot(tdb.db, mine.schoolId);
    const dm = expectApi('chat.postMessage', { ok: true, channel: 'D1', ts: '1.1' });
    const res = await app.send(homeButton(mine.office, `${ACTION.page}_next`, page('assets', 'abc')));
    expect(res.status).toBe(200);
    const sent = await until(() => dm.calls[0], 'the DM');
    expect(sent).toMatchObject({ channel: mine.office.userId, text: STALE_ACTION_TEXT });
    expect(await schoolSnapshot(tdb.db, mine.schoolId)).toEqual(before);
  });
});
