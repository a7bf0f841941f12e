import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDiaryEntry, addSchoolHoliday, listDiaryEntries } from '../../../src/domain/registers/diary';
import {
  cancelPayment,
  listPaymentRegister,
  markPaymentPaid,
  nextDueDate,
  type PaymentInput,
  schedulePayment,
} from '../../../src/domain/registers/payments';
import {
  addContract,
  addProvider,
  listContractRegister,
  markContractCancelling,
  noticeDeadline,
  renewContract,
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

const payment = (over: Partial<PaymentInput> = {}): PaymentInput => ({
  payee: 'Oakwood ICT Services',
  providerId: null,
  amountPence: 123450,
  dueDate: '2027-03-01',
  recurrence: 'monthly',
  reference: 'SLA-2027',
  notes: '',
  ...over,
});

describe('recurrence', () => {
  it.each([
    ['2027-01-31', 'monthly', '2027-02-28'],
    ['2027-03-01', 'monthly', '2027-04-01'],
    ['2026-09-01', 'termly', '2027-01-01'],
    ['2028-02-29', 'annually', '2029-02-28'],
    ['2027-03-01', 'none', null],
  ] as const)('%s %s → %s', (due, recurrence, next) => {
    expect(nextDueDate(due, recurrence)).toBe(next);
  });

  it('notice deadline is the end date minus the notice period', () => {
    expect(noticeDeadline({ endDate: '2027-08-31', noticeDays: 90 })).toBe('2027-06-02');
    expect(noticeDeadline({ endDate: null, noticeDays: 90 })).toBeNull();
  });
});

describe('payments', () => {
  it('paying a recurring payment schedules the next, once', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const p = must(await schedulePayment(office, payment()));
    const paid = must(await markPaymentPaid(office, { paymentId: p.id, paidDate: '2027-02-27' }));
    expect(paid.payment).toMatchObject({ status: 'paid', paidDate: '2027-02-27' });
    expect(paid.next).toMatchObject({
      dueDate: '2027-04-01',
      amountPence: 123450,
      status: 'scheduled',
      recurrence: 'monthly',
    });
    const again = must(await markPaymentPaid(office, { paymentId: p.id, paidDate: '2027-02-28' }));
    expect(again).toMatchObject({ already: true, next: null });
    const open = must(await listPaymentRegister(office, {}));
    expect(open.map((x) => x.dueDate)).toEqual(['2027-04-01']);
  });

  it('rejects bad amounts and duplicates beside the field; cancelled payments cannot be paid', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    expect(
      await schedulePayment(office, payment({ amountPence: 0, dueDate: '2027-02-30', payee: ' ' })),
    ).toMatchObject({
      ok: false,
      error: {
        fields: {
          amountPence: 'The amount must be more than £0.',
          dueDate: 'Due date must be a date.',
          payee: 'Payee is needed.',
        },
      },
    });
    const p = must(await schedulePayment(office, payment({ recurrence: 'none' })));
    expect(
      await schedulePayment(office, payment({ recurrence: 'none', payee: 'oakwood ict services ' })),
    ).toMatchObject({ ok: false, error: { fields: { dueDate: expect.any(String) } } });
    must(await cancelPayment(office, { paymentId: p.id }));
    expect(await markPaymentPaid(office, { paymentId: p.id, paidDate: '2027-03-01' })).toMatchObject({
      ok: false,
      error: { message: 'That payment was cancelled, so it cannot be paid.' },
    });
    const tech = await school.person('technician');
    expect(await listPaymentRegister(tech, {})).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
  });
});

describe('providers and contracts', () => {
  it('records contracts with notice deadlines; renewed and will-cancel change the record', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const provider = must(
      await addProvider(office, {
        name: 'Oakwood ICT',
        level: 'second',
        contactName: 'Jo',
        email: 'help@oakwood.example',
        phone: '01234 567890',
        chatChannel: '',
        notes: '',
      }),
    );
    expect(
      await addProvider(office, {
        name: 'oakwood ict',
        level: 'second',
        contactName: '',
        email: 'nope',
        phone: '',
        chatChannel: '',
        notes: '',
      }),
    ).toMatchObject({
      ok: false,
      error: { fields: { email: 'That is not an email address.' } },
    });
    const contract = must(
      await addContract(office, {
        providerId: provider.id,
        title: 'Technical support SLA',
        service: 'Second-line support',
        startDate: '2026-09-01',
        endDate: '2027-08-31',
        noticeDays: 90,
        autoRenews: true,
        valuePence: 450000,
        responseTargetHours: 8,
        notes: '',
      }),
    );
    const [listed] = must(await listContractRegister(office));
    expect(listed).toMatchObject({ providerName: 'Oakwood ICT', noticeBy: '2027-06-02' });
    expect(await renewContract(office, { contractId: contract.id, newEndDate: '2027-01-01' })).toMatchObject({
      ok: false,
      error: { fields: { newEndDate: expect.any(String) } },
    });
    expect(must(await markContractCancelling(office, { contractId: contract.id })).status).toBe('cancelling');
    expect(
      must(await renewContract(office, { contractId: contract.id, newEndDate: '2028-08-31' })),
    ).toMatchObject({ status: 'active', endDate: '2028-08-31' });
  });
});

describe('diary and holidays', () => {
  it('keeps diary entries by date and refuses a holiday that ends before it starts', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    must(
      await addDiaryEntry(office, {
        date: '2027-01-05',
        title: 'New Wi-Fi access points installed',
        kind: 'implementation',
        notes: '',
        assetId: null,
      }),
    );
    must(
      await addDiaryEntry(office, {
        date: '2027-01-04',
        title: 'Laptop trolley delivery',
        kind: 'delivery',
        notes: '',
        assetId: null,
      }),
    );
    expect(
      must(await listDiaryEntries(office, { from: '2027-01-01', to: '2027-01-31' })).map((d) => d.title),
    ).toEqual(['Laptop trolley delivery', 'New Wi-Fi access points installed']);
    must(await addSchoolHoliday(office, { start: '2026-12-19', end: '2027-01-04', name: 'Christmas' }));
    expect(
      await addSchoolHoliday(office, { start: '2027-02-19', end: '2027-02-15', name: 'Half term' }),
    ).toMatchObject({
      ok: false,
      error: { fields: { end: 'The last day must not be before the first.' } },
    });
  });
});
