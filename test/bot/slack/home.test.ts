/**
 * The App Homes people work from, through the real Bolt app: the technician's My work (Open,
 * Resolve, Hold), Unassigned (Claim) and SLA breaches (⏰ and the words); Claim pressed on the home
 * claims it and publishes the presser's home again, and a teacher's press is refused on top of
 * theirs; Open shows the incident in a modal; the office's payments, contracts in notice,
 * unanswered escalations and week; the admin's settings; every list capped within Slack's 100
 * blocks; a form opened from the home publishes the home again once saved; and a delivered change
 * publishes the staff's homes again, once per school however many changes, and never a teacher's.
 */
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { homeRefresher } from '../../../src/bot/slack/home-refresh';
import { ACTION, CALLBACK } from '../../../src/bot/slack/ids';
import { getIncidentDetail } from '../../../src/db/queries/incidents';
import { incidents, outbox, people } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { escalateIncident } from '../../../src/domain/incidents/escalate-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { schedulePayment } from '../../../src/domain/registers/payments';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { deliverByPlatform } from '../../../src/worker/platform-deliverer';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import {
  assertAllCallsMade,
  expectApi,
  pinAuthTest,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import { appHomeOpened, homeButton, viewSubmission, type Who } from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

// Monday 30 November 2026, 09:15.
const NOW = '2026-11-30T09:15:00Z';
const clock = fixedClock(NOW);
let tdb: TestDatabase;
let app: SlackTestApp;

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
});
afterAll(async () => {
  homeRefresher.clear();
  await app?.stop();
  await tdb?.destroy();
});
afterEach(async () => {
  clock.set(NOW);
  await homeRefresher.flush();
  homeRefresher.clear();
  await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
  assertAllCallsMade();
});

const ctxOf = async (who: Who) => ({
  db: tdb.db,
  clock,
  ...(await identifySlackUser(tdb.db, clock, {
    teamId: who.teamId,
    userId: who.userId,
    userName: who.userName,
  })),
});

type Block = Record<string, unknown> & { type: string };
type View = { type: string; blocks: Block[]; private_metadata?: string; title?: { text: string } };

/** Opens `who`'s App Home and returns the view SPOC published. */
async function openHome(who: Who): Promise<View> {
  const publish = expectApi('views.publish', { ok: true }, { match: (a) => a.user_id === who.userId });
  await app.send(appHomeOpened(who));
  return (await until(() => publish.calls[0], 'home published')).view as View;
}

/** Every button on the view: `<action id> <label> <value>`. */
const buttonsOf = (view: View) =>
  view.blocks
    .flatMap((b) => [b.accessory, ...((b.elements as unknown[] | undefined) ?? [])])
    .filter((e): e is { type: string; action_id: string; text: { text: string }; value?: string } =>
      Boolean(e && (e as { type?: string }).type === 'button'),
    )
    .map((e) => `${e.action_id} ${e.text.text} ${e.value ?? ''}`.trim());

/** A school with a claimed fault (the technician's), one waiting, and one two school days old (breached). */
async function schoolWithWork() {
  const s = await slackSchool(app);
  const teacher = await ctxOf(s.teacher);
  const tech = await ctxOf(s.tech);
  clock.set('2026-11-26T09:00:00Z');
  const old = must(await reportFault(teacher, { summary: 'Library PCs cannot print', urgency: 'today' }));
  clock.set(NOW);
  const mine = must(
    await reportFault(teacher, { summary: 'Projector in Room 4 flickers', urgency: 'today' }),
  );
  must(await claimIncident(tech, { incidentId: mine.incident.id }));
  const waiting = must(
    await reportFault(teacher, { summary: 'Hall speakers crackle', urgency: 'this_week' }),
  );
  return { ...s, teacherCtx: teacher, techCtx: tech, old, mine, waiting };
}

