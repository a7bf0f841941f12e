import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIncidentDetail } from '../../src/db/queries/incidents';
import { incidentEvents, outbox } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import { AUTO_CLOSE_NOTE, autoCloseDueAt } from '../../src/domain/incidents/auto-close';
import { claimIncident } from '../../src/domain/incidents/claim-incident';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { reportStillBroken } from '../../src/domain/incidents/reporter-response';
import { resolveIncident } from '../../src/domain/incidents/resolve-incident';
import { makeCalendar } from '../../src/domain/school-time';
import { silentLogger } from '../../src/log';
import { runAutoClosePass } from '../../src/worker/auto-close';
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

// Friday 28 May 2027, 10:00 BST. Monday 31 May is the Spring bank holiday.
const RESOLVED = '2027-05-28T09:00:00Z';

describe('autoCloseDueAt', () => {
  const cal = makeCalendar();
  it.each([
    // Fri 10:00 → Fri 10:00 a week later, were it not for the bank holiday; with it, Monday.
    [RESOLVED, '2027-06-07T09:00:00Z'],
    // Tue 10:00 → the next Tue 10:00 (a weekend between).
    ['2027-06-08T09:00:00Z', '2027-06-15T09:00:00Z'],
    // Resolved after school on Monday: five whole school days Tue–Mon, so the end of Monday.
    ['2027-06-07T17:30:00Z', '2027-06-14T15:00:00Z'],
  ])('resolved %s closes at %s', (resolved, due) => {
    expect(autoCloseDueAt(cal, new Date(resolved)).toISOString()).toBe(new Date(due).toISOString());
  });

  it('counts the school’s own holidays too', () => {
    const halfTerm = makeCalendar({
      holidays: [{ start: '2027-06-01', end: '2027-06-04', name: 'Half term' }],
    });
    // Fri 10:00: Mon is a bank holiday, Tue–Fri half term: five school days end Fri 11 June 10:00.
    expect(autoCloseDueAt(halfTerm, new Date(RESOLVED)).toISOString()).toBe('2027-06-11T09:00:00.000Z');
  });
});

async function resolvedIncident(summary: string) {
  const school = await makeSchool(tdb.db, { clock: fixedClock('2027-05-28T08:00:00Z') });
  const teacher = await school.person('teacher', 'Ms Patel');
  const tech = await school.person('technician', 'Sam');
  const reported = must(await reportFault(teacher, { summary, urgency: 'today' }));
  must(await claimIncident(tech, { incidentId: reported.incident.id }));
  school.clock.set(RESOLVED);
  must(await resolveIncident(tech, { incidentId: reported.incident.id, resolution: 'Replaced the toner' }));
  return { school, teacher, tech, incidentId: reported.incident.id };
}

const statusOf = async (schoolId: string, id: string) =>
  (await getIncidentDetail(tdb.db, schoolId, id))?.status;

describe('the auto-close pass', () => {
  it('closes after exactly 5 school days (not 4, not over the bank holiday), once, however often it runs', async () => {
    const { school, incidentId } = await resolvedIncident('Printer out of toner');
    const pass = (at: string, dryRun = false) =>
      runAutoClosePass({ db: tdb.db, log: silentLogger, now: new Date(at), dryRun });
    const mine = (results: Awaited<ReturnType<typeof pass>>) =>
      results.filter((r) => r.schoolId === school.schoolId).flatMap((r) => r.closed);

    // Friday 4 June 10:00 is five weekdays later, but only four school days (Monday was a bank holiday).
    expect(mine(await pass('2027-06-04T09:00:00Z'))).toEqual([]);
    expect(mine(await pass('2027-06-07T08:59:00Z'))).toEqual([]);
    expect(await statusOf(school.schoolId, incidentId)).toBe('resolved');

    // A dry run says what it would close and changes nothing.
    expect(mine(await pass('2027-06-07T09:00:00Z', true))).toEqual([1]);
    expect(await statusOf(school.schoolId, incidentId)).toBe('resolved');

    // Two passes at once, then another: it closes once.
    const [a, b] = await Promise.all([pass('2027-06-07T09:00:00Z'), pass('2027-06-07T09:00:00Z')]);
    expect([...mine(a), ...mine(b)]).toEqual([1]);
    expect(mine(await pass('2027-06-07T09:15:00Z'))).toEqual([]);

    const incident = await getIncidentDetail(tdb.db, school.schoolId, incidentId);
    expect(incident).toMatchObject({ status: 'closed', closedAt: new Date('2027-06-07T09:00:00Z') });
    const events = await tdb.db
      .select()
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.kind, 'closed')));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: null,
      fromStatus: 'resolved',
      toStatus: 'closed',
      data: { auto: true, note: AUTO_CLOSE_NOTE },
    });
    // The card is refreshed and the thread told; the reporter gets no "closed without a fix" DM.
    const queued = (await tdb.db.select().from(outbox).where(eq(outbox.schoolId, school.schoolId)))
      .map((r) => r.message)
      .filter((m) => m.incidentId === incidentId && (m.type !== 'person.notify' || m.event === 'closed'));
    expect(queued.slice(-2)).toEqual([
      { type: 'incident.card', incidentId },
      { type: 'incident.thread', incidentId, eventId: events[0]?.id },
    ]);
    expect(queued.some((m) => m.type === 'person.notify')).toBe(false);
  });

  it('closes in the schools named only, when it is given some (the playground’s demo school)', async () => {
    const mine = await resolvedIncident('Printer jams');
    const other = await resolvedIncident('Scanner jams');
    const results = await runAutoClosePass({
      db: tdb.db,
      log: silentLogger,
      now: new Date('2027-07-01T09:00:00Z'),
      schoolIds: [mine.school.schoolId],
    });
    expect(results.map((r) => r.schoolId)).toEqual([mine.school.schoolId]);
    expect(await statusOf(mine.school.schoolId, mine.incidentId)).toBe('closed');
    expect(await statusOf(other.school.schoolId, other.incidentId)).toBe('resolved');
  });

  it('leaves alone an incident the reporter said is still broken', async () => {
    const { school, teacher, incidentId } = await resolvedIncident('Wi-Fi drops');
    school.clock.set('2027-06-01T09:00:00Z');
    must(await reportStillBroken(teacher, { incidentId }));
    const results = await runAutoClosePass({
      db: tdb.db,
      log: silentLogger,
      now: new Date('2027-07-01T09:00:00Z'),
    });
    expect(results.filter((r) => r.schoolId === school.schoolId)).toEqual([]);
    expect(await statusOf(school.schoolId, incidentId)).toBe('reopened');
  });
});
