import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchool } from '../../../src/db/queries/schools';
import { registerEvents } from '../../../src/db/schema';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { DEFAULT_SLA, formatSchoolMinutes } from '../../../src/domain/incidents/sla';
import { triageIncident } from '../../../src/domain/incidents/triage-incident';
import { DEFAULT_LEAD_TIMES } from '../../../src/domain/reminders/rules';
import { schoolDayMinutes } from '../../../src/domain/school-time';
import {
  applySettings,
  DURATION_HINT,
  getSchoolSettings,
  parseDuration,
  type SchoolSettings,
  updateSchoolSettings,
} from '../../../src/domain/schools/settings';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';
import { must } from '../../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

describe('parseDuration', () => {
  it.each([
    ['30m', 480, 30],
    ['45 mins', 480, 45],
    ['2h', 480, 120],
    ['1h30m', 480, 90],
    ['1h 30m', 480, 90],
    ['1.5h', 480, 90],
    ['1d', 480, 480],
    ['1 day', 480, 480],
    ['3 days', 480, 1440],
    ['1 day 2h', 480, 600],
    ['1 day', 420, 420], // a day is the school day, 08:30–15:30 here
    ['10 Days', 420, 4200],
  ])('%s with a %i-minute day is %i school minutes', (text, day, minutes) => {
    expect(parseDuration(text, day)).toBe(minutes);
  });

  it.each(['', '30', 'soon', '2 weeks', 'h2', '1 day and', '-2h'])('refuses %j', (text) => {
    expect(parseDuration(text, 480)).toBeNull();
  });

  it('knows the length of a school day', () => {
    expect(schoolDayMinutes({ dayStart: '08:00', dayEnd: '16:00' })).toBe(480);
    expect(schoolDayMinutes({ dayStart: '08:45', dayEnd: '15:15' })).toBe(390);
  });
});

const CURRENT: SchoolSettings = {
  schoolName: 'Hillside',
  timezone: 'Europe/London',
  dayStart: '08:00',
  dayEnd: '16:00',
  dayMinutes: 480,
  sla: DEFAULT_SLA,
  leadTimes: DEFAULT_LEAD_TIMES,
  ticketEmoji: 'ticket',
};

describe('applySettings', () => {
  it('puts each problem beside its field', () => {
    const result = applySettings(CURRENT, {
      dayStart: '9am',
      dayEnd: '15:00',
      sla: {
        P1: { respond: '5h', resolve: '4h' },
        P2: { respond: 'soon', resolve: '1 day' },
        P3: { respond: '0m', resolve: '71 days' },
      },
      leadTimes: { paymentDueSoonDays: 'a week', contractNoticeDays: '90, 60, 30, 14, 7, 1' },
    });
    expect(result).toEqual({
      ok: false,
      fields: {
        dayStart: 'Write a time like 08:30 (24-hour clock).',
        P1_respond: 'The response target must not be longer than the resolution target.',
        P2_respond: DURATION_HINT,
        P3_respond: 'A target must be at least 1 minute.',
        P3_resolve: 'At most 70 days of school time.',
        paymentDueSoonDays: 'A whole number of days, e.g. 30.',
        contractNoticeDays: 'At most 5 reminders.',
      },
    });
  });

  it('refuses a day that ends before it starts', () => {
    expect(applySettings(CURRENT, { dayStart: '15:30', dayEnd: '08:30' })).toEqual({
      ok: false,
      fields: { dayEnd: 'The school day must end after it starts.' },
    });
  });

  it('reads targets typed with new hours in days of the new length', () => {
    const result = applySettings(CURRENT, {
      dayStart: '8:30',
      dayEnd: '15:30',
      sla: { P2: { respond: '2h', resolve: '1 day' } },
      leadTimes: { licenceExpiryDays: '30 60 30' },
    });
    expect(result.ok && result.value).toMatchObject({
      dayStart: '08:30',
      dayEnd: '15:30',
      dayMinutes: 420,
      sla: { ...DEFAULT_SLA, P2: { respondMinutes: 120, resolveMinutes: 420 } },
      leadTimes: { ...DEFAULT_LEAD_TIMES, licenceExpiryDays: [60, 30] },
    });
  });
});

