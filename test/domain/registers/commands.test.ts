import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCommandLinePerson } from '../../../src/db/queries/people';
import { assetEvents, registerEvents } from '../../../src/db/schema';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import {
  type AssetInput,
  editAsset,
  getAssetDetail,
  listAssetRegister,
  moveAsset,
  registerAsset,
  setAssetStatus,
} from '../../../src/domain/registers/assets';
import {
  addLicence,
  editLicence,
  type LicenceInput,
  listLicenceRegister,
} from '../../../src/domain/registers/licences';
import { addLocation, setLocationArchived, updateLocation } from '../../../src/domain/registers/locations';
import { setupSchool } from '../../../src/domain/schools/setup-school';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool, T0 } from '../../support/factories';
import { must } from '../../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

const laptop = (over: Partial<AssetInput> = {}): AssetInput => ({
  tag: 'LAP-001',
  type: 'laptop',
  make: 'Dell',
  model: 'Latitude 3440',
  serial: 'SN123',
  locationId: null,
  supplier: 'XMA',
  purchaseDate: '2024-09-01',
  costPence: 54900,
  warrantyEnd: '2027-08-31',
  status: 'in_use',
  notes: '',
  ...over,
});

const licence = (over: Partial<LicenceInput> = {}): LicenceInput => ({
  title: 'Purple Mash',
  publisher: '2Simple',
  type: 'per_user',
  quantity: 30,
  seatsInUse: 31,
  startDate: '2026-09-01',
  expiryDate: '2027-08-31',
  supplier: '2Simple',
  costPence: 99000,
  keyReference: 'Safe, envelope 4',
  notes: '',
  ...over,
});

describe('locations', () => {
  it('adds, renames, nests and archives; names are unique ignoring case and spaces', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const block = must(
      await addLocation(office, { name: ' Science Block ', parentId: null, defaultImpact: null }),
    );
    expect(block.name).toBe('Science Block');
    const lab = must(
      await addLocation(office, { name: 'Lab 1', parentId: block.id, defaultImpact: 'department' }),
    );
    expect(await addLocation(office, { name: 'lab 1 ', parentId: null, defaultImpact: null })).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'That name is taken.',
        fields: { name: 'There is already a location called “lab 1”.' },
      },
    });
    expect(
      await updateLocation(office, {
        locationId: block.id,
        name: 'Science Block',
        parentId: lab.id,
        defaultImpact: null,
      }),
    ).toMatchObject({
      ok: false,
      error: { fields: { parentId: 'That would put this location inside itself.' } },
    });
    expect(
      must(
        await updateLocation(office, {
          locationId: lab.id,
          name: 'Chemistry Lab',
          parentId: block.id,
          defaultImpact: 'department',
        }),
      ).name,
    ).toBe('Chemistry Lab');
    expect(must(await setLocationArchived(office, { locationId: lab.id, archived: true })).archived).toBe(
      true,
    );
  });

  it('is office/admin work', async () => {
    const school = await makeSchool(tdb.db);
    const tech = await school.person('technician');
    expect(await addLocation(tech, { name: 'Shed', parentId: null, defaultImpact: null })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
  });
});

