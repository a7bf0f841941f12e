/**
 * Known fixes in the domain: the office's list, add, edit and retire; suggestions matched on the
 * device, then the place with the device's type, then the place, then the words; a deflection
 * counted once per form; a fix saved with a resolve, in its transaction.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mrkdwn } from '../../../src/bot/slack/views/render';
import { incidents, knownFixes, knownFixUses, registerEvents } from '../../../src/db/schema';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { deflectionOfForm, fixedIt } from '../../../src/domain/known-fixes/deflect';
import {
  addKnownFix,
  editKnownFix,
  type KnownFixInput,
  listKnownFixes,
  setKnownFixRetired,
} from '../../../src/domain/known-fixes/known-fixes';
import { suggestKnownFixes, wordsQuery } from '../../../src/domain/known-fixes/suggest';
import { presentServiceReport } from '../../../src/domain/presenters/service-report';
import { registerAsset } from '../../../src/domain/registers/assets';
import { reportCsv } from '../../../src/domain/reports/report-csv';
import { serviceReport } from '../../../src/domain/reports/run-service-report';
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

const fixInput = (over: Partial<KnownFixInput>): KnownFixInput => ({
  title: 'A fix',
  steps: 'Do the thing.',
  keywords: '',
  locationId: null,
  assetType: null,
  assetId: null,
  ...over,
});

async function setUp() {
  const school = await makeSchool(tdb.db);
  const office = await school.person('office', 'Mrs Office');
  const teacher = await school.person('teacher', 'Mr Teacher');
  const tech = await school.person('technician', 'Tom Tech');
  const hall = await school.locationId('Hall');
  const library = await school.locationId('Library');
  const prj7 = must(
    await registerAsset(
      office,
      assetInput({ tag: 'PRJ-7', type: 'projector', make: 'Epson', locationId: hall }),
    ),
  );
  const prj8 = must(
    await registerAsset(
      office,
      assetInput({ tag: 'PRJ-8', type: 'projector', make: 'Epson', locationId: hall }),
    ),
  );
  const lap = must(
    await registerAsset(office, assetInput({ tag: 'LAP-1', type: 'laptop', locationId: hall })),
  );
  return { school, office, teacher, tech, hall, library, prj7, prj8, lap };
}

describe('suggestions', () => {
  it('match the device first, then its type at the place, then the place, then the words', async () => {
    const s = await setUp();
    const add = async (title: string, over: Partial<KnownFixInput>) =>
      must(await addKnownFix(s.office, fixInput({ title, ...over }))).id;
    const words = await add('Projector shows no signal anywhere', { keywords: 'beamer HDMI' });
    const place = await add('Hall wifi drops', { locationId: s.hall });
    const typeHere = await add('Hall projectors: use the wall panel', {
      locationId: s.hall,
      assetType: 'projector',
    });
    const device = await add('PRJ-7 needs its lamp reset', {
      assetId: s.prj7.id,
      locationId: s.hall,
      assetType: 'projector',
    });
    await add('Library printer jams', { locationId: s.library, assetType: 'printer' });

    const forPrj7 = await suggestKnownFixes(s.teacher, {
      assetId: s.prj7.id,
      summary: 'projector no signal',
    });
    expect(forPrj7.map((f) => f.id)).toEqual([device, typeHere, place]);

    // Another projector at the same place: the fixes for projectors there (the other device's
    // fix is for one too), then the place's own.
    const forPrj8 = await suggestKnownFixes(s.teacher, { assetId: s.prj8.id, locationId: s.hall });
    expect(new Set(forPrj8.slice(0, 2).map((f) => f.id))).toEqual(new Set([typeHere, device]));
    expect(forPrj8.at(-1)?.id).toBe(place);

    // A laptop in the Hall: not the projectors' fixes (by place), only the place-wide one.
    const forLaptop = await suggestKnownFixes(s.teacher, { assetId: s.lap.id });
    expect(forLaptop.map((f) => f.id)).toEqual([place]);

    // Words alone: full-text search (english stems: "signals" finds "signal"), ranked.
    const byWords = await suggestKnownFixes(s.teacher, { summary: 'The beamer signals nothing' });
    expect(byWords[0]?.id).toBe(words);
    expect(await suggestKnownFixes(s.teacher, { summary: 'kettle' })).toEqual([]);
    expect(await suggestKnownFixes(s.teacher, {})).toEqual([]);
    // At most three.
    const many = await suggestKnownFixes(s.teacher, {
      locationId: s.hall,
      summary: 'projector signal wifi lamp',
    });
    expect(many).toHaveLength(3);
  });

  it('never suggest a retired fix, nor another school’s', async () => {
    const s = await setUp();
    const other = await setUp();
    const fix = must(
      await addKnownFix(s.office, fixInput({ title: 'Projector no signal', locationId: s.hall })),
    );
    must(await addKnownFix(other.office, fixInput({ title: 'Projector no signal: theirs' })));
    expect((await suggestKnownFixes(s.teacher, { summary: 'projector signal' })).map((f) => f.title)).toEqual(
      ['Projector no signal'],
    );
    // Another school's place or device id matches nothing here.
    expect(await suggestKnownFixes(other.teacher, { locationId: s.hall })).toEqual([]);
    expect(await suggestKnownFixes(other.teacher, { assetId: s.prj7.id })).toEqual([]);
    must(await setKnownFixRetired(s.office, { fixId: fix.id, retired: true }));
    expect(await suggestKnownFixes(s.teacher, { summary: 'projector signal', locationId: s.hall })).toEqual(
      [],
    );
    must(await setKnownFixRetired(s.office, { fixId: fix.id, retired: false }));
    expect(await suggestKnownFixes(s.teacher, { locationId: s.hall })).toHaveLength(1);
  });

  it('read only letters and digits of the summary, as any of its words', () => {
    expect(wordsQuery('Projector "no signal" -HDMI or: beamer!')).toBe(
      'projector or no or signal or hdmi or beamer',
    );
    expect(wordsQuery('  ')).toBeNull();
    expect(wordsQuery(undefined)).toBeNull();
  });
});

describe('That fixed it', () => {
  it('counts a deflection once per form, and that form then reports nothing', async () => {
    const s = await setUp();
    const fix = must(await addKnownFix(s.office, fixInput({ title: 'Restart the projector' })));
    const first = must(await fixedIt(s.teacher, { fixId: fix.id, formKey: 'V0FORM1' }));
    expect(first).toEqual({ title: 'Restart the projector', counted: true });
    expect(must(await fixedIt(s.teacher, { fixId: fix.id, formKey: 'V0FORM1' }))).toEqual({
      title: 'Restart the projector',
      counted: false,
    });
    const uses = await tdb.db.select().from(knownFixUses).where(eq(knownFixUses.fixId, fix.id));
    expect(uses).toHaveLength(1);
    expect(uses[0]).toMatchObject({ kind: 'deflected', key: 'V0FORM1', personId: s.teacher.actor.personId });
    expect(await deflectionOfForm(s.teacher, 'V0FORM1')).toBe('Restart the projector');
    expect(await deflectionOfForm(s.teacher, 'V0FORM2')).toBeUndefined();
  });

  it('is refused on a form that already reported its fault, and for another school’s fix', async () => {
    const s = await setUp();
    const other = await setUp();
    const fix = must(await addKnownFix(s.office, fixInput({ title: 'Restart it' })));
    must(await reportFault(s.teacher, { summary: 'Broken', urgency: 'today', submissionKey: 'V0DONE' }));
    const late = await fixedIt(s.teacher, { fixId: fix.id, formKey: 'V0DONE' });
    expect(late).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('already reported as INC-1') },
    });
    const crafted = await fixedIt(other.teacher, { fixId: fix.id, formKey: 'V0X' });
    expect(crafted.ok).toBe(false);
    expect(await tdb.db.select().from(knownFixUses).where(eq(knownFixUses.fixId, fix.id))).toHaveLength(0);
  });
});

describe('the office’s fixes', () => {
  it('adds, edits and retires, audited; only the office; uses counted, retired ones too', async () => {
    const s = await setUp();
    const refused = await addKnownFix(s.tech, fixInput({}));
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
    const bad = await addKnownFix(s.office, fixInput({ title: 'x', steps: '' }));
    expect(bad).toMatchObject({
      ok: false,
      error: { fields: { title: 'Say in a few words what it fixes.', steps: 'The steps is needed.' } },
    });
    const other = await setUp();
    const foreign = await addKnownFix(s.office, fixInput({ locationId: other.hall }));
    expect(foreign).toMatchObject({
      ok: false,
      error: { fields: { locationId: 'Choose a location from the list.' } },
    });

    const fix = must(await addKnownFix(s.office, fixInput({ title: 'Old title' })));
    const edited = must(
      await editKnownFix(s.office, { ...fixInput({ title: 'New title', keywords: 'a  b' }), fixId: fix.id }),
    );
    expect(edited).toMatchObject({ title: 'New title', keywords: 'a b' });
    expect(await editKnownFix(other.office, { ...fixInput({}), fixId: fix.id })).toMatchObject({
      ok: false,
      error: { code: 'REGISTER.NOT_FOUND' },
    });
    must(await fixedIt(s.teacher, { fixId: fix.id, formKey: 'V0USE1' }));
    must(await setKnownFixRetired(s.office, { fixId: fix.id, retired: true }));
    must(await setKnownFixRetired(s.office, { fixId: fix.id, retired: true }));
    const list = must(await listKnownFixes(s.tech));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ title: 'New title', uses: 1, deflections: 1 });
    expect(list[0]?.retiredAt).not.toBeNull();
    expect(await listKnownFixes(s.teacher)).toMatchObject({ ok: false });
    const events = await tdb.db
      .select()
      .from(registerEvents)
      .where(
        and(
          eq(registerEvents.schoolId, s.school.schoolId),
          eq(registerEvents.subject, `known_fix:${fix.id}`),
        ),
      );
    // Added, edited, retired (the second retire changed nothing).
    expect(events.map((e) => e.kind)).toEqual(['known_fix.added', 'known_fix.edited', 'known_fix.retired']);
  });
});

describe('saving a fix when resolving', () => {
  it('saves it with the incident’s defaults and a resolved use, in the resolve’s transaction', async () => {
    const s = await setUp();
    const reported = must(
      await reportFault(s.teacher, { summary: 'Projector flickers', assetId: s.prj7.id, urgency: 'today' }),
    );
    must(await claimIncident(s.tech, { incidentId: reported.incident.id }));
    // A bad key-words field refuses the resolve too: nothing half-done.
    const refused = await resolveIncident(s.tech, {
      incidentId: reported.incident.id,
      resolution: 'Reseated the HDMI cable.',
      knownFix: { keywords: 'x'.repeat(301) },
    });
    expect(refused).toMatchObject({ ok: false, error: { fields: { fixKeywords: expect.any(String) } } });
    const noise = must(await reportFault(s.teacher, { summary: 'Odd noise', urgency: 'today' })).incident.id;
    const wrongScope = await resolveIncident(s.tech, {
      incidentId: noise,
      resolution: 'Fixed.',
      knownFix: { scope: 'asset' },
    });
    expect(wrongScope).toMatchObject({ ok: false, error: { fields: { fixScope: expect.any(String) } } });
    // Refused with the fix, the resolve is not kept either: one transaction.
    const [stillOpen] = await tdb.db.select().from(incidents).where(eq(incidents.id, noise));
    expect(stillOpen).toMatchObject({ status: 'new', resolution: null });

    const resolved = must(
      await resolveIncident(s.tech, {
        incidentId: reported.incident.id,
        resolution: 'Reseated the HDMI cable.',
        knownFix: { keywords: 'flicker flashing' },
      }),
    );
    expect(resolved.incident.status).toBe('resolved');
    const [fix] = await tdb.db
      .select()
      .from(knownFixes)
      .where(eq(knownFixes.incidentId, reported.incident.id));
    expect(fix).toMatchObject({
      title: 'Projector flickers',
      steps: 'Reseated the HDMI cable.',
      keywords: 'flicker flashing',
      assetId: s.prj7.id,
      assetType: 'projector',
      locationId: s.hall,
      createdById: s.tech.actor.personId,
    });
    const uses = await tdb.db.select().from(knownFixUses).where(eq(knownFixUses.fixId, fix!.id));
    expect(uses).toMatchObject([{ kind: 'resolved', incidentId: reported.incident.id }]);
    // Resolving again is refused by the state machine: no second fix.
    const again = await resolveIncident(s.tech, {
      incidentId: reported.incident.id,
      resolution: 'Reseated the HDMI cable.',
      knownFix: {},
    });
    expect(again.ok).toBe(false);
    expect(
      await tdb.db.select().from(knownFixes).where(eq(knownFixes.incidentId, reported.incident.id)),
    ).toHaveLength(1);
    // It is suggested for the next fault on that projector.
    expect((await suggestKnownFixes(s.teacher, { assetId: s.prj7.id }))[0]?.id).toBe(fix!.id);
    const [row] = await tdb.db.select().from(incidents).where(eq(incidents.id, reported.incident.id));
    expect(row?.resolution).toBe('Reseated the HDMI cable.');
  });

  it('scopes a fix to the words alone when asked, and uses typed title and steps', async () => {
    const s = await setUp();
    const reported = must(
      await reportFault(s.teacher, { summary: 'Wifi slow', locationId: s.hall, urgency: 'today' }),
    );
    must(
      await resolveIncident(s.tech, {
        incidentId: reported.incident.id,
        resolution: 'Restarted the access point.',
        knownFix: { title: 'Slow wifi', steps: 'Turn wifi off and on again.', scope: 'words' },
      }),
    );
    const [fix] = await tdb.db
      .select()
      .from(knownFixes)
      .where(eq(knownFixes.incidentId, reported.incident.id));
    expect(fix).toMatchObject({
      title: 'Slow wifi',
      steps: 'Turn wifi off and on again.',
      locationId: null,
      assetId: null,
    });
  });
});

describe('the service report', () => {
  it('shows deflections and the most-used fixes of the period, retired ones too, on screen and in the CSV', async () => {
    const s = await setUp();
    const a = must(await addKnownFix(s.office, fixInput({ title: 'Restart the projector' })));
    const b = must(await addKnownFix(s.office, fixInput({ title: 'Reseat the cable' })));
    must(await fixedIt(s.teacher, { fixId: a.id, formKey: 'V0R1' }));
    must(await fixedIt(s.teacher, { fixId: a.id, formKey: 'V0R2' }));
    must(await fixedIt(s.teacher, { fixId: b.id, formKey: 'V0R3' }));
    must(await setKnownFixRetired(s.office, { fixId: a.id, retired: true }));
    const reported = must(await reportFault(s.teacher, { summary: 'Cable loose', urgency: 'today' }));
    must(
      await resolveIncident(s.tech, {
        incidentId: reported.incident.id,
        resolution: 'Reseated it.',
        knownFix: { title: 'Cable loose' },
      }),
    );
    // Another school's uses are not counted.
    const other = await setUp();
    const theirs = must(await addKnownFix(other.office, fixInput({ title: 'Theirs' })));
    must(await fixedIt(other.teacher, { fixId: theirs.id, formKey: 'V0R1' }));

    const report = must(await serviceReport(s.office, { period: 'week' }));
    expect(report.knownFixes).toEqual({
      deflections: 3,
      top: [
        { title: 'Restart the projector', uses: 2, deflections: 2, retired: true },
        { title: 'Cable loose', uses: 1, deflections: 0, retired: false },
        { title: 'Reseat the cable', uses: 1, deflections: 1, retired: false },
      ],
    });
    const lines = presentServiceReport(report).sections.flatMap((x) => (x.kind === 'lines' ? x.lines : []));
    const said = lines.map((l) => mrkdwn(l)).join('\n');
    expect(said).toContain('*Known fixes*\nSettled by a known fix (nothing reported): *3*\nMost-used fixes:');
    expect(said).toContain('• *Restart the projector*: 2 uses (2 with nothing reported) _retired_');
    expect(said).toContain('• *Cable loose*: 1 use');
    const csv = reportCsv(report);
    expect(csv).toContain('Known fixes,All,Faults settled with nothing reported,3,');
    expect(csv).toContain('Known fixes,Restart the projector (retired),Uses,2,');
    // A period with no uses shows no known-fix section.
    const before = must(await serviceReport(s.office, { period: '2026-09-01..2026-09-30' }));
    expect(before.knownFixes).toEqual({ deflections: 0, top: [] });
    expect(mrkdwn(presentServiceReport(before).text)).not.toContain('Known fixes');
  });
});