describe('the technician’s App Home', () => {
  it('shows my work with Open, Resolve and Hold, unassigned with Claim, and the breaches in words', async () => {
    const s = await schoolWithWork();
    // Another school's fault never shows.
    const other = await slackSchool(app, 'C0SPOCOTHR');
    must(await reportFault(await ctxOf(other.teacher), { summary: 'Other school kettle', urgency: 'today' }));

    const home = await openHome(s.tech);
    const text = textOf(home);
    expect(text).toContain('*My work* (1)');
    expect(text).toContain('Projector in Room 4 flickers');
    expect(text).toMatch(
      /In progress · :stopwatch: Resolution due <!date\^\d+\^[^>]*> — 1 day of school time left/,
    );
    expect(text).toContain('*Unassigned* (2)');
    expect(text).toContain('*SLA breaches* (1)');
    expect(text).toMatch(
      /:alarm_clock: \*SLA breached\* · \*INC-\d+\* :large_orange_circle: P2 — Library PCs cannot print · _nobody has it_ · First response target missed — breached by/,
    );
    expect(text).not.toContain('Other school kettle');
    expect(buttonsOf(home)).toEqual(
      expect.arrayContaining([
        `${ACTION.incidentOpen} Open ${s.mine.incident.id}`,
        `${ACTION.resolve} Resolve ${s.mine.incident.id}`,
        `${ACTION.hold} Hold ${s.mine.incident.id}`,
        `${ACTION.claim} Claim ${s.waiting.incident.id}`,
        `${ACTION.claim} Claim ${s.old.incident.id}`,
      ]),
    );
    expect(home.blocks.length).toBeLessThanOrEqual(100);
  });

  it('a technician claims from the App Home: claimed, and the home shows it as theirs at once', async () => {
    const s = await schoolWithWork();
    await openHome(s.tech);
    const publish = expectApi('views.publish', { ok: true }, { match: (a) => a.user_id === s.tech.userId });
    await app.send(homeButton(s.tech, ACTION.claim, s.waiting.incident.id));
    const home = (await until(() => publish.calls[0], 'home published again')).view as View;
    const claimed = await getIncidentDetail(tdb.db, s.techCtx.school.id, s.waiting.incident.id);
    expect(claimed?.assigneeId).toBe(s.techCtx.actor.personId);
    expect(textOf(home)).toContain('*My work* (2)');
    expect(buttonsOf(home)).toContain(`${ACTION.hold} Hold ${s.waiting.incident.id}`);
    expect(buttonsOf(home)).not.toContain(`${ACTION.claim} Claim ${s.waiting.incident.id}`);
  });

  it('a teacher pressing Claim on their home is refused on top of it, and nothing is claimed', async () => {
    const s = await schoolWithWork();
    const publish = expectApi(
      'views.publish',
      { ok: true },
      { match: (a) => a.user_id === s.teacher.userId },
    );
    await app.send(homeButton(s.teacher, ACTION.claim, s.waiting.incident.id));
    const home = (await until(() => publish.calls[0], 'teacher home')).view as View;
    expect(textOf(home.blocks[3])).toContain('Only technicians and office staff can claim incidents.');
    const still = await getIncidentDetail(tdb.db, s.techCtx.school.id, s.waiting.incident.id);
    expect(still?.assigneeId).toBeNull();
    // Another school's incident is not found from this home either.
    const other = await slackSchool(app, 'C0SPOCOTH2');
    const publishOther = expectApi(
      'views.publish',
      { ok: true },
      { match: (a) => a.user_id === other.tech.userId },
    );
    await app.send(homeButton(other.tech, ACTION.claim, s.waiting.incident.id));
    await until(() => publishOther.calls[0], 'other home');
    expect(
      (await getIncidentDetail(tdb.db, s.techCtx.school.id, s.waiting.incident.id))?.assigneeId,
    ).toBeNull();
  });

  it('Open shows the incident with its history in a modal; Resolve opens its form, remembering the home', async () => {
    const s = await schoolWithWork();
    const open = expectApi('views.open', { ok: true });
    await app.send(homeButton(s.tech, ACTION.incidentOpen, s.mine.incident.id));
    const modal = (await until(() => open.calls[0], 'modal')).view as View;
    expect(modal.type).toBe('modal');
    expect(modal.title?.text).toMatch(/^INC-\d+ — /);
    expect(textOf(modal)).toContain('Projector in Room 4 flickers');
    expect(textOf(modal)).toContain('*History*');

    const form = expectApi('views.open', { ok: true });
    await app.send(homeButton(s.tech, ACTION.resolve, s.mine.incident.id));
    const resolve = (await until(() => form.calls[0], 'resolve form')).view as View;
    expect(JSON.parse(resolve.private_metadata ?? '{}')).toEqual({
      incidentId: s.mine.incident.id,
      home: true,
    });
  });
});

