/**
 * What the supply registers look like as CSV: providers, their contracts and scheduled payments.
 * Columns accept the headings schools' and finance offices' spreadsheets use (Supplier, Payee,
 * Amount, Due Date, Notice (days), Frequency, Reference…).
 */
import { supplyKeyOf } from '../registers/supply-keys';
import {
  CONTRACT_STATUS_LABELS,
  CONTRACT_STATUSES,
  PAYMENT_STATUS_LABELS,
  PAYMENT_STATUSES,
  PROVIDER_LEVEL_LABELS,
  PROVIDER_LEVELS,
  RECURRENCE_LABELS,
  RECURRENCES,
} from '../registers/supply-types';
import {
  amountColumn,
  boolColumn,
  choiceColumn,
  countColumn,
  countOrZeroColumn,
  dateColumn,
  emailColumn,
  moneyColumn,
  optionalTextColumn,
  requiredDateColumn,
  textColumn,
} from './columns';
import { parseDate, quoted } from './fields';
import type { KindSpec } from './kind-specs';
import type { ContractRecord, PaymentRecord, ProviderRecord } from './supply-records';

// The limits the register commands apply (registers/providers.ts, payments.ts), so that whatever
// the preview accepts can be committed. Repeated, not imported, to keep this module pure.
const PROVIDER_NAME_MAX = 100;
const CONTACT_MAX = 100;
const EMAIL_MAX = 200;
const PHONE_MAX = 40;
const CHANNEL_MAX = 100;
const CONTRACT_TITLE_MAX = 200;
const SERVICE_MAX = 200;
const PAYEE_MAX = 100;
const REFERENCE_MAX = 100;
const NOTES_MAX = 2000;

export const providerSpec: KindSpec<ProviderRecord> = {
  columns: {
    name: textColumn({
      header: 'Name',
      aliases: ['supplier', 'provider', 'company', 'provider name', 'supplier name', 'company name'],
      required: true,
      max: PROVIDER_NAME_MAX,
    }),
    level: choiceColumn({
      header: 'Level',
      aliases: ['support level', 'tier', 'support tier'],
      choices: PROVIDER_LEVELS,
      labels: PROVIDER_LEVEL_LABELS,
      fallback: 'supplier',
      extraAliases: {
        '1st': 'first',
        'first line': 'first',
        '1st line': 'first',
        'first line support': 'first',
        '1st line support': 'first',
        'first level': 'first',
        '2nd': 'second',
        'second line': 'second',
        '2nd line': 'second',
        'second line support': 'second',
        '2nd line support': 'second',
        'second level': 'second',
        vendor: 'supplier',
      },
    }),
    contactName: textColumn({
      header: 'Contact',
      aliases: ['contact name', 'contact person', 'account manager'],
      max: CONTACT_MAX,
    }),
    email: emailColumn({
      header: 'Email',
      aliases: ['e-mail', 'email address', 'contact email'],
      max: EMAIL_MAX,
    }),
    phone: textColumn({
      header: 'Phone',
      aliases: ['telephone', 'tel', 'phone number', 'telephone number', 'contact phone'],
      max: PHONE_MAX,
    }),
    chatChannel: textColumn({
      header: 'Chat channel',
      aliases: ['slack channel', 'channel', 'teams channel'],
      max: CHANNEL_MAX,
    }),
    notes: textColumn({ header: 'Notes', aliases: ['comments', 'description'], max: NOTES_MAX }),
  },
  keyOf: supplyKeyOf.provider,
  keyOfCells: (cells) => (cells.name === '' ? null : supplyKeyOf.provider(cells)),
  describeKey: (cells) => `Name ${quoted(cells.name)}`,
  check: () => [],
};

