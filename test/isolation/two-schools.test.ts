/**
 * Schools stay apart: two schools and an authority, served by one SPOC process over one database,
 * through the real Bolt app. Hillside is a member of the authority (Essex ICT); Riverside is not.
 * Each school has the same kinds of records (a fault, an escalation, a provider, a contract, a
 * payment due, a location with a name only it uses). Every command, list, export, type-ahead,
 * reminder and CSV import of one reads and changes only its own; crafted payloads naming the other
 * school's ids in a button's `value`, a form's `private_metadata` or a menu's `selected_option` are
 * refused and change nothing; and the authority reads its member only, and acts on it only through
 * what the member escalated to it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, FAULT_BLOCK } from '../../src/bot/slack/ids';
import { outbox } from '../../src/db/schema';
import { addMember, makeAuthority } from '../../src/domain/authority/members';
import { fixedClock } from '../../src/domain/clock';
import type { Ctx } from '../../src/domain/context';
import { claimIncident } from '../../src/domain/incidents/claim-incident';
import { escalateIncident } from '../../src/domain/incidents/escalate-incident';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { exportRegister } from '../../src/domain/registers/export-register';
import { dryRunImport, importFile } from '../../src/domain/registers/import-register';
import { addLocation } from '../../src/domain/registers/locations';
import { schedulePayment } from '../../src/domain/registers/payments';
import { addContract, addProvider } from '../../src/domain/registers/providers';
import { identifySlackUser } from '../../src/domain/schools/identify';
import { silentLogger } from '../../src/log';
import { runReminderPass } from '../../src/worker/reminder-pass';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { type SchoolSnapshot, schoolSnapshot } from '../support/school-snapshot';
import {
  assertAllCallsMade,
  expectResponseUrl,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../support/slack-app';
import {
  blockAction,
  blockSuggestion,
  responsePath,
  slashCommand,
  viewSelect,
  viewSubmission,
  type Who,
} from '../support/slack-payloads';
import { must, until } from '../support/wait';

const MONDAY = '2027-03-01T09:00:00Z';
const clock = fixedClock(MONDAY);
const NOT_AN_INCIDENT = "I couldn't find that incident in your school.";

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

async function ctxOf(who: Who): Promise<Ctx> {
  const found = await identifySlackUser(
    tdb.db,
    clock,
    { teamId: who.teamId, userId: who.userId, userName: who.userName },
    { person: async () => undefined, school: async () => undefined },
  );
  return { db: tdb.db, clock, actor: found.actor };
}

/** What `/spoc <text>` answers, privately, as words. */
async function spoc(who: Who, text: string): Promise<string> {
  const res = await app.send(slashCommand(who, '/spoc', text, 'C0SPOC0099'));
  expect(res.status).toBe(200);
  const body = res.json();
  expect(body.response_type).toBe('ephemeral');
  return textOf(body);
}

/** A school with one of everything, each named with the school's own word (`mark`). */
async function school(mark: string) {
  const s = await slackSchool(app);
  const officeCtx = await ctxOf(s.office);
  const techCtx = await ctxOf(s.tech);
  const teacherCtx = await ctxOf(s.teacher);
  await ctxOf(s.admin);
  const location = must(
    await addLocation(officeCtx, { name: `${mark} Annexe`, parentId: null, defaultImpact: null }),
  );
  const incident = must(
    await reportFault(teacherCtx, { summary: `${mark} projector is dead`, urgency: 'today' }),
  ).incident;
  must(await claimIncident(techCtx, { incidentId: incident.id }));
  const provider = must(
    await addProvider(officeCtx, {
      name: `${mark} Broadband`,
      level: 'second',
      contactName: '',
      email: 'help@broadband.example',
      phone: '',
      chatChannel: '',
      notes: '',
    }),
  );
  const contract = must(
    await addContract(officeCtx, {
      providerId: provider.id,
      title: `${mark} line rental`,
      service: '',
      startDate: '2026-04-01',
      endDate: '2027-03-31',
      noticeDays: 14,
      autoRenews: true,
      valuePence: null,
      responseTargetHours: null,
      notes: '',
    }),
  );
  const payment = must(
    await schedulePayment(officeCtx, {
      payee: `${mark} Broadband`,
      providerId: provider.id,
      amountPence: 9900,
      dueDate: '2027-03-03',
      recurrence: 'none',
      reference: '',
      notes: '',
    }),
  );
  return {
    ...s,
    mark,
    schoolId: officeCtx.actor.schoolId,
    officeCtx,
    incident,
    provider,
    contract,
    payment,
    location,
  };
}
type School = Awaited<ReturnType<typeof school>>;

