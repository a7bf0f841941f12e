import { describe, expect, it } from 'vitest';
import { matchKey } from '../../../src/domain/imports/fields';
import {
  columnOf,
  fieldsOf,
  IMPORT_KINDS,
  type ImportKind,
  mapHeaders,
  parseRow,
} from '../../../src/domain/imports/kinds';
import type { AssetRecord, LicenceRecord } from '../../../src/domain/registers/types';

function columnsFor<K extends ImportKind>(kind: K, headers: string[]) {
  const mapped = mapHeaders(kind, headers);
  if (!mapped.ok) throw new Error(mapped.message);
  return mapped.columns;
}

const row = (...cells: string[]) => ({ line: 7, cells });

describe('mapHeaders', () => {
  it('matches the headings of a typical school asset spreadsheet', () => {
    const headers = [
      'Asset Tag',
      'Device Type',
      'Manufacturer',
      'Model',
      'Serial No.',
      'Room',
      'Purchase Date',
      'Cost (£)',
      'Warranty',
      'Status',
      'Comments',
      'Supplier',
    ];
    expect(mapHeaders('assets', headers)).toEqual({
      ok: true,
      columns: [
        'tag',
        'type',
        'make',
        'model',
        'serial',
        'location',
        'purchaseDate',
        'costPence',
        'warrantyEnd',
        'status',
        'notes',
        'supplier',
      ],
      ignored: [],
      standIns: [],
      notes: [],
    });
  });

  it.each<[ImportKind, string, string]>([
    ['assets', 'TAG', 'tag'],
    ['assets', 'asset_no', 'tag'],
    ['assets', 'Inventory Number', 'tag'],
    ['assets', 'S/N', 'serial'],
    ['assets', 'Warranty Expires', 'warrantyEnd'],
    ['assets', 'Bought from', 'supplier'],
    ['assets', 'State', 'status'],
    ['locations', 'Room Name', 'name'],
    ['locations', 'Building', 'parent'],
    ['locations', 'Impact', 'defaultImpact'],
    ['locations', 'Inactive', 'archived'],
    ['licences', 'Software', 'title'],
    ['licences', 'License Type', 'type'],
    ['licences', 'Licence type', 'type'],
    ['licences', 'Licenses', 'quantity'],
    ['licences', 'No. of licences', 'quantity'],
    ['licences', 'Installs', 'seatsInUse'],
    ['licences', 'Renewal Date', 'expiryDate'],
    ['licences', 'License Key', 'keyReference'],
  ])('in %s, reads the heading %j as %s', (kind, heading, field) => {
    const headers = [heading];
    if (kind === 'assets' && field !== 'tag') headers.push('Tag');
    if (kind === 'assets' && field !== 'type') headers.push('Type');
    if (kind === 'licences' && field !== 'title') headers.push('Title');
    if (kind === 'locations' && field !== 'name') headers.push('Name');
    expect(columnsFor(kind, headers)[0]).toBe(field);
  });

  it('ignores headings it does not know, and lists them (not blank ones)', () => {
    expect(mapHeaders('assets', ['#', 'Tag', 'Type', 'Hostname', '', 'IP address'])).toEqual({
      ok: true,
      columns: [null, 'tag', 'type', null, null, null],
      ignored: ['#', 'Hostname', 'IP address'],
      standIns: [],
      notes: [],
    });
  });

  it('refuses two headings that mean the same field', () => {
    expect(mapHeaders('assets', ['Tag', 'Asset No', 'Type'])).toEqual({
      ok: false,
      message: 'These columns all mean Asset tag: "Tag", "Asset No". Keep one and import again.',
    });
  });

  it('refuses a file without a required column, naming it and the headings found', () => {
    expect(mapHeaders('assets', ['Serial', 'Room'])).toEqual({
      ok: false,
      message: 'The file has no Asset tag or Type column. The columns found were: "Serial", "Room".',
    });
    expect(mapHeaders('licences', ['Publisher'])).toEqual({
      ok: false,
      message: 'The file has no Title column. The columns found were: "Publisher".',
    });
  });

  it.each(IMPORT_KINDS)('gives every heading of %s to one field only', (kind) => {
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
});

describe('parseRow', () => {
  const assetHeaders = ['Tag', 'Type', 'Room', 'Purchase date', 'Cost', 'Status'];

  it('builds a full asset record, with defaults for the columns the file lacks', () => {
    const columns = columnsFor('assets', assetHeaders);
    expect(
      parseRow('assets', columns, row(' LAP-001 ', 'Chromebook', 'ICT suite', '01/09/2023', '£249.99', '')),
    ).toEqual({
      ok: true,
      line: 7,
      record: {
        tag: 'LAP-001',
        type: 'laptop',
        make: '',
        model: '',
        serial: '',
        location: 'ICT suite',
        supplier: '',
        purchaseDate: '2023-09-01',
        costPence: 24999,
        warrantyEnd: null,
        status: 'in_use',
        notes: '',
      } satisfies AssetRecord,
    });
  });

  it('takes a missing column from the record being updated, not the default', () => {
    const columns = columnsFor('assets', ['Tag', 'Type']);
    const base: AssetRecord = {
      tag: 'LAP-001',
      type: 'desktop',
      make: 'Dell',
      model: 'Latitude',
      serial: 'S1',
      location: 'Library',
      supplier: 'XMA',
      purchaseDate: '2022-01-01',
      costPence: 50000,
      warrantyEnd: '2025-01-01',
      status: 'spare',
      notes: 'n',
    };
    const result = parseRow('assets', columns, row('LAP-001', 'Laptop'), base);
    expect(result).toEqual({ ok: true, line: 7, record: { ...base, type: 'laptop' } });
  });

  it.each<[string, string]>([
    ['live', 'in_use'],
    ['Stock', 'spare'],
    ['faulty', 'in_repair'],
    ['Written off', 'disposed'],
    ['In repair', 'in_repair'],
  ])('reads the status %j as %s', (cell, status) => {
    const columns = columnsFor('assets', ['Tag', 'Type', 'Status']);
    const result = parseRow('assets', columns, row('A1', 'PC', cell));
    expect(result.ok && result.record.status).toBe(status);
  });

  it.each<[string, AssetRecord['type']]>([
    ['PC', 'desktop'],
    ['Notebook', 'laptop'],
    ['iPad', 'tablet'],
    ['SMART board', 'interactive_display'],
    ['Access point', 'network'],
    ['MFD', 'printer'],
  ])('reads the type %j as %s', (cell, type) => {
    const columns = columnsFor('assets', ['Tag', 'Type']);
    const result = parseRow('assets', columns, row('A1', cell));
    expect(result.ok && result.record.type).toBe(type);
  });

  it('reports every problem in the row at once, naming the column', () => {
    const columns = columnsFor('assets', assetHeaders);
    expect(
      parseRow('assets', columns, row('LAP-001', 'Laptop', 'Hall', '31/02/2024', 'abc', 'lost')),
    ).toEqual({
      ok: false,
      line: 7,
      reason:
        'Purchase date: "31/02/2024" is not a date (use dd/mm/yyyy); Cost: "abc" is not an amount of money; ' +
        'Status: "lost" is not one of: In use, Spare, In repair, Disposed',
    });
  });

  it('refuses an empty required cell', () => {
    const columns = columnsFor('assets', ['Tag', 'Type']);
    expect(parseRow('assets', columns, row('', ''))).toEqual({
      ok: false,
      line: 7,
      reason: 'Asset tag is empty; Type is empty',
    });
  });

  it('refuses a row with more cells than the header, but not trailing empty cells', () => {
    const columns = columnsFor('assets', ['Tag', 'Type']);
    expect(parseRow('assets', columns, row('A1', 'PC', 'surprise'))).toEqual({
      ok: false,
      line: 7,
      reason: 'This row has more cells than the header (3 cells, 2 headings)',
    });
    expect(parseRow('assets', columns, row('A1', 'PC', '', ' ')).ok).toBe(true);
  });

  it('refuses an asset tag over 64 characters', () => {
    const columns = columnsFor('assets', ['Tag', 'Type']);
    expect(parseRow('assets', columns, row('T'.repeat(64), 'PC')).ok).toBe(true);
    const result = parseRow('assets', columns, row('T'.repeat(65), 'PC'));
    expect(!result.ok && result.reason).toMatch(/^Asset tag: "T+…" is longer than 64 characters$/);
  });

  it('restores a neutralised cell before reading it', () => {
    const columns = columnsFor('assets', ['Tag', 'Type', 'Notes']);
    const result = parseRow('assets', columns, row("'=A1", 'PC', "'-see office"));
    expect(result.ok && [result.record.tag, result.record.notes]).toEqual(['=A1', '-see office']);
  });

  describe('locations', () => {
    const columns = () => columnsFor('locations', ['Name', 'Parent', 'Default impact', 'Archived']);

    it('builds a location record', () => {
      expect(parseRow('locations', columns(), row('ICT suite', 'Main block', 'suite', 'no'))).toEqual({
        ok: true,
        line: 7,
        record: { name: 'ICT suite', parent: 'Main block', defaultImpact: 'department', archived: false },
      });
    });

    it('defaults to no parent, no impact and not archived', () => {
      const result = parseRow('locations', columnsFor('locations', ['Room']), row('Hall'));
      expect(result).toEqual({
        ok: true,
        line: 7,
        record: { name: 'Hall', parent: null, defaultImpact: null, archived: false },
      });
    });

    it('refuses a location inside itself, ignoring case and spaces', () => {
      expect(parseRow('locations', columns(), row('Hall', ' hall ', '', ''))).toEqual({
        ok: false,
        line: 7,
        reason: 'Parent: a location cannot be inside itself',
      });
    });

    it('refuses names over 100 characters', () => {
      const result = parseRow('locations', columns(), row('x'.repeat(101), 'y'.repeat(101), '', ''));
      expect(!result.ok && result.reason.split('; ').map((p) => p.split(':')[0])).toEqual(['Name', 'Parent']);
    });
  });

  describe('licences', () => {
    const headers = ['Title', 'Publisher', 'Type', 'Quantity', 'Seats in use'];

    it('builds a licence record with defaults', () => {
      const result = parseRow(
        'licences',
        columnsFor('licences', headers),
        row('Office', 'Microsoft', '', '30', ''),
      );
      expect(result).toEqual({
        ok: true,
        line: 7,
        record: {
          title: 'Office',
          publisher: 'Microsoft',
          type: 'per_device',
          quantity: 30,
          seatsInUse: 0,
          startDate: null,
          expiryDate: null,
          supplier: '',
          costPence: null,
          keyReference: '',
          notes: '',
        } satisfies LicenceRecord,
      });
    });

    it.each<[string, LicenceRecord['type']]>([
      ['Site License', 'site'],
      ['site licence', 'site'],
      ['Named user', 'per_user'],
      ['per-device', 'per_device'],
      ['Annual', 'subscription'],
    ])('reads the type %j as %s', (cell, type) => {
      const result = parseRow('licences', columnsFor('licences', headers), row('X', '', cell, '1', '0'));
      expect(result.ok && result.record.type).toBe(type);
    });

    it.each([
      ['Per device', 'Quantity is needed for a per device licence'],
      ['Per user', 'Quantity is needed for a per user licence'],
      ['Subscription', 'Quantity is needed for a subscription licence'],
    ])('needs a quantity for a %s licence', (type, reason) => {
      expect(parseRow('licences', columnsFor('licences', headers), row('X', '', type, '', ''))).toEqual({
        ok: false,
        line: 7,
        reason,
      });
    });

    it('allows a site licence without a quantity', () => {
      const result = parseRow('licences', columnsFor('licences', headers), row('X', '', 'Site', '', '400'));
      expect(result.ok && [result.record.quantity, result.record.seatsInUse]).toEqual([null, 400]);
    });

    it('refuses negative quantities and seats in use', () => {
      expect(parseRow('licences', columnsFor('licences', headers), row('X', '', 'Site', '-1', '-3'))).toEqual(
        {
          ok: false,
          line: 7,
          reason: 'Quantity: "-1" must be 0 or more; Seats in use: "-3" must be 0 or more',
        },
      );
    });
  });
});

describe('fieldsOf', () => {
  it.each<[ImportKind, string[]]>([
    ['locations', ['name', 'parent', 'defaultImpact', 'archived']],
    [
      'assets',
      [
        'tag',
        'type',
        'make',
        'model',
        'serial',
        'location',
        'supplier',
        'purchaseDate',
        'costPence',
        'warrantyEnd',
        'status',
        'notes',
      ],
    ],
    [
      'licences',
      [
        'title',
        'publisher',
        'type',
        'quantity',
        'seatsInUse',
        'startDate',
        'expiryDate',
        'supplier',
        'costPence',
        'keyReference',
        'notes',
      ],
    ],
  ])('lists every field of %s in export order', (kind, fields) => {
    expect(fieldsOf(kind)).toEqual(fields);
  });
});
