/**
 * On call for P1s out of school time: the pure rule (a P1, out of hours, a staff member named,
 * never the person who acted, once), and the commands that follow it: a report records when the
 * office next opens (in the school's calendar, term dates included) and who was told; a triage to
 * P1 tells them once; the admin alone names the person; the reporter's status message says it.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIncidentDetail } from '../../../src/db/queries/incidents';
import { incidentEvents, outbox, schoolHolidays } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { withOutOfHours } from '../../../src/domain/delivery/out-of-hours';
import { type OnCallFacts, onCallToTell } from '../../../src/domain/incidents/on-call';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { triageIncident } from '../../../src/domain/incidents/triage-incident';
import { presentStatusMessage } from '../../../src/domain/presenters/notices';
import type { Rich } from '../../../src/domain/presenters/presentation';
import { updateSchoolSettings } from '../../../src/domain/schools/settings';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';
import { must } from '../../support/wait';

const TECH = 'tech-person';
const base: OnCallFacts = {
  priority: 'P1',
  opensAt: new Date('2026-12-07T08:00:00Z'),
  onCall: { personId: TECH, role: 'technician' },
  actorId: 'reporter',
  reporterId: 'reporter',
  alreadyTold: false,
};

describe('onCallToTell', () => {
  it.each<[string, Partial<OnCallFacts>, string | null]>([
    ['a P1 out of hours, a technician on call', {}, TECH],
    ['the office on call', { onCall: { personId: TECH, role: 'office' } }, TECH],
    ['a P2 out of hours', { priority: 'P2' }, null],
    ['a P1 in school time', { opensAt: null }, null],
    ['nobody on call', { onCall: null }, null],
    ['the on-call person is now a teacher', { onCall: { personId: TECH, role: 'teacher' } }, null],
    ['already told of it', { alreadyTold: true }, null],
    ['they reported it themselves', { actorId: TECH, reporterId: TECH }, null],
    ['they triaged it themselves', { actorId: TECH }, null],
    ['they reported it, someone else triaged it', { actorId: 'office', reporterId: TECH }, null],
  ])('%s', (_what, facts, expected) => {
    expect(onCallToTell({ ...base, ...facts })).toBe(expected);
  });
});

const words = (rich: Rich): string =>
  rich
    .map((s) => {
      if (typeof s === 'string') return s;
      if ('bold' in s) return words(s.bold);
      if ('max' in s) return s.text;
      return '';
    })
    .join('');

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

/** A school on a clock at `at`, with an admin, an office member, a technician on call and a teacher. */
async function school(at: string) {
  const s = await makeSchool(tdb.db, { clock: fixedClock(at) });
  const admin = await s.person('admin', 'Mrs Head');
  const office = await s.person('office', 'Mrs Office');
  const tech = await s.person('technician', 'Sam Tech');
  const teacher = await s.person('teacher', 'Ms Patel');
  must(await updateSchoolSettings(admin, { onCall: { personId: tech.actor.personId } }));
  return { ...s, admin, office, tech, teacher };
}

const onCallRows = async (schoolId: string) =>
  tdb.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.schoolId, schoolId), sql`${outbox.message}->>'event' = 'on_call'`));

const reportedData = async (incidentId: string) => {
  const [event] = await tdb.db
    .select()
    .from(incidentEvents)
    .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.kind, 'reported')));
  return event?.data;
};