describe('two schools and an authority in one process', () => {
  let hillside: School;
  let riverside: School;
  let essex: Awaited<ReturnType<typeof slackSchool>> & { schoolId: string; staff: Who };
  const snapshots = async (): Promise<SchoolSnapshot[]> => [
    await schoolSnapshot(tdb.db, hillside.schoolId),
    await schoolSnapshot(tdb.db, riverside.schoolId),
    await schoolSnapshot(tdb.db, essex.schoolId),
  ];

  beforeAll(async () => {
    hillside = await school('Hillside');
    riverside = await school('Riverside');
    const e = await slackSchool(app);
    const schoolId = (await ctxOf(e.admin)).actor.schoolId;
    must(await makeAuthority({ db: tdb.db, clock }, { schoolId }));
    const joined = must(
      await addMember({ db: tdb.db, clock }, { authorityId: schoolId, schoolId: hillside.schoolId }),
    );
    const staff: Who = { teamId: e.teamId, userId: 'U0ESSEXSTAFF', userName: 'sam.essex' };
    essex = { ...e, schoolId, staff };
    // The authority's admin gives the role in its own workspace; a school's admin cannot give it.
    expect(await spoc(e.admin, `role <@${staff.userId}> authority`)).toContain('is now *authority*');
    expect(await spoc(riverside.admin, `role <@${riverside.teacher.userId}> authority`)).toContain(
      "Only an authority's own workspace gives the role authority",
    );
    // Each school escalates its fault: Hillside to its authority, Riverside to its own provider.
    must(
      await escalateIncident(hillside.officeCtx, {
        incidentId: hillside.incident.id,
        providerId: joined.provider.id,
        note: 'Over to Essex, please',
      }),
    );
    must(
      await escalateIncident(riverside.officeCtx, {
        incidentId: riverside.incident.id,
        providerId: riverside.provider.id,
        note: 'Over to the broadband firm',
      }),
    );
    // Everyone has been seen once, so a request below changes nothing about them.
    await spoc(staff, 'help');
    // Nothing queued by the set-up is sent in this test: the outbox is not what it looks at.
    await tdb.db.delete(outbox);
  });

  it("the authority's view lists its member and never the other school", async () => {
    const before = await snapshots();
    const view = await spoc(essex.staff, 'authority');
    expect(view).toContain('Hillside');
    expect(view).toContain('Hillside projector is dead');
    expect(view).toContain('Escalated to you: 1');
    expect(view).not.toContain('Riverside');
    for (const words of ['authority Riverside', `authority open Riverside INC-${riverside.incident.number}`])
      expect(await spoc(essex.staff, words)).toContain('None of your member schools is called that.');
    expect(await spoc(essex.staff, `authority update ${riverside.schoolId} INC-1 Done it`)).toContain(
      'None of your member schools is called that.',
    );
    expect(await spoc(essex.staff, `authority handback Riverside INC-1`)).toContain(
      'None of your member schools is called that.',
    );
    // A school's own staff are not an authority, whatever they ask: an admin is told where to ask, others that it is not theirs.
    expect(await spoc(riverside.admin, `authority open Hillside INC-${hillside.incident.number}`)).toContain(
      "not an authority's",
    );
    expect(await spoc(hillside.office, 'authority')).toContain(
      "Only the authority's staff can see its schools.",
    );
    expect(await snapshots()).toEqual(before);
  });

  it('the authority opens, updates and hands back what its member escalated to it, and only that', async () => {
    const [, riversideBefore] = await snapshots();
    const ref = `INC-${hillside.incident.number}`;
    const opened = await spoc(essex.staff, `authority open Hillside ${ref}`);
    expect(opened).toContain('Hillside projector is dead');
    expect(opened).toContain('Over to Essex, please');
    expect(await spoc(essex.staff, `authority update Hillside ${ref} New PSU on its way`)).toContain(
      `Your update on ${ref} is recorded at`,
    );
    // The authority's staff press a member's buttons in their own workspace: refused, as anyone without the role is.
    const told = expectResponseUrl(responsePath(essex.teamId));
    await app.send(blockAction(essex.staff, ACTION.handBack, hillside.incident.id));
    expect((await until(() => told.calls[0], 'the answer')).text).toBe(
      'Only office staff (the SPOC) can escalate to a support provider.',
    );
    const crafted = await app.send(
      viewSubmission(
        essex.staff,
        CALLBACK.handBackModal,
        { note: 'sneaky' },
        { privateMetadata: JSON.stringify({ incidentId: riverside.incident.id }) },
      ),
    );
    expect(JSON.stringify(crafted.json())).toContain('find that incident');
    expect(await spoc(essex.staff, `authority handback Hillside ${ref} PSU replaced`)).toContain(
      `${ref} is handed back to`,
    );
    expect(await spoc(essex.staff, `authority handback Hillside ${ref}`)).toContain(
      'is not escalated to you',
    );
    expect((await snapshots())[1]).toEqual(riversideBefore);
  });

  it("a school's commands, lists and type-ahead never show the other's records", async () => {
    const before = await snapshots();
    const incidents = await spoc(riverside.office, 'incidents all');
    expect(incidents).toContain('Riverside projector is dead');
    expect(incidents).not.toContain('Hillside');
    const one = await spoc(riverside.office, `incident INC-${hillside.incident.number}`);
    expect(one).not.toContain('Hillside');
    for (const list of ['locations', 'providers', 'contracts', 'payments all']) {
      const said = await spoc(riverside.office, list);
      expect(said, list).not.toContain('Hillside');
    }
    const suggestion = await app.send(
      blockSuggestion(riverside.teacher, ACTION.faultLocation, FAULT_BLOCK.locationId, 'Hillside'),
    );
    expect(suggestion.json()).toEqual({ options: [] });
    const own = await app.send(
      blockSuggestion(hillside.teacher, ACTION.faultLocation, FAULT_BLOCK.locationId, 'Hillside'),
    );
    const options = own.json().options as Array<{ text: { text: string } }>;
    expect(options.map((o) => o.text.text)).toEqual(['Hillside Annexe']);
    expect(await snapshots()).toEqual(before);
  });

  it("crafted payloads naming the other school's ids in value, private_metadata and selected_option change nothing", async () => {
    const before = await snapshots();
    const told = [1, 2, 3].map(() => expectResponseUrl(responsePath(riverside.teamId)));
    // value: a button naming Hillside's incident, payment and contract.
    await app.send(blockAction(riverside.tech, ACTION.resolve, hillside.incident.id));
    await app.send(blockAction(riverside.office, ACTION.reminderPaid, hillside.payment.id));
    await app.send(blockAction(riverside.office, ACTION.reminderRenewed, hillside.contract.id));
    const answers = await until(() => {
      const all = told.flatMap((t) => t.calls);
      return all.length >= 3 ? all : undefined;
    }, 'the answers');
    expect(answers.map((a) => a.text).sort()).toEqual(
      [
        NOT_AN_INCIDENT,
        "I couldn't find that payment in your school.",
        "I couldn't find that contract.",
      ].sort(),
    );
    // private_metadata: the provider-update form, saved with Hillside's incident in it.
    const update = await app.send(
      viewSubmission(
        riverside.office,
        CALLBACK.providerUpdateModal,
        { note: 'hijacked' },
        { privateMetadata: JSON.stringify({ incidentId: hillside.incident.id }) },
      ),
    );
    expect(JSON.stringify(update.json())).toContain("I couldn't find that incident in your school.");
    // selected_option: the escalate form, choosing Hillside's provider for Riverside's own fault.
    const escalate = await app.send(
      viewSubmission(
        riverside.office,
        CALLBACK.escalateModal,
        { providerId: { option: hillside.provider.id }, note: 'to their provider' },
        { privateMetadata: JSON.stringify({ incidentId: riverside.incident.id }) },
      ),
    );
    expect(escalate.json()).toMatchObject({ response_action: 'errors' });
    // selected_option inside an open form: the fault form's location chosen as Hillside's.
    await app.send(
      viewSelect(riverside.teacher, ACTION.faultLocation, FAULT_BLOCK.locationId, hillside.location.id, {
        id: 'V0CRAFTED01',
        hash: '1.1',
        privateMetadata: '',
        callbackId: CALLBACK.faultModal,
      }),
    );
    const fault = await app.send(
      viewSubmission(riverside.teacher, CALLBACK.faultModal, {
        summary: 'Placed in their annexe',
        urgency: { option: 'today' },
        [FAULT_BLOCK.locationId]: { option: hillside.location.id },
      }),
    );
    expect(fault.status).toBe(200);
    const after = await snapshots();
    expect(after[0]).toEqual(before[0]);
    expect(after[2]).toEqual(before[2]);
    // Riverside may have recorded its own fault, but never one at Hillside's location.
    expect(JSON.stringify(after[1])).not.toContain(hillside.location.id);
  });

  it('an export holds only its own school, a CSV import changes only its own, and a reminder pass posts each school its own', async () => {
    const hillsideBefore = await schoolSnapshot(tdb.db, hillside.schoolId);
    for (const kind of ['locations', 'incidents'] as const) {
      const file = must(await exportRegister(riverside.officeCtx, { kind }));
      expect(file.csv, kind).not.toContain('Hillside');
    }
    // A file naming Hillside's location and Hillside's asset tag makes Riverside's own.
    const csv = 'name\nHillside Annexe\n';
    const preview = must(
      await dryRunImport(riverside.officeCtx, { kind: 'locations', fileName: 'l.csv', content: csv }),
    );
    expect(preview.new).toBe(1);
    must(
      await importFile(riverside.officeCtx, {
        kind: 'locations',
        fileName: 'l.csv',
        content: csv,
        createLocations: false,
      }),
    );
    const assets = 'tag,type,location\nHS-0001,laptop,Hillside Annexe\n';
    must(
      await importFile(riverside.officeCtx, {
        kind: 'assets',
        fileName: 'a.csv',
        content: assets,
        createLocations: false,
      }),
    );
    expect(JSON.stringify(await schoolSnapshot(tdb.db, riverside.schoolId))).not.toContain(
      hillside.location.id,
    );

    const passes = await runReminderPass({ db: tdb.db, log: silentLogger, now: new Date(MONDAY) });
    const byId = new Map(passes.map((p) => [p.schoolId, p]));
    expect(byId.get(riverside.schoolId)?.posted.length).toBeGreaterThan(0);
    const queued = await tdb.db.select().from(outbox);
    expect(queued.length).toBeGreaterThan(0);
    const ids = (s: School) => [s.incident.id, s.payment.id, s.contract.id, s.provider.id, s.location.id];
    for (const row of queued) {
      const said = JSON.stringify(row.message);
      const other =
        row.schoolId === hillside.schoolId
          ? riverside
          : row.schoolId === riverside.schoolId
            ? hillside
            : undefined;
      for (const id of other ? ids(other) : [...ids(hillside), ...ids(riverside)])
        expect(said).not.toContain(id);
    }
    // Hillside changed only by its own reminders (the pass's records), never by Riverside's work.
    const hillsideAfter = await schoolSnapshot(tdb.db, hillside.schoolId);
    for (const table of [
      'locations',
      'assets',
      'incidents',
      'payments',
      'contracts',
      'providers',
      'escalations',
    ])
      expect(hillsideAfter[table], table).toEqual(hillsideBefore[table]);
  });
});
