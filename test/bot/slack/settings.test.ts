/** `/spoc settings` through the real Bolt app: view, Edit form, text forms, and new reports using them. */
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, FAULT_BLOCK, SETTINGS_BLOCK } from '../../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { incidents, outbox, registerEvents } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0 } from '../../support/factories';
import {
  assertAllCallsMade,
  expectApi,
  expectResponseUrl,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import {
  blockAction,
  responsePath,
  slashCommand,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { until } from '../../support/wait';

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
afterEach(async () => {
  await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
  assertAllCallsMade();
});

async function spoc(who: Who, text: string) {
  const res = await app.send(slashCommand(who, '/spoc', text));
  expect(res.status).toBe(200);
  const body = res.json() as { text: string; blocks: unknown[] };
  return { text: textOf(body.blocks), body };
}

async function schoolRow(teamId: string) {
  const row = await findSchoolBySlackTeam(tdb.db, teamId);
  if (!row) throw new Error('no school');
  return row;
}

/** Every field of the settings form, as an admin would leave it, with `changes` typed over it. */
function form(changes: Record<string, string | undefined> = {}) {
  return {
    [SETTINGS_BLOCK.dayStart]: '08:00',
    [SETTINGS_BLOCK.dayEnd]: '16:00',
    [SETTINGS_BLOCK.P1_respond]: '30m',
    [SETTINGS_BLOCK.P1_resolve]: '4h',
    [SETTINGS_BLOCK.P2_respond]: '2h',
    [SETTINGS_BLOCK.P2_resolve]: '1 day',
    [SETTINGS_BLOCK.P3_respond]: '1 day',
    [SETTINGS_BLOCK.P3_resolve]: '3 days',
    [SETTINGS_BLOCK.P4_respond]: '3 days',
    [SETTINGS_BLOCK.P4_resolve]: '10 days',
    [SETTINGS_BLOCK.paymentDueSoonDays]: '7',
    [SETTINGS_BLOCK.contractNoticeDays]: '60, 30, 7',
    [SETTINGS_BLOCK.contractEndDays]: '30',
    [SETTINGS_BLOCK.licenceExpiryDays]: '60, 30',
    [SETTINGS_BLOCK.warrantyDays]: '30',
    [SETTINGS_BLOCK.ticketEmoji]: 'ticket',
    ...changes,
  };
}

describe('/spoc settings', () => {
  it('shows the school day, targets and lead times to staff; Edit only for admins; not to teachers', async () => {
    const s = await slackSchool(app);
    const office = await spoc(s.office, 'settings');
    expect(office.text).toContain('*School day*: 08:00–16:00 (8h), Europe/London');
    expect(office.text).toContain('*P1* — respond within *30m*, fix within *4h*');
    expect(office.text).toContain('*P2* — respond within *2h*, fix within *1 day*');
    expect(office.text).toContain('*P4* — respond within *3 days*, fix within *10 days*');
    expect(office.text).toContain('contract notice deadline: 60, 30, 7 days before');
    expect(office.text).toContain('Only an admin can change these.');
    expect(office.text).not.toContain(ACTION.settingsEdit);
    const admin = await spoc(s.admin, 'settings');
    expect(admin.body.blocks).toContainEqual(
      expect.objectContaining({
        type: 'actions',
        elements: [
          expect.objectContaining({
            action_id: ACTION.settingsEdit,
            text: expect.objectContaining({ text: 'Edit' }),
          }),
        ],
      }),
    );
    expect((await spoc(s.teacher, 'settings')).body.text).toBe('Only ICT staff can see the school settings.');
  });

  it('Edit: office is refused in the command; the admin gets the form, errors beside fields, then saves', async () => {
    const s = await slackSchool(app);
    const refused = expectResponseUrl(responsePath(s.teamId));
    await app.send(blockAction(s.office, ACTION.settingsEdit, 'edit'));
    expect((await until(() => refused.calls[0], 'refusal')).text).toBe(
      'Only an admin can change the school settings.',
    );

    const opened = expectApi('views.open', { ok: true, view: { id: 'V0SETTINGS' } });
    await app.send(blockAction(s.admin, ACTION.settingsEdit, 'edit'));
    const view = (await until(() => opened.calls[0], 'form')).view as {
      callback_id: string;
      blocks: Array<{ block_id?: string; element?: { initial_value?: string } }>;
    };
    expect(view.callback_id).toBe(CALLBACK.settingsModal);
    const initial = Object.fromEntries(
      view.blocks.filter((b) => b.block_id).map((b) => [b.block_id, b.element?.initial_value]),
    );
    expect(initial).toEqual(form());

    const bad = await app.send(
      viewSubmission(
        s.admin,
        CALLBACK.settingsModal,
        form({
          [SETTINGS_BLOCK.dayEnd]: '07:00',
          [SETTINGS_BLOCK.P1_respond]: '5h',
          [SETTINGS_BLOCK.P2_resolve]: 'tomorrow',
          [SETTINGS_BLOCK.warrantyDays]: undefined,
        }),
      ),
    );
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: {
        [SETTINGS_BLOCK.dayEnd]: 'The school day must end after it starts.',
        [SETTINGS_BLOCK.P1_respond]: 'The response target must not be longer than the resolution target.',
        [SETTINGS_BLOCK.P2_resolve]: 'Write it like 30m, 2h, 1 day or 3 days.',
        [SETTINGS_BLOCK.warrantyDays]: 'A whole number of days, e.g. 30.',
      },
    });
    // A crafted submission from office staff is refused by the command too.
    const crafted = await app.send(
      viewSubmission(s.office, CALLBACK.settingsModal, form({ [SETTINGS_BLOCK.P1_respond]: '15m' })),
    );
    expect(crafted.json()).toEqual({
      response_action: 'errors',
      errors: { [SETTINGS_BLOCK.dayStart]: 'Only an admin can change the school settings.' },
    });
    const before = await schoolRow(s.teamId);
    expect(before.slaTargets).toEqual({});

    const saved = await app.send(
      viewSubmission(
        s.admin,
        CALLBACK.settingsModal,
        form({
          [SETTINGS_BLOCK.dayStart]: '08:30',
          [SETTINGS_BLOCK.dayEnd]: '15:30',
          [SETTINGS_BLOCK.P1_respond]: '15m',
          [SETTINGS_BLOCK.P1_resolve]: '2h',
          [SETTINGS_BLOCK.warrantyDays]: '45',
        }),
      ),
    );
    expect(saved.json()).toMatchObject({ response_action: 'update' });
    // The form's "1 day" is a school day of the new hours: P2–P4 follow the shorter day.
    expect(textOf(saved.json().view)).toContain('Settings saved (7 changed)');
    const after = await schoolRow(s.teamId);
    expect(after).toMatchObject({ dayStart: '08:30', dayEnd: '15:30' });
    expect(after.slaTargets).toMatchObject({
      P1: { respondMinutes: 15, resolveMinutes: 120 },
      P2: { respondMinutes: 120, resolveMinutes: 420 },
      P4: { respondMinutes: 1260, resolveMinutes: 4200 },
    });
    expect(after.reminderLeadTimes).toMatchObject({ warrantyDays: 45 });
    const audit = await tdb.db
      .select()
      .from(registerEvents)
      .where(and(eq(registerEvents.schoolId, after.id), eq(registerEvents.subject, `school:${after.id}`)));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.data).toMatchObject({
      changes: {
        dayStart: { from: '08:00', to: '08:30' },
        'leadTimes.warrantyDays': { from: 30, to: 45 },
      },
    });
    expect((await spoc(s.office, 'settings')).text).toContain(
      '*P2* — respond within *2h*, fix within *1 day*',
    );
  });

  it('text forms for admins, with usage help for bad input', async () => {
    const s = await slackSchool(app);
    expect((await spoc(s.admin, 'settings sla P1 15m 2h')).body.text).toBe(
      ':white_check_mark: P1: respond within 15m, fix within 2h (school time). New reports and re-triaged incidents get these targets.',
    );
    expect((await spoc(s.admin, 'settings sla p3 4h 2 days')).body.text).toContain(
      'P3: respond within 4h, fix within 2 days',
    );
    expect((await spoc(s.admin, 'settings sla P1 15m 2h')).body.text).toContain('No change: P1');
    expect((await spoc(s.office, 'settings sla P1 1h 2h')).body.text).toBe(
      'Only an admin can change the school settings.',
    );
    const wrong = await spoc(s.admin, 'settings sla P1 4h 1h');
    expect(wrong.body.text).toContain(
      '• P1 respond: The response target must not be longer than the resolution target.',
    );
    expect(wrong.body.text).toContain('Usage: `/spoc settings`');
    for (const typo of [
      'settings sla P9 1h 2h',
      'settings sla P1 1h',
      'settings hours 9am',
      'settings colour blue',
    ]) {
      expect((await spoc(s.admin, typo)).text).toContain('Usage: `/spoc settings`');
    }
    expect((await spoc(s.admin, 'settings hours 16:00 08:30')).body.text).toContain(
      '• end of the day: The school day must end after it starts.',
    );
    expect((await spoc(s.admin, 'settings hours 8:45 15:15')).body.text).toBe(
      ':white_check_mark: the school day is 08:45–15:15.',
    );
    // Targets set in minutes stay as they were: the default P2 fix (8 hours) is now more than a 6h 30m day.
    expect((await spoc(s.office, 'settings')).text).toContain(
      '*P2* — respond within *2h*, fix within *1 day 1h 30m*',
    );
    expect(await schoolRow(s.teamId)).toMatchObject({
      dayStart: '08:45',
      dayEnd: '15:15',
      slaTargets: {
        P1: { respondMinutes: 15, resolveMinutes: 120 },
        P3: { respondMinutes: 240, resolveMinutes: 960 },
      },
    });
  });

  it('a new report takes the school’s own targets for its priority', async () => {
    const s = await slackSchool(app);
    await spoc(s.admin, 'settings sla P2 1h 6h');
    const res = await app.send(
      viewSubmission(s.teacher, CALLBACK.faultModal, {
        [FAULT_BLOCK.summary]: 'Board in Room 4 is dead',
        [FAULT_BLOCK.urgency]: { option: 'lesson_stopped' },
      }),
    );
    expect(textOf(res.json().view)).toContain('INC-1');
    const school = await schoolRow(s.teamId);
    const [row] = await tdb.db.select().from(incidents).where(eq(incidents.schoolId, school.id));
    expect(row).toMatchObject({ priority: 'P2', slaRespondMinutes: 60, slaResolveMinutes: 360 });
  });
});
