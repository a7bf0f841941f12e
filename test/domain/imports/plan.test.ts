import { describe, expect, it } from 'vitest';
import { planImport } from '../../../src/domain/imports/plan';
import { readCsv } from '../../../src/domain/imports/read-csv';
import type { AssetRecord, LicenceRecord, LocationRecord } from '../../../src/domain/registers/types';

const asset = (over: Partial<AssetRecord> = {}): AssetRecord => ({
  tag: 'LAP-001',
  type: 'laptop',
  make: 'Dell',
  model: 'Latitude 3440',
  serial: 'SN1',
  location: 'ICT suite',
  supplier: 'XMA',
  purchaseDate: '2023-09-01',
  costPence: 54999,
  warrantyEnd: '2026-08-31',
  status: 'in_use',
  notes: '',
  ...over,
});

const known = new Set(['ict suite', 'library', 'hall']);

function plan<K extends 'locations' | 'assets' | 'licences'>(
  kind: K,
  lines: string[],
  existing: Parameters<typeof planImport<K>>[2] = [],
  knownLocations: ReadonlySet<string> = known,
) {
  const result = planImport(kind, readCsv(lines.join('\r\n')), existing, { knownLocations });
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('planImport', () => {
  it('sorts rows into new, updated, unchanged and rejected', () => {
    const existing = [asset({ tag: 'LAP-001' }), asset({ tag: 'LAP-002', location: 'Library' })];
    const result = plan(
      'assets',
      [
        'Asset Tag,Type,Make,Model,Serial No.,Room,Supplier,Purchase Date,Cost (£),Warranty,Status,Notes',
        'LAP-001,Laptop,Dell,Latitude 3440,SN1,ICT suite,XMA,01/09/2023,549.99,31/08/2026,In use,', // 2
        'lap-002,Laptop,Dell,Latitude 3440,SN1,Hall,XMA,01/09/2023,549.99,31/08/2026,Spare,', // 3
        'LAP-003,Tablet,Apple,iPad,SN3,Library,,,,,,', // 4
        'LAP-004,Toaster,,,,,,,,,,', // 5
      ],
      existing,
    );
    expect(result.unchanged).toEqual([{ line: 2, record: existing[0] }]);
    expect(result.updated).toEqual([
      {
        line: 3,
        record: asset({ tag: 'lap-002', location: 'Hall', status: 'spare' }),
        before: existing[1],
        changes: ['tag', 'location', 'status'],
      },
    ]);
    expect(result.new.map((n) => [n.line, n.record.tag, n.record.type, n.record.location])).toEqual([
      [4, 'LAP-003', 'tablet', 'Library'],
    ]);
    expect(result.rejected.map((r) => r.line)).toEqual([5]);
    expect(result.unknownLocations).toEqual([]);
    expect(result.ignoredColumns).toEqual([]);
  });

  it('treats a location written in another case as the same location', () => {
    const existing = [asset()];
    const result = plan('assets', ['Tag,Type,Room', 'LAP-001,Laptop,ict SUITE'], existing);
    expect(result.unchanged.map((u) => u.line)).toEqual([2]);
  });

  it('leaves the fields of columns the file lacks as they are', () => {
    const existing = [asset()];
    const result = plan('assets', ['Tag,Type,Room', 'LAP-001,Laptop,Library'], existing);
    expect(result.updated).toEqual([
      { line: 2, record: asset({ location: 'Library' }), before: existing[0], changes: ['location'] },
    ]);
  });

  it('compares text trimmed, so stray spaces in the register or the file are no change', () => {
    const existing = [asset({ make: ' Dell ', notes: 'spare charger ' })];
    const result = plan('assets', ['Tag,Type,Make,Notes', ' LAP-001 ,Laptop,Dell,  spare charger'], existing);
    expect(result.unchanged.map((u) => u.line)).toEqual([2]);
  });

  it('refuses a key repeated in the file, naming the first line', () => {
    const result = plan('assets', [
      'Tag,Type,Notes', // 1
      'LAP-001,Laptop,"two', // 2
      'lines"', // 3
      'LAP-002,Laptop,', // 4
      'lap-001 ,Desktop,', // 5
      'LAP-002,Phone,', // 6
    ]);
    expect(result.new.map((n) => n.line)).toEqual([2, 4]);
    expect(result.rejected).toEqual([
      { line: 5, reason: 'Asset tag "lap-001" is already on line 2' },
      { line: 6, reason: 'Asset tag "LAP-002" is already on line 4' },
    ]);
  });

  it('refuses a repeat even when the first row was itself refused', () => {
    const result = plan('assets', ['Tag,Type', 'LAP-001,Toaster', 'LAP-001,Laptop']);
    expect(result.rejected.map((r) => [r.line, r.reason.startsWith('Type:')])).toEqual([
      [2, true],
      [3, false],
    ]);
    expect(result.rejected[1]?.reason).toBe('Asset tag "LAP-001" is already on line 2');
  });

  it('refuses a repeated licence by title and publisher', () => {
    const result = plan('licences', [
      'Title,Publisher,Quantity',
      'Office,Microsoft,30',
      'Office,Other Co,5',
      'OFFICE,microsoft,10',
      'Scratch,,1',
      'scratch,,1',
    ]);
    expect(result.rejected).toEqual([
      { line: 4, reason: 'Title "OFFICE" from "microsoft" is already on line 2' },
      { line: 6, reason: 'Title "scratch" is already on line 5' },
    ]);
  });

  it('reports the line a bad row starts on, after a quoted multi-line cell', () => {
    const text = [
      'Tag,Type,Notes,Purchase date', // 1
      'LAP-001,Laptop,"Screen cracked,', // 2
      'replaced ""twice""', // 3
      'see office",01/09/2023', // 4
      'LAP-002,Laptop,ok,31/02/2024', // 5
    ].join('\n');
    const result = planImport('assets', readCsv(text), [], { knownLocations: known });
    expect(result.ok && result.rejected).toEqual([
      { line: 5, reason: 'Purchase date: "31/02/2024" is not a date (use dd/mm/yyyy)' },
    ]);
    expect(result.ok && result.new[0]?.record.notes).toBe('Screen cracked,\nreplaced "twice"\nsee office');
  });

  it('skips rows of empty cells silently', () => {
    const result = plan('assets', ['Tag,Type', ',', 'A1,PC', ' , ', '']);
    expect([result.new.length, result.rejected.length]).toEqual([1, 0]);
  });

  it('lists unknown asset locations once each, as first spelt', () => {
    const result = plan('assets', [
      'Tag,Type,Room',
      'A1,PC,Mrs Brown’s class',
      'A2,PC,mrs brown’s class',
      'A3,PC,Library',
      'A4,PC,Room 12',
      'A5,PC,',
      'A6,Toaster,Room 99',
    ]);
    expect(result.unknownLocations).toEqual(['Mrs Brown’s class', 'Room 12']);
  });

  it('with no known locations given, every asset location is unknown', () => {
    const result = planImport('assets', readCsv('Tag,Type,Room\nA1,PC,Hall'), []);
    expect(result.ok && result.unknownLocations).toEqual(['Hall']);
  });

  it('counts a parent created earlier or later in the same file, or already in the register, as known', () => {
    const existing: LocationRecord[] = [
      { name: 'Science block', parent: null, defaultImpact: null, archived: false },
    ];
    const result = plan(
      'locations',
      [
        'Room,Building',
        'Lab 1,Science block',
        'Room 12,Main block', // parent created on a later line
        'Main block,',
        'Hut 3,Portakabins', // unknown
        'Hut 4,portakabins',
        'Old site,old site', // refused (inside itself): its parent is not reported
      ],
      existing,
      new Set(),
    );
    expect(result.unknownLocations).toEqual(['Portakabins']);
    expect(result.rejected.map((r) => r.line)).toEqual([7]);
  });

  it('lists the headings it ignored', () => {
    const result = plan('assets', ['Tag,Type,Hostname,IP', 'A1,PC,pc1,10.0.0.1']);
    expect(result.ignoredColumns).toEqual(['Hostname', 'IP']);
  });

  it('passes on a file readCsv refused, and a header mapHeaders refused', () => {
    expect(planImport('assets', readCsv(''), [])).toEqual({ ok: false, message: 'The file is empty.' });
    expect(planImport('licences', readCsv('Publisher\nAdobe'), [])).toEqual({
      ok: false,
      message: 'The file has no Title column. The columns found were: "Publisher".',
    });
  });

  it('updates a licence only in the fields that changed', () => {
    const before: LicenceRecord = {
      title: 'Office',
      publisher: 'Microsoft',
      type: 'per_user',
      quantity: 30,
      seatsInUse: 28,
      startDate: '2024-09-01',
      expiryDate: '2025-08-31',
      supplier: '',
      costPence: null,
      keyReference: 'Office safe',
      notes: '',
    };
    const result = plan(
      'licences',
      ['Software,Vendor,License Type,Seats,Installed,Expires', 'Office,Microsoft,Per user,35,31,31/08/2026'],
      [before],
    );
    expect(result.updated).toEqual([
      {
        line: 2,
        record: { ...before, quantity: 35, seatsInUse: 31, expiryDate: '2026-08-31' },
        before,
        changes: ['quantity', 'seatsInUse', 'expiryDate'],
      },
    ]);
  });
});
