import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../../src/db/schema';
import { loadCardModel, loadNotifyModel, loadThreadModel } from '../../../src/domain/delivery/read-models';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { commentOnIncident } from '../../../src/domain/incidents/comment-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import type { OutboxMessage } from '../../../src/domain/messages';
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

type Notify = Extract<OutboxMessage, { type: 'person.notify' }>;
/** The DM messages the school's commands wrote, oldest first. */
async function notifies(schoolId: string): Promise<Notify[]> {
  const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId)).orderBy(outbox.id);
  return rows.map((r) => r.message).filter((m): m is Notify => m.type === 'person.notify');
}

describe('delivery read models', () => {
  it('loads the card with where it stands now, and says when the incident is gone', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher', 'Ms Patel');
    const { incident } = must(await reportFault(teacher, { summary: 'Projector dead', urgency: 'today' }));
    const now = school.clock.now();
    const card = await loadCardModel(tdb.db, school.schoolId, incident.id, now);
    expect(card.found && card.model.incident).toMatchObject({ id: incident.id, reporterName: 'Ms Patel' });
    expect(card.found && card.model.live).toMatchObject({ now, openEscalation: null });
    // Another school's id finds nothing.
    const other = await makeSchool(tdb.db);
    expect(await loadCardModel(tdb.db, other.schoolId, incident.id, now)).toEqual({
      found: false,
      missing: 'incident not found',
    });
    expect(await loadThreadModel(tdb.db, school.schoolId, incident.id, 999_999_999)).toEqual({
      found: false,
      missing: 'incident or event not found',
    });
  });

  it('tells the reporter why a fault was closed without a fix, but not a staff note closing a fixed one', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const tech = await school.person('technician');
    const office = await school.person('office');

    const dup = must(
      await reportFault(teacher, { summary: 'Wi-Fi down in Room 2', urgency: 'today' }),
    ).incident;
    must(await closeIncident(office, { incidentId: dup.id, note: 'Same as INC-1' }));
    const fixed = must(await reportFault(teacher, { summary: 'Printer jammed', urgency: 'today' })).incident;
    must(await resolveIncident(tech, { incidentId: fixed.id, resolution: 'Cleared the jam' }));
    must(
      await closeIncident(office, { incidentId: fixed.id, note: 'Staff only: the head asked us to stop' }),
    );

    // Closing a fixed fault tells the reporter nothing; a message about it (an older row, or one
    // written for someone else) still quotes only what the reporter may read.
    const told = (await notifies(school.schoolId)).filter((m) => m.event === 'closed');
    expect(told.map((m) => m.incidentId)).toEqual([dup.id]);
    const closed: Notify[] = [
      told[0]!,
      { type: 'person.notify', personId: teacher.actor.personId, incidentId: fixed.id, event: 'closed' },
    ];
    const noteFor = async (m: Notify) => {
      const loaded = await loadNotifyModel(tdb.db, school.schoolId, m);
      if (!loaded.found) throw new Error(loaded.missing);
      return loaded.model.note;
    };
    expect(await noteFor(closed[0]!)).toBe('Same as INC-1');
    expect(await noteFor(closed[1]!)).toBeUndefined();
    // The same event read for a member of staff keeps the note.
    expect(await noteFor({ ...closed[1]!, personId: office.actor.personId })).toBe(
      'Staff only: the head asked us to stop',
    );
  });

  it('quotes the reporter’s own comment, with its link, to the assignee; a staff note is never quoted to the reporter', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const tech = await school.person('technician');
    const { incident } = must(await reportFault(teacher, { summary: 'Laptop cart', urgency: 'today' }));
    must(await claimIncident(tech, { incidentId: incident.id }));
    must(
      await commentOnIncident(teacher, {
        incidentId: incident.id,
        note: 'Still sparking',
        link: 'https://photos.example/1',
      }),
    );
    const staffNote = must(
      await commentOnIncident(tech, { incidentId: incident.id, note: 'Needs the electrician, not us' }),
    );
    const loaded = await loadNotifyModel(tdb.db, school.schoolId, {
      type: 'person.notify',
      personId: tech.actor.personId,
      incidentId: incident.id,
      event: 'commented',
    });
    // No event named: the latest comment, which staff may read.
    expect(loaded.found && loaded.model.note).toBe('Needs the electrician, not us');
    expect(staffNote).toBeTruthy();
    const toReporter = await loadNotifyModel(tdb.db, school.schoolId, {
      type: 'person.notify',
      personId: teacher.actor.personId,
      incidentId: incident.id,
      event: 'commented',
    });
    expect(toReporter.found && toReporter.model.note).toBeUndefined();
    expect(JSON.stringify(toReporter)).not.toContain('electrician');
    // The message the reporter's comment wrote names its event: that comment is quoted, with its
    // link, though a staff note came after it.
    const own = (await notifies(school.schoolId)).filter((m) => m.event === 'commented');
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ personId: tech.actor.personId, eventId: expect.any(Number) });
    const told = await loadNotifyModel(tdb.db, school.schoolId, own[0]!);
    expect(told.found && told.model.note).toBe('Still sparking\nhttps://photos.example/1');
  });
});
