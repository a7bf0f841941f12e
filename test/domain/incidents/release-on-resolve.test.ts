/**
 * Resolving or closing an incident releases what held it: a running hold (its minutes join the
 * paused total, so a reopened incident's SLA clock runs again) and an open escalation (so nobody
 * is asked to chase a provider about a fixed fault, and it can be escalated again if reopened).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unansweredEscalations } from '../../../src/db/queries/escalations';
import { loadSchoolClock } from '../../../src/db/queries/schools';
import { escalations, incidents } from '../../../src/db/schema';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { escalateIncident } from '../../../src/domain/incidents/escalate-incident';
import { holdIncident, resumeIncident } from '../../../src/domain/incidents/hold-incident';
import { handBackIncident } from '../../../src/domain/incidents/provider-update';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { reportStillBroken } from '../../../src/domain/incidents/reporter-response';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { slaStatus } from '../../../src/domain/incidents/sla';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
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

const HOUR = 60 * 60_000;

function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

async function setUp() {
  const school = await makeSchool(tdb.db);
  const teacher = await school.person('teacher', 'Ms Patel');
  const tech = await school.person('technician', 'Sam Tech');
  const office = await school.person('office', 'Mrs Office');
  const { incident } = must(
    await reportFault(teacher, { summary: 'Projector has no signal', urgency: 'today' }),
  );
  const provider = must(
    await addProvider(office, {
      name: 'County ICT',
      level: 'second',
      contactName: 'Jo',
      email: 'helpdesk@county.example',
      phone: '',
      chatChannel: '',
      notes: '',
    }),
  );
  const row = async () => (await tdb.db.select().from(incidents).where(eq(incidents.id, incident.id)))[0];
  return { school, teacher, tech, office, incident, provider, row };
}

describe('resolving an escalated incident', () => {
  it('closes the escalation, so it is not chased and can be escalated again after a reopen', async () => {
    const { school, teacher, tech, office, incident, provider, row } = await setUp();
    must(await claimIncident(tech, { incidentId: incident.id }));
    must(
      await escalateIncident(office, { incidentId: incident.id, providerId: provider.id, note: 'No signal' }),
    );
    school.clock.advance(HOUR);
    const resolved = must(
      await resolveIncident(tech, { incidentId: incident.id, resolution: 'County replaced the lamp' }),
    );
    expect(resolved.event?.data.escalationsClosed).toHaveLength(1);
    const [escalation] = await tdb.db
      .select()
      .from(escalations)
      .where(eq(escalations.incidentId, incident.id));
    expect(escalation?.returnedAt).toEqual(school.clock.now());
    expect(await unansweredEscalations(tdb.db, school.schoolId)).toHaveLength(0);

    must(await reportStillBroken(teacher, { incidentId: incident.id }));
    must(await claimIncident(tech, { incidentId: incident.id }));
    const again = must(
      await escalateIncident(office, {
        incidentId: incident.id,
        providerId: provider.id,
        note: 'Still no signal',
      }),
    );
    expect(again.event?.kind).toBe('escalated');
    expect((await row())?.status).toBe('escalated');
    expect(
      await tdb.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)),
    ).toHaveLength(2);
    must(await handBackIncident(office, { incidentId: incident.id }));
    expect((await row())?.status).toBe('in_progress');
  });

  it('closes the escalation when the incident is closed without a fix', async () => {
    const { tech, office, incident, provider } = await setUp();
    must(await claimIncident(tech, { incidentId: incident.id }));
    must(
      await escalateIncident(office, { incidentId: incident.id, providerId: provider.id, note: 'No signal' }),
    );
    must(
      await closeIncident(office, { incidentId: incident.id, note: 'Projector replaced by a new display' }),
    );
    const [escalation] = await tdb.db
      .select()
      .from(escalations)
      .where(eq(escalations.incidentId, incident.id));
    expect(escalation?.returnedAt).not.toBeNull();
  });
});

describe('resolving an incident on hold', () => {
  it('ends the hold: the held minutes are kept and a reopened incident’s clock runs again', async () => {
    const { school, teacher, tech, incident, row } = await setUp();
    must(await claimIncident(tech, { incidentId: incident.id }));
    must(await holdIncident(tech, { incidentId: incident.id, reason: 'parts' }));
    school.clock.advance(HOUR);
    const resolved = must(
      await resolveIncident(tech, { incidentId: incident.id, resolution: 'Fitted the part' }),
    );
    expect(resolved.incident).toMatchObject({ onHoldSince: null, holdReason: null, slaPausedMinutes: 60 });
    expect(resolved.event?.data.pausedMinutes).toBe(60);

    must(await reportStillBroken(teacher, { incidentId: incident.id }));
    must(await claimIncident(tech, { incidentId: incident.id }));
    const clock = present(await loadSchoolClock(tdb.db, school.schoolId));
    const before = slaStatus(
      clock.calendar,
      present(await row()),
      clock.sla,
      'resolution',
      school.clock.now(),
    );
    school.clock.advance(HOUR);
    const after = slaStatus(
      clock.calendar,
      present(await row()),
      clock.sla,
      'resolution',
      school.clock.now(),
    );
    expect(after.paused).toBe(false);
    expect(before.remainingMinutes).not.toBeNull();
    // An hour of school time later there is an hour less left.
    expect(after.remainingMinutes).toBe((before.remainingMinutes ?? 0) - 60);

    // A second hold adds to the first instead of losing it.
    must(await holdIncident(tech, { incidentId: incident.id, reason: 'user' }));
    school.clock.advance(30 * 60_000);
    const resumed = must(await resumeIncident(tech, { incidentId: incident.id }));
    expect(resumed.incident.slaPausedMinutes).toBe(90);
  });
});

describe('a hold ending part-way through a minute', () => {
  it('counts whole school minutes, whether it ends by resolving or by resuming', async () => {
    const { school, tech, incident } = await setUp();
    must(await claimIncident(tech, { incidentId: incident.id }));
    must(await holdIncident(tech, { incidentId: incident.id, reason: 'parts' }));
    school.clock.advance(HOUR + 30_500);
    const resumed = must(await resumeIncident(tech, { incidentId: incident.id }));
    expect(resumed.incident.slaPausedMinutes).toBe(61);
    must(await holdIncident(tech, { incidentId: incident.id, reason: 'parts' }));
    school.clock.advance(20_000);
    const resolved = must(
      await resolveIncident(tech, { incidentId: incident.id, resolution: 'Fitted the part' }),
    );
    expect(resolved.incident.slaPausedMinutes).toBe(61);
  });
});

describe('a hold while with a provider', () => {
  it('moves the provider’s answer time back by the school minutes held', async () => {
    const { school, tech, office, incident, provider } = await setUp();
    must(
      await addContract(office, {
        providerId: provider.id,
        title: 'Support',
        service: '',
        startDate: '2026-04-01',
        endDate: '2027-03-31',
        noticeDays: 30,
        autoRenews: false,
        valuePence: null,
        responseTargetHours: 4,
        notes: '',
      }),
    );
    must(await claimIncident(tech, { incidentId: incident.id }));
    const escalated = must(
      await escalateIncident(office, { incidentId: incident.id, providerId: provider.id, note: 'No signal' }),
    );
    // Escalated Monday 09:15 with a 4-hour target: the answer is due at 13:15.
    expect(escalated.escalation.respondBy).toEqual(new Date('2026-11-30T13:15:00Z'));
    must(await holdIncident(tech, { incidentId: incident.id, reason: 'user' }));
    school.clock.advance(2 * HOUR);
    const resumed = must(await resumeIncident(tech, { incidentId: incident.id }));
    expect(resumed.incident.status).toBe('escalated');
    const [row] = await tdb.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
    expect(row?.respondBy).toEqual(new Date('2026-11-30T15:15:00Z'));
  });
});
