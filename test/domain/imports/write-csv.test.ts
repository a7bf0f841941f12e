import { describe, expect, it } from 'vitest';
import type { ImportKind, ImportRecord } from '../../../src/domain/imports/kinds';
import { planImport } from '../../../src/domain/imports/plan';
import { readCsv } from '../../../src/domain/imports/read-csv';
import { headersOf, toCsv } from '../../../src/domain/imports/write-csv';
import type { AssetRecord, LicenceRecord, LocationRecord } from '../../../src/domain/registers/types';

const BOM = '\uFEFF';

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

const asset = (over: Partial<AssetRecord> = {}): AssetRecord => ({
  tag: 'LAP-001',
  type: 'interactive_display',
  make: 'Promethean',
  model: 'ActivPanel 9',
  serial: 'SN-1',
  location: 'ICT suite',
  supplier: 'XMA',
  purchaseDate: '2023-09-01',
  costPence: 123450,
  warrantyEnd: '2028-08-31',
  status: 'in_repair',
  notes: '',
  ...over,
});

const licence = (over: Partial<LicenceRecord> = {}): LicenceRecord => ({
  title: 'Office',
  publisher: 'Microsoft',
  type: 'per_user',
  quantity: 30,
  seatsInUse: 0,
  startDate: '2024-09-01',
  expiryDate: null,
  supplier: '',
  costPence: 5,
  keyReference: 'Office safe',
  notes: '',
  ...over,
});

const assets: AssetRecord[] = [
  asset(),
  asset({
    tag: 'PC-7',
    type: 'desktop',
    location: null,
    purchaseDate: null,
    costPence: null,
    warrantyEnd: null,
    status: 'in_use',
  }),
  ...awkward.map((text, i) =>
    asset({
      tag: `AWK-${i}`,
      type: 'other',
      make: text,
      model: text,
      serial: text,
      location: text === '' ? null : text.replaceAll(/[\r\n]/g, ' '),
      supplier: text,
      notes: text,
      costPence: i,
      status: 'disposed',
    }),
  ),
  asset({ tag: '=CMD|calc', type: 'server', costPence: 0 }),
];

const locations: LocationRecord[] = [
  { name: 'Main block', parent: null, defaultImpact: null, archived: false },
  { name: 'ICT suite', parent: 'Main block', defaultImpact: 'department', archived: false },
  { name: 'Mrs O’Brien’s class', parent: 'Main block', defaultImpact: 'room', archived: true },
  { name: 'Ysgol Gymraeg, "Y Dderwen"', parent: null, defaultImpact: 'whole_school', archived: false },
  { name: '=1+1', parent: '@home', defaultImpact: 'person', archived: false },
  { name: '@home', parent: null, defaultImpact: null, archived: false },
];

const licences: LicenceRecord[] = [
  licence(),
  licence({
    title: 'Espresso',
    publisher: '',
    type: 'site',
    quantity: null,
    seatsInUse: 412,
    costPence: 99999999,
  }),
  licence({ title: 'Office', publisher: 'Other Co', type: 'subscription', expiryDate: '2025-08-31' }),
  ...awkward.map((text, i) =>
    licence({
      title: text === '' ? `Awkward ${i}` : `Awkward ${i} ${text}`,
      publisher: text,
      type: 'concurrent',
      quantity: i,
      seatsInUse: i * 2,
      supplier: text,
      keyReference: text,
      notes: text,
    }),
  ),
];