export const contractSpec: KindSpec<ContractRecord> = {
  columns: {
    provider: textColumn({
      header: 'Provider',
      aliases: ['supplier', 'company', 'provider name', 'supplier name'],
      required: true,
      max: PROVIDER_NAME_MAX,
    }),
    title: textColumn({
      header: 'Title',
      aliases: ['contract', 'name', 'contract name', 'contract title'],
      required: true,
      max: CONTRACT_TITLE_MAX,
    }),
    service: textColumn({
      header: 'Service',
      aliases: ['description', 'services', 'what for'],
      max: SERVICE_MAX,
    }),
    startDate: dateColumn({
      header: 'Start date',
      aliases: ['start', 'starts', 'contract start', 'start of contract', 'commenced'],
    }),
    endDate: dateColumn({
      header: 'End date',
      aliases: [
        'expiry',
        'expires',
        'expiry date',
        'renewal date',
        'renewal',
        'end',
        'ends',
        'contract end',
        'end of contract',
      ],
    }),
    noticeDays: countOrZeroColumn({
      header: 'Notice (days)',
      aliases: ['notice', 'notice period', 'notice days', 'notice period (days)'],
    }),
    autoRenews: boolColumn({
      header: 'Auto-renews',
      aliases: ['auto renew', 'auto renewal', 'rolling', 'renews automatically'],
    }),
    valuePence: moneyColumn({
      header: 'Value',
      aliases: ['cost', 'annual value', 'price', 'annual cost', 'contract value', 'value £'],
    }),
    responseTargetHours: countColumn({
      header: 'Response target (hours)',
      aliases: ['response target', 'response hours', 'sla hours', 'response time (hours)'],
    }),
    status: choiceColumn({
      header: 'Status',
      aliases: ['state', 'contract status'],
      choices: CONTRACT_STATUSES,
      labels: CONTRACT_STATUS_LABELS,
      fallback: 'active',
      extraAliases: {
        live: 'active',
        current: 'active',
        'giving notice': 'cancelling',
        'notice given': 'cancelling',
        'to cancel': 'cancelling',
        expired: 'ended',
        finished: 'ended',
      },
    }),
    notes: textColumn({ header: 'Notes', aliases: ['comments'], max: NOTES_MAX }),
  },
  keyOf: supplyKeyOf.contract,
  keyOfCells: (cells) => (cells.provider === '' || cells.title === '' ? null : supplyKeyOf.contract(cells)),
  describeKey: (cells) => `Contract ${quoted(cells.title)} with ${quoted(cells.provider)}`,
  providerField: 'provider',
  check: (r) =>
    r.startDate != null && r.endDate != null && r.endDate < r.startDate
      ? ['End date: the contract ends before it starts']
      : [],
  // A sheet kept as "Supplier, Service, Start Date, …" has no Title column: the service is the
  // title then. Always the service alone, never "Supplier — Service": the provider is already the
  // contract's own field and half its key, so the title would only repeat it.
  standIns: { title: 'service' },
};

export const paymentSpec: KindSpec<PaymentRecord> = {
  columns: {
    payee: textColumn({
      header: 'Payee',
      aliases: ['supplier', 'paid to', 'pay to', 'vendor', 'payee name'],
      required: true,
      max: PAYEE_MAX,
    }),
    provider: optionalTextColumn({
      header: 'Provider',
      aliases: ['provider name'],
      max: PROVIDER_NAME_MAX,
    }),
    amountPence: amountColumn({
      header: 'Amount',
      aliases: ['amount £', 'amount due', 'cost', 'value'],
    }),
    dueDate: requiredDateColumn({
      header: 'Due date',
      aliases: ['due', 'date due', 'due on', 'payment date'],
    }),
    recurrence: choiceColumn({
      header: 'Frequency',
      aliases: ['recurrence', 'repeats', 'how often'],
      choices: RECURRENCES,
      labels: RECURRENCE_LABELS,
      fallback: 'none',
      extraAliases: {
        once: 'none',
        single: 'none',
        'per month': 'monthly',
        'every month': 'monthly',
        'per term': 'termly',
        'each term': 'termly',
        'every term': 'termly',
        yearly: 'annually',
        annual: 'annually',
        'per year': 'annually',
        'per annum': 'annually',
        'every year': 'annually',
      },
    }),
    status: choiceColumn({
      header: 'Status',
      aliases: ['state', 'payment status'],
      choices: PAYMENT_STATUSES,
      labels: PAYMENT_STATUS_LABELS,
      fallback: 'scheduled',
      extraAliases: {
        due: 'scheduled',
        unpaid: 'scheduled',
        outstanding: 'scheduled',
        pending: 'scheduled',
        'to pay': 'scheduled',
        canceled: 'cancelled',
      },
    }),
    paidDate: dateColumn({ header: 'Paid date', aliases: ['date paid', 'paid on'] }),
    reference: textColumn({
      header: 'Reference',
      aliases: [
        'ref',
        'invoice',
        'invoice no',
        'invoice number',
        'po number',
        'po',
        'purchase order',
        'order number',
      ],
      max: REFERENCE_MAX,
    }),
    notes: textColumn({ header: 'Notes', aliases: ['comments', 'description'], max: NOTES_MAX }),
  },
  keyOf: supplyKeyOf.payment,
  keyOfCells: (cells) => {
    // The key holds the due date as ISO, so 01/09/2024 and 2024-09-01 are the same payment.
    const due = parseDate(cells.dueDate);
    if (cells.payee === '' || !due.ok || due.value === null) return null;
    return supplyKeyOf.payment({ payee: cells.payee, dueDate: due.value, reference: cells.reference });
  },
  describeKey: (cells) =>
    `Payment to ${quoted(cells.payee)} due ${quoted(cells.dueDate)}` +
    (cells.reference === '' ? '' : ` with reference ${quoted(cells.reference)}`),
  providerField: 'provider',
  check: () => [],
};