describe('updateSchoolSettings', () => {
  it('lets an admin change the targets and hours, audited from → to; refuses office', async () => {
    const school = await makeSchool(tdb.db);
    const admin = await school.person('admin', 'Head');
    const office = await school.person('office', 'Mrs Office');
    const refused = await updateSchoolSettings(office, { sla: { P1: { respond: '15m', resolve: '2h' } } });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN', message: 'Only an admin can change the school settings.' },
    });
    // Office may look.
    expect(must(await getSchoolSettings(office)).sla.P1).toEqual(DEFAULT_SLA.P1);
    const teacher = await school.person('teacher');
    expect((await getSchoolSettings(teacher)).ok).toBe(false);

    const done = must(
      await updateSchoolSettings(admin, {
        dayStart: '08:30',
        dayEnd: '15:30',
        sla: { P1: { respond: '15m', resolve: '2h' } },
      }),
    );
    expect(done.changes).toEqual({
      dayStart: { from: '08:00', to: '08:30' },
      dayEnd: { from: '16:00', to: '15:30' },
      'sla.P1': {
        from: { respondMinutes: 30, resolveMinutes: 240 },
        to: { respondMinutes: 15, resolveMinutes: 120 },
      },
    });
    const row = await getSchool(tdb.db, school.schoolId);
    expect(row).toMatchObject({
      dayStart: '08:30',
      dayEnd: '15:30',
      // Only what was set is stored; the rest keeps following the defaults.
      slaTargets: { P1: { respondMinutes: 15, resolveMinutes: 120 } },
    });
    const audit = await tdb.db
      .select()
      .from(registerEvents)
      .where(
        and(
          eq(registerEvents.schoolId, school.schoolId),
          eq(registerEvents.subject, `school:${school.schoolId}`),
        ),
      );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin.actor.personId,
      kind: 'edited',
      data: { changes: done.changes },
    });

    // Saving the same again changes nothing and records nothing.
    const again = must(await updateSchoolSettings(admin, { sla: { P1: { respond: '15m', resolve: '2h' } } }));
    expect(again.changes).toEqual({});
    const after = await tdb.db
      .select()
      .from(registerEvents)
      .where(eq(registerEvents.schoolId, school.schoolId));
    expect(after).toHaveLength(1);
  });

  it('a new report keeps the targets of its priority; re-triage to a new priority takes the new ones', async () => {
    const school = await makeSchool(tdb.db);
    const admin = await school.person('admin');
    const teacher = await school.person('teacher');
    must(
      await updateSchoolSettings(admin, {
        sla: { P2: { respond: '1h', resolve: '6h' }, P4: { respond: '2 days', resolve: '5 days' } },
      }),
    );
    const reported = must(
      await reportFault(teacher, { summary: 'Board is dead', urgency: 'lesson_stopped' }),
    );
    expect(reported.incident).toMatchObject({
      priority: 'P2',
      slaRespondMinutes: 60,
      slaResolveMinutes: 360,
    });
    // Later changes to the settings do not rewrite the incident's targets...
    must(await updateSchoolSettings(admin, { sla: { P2: { respond: '3h', resolve: '2 days' } } }));
    const sameP2 = must(
      await triageIncident(admin, {
        incidentId: reported.incident.id,
        impact: 'room',
        urgency: 'lesson_stopped',
        category: 'av',
      }),
    );
    expect(sameP2.incident).toMatchObject({ priority: 'P2', slaRespondMinutes: 60, slaResolveMinutes: 360 });
    // ...but a new priority brings the school's targets for it.
    const p4 = must(
      await triageIncident(admin, {
        incidentId: reported.incident.id,
        impact: 'person',
        urgency: 'no_deadline',
        category: 'av',
      }),
    );
    expect(p4.incident).toMatchObject({ priority: 'P4', slaRespondMinutes: 960, slaResolveMinutes: 2400 });
  });
});

describe('formatSchoolMinutes', () => {
  it.each([
    [30, 480, '30m'],
    [240, 480, '4h'],
    [480, 480, '1 day'],
    [1440, 480, '3 days'],
    [600, 480, '1 day 2h'],
    [480, 390, '1 day 1h 30m'],
    [135, 480, '2h 15m'],
  ])('%i minutes with a %i-minute day reads %s, and reads back', (minutes, day, text) => {
    expect(formatSchoolMinutes(minutes, day)).toBe(text);
    expect(parseDuration(text, day)).toBe(minutes);
  });
});
