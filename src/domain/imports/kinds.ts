/**
 * The registers that import and export as CSV, matching a file's headings to their fields and
 * reading one row into a record.
 */
import type { AssetRecord, LicenceRecord, LocationRecord } from '../registers/types';
import type { Column } from './columns';
import { matchKey, restoreCell } from './fields';
import { assetSpec, type KindSpec, licenceSpec, locationSpec } from './kind-specs';
import type { CsvRow } from './read-csv';
import type { ContractRecord, PaymentRecord, ProviderRecord } from './supply-records';
import { contractSpec, paymentSpec, providerSpec } from './supply-specs';

/** The registers the import commit (registers/import-register.ts) and `/spoc import` apply. */
export const IMPORT_KINDS = ['locations', 'assets', 'licences'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * The supply registers, which this engine reads and writes but which are not in IMPORT_KINDS:
 * applying their plans is not wired into the register import yet.
 */
export const SUPPLY_KINDS = ['providers', 'contracts', 'payments'] as const;
export type SupplyKind = (typeof SUPPLY_KINDS)[number];

/** Every kind this engine can plan and export. */
export type AnyImportKind = ImportKind | SupplyKind;

/** Every kind that imports and exports as CSV, in the order commands list them. */
export const ALL_IMPORT_KINDS: readonly AnyImportKind[] = [...IMPORT_KINDS, ...SUPPLY_KINDS];

/** The record type of each register kind. */
export interface ImportRecordOf {
  locations: LocationRecord;
  assets: AssetRecord;
  licences: LicenceRecord;
  providers: ProviderRecord;
  contracts: ContractRecord;
  payments: PaymentRecord;
}
export type ImportRecord<K extends AnyImportKind> = ImportRecordOf[K];
export type ImportField<K extends AnyImportKind> = keyof ImportRecordOf[K] & string;

export const KIND_SPECS: { [K in AnyImportKind]: KindSpec<ImportRecordOf[K]> } = {
  locations: locationSpec,
  assets: assetSpec,
  licences: licenceSpec,
  providers: providerSpec,
  contracts: contractSpec,
  payments: paymentSpec,
};

/** The fields of a kind in export order. */
export function fieldsOf<K extends AnyImportKind>(kind: K): Array<ImportField<K>> {
  return Object.keys(KIND_SPECS[kind].columns) as Array<ImportField<K>>;
}

/** The column of one field, typed loosely: the parsers are chosen per field, so values line up. */
export function columnOf<K extends AnyImportKind>(kind: K, field: ImportField<K>): Column<unknown> {
  return (KIND_SPECS[kind].columns as Record<string, Column<unknown>>)[field] as Column<unknown>;
}

/** A required field the file has no column for, read from another field's column instead. */
export interface StandIn<K extends AnyImportKind> {
  field: ImportField<K>;
  from: ImportField<K>;
  /** The index of the heading of `from`. */
  index: number;
}

export type HeaderMap<K extends AnyImportKind> =
  | {
      ok: true;
      /** The field each heading (by index) fills, or null for a heading import ignores. */
      columns: Array<ImportField<K> | null>;
      /** Non-blank headings that match no field. */
      ignored: string[];
      /** Required fields read from another column, the file having none of their own. */
      standIns: Array<StandIn<K>>;
      /** What the preview should say about how the headings were read (one line each). */
      notes: string[];
    }
  | { ok: false; message: string };

function listHeadings(headings: string[]): string {
  return headings.map((h) => `"${h}"`).join(', ');
}

/**
 * Matches a file's headings to fields by canonical heading or alias, ignoring case, spaces and
 * punctuation (so "Serial No.", "Cost (£)" and "asset_tag" all match). Unknown headings are ignored;
 * two headings meaning the same field are an error, and so is a required field with no heading —
 * unless the kind names a field to stand in for it (a contract's Service for its Title) and the
 * file has that one: its cells are then read for both, and a note says so.
 */
export function mapHeaders<K extends AnyImportKind>(kind: K, headers: string[]): HeaderMap<K> {
  const byAlias = new Map<string, ImportField<K>>();
  for (const field of fieldsOf(kind)) {
    const column = columnOf(kind, field);
    for (const alias of [column.header, ...column.aliases]) byAlias.set(matchKey(alias), field);
  }
  const columns = headers.map((h) => byAlias.get(matchKey(h)) ?? null);

  for (const field of fieldsOf(kind)) {
    const matching = headers.filter((_, i) => columns[i] === field);
    if (matching.length > 1) {
      return {
        ok: false,
        message: `These columns all mean ${columnOf(kind, field).header}: ${listHeadings(matching)}. Keep one and import again.`,
      };
    }
  }
  const standInsOf = (KIND_SPECS[kind] as KindSpec<ImportRecord<K>>).standIns ?? {};
  const standIns: Array<StandIn<K>> = [];
  const missing: string[] = [];
  for (const field of fieldsOf(kind)) {
    if (!columnOf(kind, field).required || columns.includes(field)) continue;
    const from = (standInsOf as Partial<Record<ImportField<K>, ImportField<K>>>)[field];
    const index = from === undefined ? -1 : columns.indexOf(from);
    if (from !== undefined && index >= 0) standIns.push({ field, from, index });
    else missing.push(columnOf(kind, field).header);
  }
  if (missing.length > 0) {
    const found = headers.filter((h) => h !== '');
    return {
      ok: false,
      message:
        `The file has no ${missing.join(' or ')} column. ` +
        `The columns found were: ${found.length > 0 ? listHeadings(found) : 'none'}.`,
    };
  }
  const notes = standIns.map(
    (s) =>
      `No ${columnOf(kind, s.field).header} column: ${columnOf(kind, s.field).header.toLowerCase()}s were taken from the ${columnOf(kind, s.from).header} column.`,
  );
  return {
    ok: true,
    columns,
    ignored: headers.filter((h, i) => columns[i] === null && h !== ''),
    standIns,
    notes,
  };
}

export type ParsedRow<K extends AnyImportKind> =
  | { ok: true; line: number; record: ImportRecord<K> }
  | { ok: false; line: number; reason: string };

/** The cell of each key field in a row, restored and trimmed; '' for a key column the file lacks. */
export function keyCellsOf<K extends AnyImportKind>(
  kind: K,
  columns: ReadonlyArray<ImportField<K> | null>,
  row: CsvRow,
  standIns: ReadonlyArray<StandIn<K>> = [],
): Record<ImportField<K>, string> {
  const cells = Object.fromEntries(fieldsOf(kind).map((f) => [f, ''])) as Record<ImportField<K>, string>;
  columns.forEach((field, i) => {
    if (field !== null) cells[field] = restoreCell(row.cells[i] ?? '').trim();
  });
  for (const s of standIns) cells[s.field] = cells[s.from];
  return cells;
}

/**
 * Reads one row into a full record. Each cell is restored (see restoreCell), trimmed and parsed;
 * a field whose column the file lacks comes from `base` (the record being updated) or else takes
 * its default ('' for text, null for optional values, in use, per device, 0 seats in use, not
 * archived). Every problem in the row is reported, joined by "; ".
 */
export function parseRow<K extends AnyImportKind>(
  kind: K,
  columns: ReadonlyArray<ImportField<K> | null>,
  row: CsvRow,
  base?: ImportRecord<K>,
  /** Required fields read from another column (see mapHeaders). */
  standIns: ReadonlyArray<StandIn<K>> = [],
): ParsedRow<K> {
  const spec = KIND_SPECS[kind] as KindSpec<ImportRecord<K>>;
  const problems: string[] = [];
  const extra = row.cells.slice(columns.length);
  if (extra.some((cell) => cell.trim() !== '')) {
    problems.push(
      `This row has more cells than the header (${row.cells.length} cells, ${columns.length} headings)`,
    );
  }

  const values: Record<string, unknown> = {};
  columns.forEach((field, i) => {
    if (field === null) return;
    const column = columnOf(kind, field);
    const cell = restoreCell(row.cells[i] ?? '').trim();
    if (column.required && cell === '') {
      problems.push(`${column.header} is empty`);
      return;
    }
    const result = column.parse(cell);
    if (result.ok) values[field] = result.value;
    else problems.push(`${column.header}: ${result.reason}`);
  });
  for (const { field, from, index } of standIns) {
    const column = columnOf(kind, field);
    const cell = restoreCell(row.cells[index] ?? '').trim();
    if (cell === '') {
      const source = columnOf(kind, from).header;
      problems.push(
        `${source} is empty, and with no ${column.header} column the ${column.header.toLowerCase()} is taken from it`,
      );
      continue;
    }
    const result = column.parse(cell);
    if (result.ok) values[field] = result.value;
    else problems.push(`${column.header} (from ${columnOf(kind, from).header}): ${result.reason}`);
  }
  for (const field of fieldsOf(kind)) {
    if (columns.includes(field) || standIns.some((s) => s.field === field)) continue;
    values[field] = base === undefined ? defaultOf(columnOf(kind, field)) : base[field];
  }

  problems.push(...spec.check(values as Partial<ImportRecord<K>>));
  if (problems.length > 0) return { ok: false, line: row.line, reason: problems.join('; ') };
  return { ok: true, line: row.line, record: values as unknown as ImportRecord<K> };
}

function defaultOf(column: Column<unknown>): unknown {
  const result = column.parse('');
  // Only reached for optional columns (mapHeaders insists on the required ones), which all accept ''.
  if (!result.ok) throw new Error(`Column ${column.header} has no default`);
  return result.value;
}
