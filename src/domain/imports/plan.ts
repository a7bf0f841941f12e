/**
 * Plans an import without touching anything: which rows are new, which update an existing record
 * (and what changes), which change nothing, and which are refused and why. The SPOC sees this as
 * the preview; the commit applies exactly this plan.
 */

import { unsafeCharacterIn } from '../text';
import {
  type AnyImportKind,
  type ImportField,
  type ImportRecord,
  KIND_SPECS,
  keyCellsOf,
  mapHeaders,
  parseRow,
} from './kinds';
import type { CsvRow, ReadCsvResult } from './read-csv';

export interface PlannedRow<R> {
  /** The line in the file where the row starts. */
  line: number;
  record: R;
}

export interface PlannedUpdate<R> extends PlannedRow<R> {
  /** The record as it is now. */
  before: R;
  /** The fields that differ, in export order. */
  changes: Array<keyof R & string>;
}

export interface ImportPlan<R> {
  ok: true;
  new: Array<PlannedRow<R>>;
  updated: Array<PlannedUpdate<R>>;
  unchanged: Array<PlannedRow<R>>;
  rejected: Array<{ line: number; reason: string }>;
  /**
   * Location names the accepted rows refer to (an asset's location, a location's parent) that are
   * neither known nor created by this file: distinct, as first spelt in the file. The commit creates
   * them only when the SPOC confirms.
   */
  unknownLocations: string[];
  /**
   * Provider names the accepted rows refer to (a contract's provider, a payment's provider) that are
   * not among the known providers: distinct, as first spelt in the file. Always empty for a
   * providers import, whose rows are the providers themselves.
   */
  unknownProviders: string[];
  /** Headings in the file that import does not use. */
  ignoredColumns: string[];
  /** How the headings were read, when that is worth saying (a Title taken from Service). */
  notes: string[];
}

export type PlanResult<R> = ImportPlan<R> | { ok: false; message: string };

export interface PlanOptions {
  /**
   * The school's location names, lower-cased and trimmed. Omitted means none are known, apart from
   * (for a locations import) the existing locations passed in.
   */
  knownLocations?: ReadonlySet<string>;
  /**
   * The school's provider names, lower-cased and trimmed, for a contracts or payments import.
   * Omitted means none are known.
   */
  knownProviders?: ReadonlySet<string>;
}

/** How a location or provider name is compared: trimmed, ignoring case. */
const nameKey = (name: string) => name.trim().toLowerCase();

/** A value as compared: trimmed text, and a blank the same as none. */
function normalised(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value.trim() : value;
}

function changedFields<R>(
  fields: Array<keyof R & string>,
  before: R,
  after: R,
  /** Fields naming a location or provider, where a change of case is no change. */
  nameFields: ReadonlyArray<string | undefined>,
) {
  return fields.filter((field) => {
    const a = normalised(before[field]);
    const b = normalised(after[field]);
    if (nameFields.includes(field) && typeof a === 'string' && typeof b === 'string') {
      return a.toLowerCase() !== b.toLowerCase();
    }
    return a !== b;
  });
}

/**
 * Why a row is refused for holding a character no register can store (a NUL or another control
 * character, DEL, a lone surrogate; see text.ts), naming each such cell by the file's heading;
 * undefined when every cell, used or ignored, can be stored.
 */
