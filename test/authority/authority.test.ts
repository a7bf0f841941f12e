/**
 * The authority: made from its own workspace's school row, joined by member schools (each given a
 * provider row standing for it), its view of them, and its staff at work on what a member school
 * escalated to it — never reading a school that is not a member.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainLines } from '../../src/cli/plain-text';
import { escalations, incidentEvents, schools } from '../../src/db/schema';
import { authorityAnswer } from '../../src/domain/answers/authority';
import {
  handBackFromAuthority,
  openAuthorityIncident,
  recordAuthorityUpdate,
} from '../../src/domain/authority/act';
import { addMember, findAuthority, makeAuthority, removeMember } from '../../src/domain/authority/members';
import { authorityOverview, NOT_AN_AUTHORITY } from '../../src/domain/authority/overview';
import { readableSchools } from '../../src/domain/authority/readable';
import { fixedClock } from '../../src/domain/clock';
import type { Ctx } from '../../src/domain/context';
import { claimIncident } from '../../src/domain/incidents/claim-incident';
import { escalateIncident } from '../../src/domain/incidents/escalate-incident';
import { recordProviderUpdate } from '../../src/domain/incidents/provider-update';
import { reportFault } from '../../src/domain/incidents/report-fault';
import type { Presentation } from '../../src/domain/presenters/presentation';
import { schedulePayment } from '../../src/domain/registers/payments';
import { addContract, addProvider } from '../../src/domain/registers/providers';
import { setRole } from '../../src/domain/schools/set-role';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeSchool, T0, type TestSchool } from '../support/factories';
import { must } from '../support/wait';

let tdb: TestDatabase;
const op = () => ({ db: tdb.db, clock: fixedClock(T0) });
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

/** Every word a presentation says, as plain lines. */
function wordsOf(p: Presentation): string {
  const lines: string[] = [];
  for (const s of p.sections) {
    if (s.kind === 'lines') for (const l of s.lines) lines.push(...plainLines(l, 'Europe/London'));
    else if (s.kind === 'fields')
      for (const f of s.fields) lines.push(`${f.label}: ${plainLines(f.value, 'Europe/London').join(' ')}`);
    else if (s.kind !== 'buttons') lines.push(...plainLines(s.text, 'Europe/London'));
  }
  return lines.join('\n');
}

async function named(school: TestSchool, name: string) {
  await tdb.db.update(schools).set({ name }).where(eq(schools.id, school.schoolId));
}

/** A school with an office, a teacher, a provider of its own and the things the view lists. */
async function memberLike(name: string) {
  const school = await makeSchool(tdb.db);
  await named(school, name);
  const office = await school.person('office');
  const teacher = await school.person('teacher');
  const other = must(
    await addProvider(office, {
      name: 'Broadband & Co',
      level: 'second',
      contactName: '',
      email: 'help@broadband.example',
      phone: '',
      chatChannel: '',
      notes: '',
    }),
  );
  // A contract whose notice falls due within 60 days of 30/11/2026, and a payment past due.
  must(
    await addContract(office, {
      providerId: other.id,
      title: `${name} broadband`,
      service: '',
      startDate: '2025-09-01',
      endDate: '2027-01-31',
      noticeDays: 30,
      autoRenews: true,
      valuePence: null,
      responseTargetHours: null,
      notes: '',
    }),
  );
  must(
    await schedulePayment(office, {
      payee: `${name} catering tills`,
      providerId: null,
      amountPence: 4500,
      dueDate: '2026-11-20',
      recurrence: 'none',
      reference: '',
      notes: '',
    }),
  );
  const fault = async (summary: string, urgency: 'lesson_stopped' | 'today' | 'this_week' = 'today') =>
    must(await reportFault(teacher, { summary, urgency })).incident;
  return { school, office, teacher, other, fault };
}

