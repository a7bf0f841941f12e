/**
 * "Already reported": the open incident a report repeats (the same device, else the same kind of
 * device in the same place), "Me too" (following once, never one's own), followers told once when
 * it is fixed, and merging a duplicate (its rules, and what moves).
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentEvents, incidentFollowers, incidents, outbox } from '../../../src/db/schema';
import { loadCardModel, loadNotifyModel } from '../../../src/domain/delivery/read-models';
import { findAlreadyReported, followIncident } from '../../../src/domain/incidents/already-reported';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { mergeIncident } from '../../../src/domain/incidents/merge-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { reportStillBroken } from '../../../src/domain/incidents/reporter-response';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { alreadyReportedWords, timeAgo } from '../../../src/domain/presenters/already-reported';
import { presentIncidentCard } from '../../../src/domain/presenters/incident-card';
import { presentNotice, presentStatusMessage } from '../../../src/domain/presenters/notices';
import { registerAsset } from '../../../src/domain/registers/assets';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { assetInput, makeSchool } from '../../support/factories';
import { must } from '../../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

const MINUTE = 60_000;

async function setUp() {
  const school = await makeSchool(tdb.db);
  const jones = await school.person('teacher', 'Mr Jones');
  const patel = await school.person('teacher', 'Ms Patel');
  const khan = await school.person('teacher', 'Mr Khan');
  const tech = await school.person('technician', 'Sam Tech');
  const office = await school.person('office', 'Mrs Office');
  const library = await school.locationId('Library');
  const hall = await school.locationId('Hall');
  const asset = async (tag: string, type: 'projector' | 'printer', locationId: string) =>
    must(await registerAsset(office, assetInput({ tag, type, make: 'Epson', model: 'EB', locationId })));
  const projector = await asset('PRJ-01', 'projector', library);
  const projector2 = await asset('PRJ-02', 'projector', library);
  const printer = await asset('PRN-01', 'printer', library);
  const hallProjector = await asset('PRJ-09', 'projector', hall);
  const report = async (who: typeof jones, assetId: string, summary = 'Projector shows no signal') =>
    must(await reportFault(who, { summary, urgency: 'today', assetId })).incident;
  const messages = async () =>
    (
      await tdb.db.select().from(outbox).where(eq(outbox.schoolId, school.schoolId)).orderBy(asc(outbox.id))
    ).map((r) => r.message as Record<string, unknown>);
  const events = async (incidentId: string) =>
    tdb.db
      .select()
      .from(incidentEvents)
      .where(and(eq(incidentEvents.schoolId, school.schoolId), eq(incidentEvents.incidentId, incidentId)))
      .orderBy(asc(incidentEvents.id));
  const row = async (id: string) => (await tdb.db.select().from(incidents).where(eq(incidents.id, id)))[0];
  const followers = async (incidentId: string) =>
    (await tdb.db.select().from(incidentFollowers).where(eq(incidentFollowers.incidentId, incidentId))).map(
      (f) => f.personId,
    );
  return {
    school,
    jones,
    patel,
    khan,
    tech,
    office,
    library,
    hall,
    projector,
    projector2,
    printer,
    hallProjector,
    report,
    messages,
    events,
    row,
    followers,
  };
}

describe('the open incident a report repeats', () => {
  it('matches the very device first, else a device of the same type in the same place', async () => {
    const s = await setUp();
    const first = await s.report(s.jones, s.projector.id);
    s.school.clock.advance(40 * MINUTE);
    const byAsset = must(await findAlreadyReported(s.patel, { assetId: s.projector.id }));
    expect(byAsset).toMatchObject({
      incidentId: first.id,
      number: first.number,
      reporter: { name: 'Mr Jones' },
      match: 'asset',
      yours: false,
      assetTag: 'PRJ-01',
      locationName: 'Library',
    });
    if (!byAsset) throw new Error('expected a match');
    const words = alreadyReportedWords(byAsset, s.school.clock.now());
    expect(words.line).toEqual([
      { emoji: ':warning:' },
      ' Already reported as ',
      { bold: [`INC-${first.number}`] },
      ' by ',
      { text: 'Mr Jones', max: 100 },
      ', 40 minutes ago.',
    ]);
    expect(words.meToo).toEqual({ label: 'Me too', incidentId: first.id });

    // Another projector in the same room: the same kind of device there.
    expect(
      must(await findAlreadyReported(s.patel, { assetId: s.projector2.id, locationId: s.library })),
    ).toMatchObject({ incidentId: first.id, match: 'location_type', assetTag: 'PRJ-01' });
    // A printer in the same room, or a projector in another room, is another fault.
    expect(must(await findAlreadyReported(s.patel, { assetId: s.printer.id }))).toBeNull();
    expect(must(await findAlreadyReported(s.patel, { assetId: s.hallProjector.id }))).toBeNull();
    // A place alone says nothing about which fault it is.
    expect(must(await findAlreadyReported(s.patel, { locationId: s.library }))).toBeNull();
    // The reporter is told it is theirs, with no "Me too".
    const own = must(await findAlreadyReported(s.jones, { assetId: s.projector.id }));
    expect(own?.yours).toBe(true);
    expect(alreadyReportedWords(own as NonNullable<typeof own>, s.school.clock.now()).meToo).toBeNull();
  });

  it('prefers the device itself over the same kind nearby, and ignores fixed, closed and merged ones', async () => {
    const s = await setUp();
    const older = await s.report(s.jones, s.projector2.id, 'Projector 2 flickers');
    s.school.clock.advance(5 * MINUTE);
    const exact = await s.report(s.khan, s.projector.id);
    const found = must(await findAlreadyReported(s.patel, { assetId: s.projector.id }));
    expect(found).toMatchObject({ incidentId: exact.id, match: 'asset' });
    must(await resolveIncident(s.tech, { incidentId: exact.id, resolution: 'Cable reseated' }));
    // With the exact one fixed, the older one on the same kind of device there still shows.
    expect(must(await findAlreadyReported(s.patel, { assetId: s.projector.id }))).toMatchObject({
      incidentId: older.id,
      match: 'location_type',
    });
    must(await closeIncident(s.office, { incidentId: older.id, note: 'Not a fault' }));
    expect(must(await findAlreadyReported(s.patel, { assetId: s.projector.id }))).toBeNull();
  });

  it('never sees another school', async () => {
    const s = await setUp();
    await s.report(s.jones, s.projector.id);
    const other = await makeSchool(tdb.db);
    const stranger = await other.person('teacher', 'Ms Elsewhere');
    expect(must(await findAlreadyReported(stranger, { assetId: s.projector.id }))).toBeNull();
    expect(
      await followIncident(stranger, { incidentId: (await s.report(s.khan, s.printer.id)).id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INCIDENT.NOT_FOUND' },
    });
  });

  it('says time ago in words', () => {
    const at = new Date('2026-11-30T09:00:00Z');
    const later = (ms: number) => timeAgo(at, new Date(at.getTime() + ms));
    expect(later(20_000)).toBe('just now');
    expect(later(MINUTE)).toBe('1 minute ago');
    expect(later(40 * MINUTE)).toBe('40 minutes ago');
    expect(later(125 * MINUTE)).toBe('2 hours ago');
    expect(later(3 * 24 * 60 * MINUTE)).toBe('3 days ago');
  });
});

describe('Me too', () => {
  it('follows once, with one event and one card update; never the reporter; only while open', async () => {
    const s = await setUp();
    const incident = await s.report(s.jones, s.projector.id);
    const before = (await s.messages()).length;
    const first = must(await followIncident(s.patel, { incidentId: incident.id }));
    expect(first).toMatchObject({ already: false, reference: `INC-${incident.number}` });
    const again = must(await followIncident(s.patel, { incidentId: incident.id }));
    expect(again.already).toBe(true);
    expect(await s.followers(incident.id)).toEqual([s.patel.actor.personId]);
    expect((await s.events(incident.id)).filter((e) => e.kind === 'followed')).toHaveLength(1);
    expect((await s.messages()).slice(before)).toEqual([
      { type: 'incident.card', incidentId: incident.id },
      expect.objectContaining({ type: 'incident.thread', incidentId: incident.id }),
    ]);
    expect(await followIncident(s.jones, { incidentId: incident.id })).toMatchObject({
      ok: false,
      error: { message: `You reported INC-${incident.number} yourself, so you will hear when it is fixed.` },
    });
    must(await resolveIncident(s.tech, { incidentId: incident.id, resolution: 'Fixed the cable' }));
    expect(await followIncident(s.khan, { incidentId: incident.id })).toMatchObject({
      ok: false,
      error: { code: 'INCIDENT.ILLEGAL_TRANSITION' },
    });
  });

  it('shows who else is affected on the card', async () => {
    const s = await setUp();
    const incident = await s.report(s.jones, s.projector.id);
    must(await followIncident(s.patel, { incidentId: incident.id }));
    must(await followIncident(s.khan, { incidentId: incident.id }));
    const loaded = await loadCardModel(tdb.db, s.school.schoolId, incident.id, s.school.clock.now());
    if (!loaded.found) throw new Error(loaded.missing);
    const card = loaded.model;
    const shown = JSON.stringify(presentIncidentCard(card.incident, card.live));
    expect(shown).toContain('2 others affected: ');
    expect(shown).toContain('"name":"Ms Patel"');
    expect(shown).toContain('"name":"Mr Khan"');
  });
});

describe('followers told when it is fixed', () => {
  it('tells each follower once, however often it is fixed, and not the person who fixed it', async () => {
    const s = await setUp();
    const incident = await s.report(s.jones, s.projector.id);
    must(await followIncident(s.patel, { incidentId: incident.id }));
    must(await followIncident(s.khan, { incidentId: incident.id }));
    must(await followIncident(s.tech, { incidentId: incident.id }));
    must(await claimIncident(s.tech, { incidentId: incident.id }));
    const notices = async () =>
      (await s.messages()).filter((m) => m.type === 'person.notify' && m.event === 'follower_fixed');
    expect(await notices()).toEqual([]);
    must(await resolveIncident(s.tech, { incidentId: incident.id, resolution: 'Replaced the lamp' }));
    const told = await notices();
    expect(told.map((m) => m.personId).sort()).toEqual(
      [s.patel.actor.personId, s.khan.actor.personId].sort(),
    );
    // Still broken, fixed again: nobody hears it twice.
    must(await reportStillBroken(s.jones, { incidentId: incident.id }));
    must(await resolveIncident(s.tech, { incidentId: incident.id, resolution: 'Replaced the bulb' }));
    expect(await notices()).toHaveLength(2);

    // The notice: which fault, by what they chose, never the reporter's own words.
    const model = await loadNotifyModel(tdb.db, s.school.schoolId, {
      type: 'person.notify',
      personId: s.patel.actor.personId,
      incidentId: incident.id,
      event: 'follower_fixed',
    });
    if (!model.found) throw new Error(model.missing);
    expect(model.model.status).toBeUndefined();
    const notice = presentNotice('follower_fixed', model.model.incident);
    expect(notice.text).toEqual([`INC-${incident.number}, the fault you are following, was fixed`]);
    expect(JSON.stringify(notice)).toContain('PRJ-01 in Library');
    expect(JSON.stringify(notice)).not.toContain('no signal');
    expect(notice.actions).toEqual([]);
  });
});

describe('followers told when it is closed without a fix', () => {
  it('tells them once that it was closed, and nothing more when a fixed one is closed', async () => {
    const s = await setUp();
    const notFixed = await s.report(s.jones, s.projector.id);
    must(await followIncident(s.patel, { incidentId: notFixed.id }));
    must(
      await closeIncident(s.office, {
        incidentId: notFixed.id,
        note: 'Not an ICT fault: the bulb is the site team’s',
      }),
    );
    const told = (await s.messages()).filter(
      (m) => m.type === 'person.notify' && m.personId === s.patel.actor.personId,
    );
    expect(told).toEqual([expect.objectContaining({ incidentId: notFixed.id, event: 'follower_closed' })]);
    const model = await loadNotifyModel(tdb.db, s.school.schoolId, {
      type: 'person.notify',
      personId: s.patel.actor.personId,
      incidentId: notFixed.id,
      event: 'follower_closed',
    });
    if (!model.found) throw new Error(model.missing);
    expect(presentNotice('follower_closed', model.model.incident).text).toEqual([
      `INC-${notFixed.number}, the fault you are following, was closed`,
    ]);

    const fixed = await s.report(s.jones, s.printer.id, 'Printer jams');
    must(await followIncident(s.khan, { incidentId: fixed.id }));
    must(await resolveIncident(s.tech, { incidentId: fixed.id, resolution: 'Cleared the jam' }));
    must(await closeIncident(s.office, { incidentId: fixed.id }));
    const khan = (await s.messages()).filter(
      (m) => m.type === 'person.notify' && m.personId === s.khan.actor.personId,
    );
    expect(khan.map((m) => m.event)).toEqual(['follower_fixed']);
  });
});

describe('merging a duplicate', () => {
  it('closes the duplicate, moves its reporter and followers, says so on both, tells its reporter', async () => {
    const s = await setUp();
    const original = await s.report(s.jones, s.projector.id);
    s.school.clock.advance(10 * MINUTE);
    const duplicate = await s.report(s.patel, s.projector2.id, 'No picture on the projector');
    must(await followIncident(s.khan, { incidentId: duplicate.id }));
    const before = (await s.messages()).length;
    const out = must(
      await mergeIncident(s.office, { duplicate: `INC-${duplicate.number}`, into: `inc-${original.number}` }),
    );
    expect(out).toMatchObject({ already: false, moved: 2 });
    const closed = await s.row(duplicate.id);
    expect(closed).toMatchObject({ status: 'closed', mergedIntoId: original.id });
    expect(closed?.closedAt).toEqual(s.school.clock.now());
    expect((await s.followers(original.id)).sort()).toEqual(
      [s.patel.actor.personId, s.khan.actor.personId].sort(),
    );
    expect(await s.followers(duplicate.id)).toEqual([]);
    expect((await s.events(duplicate.id)).at(-1)).toMatchObject({
      kind: 'merged',
      toStatus: 'closed',
      data: { into: `INC-${original.number}` },
    });
    expect((await s.events(original.id)).at(-1)).toMatchObject({
      kind: 'merged_in',
      data: { from: `INC-${duplicate.number}`, followersAdded: 2 },
    });
    const sent = (await s.messages()).slice(before);
    expect(sent).toEqual([
      { type: 'incident.card', incidentId: duplicate.id },
      expect.objectContaining({ type: 'incident.thread', incidentId: duplicate.id }),
      { type: 'incident.card', incidentId: original.id },
      expect.objectContaining({ type: 'incident.thread', incidentId: original.id }),
      expect.objectContaining({
        type: 'person.notify',
        personId: s.patel.actor.personId,
        incidentId: duplicate.id,
        event: 'merged',
      }),
    ]);

    // Both cards say so.
    const cardOf = async (id: string) => {
      const l = await loadCardModel(tdb.db, s.school.schoolId, id, s.school.clock.now());
      if (!l.found) throw new Error(l.missing);
      return JSON.stringify(presentIncidentCard(l.model.incident, l.model.live));
    };
    expect(await cardOf(duplicate.id)).toContain(`" Merged into ",{"bold":["INC-${original.number}"]}`);
    expect(await cardOf(original.id)).toContain(`{"bold":["INC-${duplicate.number}"]}," merged into this"`);
    expect(await cardOf(original.id)).toContain('2 others affected: ');

    // The duplicate's reporter: on their status message, merged, and they will hear when it is fixed.
    const model = await loadNotifyModel(tdb.db, s.school.schoolId, {
      type: 'person.notify',
      personId: s.patel.actor.personId,
      incidentId: duplicate.id,
      event: 'merged',
    });
    if (!model.found) throw new Error(model.missing);
    expect(model.model.status?.alert).toBe(true);
    const status = JSON.stringify(presentStatusMessage(model.model.incident, 'Europe/London'));
    expect(status).toContain(`Merged into `);
    expect(status).toContain(`working on it as INC-${original.number}. I'll message you when it is fixed.`);

    // When the original is fixed, the duplicate's reporter and its follower hear it, once each.
    must(await resolveIncident(s.tech, { incidentId: original.id, resolution: 'New lamp' }));
    const told = (await s.messages()).filter((m) => m.event === 'follower_fixed').map((m) => m.personId);
    expect(told.sort()).toEqual([s.patel.actor.personId, s.khan.actor.personId].sort());

    // Said again: already merged, nothing more.
    const count = (await s.messages()).length;
    expect(
      must(
        await mergeIncident(s.office, {
          duplicate: `INC-${duplicate.number}`,
          into: `INC-${original.number}`,
        }),
      ),
    ).toMatchObject({ already: true });
    expect(await s.messages()).toHaveLength(count);
  });

  it('refuses itself, a closed or fixed target, a chain, a teacher, and another school', async () => {
    const s = await setUp();
    const a = await s.report(s.jones, s.projector.id);
    const b = await s.report(s.patel, s.projector2.id);
    const c = await s.report(s.khan, s.printer.id);
    const ref = (i: { number: number }) => `INC-${i.number}`;
    const refused = async (dup: string, into: string, who = s.office) => {
      const r = await mergeIncident(who, { duplicate: dup, into });
      if (r.ok) throw new Error('expected a refusal');
      return r.error;
    };
    expect((await refused(ref(a), ref(a))).fields?.into).toBe(
      'An incident cannot be merged into itself: name the incident it repeats.',
    );
    expect((await refused(ref(a), ref(b), s.jones)).code).toBe('AUTH.FORBIDDEN');
    expect((await refused(ref(a), 'INC-999')).fields?.into).toBe(
      'INC-999 is not an incident of your school.',
    );
    must(await mergeIncident(s.office, { duplicate: ref(b), into: ref(a) }));
    // The target was itself merged: merge into the one it went to.
    expect((await refused(ref(c), ref(b))).message).toBe(
      `${ref(b)} was itself merged into ${ref(a)}: merge into that one instead.`,
    );
    expect((await refused(ref(b), ref(c))).message).toBe(`${ref(b)} is already merged into ${ref(a)}.`);
    must(await resolveIncident(s.tech, { incidentId: a.id, resolution: 'Fixed' }));
    expect((await refused(ref(c), ref(a))).message).toBe(
      `${ref(a)} is already fixed, waiting for its reporter to confirm: merge into an open incident.`,
    );
    must(await closeIncident(s.office, { incidentId: a.id }));
    expect((await refused(ref(c), ref(a))).message).toBe(`${ref(a)} is closed: merge into an open incident.`);
    // Another school's incident is not found: scoping makes a cross-school merge impossible.
    const other = await makeSchool(tdb.db);
    const theirOffice = await other.person('office', 'Mr Other');
    expect((await refused(ref(c), c.id, theirOffice)).code).toBe('INCIDENT.NOT_FOUND');
    // Even by the incidents' own ids, which a crafted payload could carry.
    const d = await s.report(s.khan, s.hallProjector.id);
    expect((await refused(d.id, c.id, theirOffice)).code).toBe('INCIDENT.NOT_FOUND');
    expect(await s.row(d.id)).toMatchObject({ status: 'new', mergedIntoId: null });
    expect(await s.row(c.id)).toMatchObject({ status: 'new', mergedIntoId: null });
  });

  it('repoints duplicates merged into the duplicate, so no chain is left', async () => {
    const s = await setUp();
    const a = await s.report(s.jones, s.projector.id);
    const b = await s.report(s.patel, s.projector2.id);
    const c = await s.report(s.khan, s.projector2.id);
    must(await mergeIncident(s.office, { duplicate: `INC-${c.number}`, into: `INC-${b.number}` }));
    must(await mergeIncident(s.office, { duplicate: `INC-${b.number}`, into: `INC-${a.number}` }));
    expect((await s.row(c.id))?.mergedIntoId).toBe(a.id);
    expect((await s.followers(a.id)).sort()).toEqual([s.patel.actor.personId, s.khan.actor.personId].sort());
  });
});