describe('the office’s and admin’s App Home', () => {
  it('adds payments due or overdue, contracts in notice, unanswered escalations, the week; the admin the settings', async () => {
    const s = await schoolWithWork();
    const office = await ctxOf(s.office);
    const provider = must(
      await addProvider(office, {
        name: 'Oakwood ICT',
        level: 'second',
        contactName: 'Jo',
        email: 'help@oakwood.example',
        phone: '',
        chatChannel: '',
        notes: '',
      }),
    );
    const pay = (payee: string, dueDate: string) =>
      schedulePayment(office, {
        payee,
        providerId: null,
        amountPence: 12_000,
        dueDate,
        recurrence: 'none',
        reference: '',
        notes: '',
      });
    must(await pay('Overdue Ltd', '2026-11-23'));
    must(await pay('Soon Ltd', '2026-12-03'));
    must(await pay('Later Ltd', '2027-02-01'));
    must(
      await addContract(office, {
        providerId: provider.id,
        title: 'Broadband',
        service: 'Internet',
        startDate: '2025-01-01',
        endDate: '2027-01-31',
        noticeDays: 30,
        autoRenews: true,
        valuePence: null,
        responseTargetHours: 8,
        notes: '',
      }),
    );
    must(
      await escalateIncident(office, {
        incidentId: s.mine.incident.id,
        providerId: provider.id,
        providerRef: 'OAK-1',
        note: 'Lamp failing',
      }),
    );

    const text = textOf(await openHome(s.office));
    expect(text).toContain('*Payments due* (2)');
    expect(text).toContain('• *£120.00* to *Overdue Ltd* — :warning: *overdue* since Mon 23 Nov 2026');
    expect(text).toContain('• *£120.00* to *Soon Ltd* — due Thu 3 Dec 2026');
    expect(text).not.toContain('Later Ltd');
    expect(text).toContain('*Contracts in their notice period* (1)');
    expect(text).toContain(
      '• *Broadband* · Oakwood ICT — give notice by Fri 1 Jan 2027 (it renews itself otherwise)',
    );
    expect(text).toContain('*Escalations not answered* (1)');
    expect(text).toMatch(/Projector in Room 4 flickers · with \*Oakwood ICT\* \(ref OAK-1\) · answer due/);
    expect(text).toContain('*This week* (from Mon 30 Nov 2026)');
    expect(text).toContain('*2* reported · *0* of them resolved · median first response *0m* of school time');
    expect(text).not.toContain('*Settings*');

    const admin = await openHome(s.admin);
    expect(textOf(admin)).toContain('*Settings*');
    expect(buttonsOf(admin)).toContain(`${ACTION.settingsEdit} Edit settings edit`);
    // A technician sees none of the office's money.
    expect(textOf(await openHome(s.tech))).not.toContain('Payments due');
  });

  it('caps every list within Slack’s 100 blocks and says how many more', async () => {
    const s = await slackSchool(app);
    const tech = await ctxOf(s.tech);
    for (let n = 0; n < 14; n++) {
      const r = must(await reportFault(tech, { summary: `Fault ${n}`, urgency: 'today' }));
      if (n < 11) must(await claimIncident(tech, { incidentId: r.incident.id }));
    }
    const home = await openHome(s.admin);
    // The admin holds none; claim for them too so My work is long.
    const admin = await ctxOf(s.admin);
    const rows = await tdb.db.select().from(incidents).where(eq(incidents.schoolId, admin.school.id));
    for (const r of rows.filter((r) => !r.assigneeId)) must(await claimIncident(admin, { incidentId: r.id }));
    expect(textOf(home)).toContain('*Unassigned* (3)');
    const full = await openHome(s.admin);
    expect(full.blocks.length).toBeLessThanOrEqual(100);
    const tech2 = await openHome(s.tech);
    expect(textOf(tech2)).toContain('*My work* (11)');
    expect(textOf(tech2)).toContain('…and 3 more — `/spoc incidents mine`');
    expect(tech2.blocks.length).toBeLessThanOrEqual(100);
  });

  it('a form opened from the home publishes the presser’s home again once saved', async () => {
    const s = await slackSchool(app);
    const open = expectApi('views.open', { ok: true });
    await app.send(homeButton(s.office, ACTION.locationAdd, ''));
    const form = (await until(() => open.calls[0], 'location form')).view as View;
    expect(JSON.parse(form.private_metadata ?? '{}')).toEqual({ home: true });
    const publish = expectApi('views.publish', { ok: true }, { match: (a) => a.user_id === s.office.userId });
    const res = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.locationModal,
        { name: 'Room 9' },
        { privateMetadata: form.private_metadata },
      ),
    );
    expect(res.status).toBe(200);
    await until(() => publish.calls[0], 'home after save');
  });
});