function unstorableCells(headers: readonly string[], row: CsvRow): string | undefined {
  const problems = row.cells.flatMap((cell, i) => {
    const unsafe = unsafeCharacterIn(cell);
    if (!unsafe) return [];
    const heading = headers[i] ? `"${headers[i]}"` : `Cell ${i + 1}`;
    return [`${heading} has ${unsafe}, which cannot be saved: remove it`];
  });
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/**
 * Plans importing a CSV (from readCsv) into a register holding `existing`. Rows match existing
 * records by their natural key (keyOf); a key repeated in the file refuses the later row; a blank
 * row is skipped. Re-importing an export of the same records gives only `unchanged` rows.
 */
export function planImport<K extends AnyImportKind>(
  kind: K,
  table: ReadCsvResult,
  existing: ReadonlyArray<ImportRecord<K>>,
  opts: PlanOptions = {},
): PlanResult<ImportRecord<K>> {
  if (!table.ok) return table;
  const headerMap = mapHeaders(kind, table.headers);
  if (!headerMap.ok) return headerMap;
  const { columns, standIns } = headerMap;
  const spec = KIND_SPECS[kind];
  const fields = Object.keys(spec.columns) as Array<ImportField<K>>;

  const current = new Map(existing.map((r) => [spec.keyOf(r), r]));
  const firstLineOf = new Map<string, number>();
  const plan: ImportPlan<ImportRecord<K>> = {
    ok: true,
    new: [],
    updated: [],
    unchanged: [],
    rejected: [],
    unknownLocations: [],
    unknownProviders: [],
    ignoredColumns: headerMap.ignored,
    notes: headerMap.notes,
  };

  for (const row of table.rows) {
    if (row.cells.every((cell) => cell.trim() === '')) continue;
    // Before anything else reads the row, so no other reason quotes the character back.
    const unstorable = unstorableCells(table.headers, row);
    if (unstorable) {
      plan.rejected.push({ line: row.line, reason: unstorable });
      continue;
    }
    const keyCells = keyCellsOf(kind, columns, row, standIns);

    const problems: string[] = [];
    const key = spec.keyOfCells(keyCells);
    if (key !== null) {
      const firstLine = firstLineOf.get(key);
      if (firstLine === undefined) firstLineOf.set(key, row.line);
      else problems.push(`${spec.describeKey(keyCells)} is already on line ${firstLine}`);
    }
    const before = key === null ? undefined : current.get(key);
    const parsed = parseRow(kind, columns, row, before, standIns);
    if (!parsed.ok) problems.push(parsed.reason);
    if (!parsed.ok || problems.length > 0) {
      plan.rejected.push({ line: row.line, reason: problems.join('; ') });
      continue;
    }

    const { record } = parsed;
    if (before === undefined) {
      plan.new.push({ line: row.line, record });
      continue;
    }
    const changes = changedFields(fields, before, record, [spec.locationField, spec.providerField]);
    if (changes.length === 0) plan.unchanged.push({ line: row.line, record });
    else plan.updated.push({ line: row.line, record, before, changes });
  }

  plan.unknownLocations = unknownLocations(kind, plan, existing, opts);
  plan.unknownProviders = unknownNames(
    plan,
    KIND_SPECS[kind].providerField as ImportField<K> | undefined,
    new Set([...(opts.knownProviders ?? [])].map(nameKey)),
  );
  return plan;
}

function unknownLocations<K extends AnyImportKind>(
  kind: K,
  plan: ImportPlan<ImportRecord<K>>,
  existing: ReadonlyArray<ImportRecord<K>>,
  opts: PlanOptions,
): string[] {
  const field = KIND_SPECS[kind].locationField as ImportField<K> | undefined;
  const known = new Set([...(opts.knownLocations ?? [])].map(nameKey));
  if (kind === 'locations') {
    // A parent named anywhere in the file (before or after) or already in the register is known.
    for (const r of [...existing, ...acceptedOf(plan).map((a) => a.record)]) {
      known.add(nameKey((r as ImportRecord<'locations'>).name));
    }
  }
  return unknownNames(plan, field, known);
}

/** The accepted rows, in file order. */
function acceptedOf<R>(plan: ImportPlan<R>): Array<PlannedRow<R>> {
  return [...plan.new, ...plan.updated, ...plan.unchanged].sort((a, b) => a.line - b.line);
}

/** The names in `field` of the accepted rows that are not `known`: distinct, as first spelt. */
function unknownNames<R>(
  plan: ImportPlan<R>,
  field: (keyof R & string) | undefined,
  known: ReadonlySet<string>,
): string[] {
  if (field === undefined) return [];
  const unknown = new Map<string, string>();
  for (const { record } of acceptedOf(plan)) {
    const name = record[field];
    if (typeof name !== 'string' || name.trim() === '') continue;
    const k = nameKey(name);
    if (!known.has(k) && !unknown.has(k)) unknown.set(k, name.trim());
  }
  return [...unknown.values()];
}
