import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRegister } from '../../../src/domain/registers/export-register';
import { dryRunImport, importFile } from '../../../src/domain/registers/import-register';
import { listPaymentRegister } from '../../../src/domain/registers/payments';
import { listContractRegister, listProviderRegister } from '../../../src/domain/registers/providers';
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

describe('importing providers, contracts and payments', () => {
  it('imports from spreadsheet headings, asks before creating providers, and round-trips', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    must(
      await importFile(office, {
        kind: 'providers',
        fileName: 'p.csv',
        content: 'Supplier,Level,Email\nOakwood ICT,Second line,help@oakwood.example\n',
        createLocations: false,
      }),
    );
    const contractsCsv = [
      'Supplier,Contract,Start Date,End Date,Notice (days),Auto renew,Annual value,Response hours',
      'Oakwood ICT,Technical support SLA,01/09/2026,31/08/2027,90,yes,"£4,500.00",8',
      'Printwise,Copier lease,01/04/2025,31/03/2028,30,no,1200,',
      '',
    ].join('\r\n');
    expect(
      await importFile(office, {
        kind: 'contracts',
        fileName: 'c.csv',
        content: contractsCsv,
        createLocations: false,
      }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('names providers the school does not have (Printwise)') },
    });
    const done = must(
      await importFile(office, {
        kind: 'contracts',
        fileName: 'c.csv',
        content: contractsCsv,
        createLocations: true,
      }),
    );
    expect(done).toMatchObject({ summary: { new: 2 }, createdLocations: ['Printwise'] });
    const contracts = must(await listContractRegister(office));
    expect(contracts.map((c) => [c.providerName, c.title, c.noticeBy, c.valuePence])).toEqual([
      ['Oakwood ICT', 'Technical support SLA', '2027-06-02', 450000],
      ['Printwise', 'Copier lease', '2028-03-01', 120000],
    ]);
    expect(must(await listProviderRegister(office)).map((p) => [p.name, p.level])).toEqual([
      ['Oakwood ICT', 'second'],
      ['Printwise', 'supplier'],
    ]);

    const paymentsCsv =
      'Payee,Provider,Amount,Due Date,Frequency,Reference\nOakwood ICT,Oakwood ICT,£375,01/03/2027,Monthly,SLA-03\n';
    must(
      await importFile(office, {
        kind: 'payments',
        fileName: 'pay.csv',
        content: paymentsCsv,
        createLocations: false,
      }),
    );
    const [payment] = must(await listPaymentRegister(office, {}));
    expect(payment).toMatchObject({
      payee: 'Oakwood ICT',
      amountPence: 37500,
      dueDate: '2027-03-01',
      recurrence: 'monthly',
      reference: 'SLA-03',
    });

    for (const kind of ['providers', 'contracts', 'payments'] as const) {
      const exported = must(await exportRegister(office, { kind }));
      const again = must(
        await dryRunImport(office, { kind, fileName: exported.fileName, content: exported.csv }),
      );
      expect(again).toMatchObject({ new: 0, updated: 0, rejected: [] });
    }
    const tech = await school.person('technician');
    expect(await exportRegister(tech, { kind: 'payments' })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    expect((await exportRegister(tech, { kind: 'contracts' })).ok).toBe(true);
  });
});
