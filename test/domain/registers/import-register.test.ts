import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBatches, locations } from '../../../src/db/schema';
import { exportRegister } from '../../../src/domain/registers/export-register';
import {
  commitImport,
  dryRunImport,
  importFile,
  previewImport,
} from '../../../src/domain/registers/import-register';
import { listLicenceRegister } from '../../../src/domain/registers/licences';
import { setLocationArchived } from '../../../src/domain/registers/locations';
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

describe('importing registers', () => {
  it('imports nested locations, then exports them to re-import unchanged', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const csv = [
      'Room,Building,Default impact',
      'Science Block,,',
      'Lab 1,Science Block,Suite / department',
      'lab 2,science block,',
      'Library,,One room or class',
      '',
    ].join('\n');
    const preview = must(
      await previewImport(office, { kind: 'locations', fileName: 'rooms.csv', content: csv }),
    );
    expect(preview.summary).toMatchObject({
      new: 3,
      updated: 1,
      unchanged: 0,
      rejected: [],
      unknownLocations: [],
    });
    const done = must(await commitImport(office, { batchId: preview.batchId, createLocations: false }));
    expect(done.summary.new).toBe(3);
    const rows = await tdb.db.select().from(locations).where(eq(locations.schoolId, school.schoolId));
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('Lab 1')?.parentId).toBe(byName.get('Science Block')?.id);
    expect(byName.get('lab 2')?.parentId).toBe(byName.get('Science Block')?.id);
    expect(byName.get('Lab 1')?.defaultImpact).toBe('department');
    expect(byName.get('Library')?.defaultImpact).toBe('room');
    expect(await commitImport(office, { batchId: preview.batchId, createLocations: false })).toMatchObject({
      ok: false,
      error: { code: 'IMPORT.ALREADY_DONE' },
    });

    const exported = must(await exportRegister(office, { kind: 'locations' }));
    expect(exported.rows).toBe(10);
    const again = must(
      await dryRunImport(office, { kind: 'locations', fileName: exported.fileName, content: exported.csv }),
    );
    expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 10, rejected: [] });
  });

  it('imports licences (quantities, expiry, key reference) and round-trips them; technicians export no keys', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const tech = await school.person('technician');
    const csv = [
      'Software,Publisher,License Type,Seats,Installed,Expires,Licence Key,Cost',
      'Purple Mash,2Simple,Per user,30,31,31/08/2027,Safe envelope 4,£990.00',
      'Microsoft 365 A1,Microsoft,Site licence,,400,20/12/2026,,',
      '',
    ].join('\r\n');
    const done = must(
      await importFile(office, {
        kind: 'licences',
        fileName: 'licences.csv',
        content: csv,
        createLocations: false,
      }),
    );
    expect(done.summary).toMatchObject({ new: 2, rejected: [] });
    const list = must(await listLicenceRegister(office));
    expect(list.map((l) => [l.title, l.quantity, l.seatsInUse, l.expiryDate, l.compliance.flags])).toEqual([
      ['Microsoft 365 A1', null, 400, '2026-12-20', ['expiring']],
      ['Purple Mash', 30, 31, '2027-08-31', ['over_deployed']],
    ]);
    const exported = must(await exportRegister(office, { kind: 'licences' }));
    expect(exported.csv).toContain('Safe envelope 4');
    expect(
      must(await dryRunImport(office, { kind: 'licences', fileName: 'x.csv', content: exported.csv })),
    ).toMatchObject({ unchanged: 2, new: 0, updated: 0 });
    expect(must(await exportRegister(tech, { kind: 'licences' })).csv).not.toContain('Safe envelope 4');
  });

  it('refuses the whole file when one row is bad, leaving nothing half-written', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const before = await tdb.db.select().from(locations).where(eq(locations.schoolId, school.schoolId));
    const csv = 'Name,Parent\nNew Room,\nLoop,Loop\n';
    const r = await importFile(office, {
      kind: 'locations',
      fileName: 'bad.csv',
      content: csv,
      createLocations: true,
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'IMPORT.REJECTED', message: expect.stringContaining('1 row is refused') },
    });
    const after = await tdb.db.select().from(locations).where(eq(locations.schoolId, school.schoolId));
    expect(after).toHaveLength(before.length);
  });

  it('is office work', async () => {
    const school = await makeSchool(tdb.db);
    const tech = await school.person('technician');
    expect(
      await previewImport(tech, { kind: 'assets', fileName: 'a.csv', content: 'Tag,Type\nA,Laptop\n' }),
    ).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
    expect(await exportRegister(await school.person('teacher'), { kind: 'assets' })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
  });

  it('refuses a locations file that would put a location inside itself round a loop', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const csv = 'Name,Parent\nBlock A,Block B\nBlock B,Block A\nLibrary,Hall\n';
    const preview = must(
      await previewImport(office, { kind: 'locations', fileName: 'loop.csv', content: csv }),
    );
    expect(preview.summary.rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(preview.summary.rejected[0]?.reason).toContain('would end up inside itself');
    expect(preview.summary.updated).toBe(1);
  });

  it('refuses to commit a preview once the register has moved on', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    must(
      await importFile(office, {
        kind: 'assets',
        fileName: 'a.csv',
        content: 'Tag,Type,Room\nPC-1,Desktop,Library\n',
        createLocations: false,
      }),
    );
    const preview = must(
      await previewImport(office, {
        kind: 'assets',
        fileName: 'b.csv',
        content: 'Tag,Type,Room\nPC-1,Desktop,Hall\nPC-2,Desktop,Hall\n',
      }),
    );
    expect(preview.summary).toMatchObject({ new: 1, updated: 1 });
    // Meanwhile PC-1 is moved to the Hall, so the file would no longer update it.
    must(
      await importFile(office, {
        kind: 'assets',
        fileName: 'c.csv',
        content: 'Tag,Type,Room\nPC-1,Desktop,Hall\n',
        createLocations: false,
      }),
    );
    expect(await commitImport(office, { batchId: preview.batchId, createLocations: false })).toMatchObject({
      ok: false,
      error: {
        code: 'IMPORT.REJECTED',
        message: expect.stringContaining('the register has changed since the preview'),
      },
    });
  });

  it('a technician’s licence export leaves the key column out, so importing it keeps the keys', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const tech = await school.person('technician');
    must(
      await importFile(office, {
        kind: 'licences',
        fileName: 'l.csv',
        content: 'Title,Type,Quantity,Seats in use,Key reference\nScratch,Per device,30,10,Cupboard 2\n',
        createLocations: false,
      }),
    );
    const techCsv = must(await exportRegister(tech, { kind: 'licences' })).csv;
    expect(techCsv).not.toMatch(/key/i);
    const edited = techCsv.replace(',10,', ',12,');
    must(
      await importFile(office, {
        kind: 'licences',
        fileName: 'edited.csv',
        content: edited,
        createLocations: false,
      }),
    );
    const [l] = must(await listLicenceRegister(office));
    expect(l).toMatchObject({ seatsInUse: 12, keyReference: 'Cupboard 2' });
  });

  it('does not store the file of a preview that can never be committed', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const preview = must(
      await previewImport(office, { kind: 'assets', fileName: 'bad.csv', content: 'Tag,Type\nX,Toaster\n' }),
    );
    const [batch] = await tdb.db.select().from(importBatches).where(eq(importBatches.id, preview.batchId));
    expect(batch).toMatchObject({ status: 'discarded', content: '' });
    expect(await commitImport(office, { batchId: preview.batchId, createLocations: false })).toMatchObject({
      ok: false,
      error: { code: 'IMPORT.NOT_FOUND' },
    });
  });

  it('refuses rows that put assets in an archived location', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    must(await setLocationArchived(office, { locationId: await school.locationId('Hall'), archived: true }));
    const preview = must(
      await previewImport(office, {
        kind: 'assets',
        fileName: 'a.csv',
        content: 'Tag,Type,Room\nPC-1,Desktop,hall\nPC-2,Desktop,Library\n',
      }),
    );
    expect(preview.summary.rejected).toEqual([
      { line: 2, reason: '“Hall” is archived: restore it first, or choose another location' },
    ]);
    expect(preview.summary.new).toBe(1);
  });
});
