import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, outbox } from '../../../src/db/schema';
import { assignIncident } from '../../../src/domain/incidents/assign-incident';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { getIncident, listIncidents } from '../../../src/domain/incidents/list-incidents';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { triageIncident } from '../../../src/domain/incidents/triage-incident';
import { setupSchool } from '../../../src/domain/schools/setup-school';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';
import { must } from '../../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

async function outboxOf(schoolId: string) {
  const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId)).orderBy(outbox.id);
  return rows.map((r) => r.message);
}

describe('reportFault', () => {
  it('commits the incident with a per-school reference, its history and the messages to send', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher', 'Ms Patel');
    const suite = await school.locationId('ICT suite');
    const first = must(
      await reportFault(teacher, {
        summary: '  Projector   has no signal ',
        locationId: suite,
        urgency: 'lesson_stopped',
      }),
    );
    expect(first.reference).toBe('INC-1');
    expect(first.duplicate).toBe(false);
    expect(first.incident).toMatchObject({
      summary: 'Projector has no signal',
      status: 'new',
      impact: 'department', // the ICT suite's default impact
      priority: 'P1',
      reporterId: teacher.actor.personId,
      createdAt: new Date('2026-11-30T09:15:00Z'),
    });
    const second = must(await reportFault(teacher, { summary: 'Printer jammed', urgency: 'this_week' }));
    expect(second.reference).toBe('INC-2');
    expect(second.incident).toMatchObject({ impact: 'room', priority: 'P3', locationId: null });
    expect(await outboxOf(school.schoolId)).toEqual([
      { type: 'incident.card', incidentId: first.incident.id },
      {
        type: 'person.notify',
        personId: teacher.actor.personId,
        incidentId: first.incident.id,
        event: 'reported',
      },
      { type: 'incident.card', incidentId: second.incident.id },
      {
        type: 'person.notify',
        personId: teacher.actor.personId,
        incidentId: second.incident.id,
        event: 'reported',
      },
    ]);
    const shown = must(await getIncident(teacher, { ref: 'INC-1' }));
    expect(shown.events.map((e) => [e.kind, e.toStatus, e.actorName])).toEqual([
      ['reported', 'new', 'Ms Patel'],
    ]);
  });

  it('numbers each school on its own', async () => {
    const a = await makeSchool(tdb.db);
    const b = await makeSchool(tdb.db);
    const ta = await a.person('teacher');
    const tb = await b.person('teacher');
    expect(must(await reportFault(ta, { summary: 'Wi-Fi down', urgency: 'today' })).reference).toBe('INC-1');
    expect(must(await reportFault(tb, { summary: 'Wi-Fi down', urgency: 'today' })).reference).toBe('INC-1');
    expect(must(await reportFault(ta, { summary: 'Wi-Fi down again', urgency: 'today' })).reference).toBe(
      'INC-2',
    );
  });

  it('a double submit finds the first incident and writes nothing more', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const input = { summary: 'Board pen missing', urgency: 'today' as const, submissionKey: 'V123' };
    const [one, two] = await Promise.all([reportFault(teacher, input), reportFault(teacher, input)]);
    const values = [must(one), must(two)];
    expect(values.map((v) => v.reference)).toEqual(['INC-1', 'INC-1']);
    expect(values.filter((v) => v.duplicate)).toHaveLength(1);
    const rows = await tdb.db.select().from(incidents).where(eq(incidents.schoolId, school.schoolId));
    expect(rows).toHaveLength(1);
    expect(await outboxOf(school.schoolId)).toHaveLength(2);
    // The next report still gets the next number: the duplicate left no gap.
    expect(must(await reportFault(teacher, { summary: 'Another', urgency: 'today' })).reference).toBe(
      'INC-2',
    );
  });

  it('returns field errors and writes nothing for bad input', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const other = await makeSchool(tdb.db);
    const foreignLocation = await other.locationId('Library');
    const bad = await reportFault(teacher, { summary: 'x', description: 'y'.repeat(3001), urgency: 'today' });
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Please check the highlighted fields.',
        fields: {
          summary: 'Say in a few words what is wrong.',
          description: 'Keep it under 3000 characters.',
        },
      },
    });
    const crafted = await reportFault(teacher, {
      summary: 'Crafted',
      locationId: foreignLocation,
      urgency: 'today',
    });
    expect(crafted.ok || crafted.error.fields).toEqual({
      locationId: 'That location is no longer in the list: choose another.',
    });
    const garbage = await reportFault(teacher, {
      summary: 'Crafted',
      locationId: "1' or 1=1",
      urgency: 'today',
    });
    expect(garbage.ok || garbage.error.fields).toEqual({ locationId: 'Choose a location from the list.' });
    expect(await tdb.db.select().from(incidents).where(eq(incidents.schoolId, school.schoolId))).toEqual([]);
    // The failed attempts used no number.
    expect(must(await reportFault(teacher, { summary: 'Real one', urgency: 'today' })).reference).toBe(
      'INC-1',
    );
  });
});

