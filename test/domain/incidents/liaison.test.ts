import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unansweredEscalations } from '../../../src/db/queries/escalations';
import { contracts, escalations, incidentEvents, incidents, outbox } from '../../../src/db/schema';
import { chaseEscalation } from '../../../src/domain/incidents/chase-escalation';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { commentOnIncident, replyToReporter } from '../../../src/domain/incidents/comment-incident';
import { escalateIncident } from '../../../src/domain/incidents/escalate-incident';
import { forwardIncident } from '../../../src/domain/incidents/forward-incident';
import { holdIncident, resumeIncident } from '../../../src/domain/incidents/hold-incident';
import { handBackIncident, recordProviderUpdate } from '../../../src/domain/incidents/provider-update';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { triageIncident } from '../../../src/domain/incidents/triage-incident';
import { addContract, addProvider } from '../../../src/domain/registers/providers';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool, type TestSchool } from '../../support/factories';
import { must } from '../../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

async function messagesOf(schoolId: string) {
  const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId)).orderBy(outbox.id);
  return rows.map((r) => r.message);
}

async function eventsOf(incidentId: string) {
  return tdb.db
    .select()
    .from(incidentEvents)
    .where(eq(incidentEvents.incidentId, incidentId))
    .orderBy(incidentEvents.id);
}

async function setUp() {
  const school = await makeSchool(tdb.db); // Monday 30 Nov 2026, 09:15 (UK winter time)
  const teacher = await school.person('teacher', 'Ms Patel');
  const tech = await school.person('technician', 'Sam Tech');
  const office = await school.person('office', 'Mrs Office');
  const incident = must(
    await reportFault(teacher, { summary: 'Projector has no signal', urgency: 'today' }),
  ).incident;
  return { school, teacher, tech, office, incident };
}

async function provider(
  school: TestSchool,
  office: Awaited<ReturnType<TestSchool['person']>>,
  level: 'first' | 'second',
  extra: { chatChannel?: string; hours?: number | null } = {},
) {
  const p = must(
    await addProvider(office, {
      name: level === 'first' ? 'Oakwood Technicians' : 'County ICT',
      level,
      contactName: 'Jo Helpdesk',
      email: 'help@county.example',
      phone: '01234 567890',
      chatChannel: extra.chatChannel ?? '',
      notes: '',
    }),
  );
  if (extra.hours !== undefined) {
    must(
      await addContract(office, {
        providerId: p.id,
        title: 'Support',
        service: '',
        startDate: '2026-04-01',
        endDate: '2027-03-31',
        noticeDays: 30,
        autoRenews: false,
        valuePence: null,
        responseTargetHours: extra.hours,
        notes: '',
      }),
    );
  }
  void school;
  return p;
}