describe('reporting out of school time', () => {
  it('records when the office next opens, in the holidays too, and tells the on-call person of a P1 once', async () => {
    // Friday 18 December 2026, 17:00: the last day of term is over; Christmas runs to Mon 4 Jan.
    const s = await school('2026-12-18T17:00:00Z');
    const holiday = (startDate: string, endDate: string, name: string) =>
      tdb.db
        .insert(schoolHolidays)
        .values({ schoolId: s.schoolId, startDate, endDate, name, createdAt: s.clock.now() });
    await holiday('2026-12-19', '2027-01-04', 'Christmas');
    // An INSET day on the first day back.
    await holiday('2027-01-05', '2027-01-05', 'INSET day');
    const { incident } = must(
      await reportFault(s.teacher, {
        summary: 'Server down',
        impact: 'whole_school',
        urgency: 'lesson_stopped',
      }),
    );
    expect(await reportedData(incident.id)).toMatchObject({
      officeOpensAt: '2027-01-06T08:00:00.000Z',
      onCallTold: s.tech.actor.personId,
    });
    expect((await onCallRows(s.schoolId)).map((r) => r.message)).toEqual([
      { type: 'person.notify', personId: s.tech.actor.personId, incidentId: incident.id, event: 'on_call' },
    ]);

    // The reporter's status message says when, in the school's time.
    const detail = await getIncidentDetail(tdb.db, s.schoolId, incident.id);
    if (!detail) throw new Error('no incident');
    const shown = presentStatusMessage(await withOutOfHours(tdb.db, s.schoolId, detail), 'Europe/London');
    const text = shown.sections.map((x) => ('text' in x ? words(x.text) : '')).join('\n');
    expect(text).toContain(
      'It was reported out of school time: the office will see it on Wed 6 Jan 2027 at 08:00. It is urgent, so the person on call has been told now.',
    );

    // Triaged to P1 again out of hours: not told twice.
    must(
      await triageIncident(s.office, {
        incidentId: incident.id,
        impact: 'whole_school',
        urgency: 'lesson_stopped',
        category: 'network',
      }),
    );
    expect(await onCallRows(s.schoolId)).toHaveLength(1);
    // Once triaged, the office has seen it: the status message no longer says when it will.
    const triaged = await getIncidentDetail(tdb.db, s.schoolId, incident.id);
    if (!triaged) throw new Error('no incident');
    expect((await withOutOfHours(tdb.db, s.schoolId, triaged)).outOfHours).toBeUndefined();
  });

  it('on the evening the clocks go back, opens on Monday at 08:00 GMT', async () => {
    // Saturday 24 October 2026, 20:00 BST (19:00Z); the clocks go back on Sunday.
    const s = await school('2026-10-24T19:00:00Z');
    const { incident } = must(await reportFault(s.teacher, { summary: 'Printer jammed', urgency: 'today' }));
    expect(await reportedData(incident.id)).toMatchObject({ officeOpensAt: '2026-10-26T08:00:00.000Z' });
    expect(await reportedData(incident.id)).not.toHaveProperty('onCallTold');
    expect(await onCallRows(s.schoolId)).toHaveLength(0);
  });

  it('in school time records nothing of it and tells nobody', async () => {
    const s = await school('2026-11-30T09:15:00Z');
    const { incident } = must(
      await reportFault(s.teacher, {
        summary: 'Server down',
        impact: 'whole_school',
        urgency: 'lesson_stopped',
      }),
    );
    const data = await reportedData(incident.id);
    expect(data).not.toHaveProperty('officeOpensAt');
    expect(data).not.toHaveProperty('onCallTold');
    expect(await onCallRows(s.schoolId)).toHaveLength(0);
  });
});

describe('naming the on-call person', () => {
  it('is for admins only; a teacher cannot be on call', async () => {
    const s = await school('2026-11-30T09:15:00Z');
    const byOffice = await updateSchoolSettings(s.office, { onCall: null });
    expect(byOffice).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
    const teacher = await updateSchoolSettings(s.admin, { onCall: { personId: s.teacher.actor.personId } });
    expect(teacher).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fields: { onCall: expect.stringContaining('technician, office member or admin') },
      },
    });
    const cleared = must(await updateSchoolSettings(s.admin, { onCall: null }));
    expect(cleared.changes).toEqual({ onCall: { from: s.tech.actor.personId, to: null } });
    expect(cleared.settings.onCall).toBeNull();
  });
});
