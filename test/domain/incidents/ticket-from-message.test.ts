/** A ticket from any message, in the domain: once a message, the author reports, the reactor is recorded. */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentEvents, incidents, outbox } from '../../../src/db/schema';
import { addFaultDetails, faultForDetails } from '../../../src/domain/incidents/add-fault-details';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault, SUMMARY_MAX } from '../../../src/domain/incidents/report-fault';
import {
  descriptionOf,
  emojiName,
  isTicketEmoji,
  isTicketReaction,
  summaryOf,
  TICKET_URGENCY,
  ticketFromMessage,
  WORDLESS_SUMMARY,
} from '../../../src/domain/incidents/ticket-from-message';
import { updateSchoolSettings } from '../../../src/domain/schools/settings';
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

const MESSAGE = { channel: 'C0STAFF001', ts: '1764494000.000200' };
const TEXT = 'Projector in Room 4 shows No signal\nTried the other cable, same thing.';

async function outboxOf(schoolId: string) {
  const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId)).orderBy(outbox.id);
  return rows.map((r) => r.message);
}

async function school3() {
  const school = await makeSchool(tdb.db);
  return {
    school,
    teacher: await school.person('teacher', 'Ms Patel'),
    office: await school.person('office', 'Mrs Office'),
    tech: await school.person('technician', 'Sam Tech'),
  };
}

describe('ticketFromMessage', () => {
  it('makes the message an incident: its author reports it, the reactor is recorded, the message is marked', async () => {
    const { school, teacher, office } = await school3();
    const made = must(
      await ticketFromMessage(office, { ...MESSAGE, text: TEXT, authorId: teacher.actor.personId }),
    );
    expect(made.reference).toBe('INC-1');
    expect(made.duplicate).toBe(false);
    expect(made.incident).toMatchObject({
      summary: 'Projector in Room 4 shows No signal',
      description: TEXT,
      reporterId: teacher.actor.personId,
      reactedById: office.actor.personId,
      sourceChannel: MESSAGE.channel,
      sourceTs: MESSAGE.ts,
      urgency: TICKET_URGENCY,
      impact: 'room',
      priority: 'P3',
      status: 'new',
    });
    // The card, the reporter's message (not the reactor's), and the mark on the message.
    expect(await outboxOf(school.schoolId)).toEqual([
      { type: 'incident.card', incidentId: made.incident.id },
      {
        type: 'person.notify',
        personId: teacher.actor.personId,
        incidentId: made.incident.id,
        event: 'reported',
      },
      { type: 'incident.source', incidentId: made.incident.id },
    ]);
    // Who did it: the reactor, in the history.
    const [event] = await tdb.db
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, made.incident.id));
    expect(event).toMatchObject({
      kind: 'reported',
      actorId: office.actor.personId,
      data: { fromMessage: MESSAGE },
    });
  });

  it('makes one incident a message, whoever reacts again and whenever', async () => {
    const { school, teacher, office, tech } = await school3();
    const first = must(
      await ticketFromMessage(office, { ...MESSAGE, text: TEXT, authorId: teacher.actor.personId }),
    );
    const queued = (await outboxOf(school.schoolId)).length;
    school.clock.set('2026-12-02T10:00:00Z');
    for (const again of [office, tech, teacher]) {
      const repeat = must(
        await ticketFromMessage(again, {
          ...MESSAGE,
          text: 'edited since',
          authorId: teacher.actor.personId,
        }),
      );
      expect(repeat).toMatchObject({ duplicate: true, reference: 'INC-1' });
      expect(repeat.incident.id).toBe(first.incident.id);
    }
    // Nothing changed: no incident, no number used, no message queued.
    const rows = await tdb.db.select().from(incidents).where(eq(incidents.schoolId, school.schoolId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ summary: first.incident.summary, reactedById: office.actor.personId });
    expect(await outboxOf(school.schoolId)).toHaveLength(queued);
    const next = must(await reportFault(teacher, { summary: 'Printer jammed', urgency: 'today' }));
    expect(next.reference).toBe('INC-2');
    // A reply in a thread is a message of its own.
    const reply = must(
      await ticketFromMessage(office, {
        channel: MESSAGE.channel,
        ts: '1764494100.000300',
        threadTs: MESSAGE.ts,
        text: 'And the speakers',
        authorId: tech.actor.personId,
      }),
    );
    expect(reply.reference).toBe('INC-3');
    expect((await outboxOf(school.schoolId)).at(-1)).toEqual({
      type: 'incident.source',
      incidentId: reply.incident.id,
      threadTs: MESSAGE.ts,
    });
  });

  it('the same message ts in another channel, or another school, is another message', async () => {
    const { teacher, office } = await school3();
    const other = await school3();
    must(await ticketFromMessage(office, { ...MESSAGE, text: TEXT, authorId: teacher.actor.personId }));
    const elsewhere = must(
      await ticketFromMessage(office, { ...MESSAGE, channel: 'C0OTHER001', text: TEXT }),
    );
    expect(elsewhere.duplicate).toBe(false);
    const theirs = must(await ticketFromMessage(other.office, { ...MESSAGE, text: TEXT }));
    expect(theirs).toMatchObject({ duplicate: false, reference: 'INC-1' });
  });

  it('with no author of the school (an app’s message), the reactor reports it', async () => {
    const { office } = await school3();
    const made = must(await ticketFromMessage(office, { ...MESSAGE, text: 'Backup job failed on SRV-01' }));
    expect(made.incident).toMatchObject({
      reporterId: office.actor.personId,
      reactedById: office.actor.personId,
      description: '',
    });
  });

  it('refuses an author of another school, and writes nothing', async () => {
    const { school, office } = await school3();
    const stranger = await (await makeSchool(tdb.db)).person('teacher', 'Elsewhere');
    const refused = await ticketFromMessage(office, {
      ...MESSAGE,
      text: TEXT,
      authorId: stranger.actor.personId,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PERSON.NOT_FOUND' } });
    expect(await tdb.db.select().from(incidents).where(eq(incidents.schoolId, school.schoolId))).toEqual([]);
    expect(await outboxOf(school.schoolId)).toEqual([]);
  });

  describe.skipIf(!onPostgres)('on a real Postgres', () => {
    it('ten people reacting at once make one incident', async () => {
      const { school, teacher } = await school3();
      const reactors = await Promise.all(
        Array.from({ length: 10 }, (_, i) => school.person('teacher', `Reactor ${i}`)),
      );
      const results = await Promise.all(
        reactors.map((r) =>
          ticketFromMessage(r, { ...MESSAGE, text: TEXT, authorId: teacher.actor.personId }),
        ),
      );
      expect(results.filter((r) => r.ok && !r.value.duplicate)).toHaveLength(1);
      expect(results.every((r) => r.ok && r.value.reference === 'INC-1')).toBe(true);
      expect(
        await tdb.db.select().from(incidents).where(eq(incidents.schoolId, school.schoolId)),
      ).toHaveLength(1);
    });
  });
});

