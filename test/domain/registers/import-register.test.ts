import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locations } from '../../../src/db/schema';
import { exportRegister } from '../../../src/domain/registers/export-register';
import {
  commitImport,
  dryRunImport,
  importFile,
  previewImport,
} from '../../../src/domain/registers/import-register';
import { listLicenceRegister } from '../../../src/domain/registers/licences';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

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
});
