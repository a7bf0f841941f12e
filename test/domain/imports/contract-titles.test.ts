/**
 * A contracts sheet as offices keep it, with no Title column: each contract's title is its
 * Service (never "Supplier — Service": the provider is already the contract's own field), and
 * the preview says so in one line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapHeaders } from '../../../src/domain/imports/kinds';
import { planImport } from '../../../src/domain/imports/plan';
import { readCsv } from '../../../src/domain/imports/read-csv';
import { commitImport, dryRunImport, previewImport } from '../../../src/domain/registers/import-register';
import { listContractRegister } from '../../../src/domain/registers/providers';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';
import { must } from '../../support/wait';

const NOTE = 'No Title column: titles were taken from the Service column.';

const SHEET = [
  'Supplier,Service,Start Date,End Date,Notice (days),Value',
  'Oakwood ICT,Technical support,01/09/2026,31/08/2027,90,"£4,500.00"',
  'Printwise,Copier lease,01/04/2025,31/03/2028,30,1200',
  'Oakwood ICT,Broadband,01/09/2026,31/08/2029,60,£900',
  '',
].join('\r\n');

describe('a contracts sheet with no Title column', () => {
  it('reads each title from the Service column, and notes it', () => {
    const plan = planImport('contracts', readCsv(SHEET), []);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.notes).toEqual([NOTE]);
    expect(plan.rejected).toEqual([]);
    expect(plan.new.map((r) => [r.record.provider, r.record.title, r.record.service])).toEqual([
      ['Oakwood ICT', 'Technical support', 'Technical support'],
      ['Printwise', 'Copier lease', 'Copier lease'],
      ['Oakwood ICT', 'Broadband', 'Broadband'],
    ]);
    expect(plan.new[0]?.record).toMatchObject({
      startDate: '2026-09-01',
      endDate: '2027-08-31',
      noticeDays: 90,
      valuePence: 450_000,
    });
  });

  it('refuses a row with no Service, saying why, and a service repeated for one supplier', () => {
    const sheet = `${SHEET}Printwise,,01/04/2025,,,\r\noakwood ict,technical SUPPORT,,,,\r\n`;
    const plan = planImport('contracts', readCsv(sheet), []);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.rejected).toEqual([
      {
        line: 5,
        reason: 'Service is empty, and with no Title column the title is taken from it',
      },
      {
        line: 6,
        reason: expect.stringContaining(
          'Contract "technical SUPPORT" with "oakwood ict" is already on line 2',
        ) as string,
      },
    ]);
  });

  it('uses a Title column when there is one, and says nothing', () => {
    const mapped = mapHeaders('contracts', ['Supplier', 'Title', 'Service']);
    expect(mapped).toMatchObject({ ok: true, standIns: [], notes: [] });
    const plan = planImport(
      'contracts',
      readCsv('Supplier,Title,Service\nOakwood ICT,SLA 2026,Support\n'),
      [],
    );
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.new[0]?.record).toMatchObject({ title: 'SLA 2026', service: 'Support' });
    expect(plan.notes).toEqual([]);
  });

  it('still asks for a Title column when there is no Service column either', () => {
    expect(mapHeaders('contracts', ['Supplier', 'Start Date'])).toEqual({
      ok: false,
      message: 'The file has no Title column. The columns found were: "Supplier", "Start Date".',
    });
  });
});

describe('importing it', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  it('previews with the note, commits the contracts titled by service, and re-imports unchanged', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const preview = must(
      await previewImport(office, { kind: 'contracts', fileName: 'c.csv', content: SHEET }),
    );
    expect(preview.summary).toMatchObject({
      new: 3,
      rejected: [],
      unknownProviders: ['Oakwood ICT', 'Printwise'],
      notes: [NOTE],
    });
    const done = must(await commitImport(office, { batchId: preview.batchId, createLocations: true }));
    expect(done.summary.notes).toEqual([NOTE]);
    const contracts = must(await listContractRegister(office));
    expect(contracts.map((c) => [c.providerName, c.title, c.service]).sort()).toEqual([
      ['Oakwood ICT', 'Broadband', 'Broadband'],
      ['Oakwood ICT', 'Technical support', 'Technical support'],
      ['Printwise', 'Copier lease', 'Copier lease'],
    ]);
    expect(
      must(await dryRunImport(office, { kind: 'contracts', fileName: 'c.csv', content: SHEET })),
    ).toMatchObject({ new: 0, updated: 0, unchanged: 3, rejected: [] });
  });
});