describe('claim, triage, resolve, close', () => {
  it('runs the whole lifecycle with history and reporter messages', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher', 'Ms Patel');
    const tech = await school.person('technician', 'Sam Tech');
    const office = await school.person('office', 'Mrs Office');
    const { incident } = must(
      await reportFault(teacher, { summary: 'Laptop will not boot', urgency: 'today' }),
    );

    const triaged = must(
      await triageIncident(office, {
        incidentId: incident.id,
        impact: 'person',
        urgency: 'today',
        category: 'hardware',
      }),
    );
    expect(triaged.incident).toMatchObject({ status: 'triaged', priority: 'P3', category: 'hardware' });
    expect(triaged.event?.data).toEqual({
      impact: { from: 'room', to: 'person' },
      priority: { from: 'P2', to: 'P3' },
      category: { from: null, to: 'hardware' },
    });

    school.clock.advance(60_000);
    const claimed = must(await claimIncident(tech, { incidentId: incident.id }));
    expect(claimed.incident).toMatchObject({ status: 'in_progress', assigneeId: tech.actor.personId });
    expect(claimed.incident.firstResponseAt).toEqual(new Date('2026-11-30T09:15:00Z')); // triage was the first response

    const again = must(await claimIncident(tech, { incidentId: incident.id }));
    expect(again.event).toBeNull();

    school.clock.advance(60_000);
    const resolved = must(
      await resolveIncident(tech, { incidentId: incident.id, resolution: 'Replaced the charger' }),
    );
    expect(resolved.incident).toMatchObject({
      status: 'resolved',
      resolution: 'Replaced the charger',
      resolvedAt: new Date('2026-11-30T09:17:00Z'),
    });

    const closed = must(await closeIncident(office, { incidentId: incident.id }));
    expect(closed.incident.status).toBe('closed');

    const history = must(await getIncident(office, { ref: 'INC-1' })).events;
    expect(history.map((e) => [e.kind, e.fromStatus, e.toStatus, e.actorName])).toEqual([
      ['reported', null, 'new', 'Ms Patel'],
      ['triaged', 'new', 'triaged', 'Mrs Office'],
      ['claimed', 'triaged', 'in_progress', 'Sam Tech'],
      ['resolved', 'in_progress', 'resolved', 'Sam Tech'],
      ['closed', 'resolved', 'closed', 'Mrs Office'],
    ]);
    const notifications = (await outboxOf(school.schoolId))
      .filter((m) => m.type === 'person.notify')
      .map((m) => m.event);
    expect(notifications).toEqual(['reported', 'claimed', 'resolved']);
  });

  it('refuses a second claim, telling who has it', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const sam = await school.person('technician', 'Sam');
    const alex = await school.person('technician', 'Alex');
    const { incident } = must(await reportFault(teacher, { summary: 'No sound', urgency: 'today' }));
    must(await claimIncident(sam, { incidentId: incident.id }));
    expect(await claimIncident(alex, { incidentId: incident.id })).toEqual({
      ok: false,
      error: { code: 'INCIDENT.ALREADY_CLAIMED', message: 'Already claimed by Sam.' },
    });
  });

  it('refuses staff actions to a teacher, in the command', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const tech = await school.person('technician');
    const { incident } = must(
      await reportFault(teacher, { summary: 'Keyboard sticky', urgency: 'this_week' }),
    );
    const id = incident.id;
    expect((await claimIncident(teacher, { incidentId: id })).ok).toBe(false);
    expect(await resolveIncident(teacher, { incidentId: id, resolution: 'I fixed it' })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    expect(
      await triageIncident(tech, { incidentId: id, impact: 'room', urgency: 'today', category: 'hardware' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN', message: 'Only office staff (the SPOC) can triage incidents.' },
    });
    expect(await closeIncident(tech, { incidentId: id, note: 'dup' })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    const [row] = await tdb.db.select().from(incidents).where(eq(incidents.id, id));
    expect(row).toMatchObject({ status: 'new', assigneeId: null });
  });

  it('never reads or changes another school’s incident', async () => {
    const a = await makeSchool(tdb.db);
    const b = await makeSchool(tdb.db);
    const teacherA = await a.person('teacher');
    const adminB = await b.person('admin');
    const { incident } = must(await reportFault(teacherA, { summary: 'Secret A fault', urgency: 'today' }));
    const notFound = {
      ok: false,
      error: { code: 'INCIDENT.NOT_FOUND', message: "I couldn't find that incident in your school." },
    };
    expect(await claimIncident(adminB, { incidentId: incident.id })).toEqual(notFound);
    expect(await resolveIncident(adminB, { incidentId: incident.id, resolution: 'hijack' })).toEqual(
      notFound,
    );
    expect(await getIncident(adminB, { ref: incident.id })).toEqual(notFound);
    expect(must(await listIncidents(adminB, { filter: 'all' })).incidents).toEqual([]);
    const [row] = await tdb.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row).toMatchObject({ status: 'new', assigneeId: null });
  });

  it('closing an unresolved incident needs a reason and tells the reporter', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const office = await school.person('office');
    const { incident } = must(await reportFault(teacher, { summary: 'Mouse', urgency: 'no_deadline' }));
    expect(await closeIncident(office, { incidentId: incident.id })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { note: expect.any(String) } },
    });
    must(await closeIncident(office, { incidentId: incident.id, note: 'Duplicate of INC-3' }));
    const last = (await outboxOf(school.schoolId)).at(-1);
    expect(last).toMatchObject({ type: 'person.notify', event: 'closed' });
  });

  it('lists by filter; a teacher sees only their own', async () => {
    const school = await makeSchool(tdb.db);
    const t1 = await school.person('teacher');
    const t2 = await school.person('teacher');
    const tech = await school.person('technician');
    const a = must(
      await reportFault(t1, { summary: 'Aaa', urgency: 'lesson_stopped', impact: 'whole_school' }),
    ).incident;
    must(await reportFault(t2, { summary: 'Bbb', urgency: 'no_deadline' }));
    must(await claimIncident(tech, { incidentId: a.id }));
    const refs = async (ctx: typeof tech, filter?: 'open' | 'mine' | 'P1' | 'P4' | 'all') =>
      must(await listIncidents(ctx, { filter })).incidents.map((i) => i.summary);
    expect(await refs(tech)).toEqual(['Aaa', 'Bbb']);
    expect(await refs(tech, 'mine')).toEqual(['Aaa']);
    expect(await refs(tech, 'P1')).toEqual(['Aaa']);
    expect(await refs(tech, 'P4')).toEqual(['Bbb']);
    expect(await refs(t2)).toEqual(['Bbb']);
    expect(await refs(t2, 'all')).toEqual(['Bbb']);
    expect(await getIncident(t2, { ref: `INC-${a.number}` })).toMatchObject({
      ok: false,
      error: { code: 'INCIDENT.NOT_FOUND' },
    });
  });
});