describe('what a ticket says', () => {
  it('the summary is the first line with words, on one line, cut to the limit', () => {
    expect(summaryOf('\n\n  Wifi   down in\tthe hall  \nsince 9')).toBe('Wifi down in the hall');
    const long = `${'x'.repeat(SUMMARY_MAX + 20)}\nmore`;
    expect(summaryOf(long)).toHaveLength(SUMMARY_MAX);
    expect(summaryOf(long).endsWith('…')).toBe(true);
    expect(summaryOf('')).toBe(WORDLESS_SUMMARY);
    expect(summaryOf(':(')).toBe(WORDLESS_SUMMARY);
  });

  it('the details are the whole message, cut (and saying so) past the limit', () => {
    expect(descriptionOf('a\r\nb\u0000c')).toBe('a\nbc');
    const cut = descriptionOf('y'.repeat(5000));
    expect(cut).toHaveLength(3000);
    expect(cut.endsWith('(cut: the whole message is in the chat)')).toBe(true);
  });

  it('emoji names: with or without colons, any skin tone, any case', () => {
    expect(emojiName(':ticket:')).toBe('ticket');
    expect(emojiName(' Raised_Hand::skin-tone-3 ')).toBe('raised_hand');
    expect(isTicketEmoji('ticket', 'ticket')).toBe(true);
    expect(isTicketEmoji('ticket', 'tickets')).toBe(false);
    expect(isTicketEmoji('raised_hand', 'raised_hand::skin-tone-2')).toBe(true);
  });
});