describe('refreshing the staff’s homes after a change', () => {
  it('publishes the watching staff’s homes once per school after delivered changes, never a teacher’s', async () => {
    const s = await schoolWithWork();
    await openHome(s.tech);
    await openHome(s.teacher);
    const schoolId = s.techCtx.school.id;
    expect(homeRefresher.watching(schoolId, s.tech.userId)).toBe(true);
    expect(homeRefresher.watching(schoolId, s.teacher.userId)).toBe(false);
    // The Slack deliverer itself is another test's: here it delivers nothing, and the wrapper follows.
    const delivered: number[] = [];
    const deliverer = deliverByPlatform({
      db: tdb.db,
      clock,
      slack: { deliver: async (row) => void delivered.push(row.id) },
    });
    const pending = await tdb.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.schoolId, schoolId), eq(outbox.status, 'pending')));
    expect(pending.filter((r) => r.message.type === 'incident.card').length).toBeGreaterThan(1);

    const techPublish = expectApi(
      'views.publish',
      { ok: true },
      { match: (a) => a.user_id === s.tech.userId },
    );
    const teacherPublish = expectApi(
      'views.publish',
      { ok: true },
      { match: (a) => a.user_id === s.teacher.userId },
    );
    for (const row of pending) await deliverer.deliver(row);
    expect(delivered).toHaveLength(pending.length);
    // Debounced: nothing until the school's window ends, then once for all the changes.
    expect(techPublish.calls).toHaveLength(0);
    await homeRefresher.flush();
    expect(techPublish.calls).toHaveLength(1);
    expect(textOf(techPublish.calls[0]?.view)).toContain('*My work* (1)');
    expect(teacherPublish.calls).toHaveLength(0);

    // Made a teacher, the technician's home is no longer kept current.
    await tdb.db.update(people).set({ role: 'teacher' }).where(eq(people.id, s.techCtx.actor.personId));
    const [card] = pending.filter((r) => r.message.type === 'incident.card');
    if (card) await deliverer.deliver(card);
    await homeRefresher.flush();
    expect(techPublish.calls).toHaveLength(1);
    expect(homeRefresher.watching(schoolId, s.tech.userId)).toBe(false);
    nock.cleanAll();
    pinAuthTest();
  });
});