describe('asset register', () => {
  it('registers, edits, moves and disposes, recording each change', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office', 'Mrs Office');
    const tech = await school.person('technician', 'Sam');
    const library = await school.locationId('Library');
    const hall = await school.locationId('Hall');
    const asset = must(await registerAsset(office, laptop({ locationId: library })));
    expect(await registerAsset(office, laptop({ tag: 'lap-001' }))).toMatchObject({
      ok: false,
      error: { fields: { tag: 'Asset tag “lap-001” is already in the register.' } },
    });
    must(
      await editAsset(office, {
        ...laptop({ locationId: library, notes: 'Sticker peeling' }),
        assetId: asset.id,
      }),
    );
    must(await moveAsset(tech, { assetId: asset.id, locationId: hall }));
    must(await moveAsset(tech, { assetId: asset.id, locationId: hall })); // no change, no history
    expect(await setAssetStatus(tech, { assetId: asset.id, status: 'disposed', note: 'WEEE' })).toMatchObject(
      { ok: false, error: { code: 'AUTH.FORBIDDEN' } },
    );
    expect(await setAssetStatus(office, { assetId: asset.id, status: 'disposed' })).toMatchObject({
      ok: false,
      error: { fields: { note: expect.any(String) } },
    });
    must(
      await setAssetStatus(office, {
        assetId: asset.id,
        status: 'disposed',
        note: 'WEEE collection, cert 7781',
      }),
    );
    const detail = must(await getAssetDetail(office, { ref: 'LAP-001' }));
    expect(detail.asset.status).toBe('disposed');
    expect(detail.locationName).toBe('Hall');
    expect(
      detail.history.map((e) => [e.kind, e.actorName, Object.keys((e.data.changes as object) ?? {})]),
    ).toEqual([
      ['registered', 'Mrs Office', []],
      ['edited', 'Mrs Office', ['notes']],
      ['moved', 'Sam', ['locationId']],
      ['disposed', 'Mrs Office', ['status']],
    ]);
    const rows = await tdb.db.select().from(assetEvents).where(eq(assetEvents.assetId, asset.id));
    expect(rows).toHaveLength(4);
  });

  it('rejects bad input beside the field', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const other = await makeSchool(tdb.db);
    const foreign = await other.locationId('Hall');
    const r = await registerAsset(
      office,
      laptop({ tag: ' ', costPence: -1, purchaseDate: '2024-02-30', locationId: foreign }),
    );
    expect(r).toMatchObject({
      ok: false,
      error: {
        fields: {
          tag: 'The asset tag is needed.',
          costPence: 'Cost must be an amount of money, 0 or more.',
          purchaseDate: 'Purchase date must be a date.',
        },
      },
    });
    expect(await registerAsset(office, laptop({ locationId: foreign }))).toMatchObject({
      ok: false,
      error: { fields: { locationId: expect.any(String) } },
    });
  });

  it('refuses a warranty that ends before the purchase date beside the warranty, on adding and on editing', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const early = laptop({ tag: 'LAP-W1', purchaseDate: '2024-09-01', warrantyEnd: '2024-08-31' });
    expect(await registerAsset(office, early)).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'VALIDATION',
        fields: { warrantyEnd: 'The warranty must end after the purchase date.' },
      }),
    });
    // The same day, or no purchase date, is accepted; a bad purchase date is refused on its own field.
    const asset = must(
      await registerAsset(
        office,
        laptop({ tag: 'LAP-W1', purchaseDate: '2024-09-01', warrantyEnd: '2024-09-01' }),
      ),
    );
    must(
      await registerAsset(office, laptop({ tag: 'LAP-W2', purchaseDate: null, warrantyEnd: '2020-01-01' })),
    );
    expect(
      await registerAsset(
        office,
        laptop({ tag: 'LAP-W3', purchaseDate: '2024-13-01', warrantyEnd: '2024-01-01' }),
      ),
    ).toMatchObject({ ok: false, error: { fields: { purchaseDate: 'Purchase date must be a date.' } } });
    expect(await editAsset(office, { ...early, assetId: asset.id })).toMatchObject({
      ok: false,
      error: { fields: { warrantyEnd: 'The warranty must end after the purchase date.' } },
    });
  });

  it('lists by location, type and text, paged, and flags repeated faults', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const teacher = await school.person('teacher');
    const suite = await school.locationId('ICT suite');
    for (let i = 1; i <= 25; i++) {
      must(
        await registerAsset(
          office,
          laptop({
            tag: `PC-${String(i).padStart(2, '0')}`,
            type: 'desktop',
            model: i === 7 ? 'OptiPlex Special' : 'OptiPlex',
            locationId: suite,
          }),
        ),
      );
    }
    must(await registerAsset(office, laptop({ tag: 'PRN-1', type: 'printer' })));
    const page1 = must(await listAssetRegister(office, { locationId: suite, page: 1, pageSize: 10 }));
    expect(page1.total).toBe(25);
    expect(page1.rows.map((r) => r.tag)).toEqual(
      Array.from({ length: 10 }, (_, i) => `PC-${String(i + 1).padStart(2, '0')}`),
    );
    expect(
      must(await listAssetRegister(office, { locationId: suite, page: 3, pageSize: 10 })).rows,
    ).toHaveLength(5);
    expect(must(await listAssetRegister(office, { type: 'printer' })).rows.map((r) => r.tag)).toEqual([
      'PRN-1',
    ]);
    expect(must(await listAssetRegister(office, { search: 'special' })).rows.map((r) => r.tag)).toEqual([
      'PC-07',
    ]);
    expect(must(await listAssetRegister(office, { search: '100%_' })).rows).toEqual([]);
    const pc7 = page1.rows[6]!;
    for (let i = 0; i < 3; i++) {
      must(
        await reportFault(teacher, {
          summary: `PC 7 again ${i}`,
          urgency: 'today',
          locationId: suite,
          assetId: pc7.id,
        }),
      );
    }
    const flagged = must(await listAssetRegister(office, { search: 'PC-07' })).rows[0]!;
    expect(flagged).toMatchObject({ recentIncidents: 3, repeatedFaults: true });
    expect(must(await getAssetDetail(office, { ref: 'pc-07' })).incidents).toHaveLength(3);
    expect(await listAssetRegister(teacher, {})).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
  });
});