describe('assign (reassign)', () => {
  it('gives an incident to a named technician, who is told; only office/admin may', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher', 'Ms Patel');
    const office = await school.person('office');
    const sam = await school.person('technician', 'Sam', 'U0SAMTECH1');
    const alex = await school.person('technician', 'Alex', 'U0ALEXTEC1');
    const { incident } = must(await reportFault(teacher, { summary: 'Stuck print queue', urgency: 'today' }));
    must(await claimIncident(sam, { incidentId: incident.id }));
    expect(
      await assignIncident(alex, { incidentId: incident.id, assignee: { slackUserId: 'U0ALEXTEC1' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    expect(
      await assignIncident(office, {
        incidentId: incident.id,
        assignee: { slackUserId: teacher.slackUserId },
      }),
    ).toMatchObject({
      ok: false,
      error: { fields: { assignee: expect.stringContaining('technician') } },
    });
    const given = must(
      await assignIncident(office, { incidentId: incident.id, assignee: { slackUserId: 'U0ALEXTEC1' } }),
    );
    expect(given.incident).toMatchObject({ status: 'assigned', assigneeId: alex.actor.personId });
    const last = (await outboxOf(school.schoolId)).at(-1);
    expect(last).toEqual({
      type: 'person.notify',
      personId: alex.actor.personId,
      incidentId: incident.id,
      event: 'assigned',
      eventId: given.event!.id,
    });
    // Alex can now claim it and start.
    expect(must(await claimIncident(alex, { incidentId: incident.id })).incident.status).toBe('in_progress');
  });
});

describe.skipIf(!onPostgres)(
  'concurrency on a real Postgres (skipped on PGlite: one connection proves nothing)',
  () => {
    it('10 concurrent claims leave exactly one winner', async () => {
      const school = await makeSchool(tdb.db);
      const teacher = await school.person('teacher');
      const techs = await Promise.all(
        Array.from({ length: 10 }, (_, i) => school.person('technician', `Tech ${i}`)),
      );
      const { incident } = must(await reportFault(teacher, { summary: 'Race', urgency: 'today' }));
      const results = await Promise.all(techs.map((t) => claimIncident(t, { incidentId: incident.id })));
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const winnerName = techs.find(
        (t) => winners[0]?.ok && winners[0].value.incident.assigneeId === t.actor.personId,
      )?.actor.displayName;
      for (const r of results.filter((x) => !x.ok)) {
        expect(r).toEqual({
          ok: false,
          error: { code: 'INCIDENT.ALREADY_CLAIMED', message: `Already claimed by ${winnerName}.` },
        });
      }
      const claimEvents = must(await getIncident(teacher, { ref: 'INC-1' })).events.filter(
        (e) => e.kind === 'claimed',
      );
      expect(claimEvents).toHaveLength(1);
    });

    it('5 people running the first setup at once make exactly one admin', async () => {
      const school = await makeSchool(tdb.db);
      const people = await Promise.all(Array.from({ length: 5 }, () => school.person('teacher')));
      const results = await Promise.all(people.map((p) => setupSchool(p, { slackChannelId: 'C0RACE0001' })));
      expect(results.filter((r) => r.ok && r.value.becameAdmin)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(
        Array(4).fill('AUTH.FORBIDDEN'),
      );
    });

    it('setup and an admin’s own report at the same moment never deadlock', async () => {
      for (let round = 0; round < 20; round++) {
        const school = await makeSchool(tdb.db);
        const admin = await school.person('admin');
        const [setup, report] = await Promise.all([
          setupSchool(admin, { slackChannelId: 'C0RACE0002' }),
          reportFault(admin, { summary: `Race ${round}`, urgency: 'today' }),
        ]);
        expect(setup.ok && report.ok).toBe(true);
      }
    });

    it('20 concurrent reports get INC-1…INC-20 with no gap or duplicate', async () => {
      const school = await makeSchool(tdb.db);
      const teachers = await Promise.all(Array.from({ length: 5 }, () => school.person('teacher')));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          reportFault(teachers[i % 5]!, { summary: `Fault ${i}`, urgency: 'today' }),
        ),
      );
      const numbers = results.map((r) => must(r).incident.number).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });
  },
);
