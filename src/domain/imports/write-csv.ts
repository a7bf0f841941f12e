/**
 * Writes a register as CSV: the exact inverse of import, so export → import changes nothing.
 * Dates are UK (`14/12/2026`, read back as the same day), money is pounds with two decimals,
 * choices are their labels, and any cell a spreadsheet would run as a formula is neutralised.
 */
import { stringify } from 'csv-stringify/sync';
import { neutraliseCell } from './fields';
import { type AnyImportKind, columnOf, fieldsOf, type ImportRecord } from './kinds';

/** The canonical headings of a kind, in export order. */
export function headersOf(kind: AnyImportKind): string[] {
  return fieldsOf(kind).map((field) => columnOf(kind, field).header);
}

/** The register as CSV text: a BOM (so Excel reads it as UTF-8), the headings, one row per record, CRLF line ends. */
export function toCsv<K extends AnyImportKind>(
  kind: K,
  records: ReadonlyArray<ImportRecord<K>>,
  /** Columns to leave out altogether (a column present but blank would clear the field on import). */
  omit: ReadonlyArray<string> = [],
): string {
  const fields = fieldsOf(kind).filter((f) => !omit.includes(f));
  const rows = records.map((record) =>
    fields.map((field) => neutraliseCell(columnOf(kind, field).format(record[field]))),
  );
  return stringify([fields.map((field) => columnOf(kind, field).header), ...rows], {
    bom: true,
    record_delimiter: '\r\n',
    // csv-stringify quotes a cell holding the whole record delimiter, but not a lone CR or LF.
    quoted_match: /[\r\n]/,
  });
}