describe('licence list', () => {
  it('shows compliance and hides key references from technicians', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const tech = await school.person('technician');
    must(await addLicence(office, licence()));
    must(
      await addLicence(
        office,
        licence({
          title: 'Microsoft 365 A1',
          publisher: 'Microsoft',
          type: 'site',
          quantity: null,
          seatsInUse: 400,
          expiryDate: '2026-12-20',
        }),
      ),
    );
    must(
      await addLicence(
        office,
        licence({
          title: 'Scratch',
          publisher: 'MIT',
          type: 'site',
          quantity: null,
          seatsInUse: 0,
          expiryDate: null,
          keyReference: '',
        }),
      ),
    );
    expect(await addLicence(office, licence({ title: 'purple mash ' }))).toMatchObject({
      ok: false,
      error: { fields: { title: expect.stringContaining('already in the list') } },
    });
    expect(
      await addLicence(office, licence({ title: 'X', quantity: null, type: 'per_device' })),
    ).toMatchObject({ ok: false, error: { fields: { quantity: 'Quantity is needed.' } } });
    const seen = must(await listLicenceRegister(office));
    expect(seen.map((l) => [l.title, l.compliance.flags])).toEqual([
      ['Microsoft 365 A1', ['expiring']],
      ['Purple Mash', ['over_deployed']],
      ['Scratch', []],
    ]);
    expect(seen.find((l) => l.title === 'Purple Mash')?.keyReference).toBe('Safe, envelope 4');
    const techView = must(await listLicenceRegister(tech));
    expect(techView.every((l) => l.keyReference === '' && !l.keyVisible)).toBe(true);
  });

  it('keeps a fault’s device and location consistent, and refuses disposal through Edit', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const teacher = await school.person('teacher');
    const hall = await school.locationId('Hall');
    const library = await school.locationId('Library');
    const asset = must(
      await registerAsset(office, laptop({ tag: 'PRJ-1', type: 'projector', locationId: hall })),
    );
    expect(
      await reportFault(teacher, {
        summary: 'Projector off',
        urgency: 'today',
        locationId: library,
        assetId: asset.id,
      }),
    ).toMatchObject({
      ok: false,
      error: { fields: { assetId: 'That device is not at the location chosen: choose it again.' } },
    });
    const ok = must(
      await reportFault(teacher, { summary: 'Projector off', urgency: 'today', assetId: asset.id }),
    );
    expect(ok.incident.locationId).toBe(hall);
    expect(
      await editAsset(office, {
        ...laptop({ tag: 'PRJ-1', type: 'projector', locationId: hall, status: 'disposed' }),
        assetId: asset.id,
      }),
    ).toMatchObject({
      ok: false,
      error: { fields: { status: 'Use Status / dispose to record a disposal.' } },
    });
  });

  it('the command line’s person never blocks the first real setup', async () => {
    const school = await makeSchool(tdb.db);
    const cli = await ensureCommandLinePerson(tdb.db, school.schoolId, new Date(T0));
    expect(cli.role).toBe('office');
    const head = await school.person('teacher', 'Head');
    expect(must(await setupSchool(head, { slackChannelId: 'C0CLI00001' })).becameAdmin).toBe(true);
  });

  it('audits every change to locations and licences, never showing a key reference', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office', 'Mrs Office');
    const shed = must(await addLocation(office, { name: 'Shed', parentId: null, defaultImpact: null }));
    must(
      await updateLocation(office, {
        locationId: shed.id,
        name: 'Garden shed',
        parentId: null,
        defaultImpact: null,
      }),
    );
    must(await setLocationArchived(office, { locationId: shed.id, archived: true }));
    const lic = must(await addLicence(office, licence()));
    must(
      await editLicence(office, {
        ...licence({ seatsInUse: 29, keyReference: 'New safe' }),
        licenceId: lic.id,
      }),
    );
    const events = await tdb.db
      .select()
      .from(registerEvents)
      .where(eq(registerEvents.schoolId, school.schoolId))
      .orderBy(registerEvents.id);
    expect(events.map((e) => [e.subject.split(':')[0], e.kind, e.actorId === office.actor.personId])).toEqual(
      [
        ['location', 'added', true],
        ['location', 'edited', true],
        ['location', 'archived', true],
        ['licence', 'added', true],
        ['licence', 'edited', true],
      ],
    );
    expect(events[1]?.data).toEqual({ changes: { name: { from: 'Shed', to: 'Garden shed' } } });
    expect(events[4]?.data).toEqual({
      changes: { seatsInUse: { from: 31, to: 29 }, keyReference: { from: '[hidden]', to: '[hidden]' } },
    });
    expect(JSON.stringify(events)).not.toContain('Safe, envelope 4');
  });
});