describe('toCsv', () => {
  it.each<[ImportKind, string]>([
    ['locations', 'Name,Parent,Default impact,Archived'],
    [
      'assets',
      'Asset tag,Type,Make,Model,Serial,Location,Supplier,Purchase date,Cost,Warranty end,Status,Notes',
    ],
    [
      'licences',
      'Title,Publisher,Type,Quantity,Seats in use,Start date,Expiry date,Supplier,Cost,Key reference,Notes',
    ],
  ])('writes the %s headings in a fixed order', (kind, header) => {
    expect(headersOf(kind).join(',')).toBe(header);
    expect(toCsv(kind, [])).toBe(`${BOM}${header}\r\n`);
  });

  it('writes UK dates (14/12/2026), pounds with two decimals, labels and CRLF line ends', () => {
    const csv = toCsv('assets', [
      asset(),
      asset({ tag: 'B', costPence: 5, purchaseDate: null, status: 'in_use' }),
    ]);
    expect(csv.split('\r\n').slice(1)).toEqual([
      'LAP-001,Interactive display,Promethean,ActivPanel 9,SN-1,ICT suite,XMA,01/09/2023,1234.50,31/08/2028,In repair,',
      'B,Interactive display,Promethean,ActivPanel 9,SN-1,ICT suite,XMA,,0.05,31/08/2028,In use,',
      '',
    ]);
  });

  it('writes yes/no, impact labels and an empty parent', () => {
    expect(toCsv('locations', locations.slice(1, 3)).split('\r\n').slice(1, 3)).toEqual([
      'ICT suite,Main block,A suite or department,no',
      'Mrs O’Brien’s class,Main block,One room or class,yes',
    ]);
  });

  it('writes a site licence with no quantity as an empty cell', () => {
    const line = toCsv('licences', [licences[1] as LicenceRecord]).split('\r\n')[1];
    expect(line).toBe('Espresso,,Site,,412,01/09/2024,,,999999.99,Office safe,');
  });

  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('neutralises the formula %j in a text cell', (text, cell) => {
    const line = toCsv('assets', [asset({ tag: 'X', notes: text })]).split('\r\n')[1];
    expect(line?.endsWith(`,${cell}`)).toBe(true);
  });

  it('neutralises a formula in any column, even the key', () => {
    const csv = toCsv('locations', [{ name: '=1+1', parent: '@home', defaultImpact: null, archived: false }]);
    expect(csv.split('\r\n')[1]).toBe("'=1+1,'@home,,no");
  });

  it('quotes a cell holding a bare line feed or carriage return, not just CRLF', () => {
    const csv = toCsv('assets', [asset({ tag: 'X', notes: 'a\nb', model: 'c\rd' })]);
    expect(csv).toContain(',"a\nb"\r\n');
    expect(csv).toContain(',"c\rd",');
  });
});

describe('export then import', () => {
  it.each<[ImportKind, ReadonlyArray<ImportRecord<ImportKind>>]>([
    ['locations', locations],
    ['assets', assets],
    ['licences', licences],
  ])('round-trips %s: every row unchanged', (kind, records) => {
    const knownLocations = new Set(
      assets.flatMap((a) => (a.location === null ? [] : [a.location.trim().toLowerCase()])),
    );
    const result = planImport(kind, readCsv(toCsv(kind, records)), records, { knownLocations });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rejected).toEqual([]);
    expect(result.new).toEqual([]);
    expect(result.updated).toEqual([]);
    expect(result.unchanged.map((u) => u.record)).toEqual(records);
    expect(result.unknownLocations).toEqual([]);
    expect(result.ignoredColumns).toEqual([]);
  });

  it('into an empty register gives back exactly the records exported', () => {
    const result = planImport('assets', readCsv(toCsv('assets', assets)), [], { knownLocations: new Set() });
    expect(result.ok && result.rejected).toEqual([]);
    expect(result.ok && result.new.map((n) => n.record)).toEqual(assets);
  });

  it('reads a date back as the day exported, whether the file says 14/12/2026 or 2026-12-14', () => {
    const record = asset({ tag: 'D', purchaseDate: '2026-12-14', warrantyEnd: '2029-02-28' });
    const exported = toCsv('assets', [record]);
    expect(exported.split('\r\n')[1]).toContain(',14/12/2026,1234.50,28/02/2029,');
    const byHand = exported.replace('14/12/2026', '2026-12-14').replace('28/02/2029', '2029-02-28');
    for (const file of [exported, byHand]) {
      const result = planImport('assets', readCsv(file), [record], {
        knownLocations: new Set(['ict suite']),
      });
      expect(result.ok && result.unchanged.map((u) => u.record)).toEqual([record]);
    }
  });

  it('refuses a day that does not exist (31/02/2026) on its line', () => {
    const file = toCsv('assets', [asset({ tag: 'A' }), asset({ tag: 'B' })]).replace(
      'B,Interactive display,Promethean,ActivPanel 9,SN-1,ICT suite,XMA,01/09/2023',
      'B,Interactive display,Promethean,ActivPanel 9,SN-1,ICT suite,XMA,31/02/2026',
    );
    const result = planImport('assets', readCsv(file), [], { knownLocations: new Set(['ict suite']) });
    expect(result.ok && result.rejected).toEqual([
      { line: 3, reason: expect.stringContaining('"31/02/2026" is not a date') },
    ]);
  });

  it('numbers the re-imported rows by their lines, counting line breaks inside cells', () => {
    const records = [asset({ tag: 'A', notes: 'x\ny\nz' }), asset({ tag: 'B' })];
    const result = planImport('assets', readCsv(toCsv('assets', records)), []);
    expect(result.ok && result.new.map((n) => n.line)).toEqual([2, 5]);
  });
});