describe('commentOnIncident', () => {
  it('the reporter comments with a photo link: recorded without moving it, and whoever has it is told', async () => {
    const { school, teacher, tech, incident } = await setUp();
    must(await claimIncident(tech, { incidentId: incident.id }));
    school.clock.advance(60_000);
    const out = must(
      await commentOnIncident(teacher, {
        incidentId: incident.id,
        note: ' It is flickering now too ',
        link: 'https://photos.example/p/123',
      }),
    );
    expect(out.incident.status).toBe('in_progress');
    expect(out.incident.lastActivityAt).toEqual(school.clock.now());
    expect(out.event).toMatchObject({
      kind: 'comment',
      fromStatus: 'in_progress',
      toStatus: 'in_progress',
      data: { note: 'It is flickering now too', link: 'https://photos.example/p/123', byReporter: true },
    });
    expect((await messagesOf(school.schoolId)).slice(-3)).toEqual([
      { type: 'incident.card', incidentId: incident.id },
      { type: 'incident.thread', incidentId: incident.id, eventId: out.event!.id },
      {
        type: 'person.notify',
        personId: tech.actor.personId,
        incidentId: incident.id,
        event: 'commented',
        eventId: out.event!.id,
      },
    ]);
  });

  it('a staff note goes to the thread only', async () => {
    const { school, tech, incident } = await setUp();
    const out = must(await commentOnIncident(tech, { incidentId: incident.id, note: 'Checked the cable' }));
    expect(out.event?.data).toEqual({ note: 'Checked the cable', byReporter: false });
    expect((await messagesOf(school.schoolId)).slice(-2).map((m) => m.type)).toEqual([
      'incident.card',
      'incident.thread',
    ]);
  });

  it('a reply to the reporter is told to them once per form, and only staff may write one', async () => {
    const { school, teacher, tech, incident } = await setUp();
    const input = {
      incidentId: incident.id,
      note: 'A new lamp comes on Thursday',
      submissionKey: 'V0REPLY0009',
    };
    must(await replyToReporter(tech, input));
    // The same form again (a retry that got past the platform): nothing more is recorded or told.
    expect(must(await replyToReporter(tech, input)).event).toBeNull();
    expect((await eventsOf(incident.id)).filter((e) => e.kind === 'reply')).toHaveLength(1);
    const told = (await messagesOf(school.schoolId)).filter(
      (m) => m.type === 'person.notify' && m.event === 'replied',
    );
    expect(told).toEqual([
      expect.objectContaining({ personId: teacher.actor.personId, incidentId: incident.id }),
    ]);
    expect(await replyToReporter(teacher, { incidentId: incident.id, note: 'Hello' })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
  });

  it('checks the note, the link and who may comment', async () => {
    const { school, teacher, office, incident } = await setUp();
    const other = await school.person('teacher', 'Mr Jones');
    expect(
      await commentOnIncident(teacher, { incidentId: incident.id, note: ' ', link: 'javascript:alert(1)' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Please check the highlighted fields.',
        fields: {
          note: 'Write something to add.',
          link: 'That is not a web link: paste one that starts with https://',
        },
      },
    });
    expect(
      await commentOnIncident(teacher, { incidentId: incident.id, note: 'x'.repeat(3001) }),
    ).toMatchObject({
      ok: false,
      error: { fields: { note: 'Keep it under 3000 characters.' } },
    });
    expect(await commentOnIncident(other, { incidentId: incident.id, note: 'Me too' })).toEqual({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN', message: 'You can only add to faults you reported yourself.' },
    });
    must(await closeIncident(office, { incidentId: incident.id, note: 'Duplicate of INC-9' }));
    const closed = await commentOnIncident(teacher, { incidentId: incident.id, note: 'Still off' });
    expect(closed).toMatchObject({ ok: false, error: { code: 'INCIDENT.ILLEGAL_TRANSITION' } });
    expect((await eventsOf(incident.id)).filter((e) => e.kind === 'comment')).toEqual([]);
  });
});

describe('hold and resume', () => {
  it('pauses the SLA clock for exactly the school minutes held; double clicks change nothing', async () => {
    const { school, tech, incident } = await setUp();
    const held = must(
      await holdIncident(tech, { incidentId: incident.id, reason: 'parts', detail: 'new lamp' }),
    );
    expect(held.incident).toMatchObject({
      status: 'on_hold',
      holdReason: 'Waiting for parts (new lamp)',
      onHoldSince: new Date('2026-11-30T09:15:00Z'),
    });
    expect(must(await holdIncident(tech, { incidentId: incident.id, reason: 'user' })).event).toBeNull();
    // Held over the evening: 09:15–16:00 Monday and 08:00–09:30 Tuesday = 405 + 90 school minutes.
    school.clock.set('2026-12-01T09:30:00Z');
    const resumed = must(await resumeIncident(tech, { incidentId: incident.id }));
    expect(resumed.incident).toMatchObject({
      status: 'in_progress',
      onHoldSince: null,
      holdReason: null,
      slaPausedMinutes: 495,
    });
    expect(resumed.event?.data).toMatchObject({ pausedMinutes: 495 });
    expect(must(await resumeIncident(tech, { incidentId: incident.id })).event).toBeNull();
    const [row] = await tdb.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row?.slaPausedMinutes).toBe(495);
  });

  it('asks what it is waiting for, and refuses a teacher', async () => {
    const { teacher, tech, incident } = await setUp();
    expect(await holdIncident(tech, { incidentId: incident.id, reason: 'other' })).toMatchObject({
      ok: false,
      error: { fields: { detail: 'Say what it is waiting for.' } },
    });
    expect(await holdIncident(teacher, { incidentId: incident.id, reason: 'parts' })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
  });
});

describe('forward, escalate, provider updates, hand-back and chase', () => {
  it('forwards to a first-level provider only', async () => {
    const { school, office, incident } = await setUp();
    const first = await provider(school, office, 'first');
    const second = await provider(school, office, 'second');
    expect(await forwardIncident(office, { incidentId: incident.id })).toMatchObject({
      ok: false,
      error: { fields: { assignee: 'Choose a technician, or a first-level provider below.' } },
    });
    expect(
      await forwardIncident(office, {
        incidentId: incident.id,
        providerId: first.id,
        technician: { slackUserId: 'U0SOMEONE1' },
      }),
    ).toMatchObject({
      ok: false,
      error: { fields: { providerId: 'Choose a technician or a provider, not both.' } },
    });
    expect(await forwardIncident(office, { incidentId: incident.id, providerId: second.id })).toMatchObject({
      ok: false,
      error: { fields: { providerId: 'County ICT is not first-level support: use Escalate for them.' } },
    });
    const out = must(await forwardIncident(office, { incidentId: incident.id, providerId: first.id }));
    expect(out.incident).toMatchObject({ status: 'assigned', providerId: first.id, supportLevel: 'first' });
    expect(out.event).toMatchObject({
      kind: 'forwarded',
      data: { provider: { id: first.id, name: 'Oakwood Technicians' } },
    });
    expect(
      must(await forwardIncident(office, { incidentId: incident.id, providerId: first.id })).event,
    ).toBeNull();
  });

  it('escalates with the contract’s response target in school time, records updates, hands back and chases once per press', async () => {
    const { school, office, tech, teacher, incident } = await setUp();
    const county = await provider(school, office, 'second', { hours: 8 });
    must(
      await triageIncident(office, {
        incidentId: incident.id,
        impact: 'room',
        urgency: 'today',
        category: 'av',
      }),
    );
    expect(
      await escalateIncident(tech, { incidentId: incident.id, providerId: county.id, note: 'Lamp dead' }),
    ).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
    const out = must(
      await escalateIncident(office, {
        incidentId: incident.id,
        providerId: county.id,
        providerRef: 'CAS-1',
        note: 'Lamp replaced, still no picture',
      }),
    );
    expect(out.via).toBe('email');
    expect(out.incident).toMatchObject({
      status: 'escalated',
      providerId: county.id,
      providerRef: 'CAS-1',
      supportLevel: 'second',
    });
    // 8 school hours from Monday 09:15: 6h45 on Monday, then 1h15 on Tuesday.
    expect(out.escalation).toMatchObject({
      providerRef: 'CAS-1',
      note: 'Lamp replaced, still no picture',
      respondBy: new Date('2026-12-01T09:15:00Z'),
      respondedAt: null,
    });
    expect(out.escalation.contractId).not.toBeNull();
    const messages = await messagesOf(school.schoolId);
    expect(messages).toContainEqual({
      type: 'person.notify',
      personId: teacher.actor.personId,
      incidentId: incident.id,
      event: 'escalated',
      eventId: out.event!.id,
    });
    expect(messages.some((m) => m.type === 'provider.escalation')).toBe(false);
    // A double click: still one escalation.
    must(await escalateIncident(office, { incidentId: incident.id, providerId: county.id, note: 'again' }));
    expect(
      await tdb.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)),
    ).toHaveLength(1);

    // Chase: recorded once per occurrence, and the next answer is due a full target from now.
    school.clock.set('2026-12-01T10:00:00Z');
    const chased = must(await chaseEscalation(office, { escalationId: out.escalation.id, chaseCount: 0 }));
    expect(chased.already).toBe(false);
    expect(chased.escalation).toMatchObject({
      chaseCount: 1,
      lastChasedAt: new Date('2026-12-01T10:00:00Z'),
      respondBy: new Date('2026-12-02T10:00:00Z'),
    });
    expect(chased.event).toMatchObject({ kind: 'chased', toStatus: 'escalated' });
    const again = must(await chaseEscalation(office, { escalationId: out.escalation.id, chaseCount: 0 }));
    expect(again).toMatchObject({ already: true, event: null, escalation: { chaseCount: 1 } });

    school.clock.set('2026-12-01T11:00:00Z');
    const update = must(
      await recordProviderUpdate(office, {
        incidentId: incident.id,
        note: 'Engineer booked',
        providerRef: 'CAS-2',
        submissionKey: 'V0UPDATE001',
      }),
    );
    expect(update.incident).toMatchObject({ status: 'escalated', providerRef: 'CAS-2' });
    // Slack retried the same form: recorded once.
    const retried = must(
      await recordProviderUpdate(office, {
        incidentId: incident.id,
        note: 'Engineer booked',
        providerRef: 'CAS-2',
        submissionKey: 'V0UPDATE001',
      }),
    );
    expect(retried.event).toBeNull();
    expect(update.event?.data).toMatchObject({
      note: 'Engineer booked',
      reference: { from: 'CAS-1', to: 'CAS-2' },
    });
    const [afterUpdate] = await tdb.db
      .select()
      .from(escalations)
      .where(eq(escalations.id, out.escalation.id));
    expect(afterUpdate).toMatchObject({
      respondedAt: new Date('2026-12-01T11:00:00Z'),
      providerRef: 'CAS-2',
    });

    const back = must(await handBackIncident(office, { incidentId: incident.id, note: 'New lamp fitted' }));
    expect(back.incident).toMatchObject({ status: 'in_progress', supportLevel: 'first', providerId: null });
    expect(must(await handBackIncident(office, { incidentId: incident.id })).event).toBeNull();
    const [returned] = await tdb.db
      .select()
      .from(escalations)
      .where(and(eq(escalations.id, out.escalation.id)));
    expect(returned?.returnedAt).toEqual(new Date('2026-12-01T11:00:00Z'));
    expect(await recordProviderUpdate(office, { incidentId: incident.id, note: 'late' })).toMatchObject({
      ok: false,
      error: { message: 'This incident is not with a provider.' },
    });
  });

  it('a chase when the contract no longer has a response target: no answer is due, so no more chase reminders', async () => {
    const { school, office, incident } = await setUp();
    const county = await provider(school, office, 'second', { hours: 8 });
    must(
      await triageIncident(office, {
        incidentId: incident.id,
        impact: 'room',
        urgency: 'today',
        category: 'av',
      }),
    );
    const out = must(
      await escalateIncident(office, { incidentId: incident.id, providerId: county.id, note: 'Lamp dead' }),
    );
    expect(out.escalation.respondBy).toEqual(new Date('2026-12-01T09:15:00Z'));
    // The response target is taken off the contract; the answer is now overdue and the SPOC chases.
    await tdb.db
      .update(contracts)
      .set({ responseTargetHours: null })
      .where(eq(contracts.id, out.escalation.contractId!));
    school.clock.set('2026-12-01T10:00:00Z');
    const due = await unansweredEscalations(tdb.db, school.schoolId);
    expect(due.map((e) => e.id)).toEqual([out.escalation.id]);
    const chased = must(await chaseEscalation(office, { escalationId: out.escalation.id, chaseCount: 0 }));
    expect(chased.escalation).toMatchObject({ chaseCount: 1, respondBy: null });
    expect(chased.event?.data).toMatchObject({ respondBy: null });
    // Nothing is due, so the reminder pass has nothing to chase 15 minutes later.
    school.clock.set('2026-12-01T10:15:00Z');
    expect(await unansweredEscalations(tdb.db, school.schoolId)).toEqual([]);
  });

  it('refuses a first-level provider, and escalation of an untriaged incident', async () => {
    const { school, office, incident } = await setUp();
    const first = await provider(school, office, 'first');
    expect(
      await escalateIncident(office, { incidentId: incident.id, providerId: first.id, note: 'Help' }),
    ).toMatchObject({
      ok: false,
      error: {
        fields: { providerId: 'Oakwood Technicians is first-level support: use *Forward* for them.' },
      },
    });
    const second = await provider(school, office, 'second');
    expect(
      await escalateIncident(office, { incidentId: incident.id, providerId: second.id, note: 'Help' }),
    ).toMatchObject({ ok: false, error: { code: 'INCIDENT.ILLEGAL_TRANSITION' } });
    expect(await tdb.db.select().from(escalations).where(eq(escalations.incidentId, incident.id))).toEqual(
      [],
    );
  });

  it('on hold while escalated goes back to the provider on resume', async () => {
    const { school, office, incident } = await setUp();
    const county = await provider(school, office, 'second', { chatChannel: 'C0COUNTY01', hours: null });
    must(
      await triageIncident(office, {
        incidentId: incident.id,
        impact: 'room',
        urgency: 'today',
        category: 'av',
      }),
    );
    const out = must(
      await escalateIncident(office, { incidentId: incident.id, providerId: county.id, note: 'Help' }),
    );
    expect(out.via).toBe('channel');
    expect(out.escalation.respondBy).toBeNull();
    expect(await messagesOf(school.schoolId)).toContainEqual({
      type: 'provider.escalation',
      incidentId: incident.id,
      escalationId: out.escalation.id,
    });
    must(await holdIncident(office, { incidentId: incident.id, reason: 'parts' }));
    const resumed = must(await resumeIncident(office, { incidentId: incident.id }));
    expect(resumed.incident.status).toBe('escalated');
  });
});
