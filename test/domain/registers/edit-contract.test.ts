import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addContract,
  addProvider,
  type ContractInput,
  editContract,
  listContractRegister,
  type ProviderInput,
} from '../../../src/domain/registers/providers';
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

const provider = (name: string): ProviderInput => ({
  name,
  level: 'second',
  contactName: '',
  email: '',
  phone: '',
  chatChannel: '',
  notes: '',
});

const contract = (providerId: string, over: Partial<ContractInput> = {}): ContractInput => ({
  providerId,
  title: 'Technical support',
  service: '',
  startDate: '2026-09-01',
  endDate: '2027-08-31',
  noticeDays: 90,
  autoRenews: false,
  valuePence: 450000,
  responseTargetHours: null,
  notes: '',
  ...over,
});

describe('editContract', () => {
  it('changes the details, moves it to another provider, and refuses a duplicate title', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const oakwood = must(await addProvider(office, provider('Oakwood ICT')));
    const beech = must(await addProvider(office, provider('Beech Networks')));
    const support = must(await addContract(office, contract(oakwood.id)));
    must(await addContract(office, contract(beech.id, { title: 'Broadband' })));

    const edited = must(
      await editContract(office, {
        ...contract(beech.id, { endDate: '2028-08-31', noticeDays: 30, valuePence: 123450 }),
        contractId: support.id,
      }),
    );
    expect(edited).toMatchObject({ providerId: beech.id, endDate: '2028-08-31', valuePence: 123450 });
    const listed = must(await listContractRegister(office)).find((c) => c.id === support.id);
    expect(listed).toMatchObject({ providerName: 'Beech Networks', noticeBy: '2028-08-01' });

    expect(
      await editContract(office, {
        ...contract(beech.id, { title: 'broadband' }),
        contractId: support.id,
      }),
    ).toMatchObject({ ok: false, error: { fields: { title: expect.stringContaining('already has') } } });
    expect(
      await editContract(office, {
        ...contract(beech.id, { endDate: '2026-01-01' }),
        contractId: support.id,
      }),
    ).toMatchObject({ ok: false, error: { fields: { endDate: 'The end must be after the start.' } } });
  });

  it('is office work, and only for the school’s own contracts', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const tech = await school.person('technician');
    const p = must(await addProvider(office, provider('Oakwood ICT')));
    const c = must(await addContract(office, contract(p.id)));
    expect(await editContract(tech, { ...contract(p.id), contractId: c.id })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    const other = await makeSchool(tdb.db);
    const stranger = await other.person('office');
    const theirs = must(await addProvider(stranger, provider('Elm IT')));
    expect(await editContract(stranger, { ...contract(theirs.id), contractId: c.id })).toMatchObject({
      ok: false,
      error: { code: 'REGISTER.NOT_FOUND' },
    });
  });
});