describe('the authority', () => {
  let hillside: Awaited<ReturnType<typeof memberLike>>;
  let oakwood: Awaited<ReturnType<typeof memberLike>>;
  let outsider: Awaited<ReturnType<typeof memberLike>>;
  let essex: TestSchool;
  let staff: Ctx;

  beforeAll(async () => {
    hillside = await memberLike('Hillside Primary');
    oakwood = await memberLike('Oakwood Academy');
    outsider = await memberLike('Riverside Infants');
    essex = await makeSchool(tdb.db);
    await named(essex, 'Essex ICT');
    must(await makeAuthority(op(), { schoolId: essex.schoolId }));
    for (const m of [hillside, oakwood])
      must(await addMember(op(), { authorityId: essex.schoolId, schoolId: m.school.schoolId }));
    staff = await essex.person('authority', 'Sam at Essex');
  });

  it('joins a school once, with a provider row standing for the authority, and one authority at most', async () => {
    const again = must(
      await addMember(op(), { authorityId: essex.schoolId, schoolId: hillside.school.schoolId }),
    );
    expect(again).toMatchObject({ already: true, provider: { name: 'Essex ICT', existing: true } });
    const other = await makeSchool(tdb.db);
    await named(other, 'Kent Schools Trust');
    must(await makeAuthority(op(), { schoolId: other.schoolId }));
    expect(
      await addMember(op(), { authorityId: other.schoolId, schoolId: hillside.school.schoolId }),
    ).toMatchObject({
      ok: false,
      error: { message: 'Hillside Primary is a member of Essex ICT: remove it there first.' },
    });
    expect(
      await addMember(op(), { authorityId: hillside.school.schoolId, schoolId: outsider.school.schoolId }),
    ).toMatchObject({
      ok: false,
      error: { message: 'That is not an authority: make it one first.' },
    });
    expect(must(await findAuthority(tdb.db, 'essex ict')).id).toBe(essex.schoolId);
    expect(await findAuthority(tdb.db, hillside.school.schoolId)).toMatchObject({ ok: false });
  });

  it('reads its members only: readableSchools is the school itself for a school, the members for the authority’s staff', async () => {
    const members = [hillside.school.schoolId, oakwood.school.schoolId].sort();
    expect([...(await readableSchools(tdb.db, staff.actor)).ids].sort()).toEqual(members);
    const admin = await essex.person('admin');
    expect([...(await readableSchools(tdb.db, admin.actor)).ids].sort()).toEqual(members);
    const teacherThere = await essex.person('teacher');
    expect((await readableSchools(tdb.db, teacherThere.actor)).ids).toEqual([]);
    expect((await readableSchools(tdb.db, hillside.office.actor)).ids).toEqual([hillside.school.schoolId]);
  });

  it('gives the role authority only in an authority’s own workspace', async () => {
    const admin = await hillside.school.person('admin');
    const them = await hillside.school.person('technician');
    expect(
      await setRole(admin, { target: { personId: them.actor.personId }, role: 'authority' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    const essexAdmin = await essex.person('admin');
    const newcomer = await essex.person('teacher', 'Alex at Essex');
    expect(
      must(await setRole(essexAdmin, { target: { personId: newcomer.actor.personId }, role: 'authority' })),
    ).toMatchObject({ from: 'teacher', to: 'authority' });
  });

  it('lists each member school: open by priority, SLA breaches, escalations to it and to others, contracts in notice, overdue payments', async () => {
    const urgent = await hillside.fault('Whole network down', 'lesson_stopped');
    const toEssex = await hillside.fault('Server will not boot');
    const toBroadband = await hillside.fault('Line drops at noon', 'this_week');
    const elsewhere = await outsider.fault('Secret outsider fault');
    const tech = await hillside.school.person('technician');
    for (const i of [toEssex, toBroadband]) must(await claimIncident(tech, { incidentId: i.id }));
    const essexProvider = must(
      await addMember(op(), { authorityId: essex.schoolId, schoolId: hillside.school.schoolId }),
    ).provider;
    must(
      await escalateIncident(hillside.office, {
        incidentId: toEssex.id,
        providerId: essexProvider.id,
        note: 'RAID gone',
      }),
    );
    must(
      await escalateIncident(hillside.office, {
        incidentId: toBroadband.id,
        providerId: hillside.other.id,
        note: 'Line drops every day at noon',
      }),
    );
    must(
      await claimIncident(tech, { incidentId: elsewhere.id }).then(() => ({ ok: true as const, value: 1 })),
    );

    // Two school days later, the P1 has long missed its targets.
    hillside.school.clock.set('2026-12-02T11:00:00Z');
    const later: Ctx = { ...staff, clock: hillside.school.clock };
    const view = must(await authorityOverview(later));
    expect(view.schools.map((s) => s.name)).toEqual(['Hillside Primary', 'Oakwood Academy']);
    const h = view.schools[0]!;
    expect(h.openByPriority).toEqual({ P1: 0, P2: 2, P3: 1, P4: 0 });
    expect(h.breaches.map((b) => b.number)).toContain(urgent.number);
    expect(h.toAuthority).toMatchObject([{ number: toEssex.number, providerName: 'Essex ICT' }]);
    expect(h.toOthers).toMatchObject([{ number: toBroadband.number, providerName: 'Broadband & Co' }]);
    expect(h.contractsInNotice).toMatchObject([
      { title: 'Hillside Primary broadband', noticeBy: '2027-01-01' },
    ]);
    expect(h.overduePayments).toMatchObject([
      { payee: 'Hillside Primary catering tills', dueDate: '2026-11-20' },
    ]);

    const said = wordsOf(await authorityAnswer(later, []));
    expect(said).toContain('Open incidents: P1 0 · P2 2 · P3 1 · P4 0');
    expect(said).toContain(`spoc authority open "Hillside Primary" INC-${toEssex.number}`);
    expect(said).toContain('Overdue payments: 1');
    expect(said).not.toContain('Riverside');
    expect(said).not.toContain('Secret outsider fault');
  });

  it('opens, updates and hands back an incident escalated to it, in the school, as the authority', async () => {
    const fault = await oakwood.fault('Projector server dead');
    const tech = await oakwood.school.person('technician');
    must(await claimIncident(tech, { incidentId: fault.id }));
    const provider = must(
      await addMember(op(), { authorityId: essex.schoolId, schoolId: oakwood.school.schoolId }),
    ).provider;
    must(
      await escalateIncident(oakwood.office, {
        incidentId: fault.id,
        providerId: provider.id,
        note: 'Over to Essex',
      }),
    );
    const ref = `INC-${fault.number}`;

    const opened = must(await openAuthorityIncident(staff, { school: 'oakwood', reference: ref }));
    expect(opened.incident.summary).toBe('Projector server dead');
    const page = await authorityAnswer(staff, ['open', 'Oakwood', ref]);
    expect(page.actions).toEqual([]);
    expect(wordsOf(page)).toContain('Projector server dead');

    expect(
      wordsOf(await authorityAnswer(staff, ['update', 'Oakwood', 'Academy', ref, 'Replacing', 'the', 'PSU'])),
    ).toBe(`Your update on ${ref} is recorded at Oakwood Academy.`);
    const [update] = await tdb.db
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, fault.id))
      .then((rows) => rows.filter((r) => r.kind === 'provider_update'));
    expect(update).toMatchObject({
      schoolId: oakwood.school.schoolId,
      actorId: staff.actor.personId,
      data: { note: 'Replacing the PSU' },
    });

    const back = must(
      await handBackFromAuthority(staff, { school: 'Oakwood Academy', reference: ref, note: 'PSU replaced' }),
    );
    expect(back.incident).toMatchObject({ status: 'in_progress', providerId: null, supportLevel: 'first' });
    expect(await handBackFromAuthority(staff, { school: 'Oakwood Academy', reference: ref })).toMatchObject({
      ok: false,
      error: { message: `${ref} at Oakwood Academy is not escalated to you.` },
    });
  });

  it('cannot open, update or hand back what is not escalated to it, nor any school that is not a member', async () => {
    const other = await hillside.fault('With the broadband firm');
    const tech = await hillside.school.person('technician');
    must(await claimIncident(tech, { incidentId: other.id }));
    must(
      await escalateIncident(hillside.office, {
        incidentId: other.id,
        providerId: hillside.other.id,
        note: 'Line drops every day at noon',
      }),
    );
    const theirs = await outsider.fault('Outsider escalation');
    const outsiderTech = await outsider.school.person('technician');
    must(await claimIncident(outsiderTech, { incidentId: theirs.id }));
    must(
      await escalateIncident(outsider.office, {
        incidentId: theirs.id,
        providerId: outsider.other.id,
        note: 'Their own escalation',
      }),
    );
    const before = await tdb.db.select().from(escalations);

    for (const ask of [
      { school: 'Hillside', reference: `INC-${other.number}` },
      { school: 'Riverside Infants', reference: `INC-${theirs.number}` },
      { school: outsider.school.schoolId, reference: `INC-${theirs.number}` },
    ]) {
      expect(await openAuthorityIncident(staff, ask)).toMatchObject({
        ok: false,
        error: { code: 'INCIDENT.NOT_FOUND' },
      });
      expect(await recordAuthorityUpdate(staff, { ...ask, note: 'hello' })).toMatchObject({ ok: false });
      expect(await handBackFromAuthority(staff, ask)).toMatchObject({ ok: false });
    }
    expect(wordsOf(await authorityAnswer(staff, ['Riverside']))).toBe(
      'None of your member schools is called that.',
    );
    // Acting in the school as the authority, on an escalation to another provider: refused in the command itself.
    const inHillside: Ctx = { ...staff, actor: { ...staff.actor, schoolId: hillside.school.schoolId } };
    expect(await recordProviderUpdate(inHillside, { incidentId: other.id, note: 'sneaky' })).toMatchObject({
      ok: false,
      error: { message: 'This incident is not with a provider.' },
    });
    expect(await tdb.db.select().from(escalations)).toEqual(before);
  });

  it('refuses people without the role, and a school’s own staff', async () => {
    const teacherThere = await essex.person('teacher');
    expect(await authorityOverview(teacherThere)).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    const hillsideAdmin = await hillside.school.person('admin');
    expect(await authorityOverview(hillsideAdmin)).toMatchObject({
      ok: false,
      error: { message: NOT_AN_AUTHORITY },
    });
    expect(
      await openAuthorityIncident(hillsideAdmin, { school: 'Hillside', reference: 'INC-1' }),
    ).toMatchObject({
      ok: false,
      error: { message: NOT_AN_AUTHORITY },
    });
  });

  it('stops reading a school that leaves', async () => {
    const leaver = await memberLike('Leaving Lane School');
    must(await addMember(op(), { authorityId: essex.schoolId, schoolId: leaver.school.schoolId }));
    expect((await readableSchools(tdb.db, staff.actor)).ids).toContain(leaver.school.schoolId);
    must(await removeMember(op(), { authorityId: essex.schoolId, schoolId: leaver.school.schoolId }));
    expect((await readableSchools(tdb.db, staff.actor)).ids).not.toContain(leaver.school.schoolId);
  });
});
