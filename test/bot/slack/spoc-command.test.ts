import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK } from '../../../src/bot/slack/ids';
import { SLACK_ACTION } from '../../../src/bot/slack/views/render';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { incidents, people as peopleTable } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { actorOf } from '../../../src/domain/schools/identify';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0, uniqueId } from '../../support/factories';
import {
  assertAllCallsMade,
  expectApi,
  expectResponseUrl,
  type SlackTestApp,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import {
  appHomeOpened,
  blockAction,
  responsePath,
  slashCommand,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

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

async function people() {
  const teamId = uniqueId('T');
  await app.install(teamId);
  const who = (name: string): Who => ({ teamId, userId: uniqueId('U'), userName: name });
  return { admin: who('head'), tech: who('sam.tech'), teacher: who('ms.patel'), other: who('mr.jones') };
}

async function spoc(who: Who, text: string, channel = 'C0SPOC0003') {
  const res = await app.send(slashCommand(who, '/spoc', text, channel));
  expect(res.status).toBe(200);
  const body = res.json();
  expect(body.response_type).toBe('ephemeral');
  return textOf(body);
}

describe('/spoc', () => {
  it('setup makes the first caller admin; later only an admin may move the channel', async () => {
    const p = await people();
    expect(await spoc(p.admin, 'setup')).toContain('You are the first admin');
    expect(await spoc(p.teacher, 'setup', 'C0OTHER001')).toContain(
      'Only an admin can move the SPOC channel.',
    );
    expect(await spoc(p.admin, 'setup', 'C0OTHER001')).toContain('(It was <#C0SPOC0003>');
    expect(await spoc(p.admin, 'setup', 'D0DIRECT01')).toContain('not in a direct message');
  });

  it('role: admins grant roles; others are refused; bad input gets usage help', async () => {
    const p = await people();
    await spoc(p.admin, 'setup');
    expect(await spoc(p.admin, `role <@${p.tech.userId}|sam.tech> technician`)).toContain(
      `<@${p.tech.userId}> is now *technician* (was teacher).`,
    );
    expect(await spoc(p.admin, `role <@${p.tech.userId}> technician`)).toContain('is already technician');
    expect(await spoc(p.tech, `role <@${p.teacher.userId}> admin`)).toContain(
      'Only an admin can change roles.',
    );
    expect(await spoc(p.admin, 'role @sam wizard')).toContain(
      'Usage: `/spoc role @person teacher|technician|office|admin`',
    );
    expect(await spoc(p.admin, `role <@${p.admin.userId}> teacher`)).toContain(
      'The school needs at least one admin',
    );
  });

  it('help lists what the caller may do, by role, grouped by task under bold titles', async () => {
    const p = await people();
    await spoc(p.admin, 'setup');
    const teacherHelp = await spoc(p.teacher, 'help');
    expect(teacherHelp).toContain('Your role here: *teacher*');
    expect(teacherHelp).toContain('*Report a fault*\n`/fault [what is wrong]` — report an ICT fault');
    expect(teacherHelp).toContain('`/spoc incidents [open|mine|reported|all]` — your reports');
    expect(teacherHelp).not.toContain('/spoc role');
    // A teacher is told of reporting and their own faults only.
    for (const title of ['*Triage*', '*Registers*', '*Money and contracts*', '*Reports*', '*Settings*']) {
      expect(teacherHelp).not.toContain(title);
    }
    const adminHelp = await spoc(p.admin, '');
    for (const title of [
      '*Report a fault*',
      '*Triage*',
      '*Registers*',
      '*Money and contracts*',
      '*Reports*',
      '*Settings*',
    ]) {
      expect(adminHelp).toContain(`${title}\n`);
    }
    expect(adminHelp).toContain('*Settings*\n`/spoc settings`');
    expect(adminHelp).toContain('`/spoc role @person teacher|technician|office|admin` — give someone a role');
    expect(adminHelp).toContain('*Registers*\n`/spoc locations` — the locations list');
    expect(adminHelp).toContain('`/spoc payments [all]`');
    expect(adminHelp).toContain('Press *Triage*');
  });

  it('a slip in a subcommand gets "Did you mean", then the help for the role', async () => {
    const p = await people();
    await spoc(p.admin, 'setup');
    const slip = await spoc(p.teacher, 'incidnets');
    expect(slip).toContain(':thinking_face: Did you mean `/spoc incidents`?');
    expect(slip).toContain('Your role here: *teacher*');
    expect(slip).not.toContain('*Registers*');
    expect(await spoc(p.admin, 'payemnts')).toContain('Did you mean `/spoc payments`?');
    // Nothing the role may not use is offered: a teacher's slip near the registers is unknown.
    expect(await spoc(p.teacher, 'asets')).toContain("I don't know `/spoc asets`.");
  });

  it('help with a slip after it: "Did you mean", then the help for the role', async () => {
    const p = await people();
    await spoc(p.admin, 'setup');
    const slip = await spoc(p.teacher, 'help incidnets');
    expect(slip).toContain(':thinking_face: Did you mean `/spoc incidents`?');
    expect(slip).toContain('Your role here: *teacher*');
    expect(await spoc(p.admin, 'help contarcts')).toContain('Did you mean `/spoc contracts`?');
    // A command's own name, or words near none, get the help alone.
    for (const words of ['help incidents', 'help frobnicate']) {
      const help = await spoc(p.teacher, words);
      expect(help, words).not.toContain('Did you mean');
      expect(help, words).toContain('Your role here: *teacher*');
    }
  });

  it('incidents take filters, each line saying where it stands against its SLA; Next keeps the filter', async () => {
    const p = await people();
    await spoc(p.admin, 'setup');
    await spoc(p.admin, `role <@${p.tech.userId}> technician`);
    await spoc(p.teacher, 'help'); // the teacher is known to SPOC
    const school = await findSchoolBySlackTeam(tdb.db, p.admin.teamId);
    const person = async (who: Who) => {
      const [row] = await tdb.db
        .select()
        .from(peopleTable)
        .where(and(eq(peopleTable.schoolId, school?.id ?? ''), eq(peopleTable.slackUserId, who.userId)));
      if (!row) throw new Error(`no ${who.userName}`);
      return { db: tdb.db, clock: fixedClock(T0), actor: actorOf(row) };
    };
    const teacher = await person(p.teacher);
    const tech = await person(p.tech);
    for (let n = 1; n <= 22; n++) {
      const { incident } = must(
        await reportFault(teacher, {
          summary: `Urgent ${n}`,
          urgency: 'lesson_stopped',
          impact: 'whole_school',
        }),
      );
      must(await claimIncident(tech, { incidentId: incident.id }));
    }
    for (let n = 1; n <= 3; n++)
      must(await reportFault(teacher, { summary: `Minor ${n}`, urgency: 'no_deadline' }));

    const res = await app.send(slashCommand(p.tech, '/spoc', 'incidents mine p1', 'C0SPOC0003'));
    const first = res.json();
    expect(textOf(first)).toContain('*Open P1 incidents assigned to you* (22) — page 1 of 2');
    expect(textOf(first)).toContain('In progress · :stopwatch: 4h of school time left to resolve');
    expect(textOf(first)).not.toContain('Minor');
    const buttons = (
      first.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>
    ).flatMap((b) => b.elements ?? []);
    const next = buttons.find((e) => e.action_id === SLACK_ACTION['incidents.next']);
    const value = JSON.parse(next?.value ?? '{}') as { kind: string; page: number; query: string };
    expect(value).toEqual({ kind: 'incidents', page: 2, query: 'mine P1' });

    const said = expectResponseUrl(responsePath(p.tech.teamId));
    await app.send(blockAction(p.tech, SLACK_ACTION['incidents.next'], JSON.stringify(value)));
    const page2 = textOf(await until(() => said.calls[0], 'page 2'));
    expect(page2).toContain('*Open P1 incidents assigned to you* (22) — page 2 of 2');
    expect(page2).toContain('Urgent 1');
    expect(page2).not.toContain('Minor');

    // A reporter by mention; a place the school does not have, with the nearest it has.
    const minor = await spoc(p.tech, `incidents reporter <@${p.teacher.userId}|ms.patel> p4`);
    expect(minor).toContain('*Open P4 incidents reported by ms.patel* (3)');
    expect(minor).toContain('Minor 3 · New · :stopwatch: 3 days of school time left to respond');
    expect(minor).not.toContain('Urgent');
    const unknown = await spoc(p.tech, 'incidents location Libary');
    expect(unknown).toContain("I don't know a location called *Libary* in your school.");
    expect(unknown).toContain('The nearest: Library');
    // A teacher: their own reports only.
    expect(await spoc(p.other, 'incidents closed')).toContain('Nothing here');
    expect(await spoc(p.other, `incidents reporter <@${p.teacher.userId}>`)).toContain(
      'You can list only the faults you reported.',
    );
  });

  it('answers an unknown subcommand or list with usage help', async () => {
    const p = await people();
    const unknown = await spoc(p.teacher, 'frobnicate');
    expect(unknown).toContain("I don't know `/spoc frobnicate`.");
    expect(unknown).not.toContain('Did you mean');
    expect(unknown).toContain('Your role here: *teacher*');
    expect(await spoc(p.teacher, 'incidents everything')).toContain("I don't know the list `everything`");
    expect(await spoc(p.teacher, 'incident')).toContain('Usage: `/spoc incident INC-7`');
  });

  it('incidents and incident show the queue and one incident with its history', async () => {
    const p = await people();
    await spoc(p.admin, 'setup');
    await spoc(p.admin, `role <@${p.tech.userId}> technician`);
    for (const [summary, urgency] of [
      ['Whiteboard pen dead', 'no_deadline'],
      ['Server down', 'lesson_stopped'],
    ] as const) {
      const res = await app.send(
        viewSubmission(
          p.teacher,
          CALLBACK.faultModal,
          { summary, urgency: { option: urgency } },
          { viewId: uniqueId('V') },
        ),
      );
      expect(res.json().response_action).toBe('update');
    }
    const queue = await spoc(p.tech, 'incidents');
    expect(queue).toContain('Open incidents');
    expect(queue.indexOf('Server down')).toBeLessThan(queue.indexOf('Whiteboard pen dead'));
    expect(await spoc(p.tech, 'incidents p4')).not.toContain('Server down');
    expect(await spoc(p.tech, 'incidents mine')).toContain('Nothing here');
    expect(await spoc(p.other, 'incidents')).toContain('Nothing here'); // a teacher sees only their own
    const one = await spoc(p.tech, 'incident INC-2');
    expect(one).toContain('Server down');
    expect(one).toContain(`Reported by <@${p.teacher.userId}>`);
    // Another teacher's fault: not theirs, and only where it stands.
    const notMine = await spoc(p.other, 'incident INC-2');
    expect(notMine).toContain(
      'That is not one of your reports. *INC-2* is New: nobody has picked it up yet.',
    );
    expect(notMine).not.toContain('Server down');
  });

  it("incident: a teacher asking for someone else's fault is told where it stands, never another school's", async () => {
    const p = await people();
    await spoc(p.admin, 'setup');
    await spoc(p.admin, `role <@${p.tech.userId}> technician`);
    const res = await app.send(
      viewSubmission(
        p.teacher,
        CALLBACK.faultModal,
        { summary: 'Laptop of the head is locked', urgency: { option: 'today' } },
        { viewId: uniqueId('V') },
      ),
    );
    expect(res.json().response_action).toBe('update');
    const school = await findSchoolBySlackTeam(tdb.db, p.teacher.teamId);
    const [incident] = await tdb.db
      .select()
      .from(incidents)
      .where(and(eq(incidents.schoolId, school?.id ?? ''), eq(incidents.number, 1)));
    const [tech] = await tdb.db.select().from(peopleTable).where(eq(peopleTable.slackUserId, p.tech.userId));
    if (!incident || !tech) throw new Error('no incident or technician');
    const claimed = await claimIncident(
      { db: tdb.db, clock: fixedClock(T0), actor: actorOf(tech) },
      { incidentId: incident.id },
    );
    expect(claimed.ok).toBe(true);

    const notMine = await spoc(p.other, 'incident INC-1');
    expect(notMine).toContain(
      `That is not one of your reports. *INC-1* is In progress with <@${p.tech.userId}>.`,
    );
    expect(notMine).not.toContain('Laptop');
    expect(notMine).not.toContain(p.teacher.userId);
    expect(notMine).not.toContain("couldn't find");
    // The reporter and the technician see it whole.
    expect(await spoc(p.teacher, 'incident INC-1')).toContain('Laptop of the head is locked');
    const whole = await spoc(p.tech, 'incident INC-1');
    expect(whole).toContain('Laptop of the head is locked');
    expect(whole).toContain(`Reported by <@${p.teacher.userId}>`);
    // No such number, or another school's: not found, as ever.
    expect(await spoc(p.other, 'incident INC-99')).toContain("I couldn't find that incident in your school.");
    const elsewhere = await people();
    await spoc(elsewhere.admin, 'setup');
    expect(await spoc(elsewhere.teacher, 'incident INC-1')).toContain(
      "I couldn't find that incident in your school.",
    );
    expect(await spoc(elsewhere.admin, 'incident INC-1')).toContain(
      "I couldn't find that incident in your school.",
    );
  });
});

describe('App Home and health', () => {
  it('publishes a home for the person who opens it', async () => {
    const p = await people();
    const publish = expectApi('views.publish', { ok: true });
    const res = await app.send(appHomeOpened(p.teacher));
    expect(res.status).toBe(200);
    for (let i = 0; i < 200 && publish.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(publish.calls[0]).toMatchObject({ user_id: p.teacher.userId });
    const home = textOf(publish.calls[0]?.view);
    expect(home).toContain('Report a fault');
    expect(home).toContain('No SPOC channel yet');
    expect(home).not.toContain('Open queue');
  });

  it('serves /healthz and /readyz', async () => {
    expect((await app.get('/healthz')).json()).toEqual({ ok: true });
    expect((await app.get('/readyz')).json()).toEqual({ ok: true, database: 'reachable' });
  });
});
