import { describe, expect, it } from 'vitest';
import { matchKey } from '../../../src/domain/imports/fields';
import {
  type AnyImportKind,
  columnOf,
  fieldsOf,
  IMPORT_KINDS,
  type ImportRecord,
  KIND_SPECS,
  mapHeaders,
  parseRow,
  SUPPLY_KINDS,
  type SupplyKind,
} from '../../../src/domain/imports/kinds';
import { planImport } from '../../../src/domain/imports/plan';
import { readCsv } from '../../../src/domain/imports/read-csv';
import type {
  ContractRecord,
  PaymentRecord,
  ProviderRecord,
} from '../../../src/domain/imports/supply-records';
import { headersOf, toCsv } from '../../../src/domain/imports/write-csv';
import { supplyKeyOf } from '../../../src/domain/registers/supply-keys';

const BOM = '\uFEFF';

const provider = (over: Partial<ProviderRecord> = {}): ProviderRecord => ({
  name: 'Acme IT',
  level: 'second',
  contactName: 'Jo Bloggs',
  email: 'help@acme.example',
  phone: '01234 567890',
  chatChannel: '#acme-support',
  notes: '',
  ...over,
});

const contract = (over: Partial<ContractRecord> = {}): ContractRecord => ({
  provider: 'Acme IT',
  title: 'Managed service',
  service: 'Technician two days a week',
  startDate: '2024-09-01',
  endDate: '2027-08-31',
  noticeDays: 90,
  autoRenews: true,
  valuePence: 1234550,
  responseTargetHours: 4,
  status: 'active',
  notes: '',
  ...over,
});

const payment = (over: Partial<PaymentRecord> = {}): PaymentRecord => ({
  payee: 'Acme IT',
  provider: 'Acme IT',
  amountPence: 123450,
  dueDate: '2025-09-01',
  recurrence: 'monthly',
  status: 'scheduled',
  paidDate: null,
  reference: 'INV-001',
  notes: '',
  ...over,
});

const knownProviders = new Set(['acme it', 'broadband co']);

function columnsFor<K extends AnyImportKind>(kind: K, headers: string[]) {
  const mapped = mapHeaders(kind, headers);
  if (!mapped.ok) throw new Error(mapped.message);
  return mapped.columns;
}

function plan<K extends SupplyKind>(
  kind: K,
  lines: string[],
  existing: ReadonlyArray<ImportRecord<K>> = [],
  known: ReadonlySet<string> = knownProviders,
) {
  const result = planImport(kind, readCsv(lines.join('\r\n')), existing, { knownProviders: known });
  if (!result.ok) throw new Error(result.message);
  return result;
}

const row = (...cells: string[]) => ({ line: 7, cells });

