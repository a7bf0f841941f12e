import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSlackPersonName } from '../../src/db/queries/people';
import { incidents } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import { assignIncident } from '../../src/domain/incidents/assign-incident';
import { forwardIncident } from '../../src/domain/incidents/forward-incident';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { listAssignablePeople } from '../../src/domain/people';
import { identifySlackUser } from '../../src/domain/schools/identify';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeSchool, T0, uniqueId } from '../support/factories';
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

describe('identifying a person already known', () => {
  /** The row's version and lock marks: a write or a row lock changes them. */
  const marks = async (personId: string) =>
    (
      await tdb.rows<{ xmin: string; xmax: string }>(
        sql`select xmin::text as xmin, xmax::text as xmax from people where id = ${personId}`,
      )
    )[0];

  it('reads the school and person and writes nothing when their name stands', async () => {
    const teamId = uniqueId('T');
    const who = { teamId, teamName: 'hillside', userId: uniqueId('U'), userName: 'ms.patel' };
    const clock = fixedClock(T0);
    const first = await identifySlackUser(tdb.db, clock, who);
    const before = await marks(first.person.id);
    const again = await identifySlackUser(tdb.db, clock, who);
    expect(again.person).toEqual(first.person);
    expect(again.school).toEqual(first.school);
    // Neither written nor locked: a request by someone known costs no commit.
    expect(await marks(first.person.id)).toEqual(before);
    expect(before?.xmax).toBe('0');
  });

  it('still takes a new handle for a name never looked up, and keeps one Slack gave', async () => {
    const teamId = uniqueId('T');
    const userId = uniqueId('U');
    const clock = fixedClock(T0);
    const first = await identifySlackUser(tdb.db, clock, { teamId, userId, userName: 'old.handle' });
    const renamed = await identifySlackUser(tdb.db, clock, { teamId, userId, userName: 'new.handle' });
    expect(renamed.person.displayName).toBe('new.handle');
    // Named by Slack (users.info): a payload's handle no longer replaces it.
    await recordSlackPersonName(tdb.db, first.school.id, first.person.id, 'Mrs Patel', clock.now());
    const later = await identifySlackUser(tdb.db, clock, { teamId, userId, userName: 'other.handle' });
    expect(later.person.displayName).toBe('Mrs Patel');
  });
});