describe('the ticket emoji in the settings', () => {
  it('is 🎫 until an admin names another, checked as Slack writes emoji names', async () => {
    const school = await makeSchool(tdb.db);
    const admin = await school.person('admin');
    expect(await isTicketReaction(tdb.db, school.teamId, 'ticket')).toBe(true);
    expect(await isTicketReaction(tdb.db, 'T0NEVERMET', 'ticket')).toBe(true);
    for (const bad of ['', 'two words', 'café', 'Tick!t', ':a:b:']) {
      const refused = await updateSchoolSettings(admin, { ticketEmoji: bad });
      expect(refused.ok).toBe(false);
      expect(!refused.ok && refused.error.fields?.ticketEmoji).toBeTruthy();
    }
    const saved = must(await updateSchoolSettings(admin, { ticketEmoji: ' :Sos: ' }));
    expect(saved.settings.ticketEmoji).toBe('sos');
    expect(saved.changes).toEqual({ ticketEmoji: { from: 'ticket', to: 'sos' } });
    expect(await isTicketReaction(tdb.db, school.teamId, 'ticket')).toBe(false);
    expect(await isTicketReaction(tdb.db, school.teamId, 'sos')).toBe(true);
    for (const good of ['+1', 'heavy-plus', 'raised_hand']) {
      expect(must(await updateSchoolSettings(admin, { ticketEmoji: `:${good}:` })).settings.ticketEmoji).toBe(
        good,
      );
    }
    // Left out, it is kept.
    expect(
      must(await updateSchoolSettings(admin, { dayStart: '08:30', dayEnd: '16:00' })).settings.ticketEmoji,
    ).toBe('raised_hand');
  });
});

describe('addFaultDetails', () => {
  it('the reporter fills in their ticket: the same incident, its priority and targets with it, once', async () => {
    const { school, teacher, office } = await school3();
    const suite = await school.locationId('ICT suite');
    const { incident } = must(
      await ticketFromMessage(office, { ...MESSAGE, text: TEXT, authorId: teacher.actor.personId }),
    );
    expect(must(await faultForDetails(teacher, incident.id)).summary).toBe(incident.summary);
    const input = {
      incidentId: incident.id,
      summary: 'Projector dead in the ICT suite',
      description: 'No signal from any laptop',
      locationId: suite,
      urgency: 'lesson_stopped' as const,
      submissionKey: 'V0DETAILS1',
    };
    const saved = must(await addFaultDetails(teacher, input));
    expect(saved.incident).toMatchObject({
      id: incident.id,
      summary: 'Projector dead in the ICT suite',
      description: 'No signal from any laptop',
      locationId: suite,
      impact: 'department',
      urgency: 'lesson_stopped',
      priority: 'P1',
      slaRespondMinutes: 30,
      status: 'new',
    });
    expect(saved.event).toMatchObject({
      kind: 'details_added',
      actorId: teacher.actor.personId,
      data: { priority: { from: 'P3', to: 'P1' }, locationName: 'ICT suite', description: true },
    });
    // Submitted again (Slack's retry): nothing more.
    expect(must(await addFaultDetails(teacher, input)).event).toBeNull();
    const details = await tdb.db
      .select()
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, incident.id), eq(incidentEvents.kind, 'details_added')));
    expect(details).toHaveLength(1);
    expect(await tdb.db.select().from(incidents).where(eq(incidents.schoolId, school.schoolId))).toHaveLength(
      1,
    );
  });

  it('is the reporter’s alone, and only until someone picks the fault up', async () => {
    const { teacher, office, tech } = await school3();
    const { incident } = must(
      await ticketFromMessage(office, { ...MESSAGE, text: TEXT, authorId: teacher.actor.personId }),
    );
    const input = { incidentId: incident.id, summary: 'Mine now', urgency: 'today' as const };
    expect(await addFaultDetails(office, input)).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    expect(await faultForDetails(tech, incident.id)).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    must(await claimIncident(tech, { incidentId: incident.id }));
    const late = await addFaultDetails(teacher, input);
    expect(late).toMatchObject({ ok: false, error: { code: 'INCIDENT.ILLEGAL_TRANSITION' } });
    expect(!late.ok && late.error.message).toContain('Add a comment to it instead.');
    expect((await faultForDetails(teacher, incident.id)).ok).toBe(false);
  });

  it('puts a bad field beside it', async () => {
    const { teacher, office } = await school3();
    const { incident } = must(
      await ticketFromMessage(office, { ...MESSAGE, text: TEXT, authorId: teacher.actor.personId }),
    );
    const refused = await addFaultDetails(teacher, {
      incidentId: incident.id,
      summary: 'x',
      urgency: 'soon' as never,
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fields: { summary: expect.any(String), urgency: 'Choose how urgent it is.' },
      },
    });
  });
});