describe('the supply kinds', () => {
  it('are planned by the engine but kept out of IMPORT_KINDS (the register commit cannot apply them)', () => {
    expect(SUPPLY_KINDS).toEqual(['providers', 'contracts', 'payments']);
    for (const kind of SUPPLY_KINDS) {
      expect(IMPORT_KINDS).not.toContain(kind);
      expect(KIND_SPECS[kind]).toBeDefined();
    }
  });

  it.each<[SupplyKind, string[]]>([
    ['providers', ['name', 'level', 'contactName', 'email', 'phone', 'chatChannel', 'notes']],
    [
      'contracts',
      [
        'provider',
        'title',
        'service',
        'startDate',
        'endDate',
        'noticeDays',
        'autoRenews',
        'valuePence',
        'responseTargetHours',
        'status',
        'notes',
      ],
    ],
    [
      'payments',
      [
        'payee',
        'provider',
        'amountPence',
        'dueDate',
        'recurrence',
        'status',
        'paidDate',
        'reference',
        'notes',
      ],
    ],
  ])('lists every field of %s in export order', (kind, fields) => {
    expect(fieldsOf(kind)).toEqual(fields);
  });

  it.each(SUPPLY_KINDS)('gives every heading of %s to one field only', (kind) => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const field of fieldsOf(kind)) {
      const column = columnOf(kind, field);
      for (const alias of [column.header, ...column.aliases]) {
        const key = matchKey(alias);
        const other = owner.get(key);
        if (other !== undefined && other !== field) clashes.push(`${alias}: ${other} and ${field}`);
        owner.set(key, field);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('uses the natural keys of supply-keys.ts', () => {
    expect(KIND_SPECS.providers.keyOf(provider({ name: ' ACME it ' }))).toBe(
      supplyKeyOf.provider(provider()),
    );
    expect(KIND_SPECS.contracts.keyOf(contract())).toBe(supplyKeyOf.contract(contract()));
    expect(KIND_SPECS.payments.keyOf(payment())).toBe(supplyKeyOf.payment(payment()));
  });
});

describe('mapHeaders for the supply kinds', () => {
  it('matches a finance office payments spreadsheet', () => {
    expect(
      mapHeaders('payments', [
        'Supplier',
        'Amount (£)',
        'Due Date',
        'Frequency',
        'Reference',
        'Status',
        'Date Paid',
        'Cost centre',
      ]),
    ).toEqual({
      ok: true,
      columns: ['payee', 'amountPence', 'dueDate', 'recurrence', 'reference', 'status', 'paidDate', null],
      ignored: ['Cost centre'],
      standIns: [],
      notes: [],
    });
  });

  it('matches a contracts spreadsheet', () => {
    expect(
      mapHeaders('contracts', [
        'Supplier',
        'Contract',
        'Description',
        'Start Date',
        'End Date',
        'Notice (days)',
        'Auto renew',
        'Annual value',
        'SLA hours',
        'Status',
        'Comments',
      ]),
    ).toEqual({
      ok: true,
      columns: [
        'provider',
        'title',
        'service',
        'startDate',
        'endDate',
        'noticeDays',
        'autoRenews',
        'valuePence',
        'responseTargetHours',
        'status',
        'notes',
      ],
      ignored: [],
      standIns: [],
      notes: [],
    });
  });

  it('matches a providers spreadsheet', () => {
    expect(
      mapHeaders('providers', [
        'Supplier',
        'Support level',
        'Contact Name',
        'E-mail',
        'Telephone',
        'Slack channel',
        'Notes',
      ]),
    ).toEqual({
      ok: true,
      columns: ['name', 'level', 'contactName', 'email', 'phone', 'chatChannel', 'notes'],
      ignored: [],
      standIns: [],
      notes: [],
    });
  });

  it.each<[SupplyKind, string, string]>([
    ['providers', 'Company', 'name'],
    ['providers', 'Provider', 'name'],
    ['providers', 'Tier', 'level'],
    ['providers', 'Email Address', 'email'],
    ['providers', 'Tel', 'phone'],
    ['providers', 'Channel', 'chatChannel'],
    ['contracts', 'Company', 'provider'],
    ['contracts', 'Name', 'title'],
    ['contracts', 'Expiry', 'endDate'],
    ['contracts', 'Expires', 'endDate'],
    ['contracts', 'Renewal Date', 'endDate'],
    ['contracts', 'Notice period', 'noticeDays'],
    ['contracts', 'Notice', 'noticeDays'],
    ['contracts', 'Rolling', 'autoRenews'],
    ['contracts', 'Auto-renews', 'autoRenews'],
    ['contracts', 'Cost', 'valuePence'],
    ['contracts', 'Price', 'valuePence'],
    ['contracts', 'Response target (hours)', 'responseTargetHours'],
    ['contracts', 'Response hours', 'responseTargetHours'],
    ['payments', 'Payee', 'payee'],
    ['payments', 'Paid to', 'payee'],
    ['payments', 'Vendor', 'payee'],
    ['payments', 'Provider', 'provider'],
    ['payments', 'Amount', 'amountPence'],
    ['payments', 'Amount £', 'amountPence'],
    ['payments', 'Value', 'amountPence'],
    ['payments', 'Due', 'dueDate'],
    ['payments', 'Date due', 'dueDate'],
    ['payments', 'Payment date', 'dueDate'],
    ['payments', 'Recurrence', 'recurrence'],
    ['payments', 'Repeats', 'recurrence'],
    ['payments', 'Paid date', 'paidDate'],
    ['payments', 'Ref', 'reference'],
    ['payments', 'Invoice', 'reference'],
    ['payments', 'Invoice No.', 'reference'],
    ['payments', 'PO Number', 'reference'],
  ])('in %s, reads the heading %j as %s', (kind, heading, field) => {
    const required: Record<SupplyKind, Record<string, string>> = {
      providers: { name: 'Name' },
      contracts: { provider: 'Provider', title: 'Title' },
      payments: { payee: 'Payee', amountPence: 'Amount', dueDate: 'Due date' },
    };
    const headers = [heading];
    for (const [f, h] of Object.entries(required[kind])) if (f !== field) headers.push(h);
    expect(columnsFor(kind, headers)[0]).toBe(field);
  });

  it.each<[SupplyKind, string[], string]>([
    ['providers', ['Email'], 'The file has no Name column. The columns found were: "Email".'],
    ['contracts', ['Title'], 'The file has no Provider column. The columns found were: "Title".'],
    ['contracts', ['Supplier'], 'The file has no Title column. The columns found were: "Supplier".'],
    [
      'payments',
      ['Supplier', 'Reference'],
      'The file has no Amount or Due date column. The columns found were: "Supplier", "Reference".',
    ],
  ])('refuses a %s file without a required column', (kind, headers, message) => {
    expect(mapHeaders(kind, headers)).toEqual({ ok: false, message });
  });

  it('refuses a payments file with both Supplier and Payee', () => {
    expect(mapHeaders('payments', ['Supplier', 'Payee', 'Amount', 'Due'])).toEqual({
      ok: false,
      message: 'These columns all mean Payee: "Supplier", "Payee". Keep one and import again.',
    });
  });
});

describe('parseRow for providers', () => {
  const headers = ['Name', 'Level', 'Contact', 'Email', 'Phone', 'Chat channel', 'Notes'];

  it('builds a provider record', () => {
    expect(
      parseRow(
        'providers',
        columnsFor('providers', headers),
        row(' Acme IT ', '2nd line', 'Jo Bloggs', 'help@acme.example', '01234 567890', '#acme', ''),
      ),
    ).toEqual({ ok: true, line: 7, record: provider({ chatChannel: '#acme' }) });
  });

  it('defaults to a supplier with no contact details', () => {
    expect(parseRow('providers', columnsFor('providers', ['Supplier']), row('XMA'))).toEqual({
      ok: true,
      line: 7,
      record: {
        name: 'XMA',
        level: 'supplier',
        contactName: '',
        email: '',
        phone: '',
        chatChannel: '',
        notes: '',
      } satisfies ProviderRecord,
    });
  });

  it.each<[string, ProviderRecord['level']]>([
    ['first', 'first'],
    ['1st', 'first'],
    ['First line', 'first'],
    ['1st line support', 'first'],
    ['First-level support', 'first'],
    ['SECOND', 'second'],
    ['2nd', 'second'],
    ['second line', 'second'],
    ['Second-level support', 'second'],
    ['Supplier', 'supplier'],
    ['vendor', 'supplier'],
    ['', 'supplier'],
  ])('reads the level %j as %s', (cell, level) => {
    const result = parseRow('providers', columnsFor('providers', ['Name', 'Level']), row('X', cell));
    expect(result.ok && result.record.level).toBe(level);
  });

  it('refuses an unknown level, an email that is not one, and an over-long phone number', () => {
    expect(
      parseRow(
        'providers',
        columnsFor('providers', ['Name', 'Level', 'Email', 'Phone']),
        row('X', 'third', 'help at acme', '0'.repeat(41)),
      ),
    ).toEqual({
      ok: false,
      line: 7,
      reason:
        'Level: "third" is not one of: First-level support, Second-level support, Supplier; ' +
        'Email: "help at acme" is not an email address; ' +
        `Phone: "${'0'.repeat(39)}…" is longer than 40 characters`,
    });
  });
});

describe('parseRow for contracts', () => {
  const headers = [
    'Supplier',
    'Contract',
    'Service',
    'Start Date',
    'End Date',
    'Notice (days)',
    'Auto-renews',
    'Value',
    'Response target (hours)',
    'Status',
  ];

  it('builds a contract record from UK dates and a £ amount', () => {
    expect(
      parseRow(
        'contracts',
        columnsFor('contracts', headers),
        row(
          'Acme IT',
          'Managed service',
          'Technician two days a week',
          '01/09/2024',
          '31/08/2027',
          '90',
          'yes',
          '£12,345.50',
          '4',
          'Active',
        ),
      ),
    ).toEqual({ ok: true, line: 7, record: contract() });
  });

  it('defaults to no dates, no notice, not rolling, no value and active', () => {
    expect(
      parseRow('contracts', columnsFor('contracts', ['Provider', 'Title']), row('Acme IT', 'Broadband')),
    ).toEqual({
      ok: true,
      line: 7,
      record: {
        provider: 'Acme IT',
        title: 'Broadband',
        service: '',
        startDate: null,
        endDate: null,
        noticeDays: 0,
        autoRenews: false,
        valuePence: null,
        responseTargetHours: null,
        status: 'active',
        notes: '',
      } satisfies ContractRecord,
    });
  });

  it.each<[string, ContractRecord['status']]>([
    ['active', 'active'],
    ['Live', 'active'],
    ['cancelling', 'cancelling'],
    ['Will cancel', 'cancelling'],
    ['notice given', 'cancelling'],
    ['Ended', 'ended'],
    ['expired', 'ended'],
    ['', 'active'],
  ])('reads the status %j as %s', (cell, status) => {
    const result = parseRow(
      'contracts',
      columnsFor('contracts', ['Provider', 'Title', 'Status']),
      row('A', 'B', cell),
    );
    expect(result.ok && result.record.status).toBe(status);
  });

  it.each<[string, boolean]>([
    ['yes', true],
    ['Y', true],
    ['no', false],
    ['', false],
  ])('reads auto-renews %j as %s', (cell, autoRenews) => {
    const result = parseRow(
      'contracts',
      columnsFor('contracts', ['Provider', 'Title', 'Rolling']),
      row('A', 'B', cell),
    );
    expect(result.ok && result.record.autoRenews).toBe(autoRenews);
  });

  it('refuses empty key cells, bad dates, negative notice and a contract that ends before it starts', () => {
    const columns = columnsFor('contracts', headers);
    expect(
      parseRow('contracts', columns, row('', '', '', '31/02/2024', '', '-30', 'maybe', '', '', '')),
    ).toEqual({
      ok: false,
      line: 7,
      reason:
        'Provider is empty; Title is empty; Start date: "31/02/2024" is not a date (use dd/mm/yyyy); ' +
        'Notice (days): "-30" must be 0 or more; Auto-renews: "maybe" is not yes or no',
    });
    expect(
      parseRow('contracts', columns, row('A', 'B', '', '01/09/2025', '31/08/2025', '', '', '', '', '')),
    ).toEqual({
      ok: false,
      line: 7,
      reason: 'End date: the contract ends before it starts',
    });
    const sameDay = parseRow(
      'contracts',
      columns,
      row('A', 'B', '', '01/09/2025', '01/09/2025', '', '', '', '', ''),
    );
    expect(sameDay.ok).toBe(true);
  });
});

describe('parseRow for payments', () => {
  const headers = [
    'Payee',
    'Provider',
    'Amount',
    'Due Date',
    'Frequency',
    'Status',
    'Paid date',
    'Reference',
  ];

  it('builds a payment record from a UK date and a £ amount', () => {
    expect(
      parseRow(
        'payments',
        columnsFor('payments', headers),
        row('Acme IT', 'Acme IT', '£1,234.50', '01/09/2025', 'Monthly', 'Due', '', 'INV-001'),
      ),
    ).toEqual({ ok: true, line: 7, record: payment() });
  });

  it('defaults to a one-off scheduled payment to no provider', () => {
    expect(
      parseRow(
        'payments',
        columnsFor('payments', ['Supplier', 'Amount', 'Due']),
        row('Broadband Co', '1234.5', '2025-9-1'),
      ),
    ).toEqual({
      ok: true,
      line: 7,
      record: {
        payee: 'Broadband Co',
        provider: null,
        amountPence: 123450,
        dueDate: '2025-09-01',
        recurrence: 'none',
        status: 'scheduled',
        paidDate: null,
        reference: '',
        notes: '',
      } satisfies PaymentRecord,
    });
  });

  it.each<[string, number]>([
    ['1234.5', 123450],
    ['£1,234.50', 123450],
    [' £ 12 ', 1200],
    ['0.01', 1],
  ])('reads the amount %j as %d pence', (cell, pence) => {
    const result = parseRow(
      'payments',
      columnsFor('payments', ['Payee', 'Amount', 'Due']),
      row('X', cell, '01/09/2025'),
    );
    expect(result.ok && result.record.amountPence).toBe(pence);
  });

  it.each<[string, PaymentRecord['recurrence']]>([
    ['', 'none'],
    ['none', 'none'],
    ['One-off', 'none'],
    ['one off', 'none'],
    ['Once', 'none'],
    ['monthly', 'monthly'],
    ['Termly', 'termly'],
    ['per term', 'termly'],
    ['Annually', 'annually'],
    ['Yearly', 'annually'],
    ['annual', 'annually'],
  ])('reads the frequency %j as %s', (cell, recurrence) => {
    const result = parseRow(
      'payments',
      columnsFor('payments', ['Payee', 'Amount', 'Due', 'Frequency']),
      row('X', '1', '01/09/2025', cell),
    );
    expect(result.ok && result.record.recurrence).toBe(recurrence);
  });

  it.each<[string, PaymentRecord['status']]>([
    ['', 'scheduled'],
    ['Scheduled', 'scheduled'],
    ['due', 'scheduled'],
    ['Unpaid', 'scheduled'],
    ['PAID', 'paid'],
    ['cancelled', 'cancelled'],
    ['Canceled', 'cancelled'],
  ])('reads the status %j as %s', (cell, status) => {
    const result = parseRow(
      'payments',
      columnsFor('payments', ['Payee', 'Amount', 'Due', 'Status']),
      row('X', '1', '01/09/2025', cell),
    );
    expect(result.ok && result.record.status).toBe(status);
  });

  it.each<[string[], string]>([
    [['X', '0', '01/09/2025', ''], 'Amount: "0" must be more than £0'],
    [['X', '£0.00', '01/09/2025', ''], 'Amount: "£0.00" must be more than £0'],
    [['X', '-5', '01/09/2025', ''], 'Amount: "-5" is not an amount of money'],
    [['X', '12,50', '01/09/2025', ''], 'Amount: "12,50" is not an amount of money'],
    [['X', '', '01/09/2025', ''], 'Amount is empty'],
    [['X', '10', '', ''], 'Due date is empty'],
    [['X', '10', '31/09/2025', ''], 'Due date: "31/09/2025" is not a date (use dd/mm/yyyy)'],
    [['X', '10', 'next Tuesday', ''], 'Due date: "next Tuesday" is not a date (use dd/mm/yyyy)'],
    [
      ['X', '10', '01/09/2025', 'fortnightly'],
      'Frequency: "fortnightly" is not one of: One-off, Monthly, Termly, Annually',
    ],
    [['', '10', '01/09/2025', ''], 'Payee is empty'],
  ])('refuses %j', (cells, reason) => {
    const columns = columnsFor('payments', ['Payee', 'Amount', 'Due date', 'Frequency']);
    expect(parseRow('payments', columns, row(...cells))).toEqual({ ok: false, line: 7, reason });
  });
});

describe('planImport for providers', () => {
  it('sorts rows into new, updated, unchanged and rejected', () => {
    const existing = [provider(), provider({ name: 'XMA', level: 'supplier', email: '' })];
    const result = plan(
      'providers',
      [
        'Supplier,Support level,Contact,E-mail,Telephone,Slack channel,Notes',
        'Acme IT,Second line,Jo Bloggs,help@acme.example,01234 567890,#acme-support,', // 2
        'xma,Supplier,,sales@xma.example,,,', // 3
        'Broadband Co,1st line,,,,,', // 4
        'Bad Co,third,,,,,', // 5
        'ACME IT ,,,,,,', // 6
      ],
      existing,
    );
    expect(result.unchanged).toEqual([{ line: 2, record: existing[0] }]);
    expect(result.updated).toEqual([
      {
        line: 3,
        record: provider({
          name: 'xma',
          level: 'supplier',
          contactName: '',
          email: 'sales@xma.example',
          phone: '',
          chatChannel: '',
        }),
        before: existing[1],
        changes: ['name', 'contactName', 'email', 'phone', 'chatChannel'],
      },
    ]);
    expect(result.new.map((n) => [n.line, n.record.name, n.record.level])).toEqual([
      [4, 'Broadband Co', 'first'],
    ]);
    expect(result.rejected).toEqual([
      {
        line: 5,
        reason: 'Level: "third" is not one of: First-level support, Second-level support, Supplier',
      },
      { line: 6, reason: 'Name "ACME IT" is already on line 2' },
    ]);
    expect(result.unknownProviders).toEqual([]);
    expect(result.unknownLocations).toEqual([]);
  });

  it('keeps the fields of columns the file lacks', () => {
    const existing = [provider()];
    const result = plan('providers', ['Name,Phone', 'Acme IT,0800 123 456'], existing);
    expect(result.updated).toEqual([
      { line: 2, record: provider({ phone: '0800 123 456' }), before: existing[0], changes: ['phone'] },
    ]);
  });

  it('makes its own names known: a providers import reports no unknown providers', () => {
    const result = plan('providers', ['Name', 'Somebody New'], [], new Set());
    expect(result.new.length).toBe(1);
    expect(result.unknownProviders).toEqual([]);
  });
});

describe('planImport for contracts', () => {
  const header =
    'Supplier,Contract,Service,Start Date,End Date,Notice (days),Auto-renews,Value,Response target (hours),Status';

  it('sorts rows into new, updated, unchanged and rejected, with line numbers', () => {
    const existing = [
      contract(),
      contract({ title: 'Broadband', provider: 'Broadband Co', valuePence: null }),
    ];
    const result = plan(
      'contracts',
      [
        header,
        'Acme IT,Managed service,Technician two days a week,01/09/2024,31/08/2027,90,yes,"£12,345.50",4,Active', // 2
        'broadband co,BROADBAND,Technician two days a week,01/09/2024,31/08/2027,90,yes,"1,200",4,Will cancel', // 3
        'Acme IT,Web filtering,,01/09/2024,31/08/2025,30,no,499,,', // 4
        'Acme IT,Printing,,01/09/2024,31/13/2025,30,no,,,', // 5
        'ACME it,managed SERVICE,,,,,,,,', // 6
      ],
      existing,
    );
    expect(result.unchanged).toEqual([{ line: 2, record: existing[0] }]);
    expect(result.updated).toEqual([
      {
        line: 3,
        record: contract({
          provider: 'broadband co',
          title: 'BROADBAND',
          valuePence: 120000,
          status: 'cancelling',
        }),
        before: existing[1],
        // The provider written in another case is the same provider: no change.
        changes: ['title', 'valuePence', 'status'],
      },
    ]);
    expect(result.new.map((n) => [n.line, n.record.title, n.record.endDate, n.record.valuePence])).toEqual([
      [4, 'Web filtering', '2025-08-31', 49900],
    ]);
    expect(result.rejected).toEqual([
      { line: 5, reason: 'End date: "31/13/2025" is not a date (use dd/mm/yyyy)' },
      { line: 6, reason: 'Contract "managed SERVICE" with "ACME it" is already on line 2' },
    ]);
    expect(result.unknownProviders).toEqual([]);
  });

  it('matches a contract by provider and title, so the same title with another provider is new', () => {
    const result = plan(
      'contracts',
      ['Provider,Title', 'Acme IT,Support', 'Broadband Co,Support'],
      [contract({ title: 'Support' })],
    );
    expect(result.unchanged.map((u) => u.line)).toEqual([2]);
    expect(result.new.map((n) => n.line)).toEqual([3]);
  });

  it('keeps the fields of columns the file lacks', () => {
    const existing = [contract()];
    const result = plan(
      'contracts',
      ['Provider,Title,Expires', 'Acme IT,Managed service,31/08/2028'],
      existing,
    );
    expect(result.updated).toEqual([
      { line: 2, record: contract({ endDate: '2028-08-31' }), before: existing[0], changes: ['endDate'] },
    ]);
  });

  it('lists unknown providers once each, as first spelt, leaving out refused rows', () => {
    const result = plan('contracts', [
      'Supplier,Contract,End date',
      'Acme IT,A,', // known
      'Capita SIMS,B,', // unknown
      'capita sims ,C,', // same, other spelling
      'ACME IT,D,', // known, other case
      'RM Education,E,', // unknown
      'Nobody Ltd,F,31/02/2025', // refused: not reported
    ]);
    expect(result.unknownProviders).toEqual(['Capita SIMS', 'RM Education']);
    expect(result.rejected.map((r) => r.line)).toEqual([7]);
  });

  it('with no known providers given, every provider is unknown', () => {
    const result = planImport('contracts', readCsv('Provider,Title\nAcme IT,Support'), []);
    expect(result.ok && result.unknownProviders).toEqual(['Acme IT']);
  });
});

describe('planImport for payments', () => {
  it('sorts rows into new, updated, unchanged and rejected, with line numbers', () => {
    const existing = [payment(), payment({ reference: 'INV-002', amountPence: 5000, recurrence: 'none' })];
    const result = plan(
      'payments',
      [
        'Supplier,Provider,Amount,Due Date,Frequency,Status,Paid date,Reference', // 1
        'Acme IT,Acme IT,"£1,234.50",01/09/2025,Monthly,Scheduled,,INV-001', // 2
        'acme it,acme it,50,2025-09-01,One-off,Paid,03/09/2025,inv-002', // 3
        'Broadband Co,,£45,1/10/2025,Monthly,,,BB-1', // 4
        'Acme IT,,0,01/10/2025,,,,INV-003', // 5
        'Acme IT,,10,31/09/2025,,,,INV-004', // 6
        'Acme IT,,10,01/10/2025,fortnightly,,,INV-005', // 7
        'ACME IT,,99,2025-09-01,,,,inv-001', // 8
      ],
      existing,
    );
    expect(result.unchanged).toEqual([{ line: 2, record: existing[0] }]);
    expect(result.updated).toEqual([
      {
        line: 3,
        record: payment({
          payee: 'acme it',
          provider: 'acme it',
          amountPence: 5000,
          recurrence: 'none',
          status: 'paid',
          paidDate: '2025-09-03',
          reference: 'inv-002',
        }),
        before: existing[1],
        changes: ['payee', 'status', 'paidDate', 'reference'],
      },
    ]);
    expect(
      result.new.map((n) => [
        n.line,
        n.record.payee,
        n.record.provider,
        n.record.amountPence,
        n.record.dueDate,
      ]),
    ).toEqual([[4, 'Broadband Co', null, 4500, '2025-10-01']]);
    expect(result.rejected).toEqual([
      { line: 5, reason: 'Amount: "0" must be more than £0' },
      { line: 6, reason: 'Due date: "31/09/2025" is not a date (use dd/mm/yyyy)' },
      { line: 7, reason: 'Frequency: "fortnightly" is not one of: One-off, Monthly, Termly, Annually' },
      {
        line: 8,
        reason: 'Payment to "ACME IT" due "2025-09-01" with reference "inv-001" is already on line 2',
      },
    ]);
    expect(result.unknownProviders).toEqual([]);
  });

  it('matches on payee, due date and reference: another month or reference is another payment', () => {
    const result = plan(
      'payments',
      [
        'Payee,Amount,Due,Ref',
        'Acme IT,1234.50,01/09/2025,INV-001', // the existing one
        'Acme IT,1234.50,01/10/2025,INV-001', // next month
        'Acme IT,1234.50,01/09/2025,INV-009', // another invoice
        'Acme IT,1234.50,01/09/2025,', // no reference
        'Acme IT,1234.50,1/9/25,', // the same as line 5
      ],
      [payment()],
    );
    expect(result.unchanged.map((u) => u.line)).toEqual([2]);
    expect(result.new.map((n) => n.line)).toEqual([3, 4, 5]);
    expect(result.rejected).toEqual([
      { line: 6, reason: 'Payment to "Acme IT" due "1/9/25" is already on line 5' },
    ]);
  });

  it('keeps the fields of columns the file lacks', () => {
    const existing = [payment({ notes: 'Direct debit', status: 'paid', paidDate: '2025-09-01' })];
    const result = plan(
      'payments',
      ['Payee,Amount,Due date,Reference', 'Acme IT,1300,01/09/2025,INV-001'],
      existing,
    );
    expect(result.updated).toEqual([
      {
        line: 2,
        record: { ...existing[0], amountPence: 130000 },
        before: existing[0],
        changes: ['amountPence'],
      },
    ]);
  });

  it('lists unknown providers, but not payees (a payee need not be a provider)', () => {
    const result = plan('payments', [
      'Payee,Provider,Amount,Due',
      'Stationery World,,12.99,01/09/2025',
      'Acme IT,acme it,10,01/09/2025',
      'Capita,Capita SIMS,10,01/09/2025',
      'Capita,capita sims,10,01/10/2025',
    ]);
    expect(result.unknownProviders).toEqual(['Capita SIMS']);
    expect(result.unknownLocations).toEqual([]);
  });

  it('treats a provider written in another case as no change', () => {
    const result = plan(
      'payments',
      ['Payee,Provider,Amount,Due,Ref', 'Acme IT,ACME it,1234.50,01/09/2025,INV-001'],
      [payment()],
    );
    expect(result.unchanged.map((u) => u.line)).toEqual([2]);
  });
});

const awkward = [
  'Smith, J',
  'She said "hi"',
  'line one\nline two',
  'crlf one\r\ntwo',
  '=HYPERLINK("http://x","y")',
  '+1',
  '-1',
  '@SUM(A1)',
  "'=already quoted",
  'Mrs O’Brien’s class',
  'Ysgol Gymraeg — Dosbarth Ŵ',
  '',
];
const oneLine = (text: string) => text.replaceAll(/[\r\n]+/g, ' ');

const providers: ProviderRecord[] = [
  provider(),
  provider({ name: 'XMA', level: 'supplier', contactName: '', email: '', phone: '', chatChannel: '' }),
  provider({ name: 'Broadband Co', level: 'first', phone: '+44 20 7946 0000', chatChannel: 'C0123ABCD' }),
  ...awkward.map((text, i) =>
    provider({
      name: text === '' ? `Awkward ${i}` : `Awkward ${i} ${oneLine(text)}`,
      level: 'first',
      contactName: oneLine(text),
      email: '',
      phone: text.slice(0, 40),
      chatChannel: oneLine(text),
      notes: text,
    }),
  ),
  provider({ name: '=cmd|calc', email: '-x@y.example' }),
];

const contracts: ContractRecord[] = [
  contract(),
  contract({
    title: 'Broadband',
    provider: 'Broadband Co',
    service: '',
    startDate: null,
    endDate: null,
    noticeDays: 0,
    autoRenews: false,
    valuePence: null,
    responseTargetHours: null,
    status: 'ended',
  }),
  contract({ title: 'Print', status: 'cancelling', valuePence: 5, responseTargetHours: 0 }),
  ...awkward.map((text, i) =>
    contract({
      provider: providers[3 + i]?.name ?? '',
      title: text === '' ? `Awkward ${i}` : `Awkward ${i} ${text}`,
      service: text,
      valuePence: i,
      noticeDays: i,
      notes: text,
    }),
  ),
];

const payments: PaymentRecord[] = [
  payment(),
  payment({
    payee: 'Stationery World',
    provider: null,
    amountPence: 1,
    recurrence: 'none',
    status: 'paid',
    paidDate: '2025-08-30',
    reference: '',
  }),
  payment({ recurrence: 'termly', status: 'cancelled', dueDate: '2026-01-05' }),
  payment({ recurrence: 'annually', amountPence: 2_147_483_647, reference: 'PO 77' }),
  ...awkward.map((text, i) =>
    payment({
      payee: text === '' ? `Awkward ${i}` : `Awkward ${i} ${text}`,
      provider: providers[3 + i]?.name ?? null,
      amountPence: 100 + i,
      reference: text,
      notes: text,
    }),
  ),
];

const allKnown = new Set(providers.map((p) => p.name.trim().toLowerCase()));

describe('toCsv for the supply kinds', () => {
  it.each<[SupplyKind, string]>([
    ['providers', 'Name,Level,Contact,Email,Phone,Chat channel,Notes'],
    [
      'contracts',
      'Provider,Title,Service,Start date,End date,Notice (days),Auto-renews,Value,Response target (hours),Status,Notes',
    ],
    ['payments', 'Payee,Provider,Amount,Due date,Frequency,Status,Paid date,Reference,Notes'],
  ])('writes the %s headings in a fixed order', (kind, header) => {
    expect(headersOf(kind).join(',')).toBe(header);
    expect(toCsv(kind, [])).toBe(`${BOM}${header}\r\n`);
  });

  it('writes labels, UK dates (14/12/2026), pounds with two decimals and yes/no', () => {
    expect(toCsv('providers', providers.slice(0, 3)).split('\r\n').slice(1, 4)).toEqual([
      'Acme IT,Second-level support,Jo Bloggs,help@acme.example,01234 567890,#acme-support,',
      'XMA,Supplier,,,,,',
      "Broadband Co,First-level support,Jo Bloggs,help@acme.example,'+44 20 7946 0000,C0123ABCD,",
    ]);
    expect(toCsv('contracts', contracts.slice(0, 3)).split('\r\n').slice(1, 4)).toEqual([
      'Acme IT,Managed service,Technician two days a week,01/09/2024,31/08/2027,90,yes,12345.50,4,Active,',
      'Broadband Co,Broadband,,,,0,no,,,Ended,',
      'Acme IT,Print,Technician two days a week,01/09/2024,31/08/2027,90,yes,0.05,0,Will cancel,',
    ]);
    expect(toCsv('payments', payments.slice(0, 4)).split('\r\n').slice(1, 5)).toEqual([
      'Acme IT,Acme IT,1234.50,01/09/2025,Monthly,Scheduled,,INV-001,',
      'Stationery World,,0.01,01/09/2025,One-off,Paid,30/08/2025,,',
      'Acme IT,Acme IT,1234.50,05/01/2026,Termly,Cancelled,,INV-001,',
      'Acme IT,Acme IT,21474836.47,01/09/2025,Annually,Scheduled,,PO 77,',
    ]);
  });
});

describe('export then import for the supply kinds', () => {
  it.each<[SupplyKind, ReadonlyArray<ImportRecord<SupplyKind>>]>([
    ['providers', providers],
    ['contracts', contracts],
    ['payments', payments],
  ])('round-trips %s, awkward text included: every row unchanged', (kind, records) => {
    const result = planImport(kind, readCsv(toCsv(kind, records)), records, { knownProviders: allKnown });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rejected).toEqual([]);
    expect(result.new).toEqual([]);
    expect(result.updated).toEqual([]);
    expect(result.unchanged.map((u) => u.record)).toEqual(records);
    expect(result.unknownProviders).toEqual([]);
    expect(result.unknownLocations).toEqual([]);
    expect(result.ignoredColumns).toEqual([]);
  });

  it.each<[SupplyKind, ReadonlyArray<ImportRecord<SupplyKind>>]>([
    ['providers', providers],
    ['contracts', contracts],
    ['payments', payments],
  ])('into an empty register gives back exactly the %s exported', (kind, records) => {
    const result = planImport(kind, readCsv(toCsv(kind, records)), [], { knownProviders: allKnown });
    expect(result.ok && result.rejected).toEqual([]);
    expect(result.ok && result.new.map((n) => n.record)).toEqual(records);
  });

  it('re-imports an export that leaves out a column, keeping that field', () => {
    const csv = toCsv('payments', payments, ['notes']);
    expect(csv.split('\r\n')[0]).toBe(
      `${BOM}Payee,Provider,Amount,Due date,Frequency,Status,Paid date,Reference`,
    );
    const result = planImport('payments', readCsv(csv), payments, { knownProviders: allKnown });
    expect(result.ok && result.unchanged.length).toBe(payments.length);
  });
});
