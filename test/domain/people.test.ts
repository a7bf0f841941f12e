import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents } from '../../src/db/schema';
import { assignIncident } from '../../src/domain/incidents/assign-incident';
import { forwardIncident } from '../../src/domain/incidents/forward-incident';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { listAssignablePeople } from '../../src/domain/people';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeSchool } from '../support/factories';
import { must } from '../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

async function setUp() {
  const school = await makeSchool(tdb.db);
  const teacher = await school.person('teacher', 'Ms Patel');
  const tech = await school.person('technician', 'Sam Tech');
  const office = await school.person('office', 'Mrs Office');
  const incident = must(
    await reportFault(teacher, { summary: 'Projector has no signal', urgency: 'today' }),
  ).incident;
  return { school, teacher, tech, office, incident };
}

const assigneeOf = async (id: string) =>
  (await tdb.db.select().from(incidents).where(eq(incidents.id, id)))[0]?.assigneeId;

describe('listAssignablePeople', () => {
  it("lists the school's staff by name, with their person ids, and no teachers", async () => {
    const { school, tech, office } = await setUp();
    await school.person('admin', 'Alex Head');
    const people = must(await listAssignablePeople(office));
    const names = people.map((p) => p.name);
    expect(names).toEqual(['Alex Head', 'Mrs Office', 'Sam Tech']);
    expect(people.find((p) => p.name === 'Sam Tech')).toEqual({
      personId: tech.actor.personId,
      name: 'Sam Tech',
      role: 'technician',
    });
  });

  it('never lists another school’s people', async () => {
    const { office } = await setUp();
    const other = await makeSchool(tdb.db);
    await other.person('technician', 'Elsewhere Tech');
    const names = must(await listAssignablePeople(office)).map((p) => p.name);
    expect(names).not.toContain('Elsewhere Tech');
  });

  it('refuses a teacher in the domain’s words', async () => {
    const { teacher } = await setUp();
    const result = await listAssignablePeople(teacher);
    expect(result).toEqual({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN', message: 'Only technicians and office staff can see every incident.' },
    });
  });
});

describe('a person ref by SPOC person id', () => {
  it('assigns and forwards to a person of the school by id', async () => {
    const { tech, office, incident } = await setUp();
    must(
      await forwardIncident(office, {
        incidentId: incident.id,
        technician: { personId: tech.actor.personId },
      }),
    );
    expect(await assigneeOf(incident.id)).toBe(tech.actor.personId);
  });

  it('refuses another school’s person id, and changes nothing', async () => {
    const { office, incident } = await setUp();
    const other = await makeSchool(tdb.db);
    const stranger = await other.person('technician', 'Elsewhere Tech');
    for (const run of [
      () =>
        assignIncident(office, { incidentId: incident.id, assignee: { personId: stranger.actor.personId } }),
      () =>
        forwardIncident(office, {
          incidentId: incident.id,
          technician: { personId: stranger.actor.personId },
        }),
    ]) {
      const result = await run();
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'PERSON.NOT_FOUND',
          message: 'I could not find that person.',
          fields: { assignee: 'I could not find that person.' },
        },
      });
    }
    expect(await assigneeOf(incident.id)).toBeNull();
  });

  it('refuses a malformed id and a teacher, as for a Slack user', async () => {
    const { teacher, office, incident } = await setUp();
    const bad = await assignIncident(office, {
      incidentId: incident.id,
      assignee: { personId: 'not-a-uuid' },
    });
    expect(bad.ok).toBe(false);
    const toTeacher = await assignIncident(office, {
      incidentId: incident.id,
      assignee: { personId: teacher.actor.personId },
    });
    expect(toTeacher).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'Ms Patel is not a technician: give them a role first.' },
    });
  });

  it('still forwards to a Slack user by Slack id', async () => {
    const { tech, office, incident } = await setUp();
    must(
      await forwardIncident(office, {
        incidentId: incident.id,
        technician: { slackUserId: tech.slackUserId },
      }),
    );
    expect(await assigneeOf(incident.id)).toBe(tech.actor.personId);
  });

  it('a blank person id names nobody', async () => {
    const { office, incident } = await setUp();
    const result = await forwardIncident(office, { incidentId: incident.id, technician: { personId: ' ' } });
    expect(result).toMatchObject({ ok: false, error: { message: 'Choose who to forward it to.' } });
  });
});
