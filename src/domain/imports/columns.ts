/**
 * Column builders: one CSV column of a register, how import reads its cell and how export writes it.
 * `parse` always receives the cell already restored (see restoreCell) and trimmed.
 */
import { ukDate } from '../presenters/format';
import {
  type FieldResult,
  parseBool,
  parseChoice,
  parseCount,
  parseDate,
  parseMoney,
  quoted,
} from './fields';

/** `YYYY-MM-DD` as a file writes it, `14/12/2026`: what `parseDate` reads back as the same day. */
const csvDate = (iso: string): string => ukDate(iso);

export interface Column<V> {
  /** The heading export writes, and how problems name the column. */
  header: string;
  /** Other headings import accepts (compared with matchKey, so case and punctuation do not matter). */
  aliases: readonly string[];
  /** Import refuses a file without this column, and a row with this cell empty. */
  required: boolean;
  /** Reads a trimmed cell; an empty cell gives the field's default (unless required). */
  parse: (cell: string) => FieldResult<V>;
  /** Writes the value as export shows it (before neutraliseCell). */
  format: (value: V) => string;
}

/** One column per field of the record, in export order. */
export type Columns<R> = { [F in keyof R]-?: Column<R[F]> };

interface Named {
  header: string;
  aliases?: readonly string[];
  required?: boolean;
}

const base = ({ header, aliases = [], required = false }: Named) => ({ header, aliases, required });

function tooLong(cell: string, max: number): FieldResult<never> | undefined {
  return cell.length > max
    ? { ok: false, reason: `${quoted(cell)} is longer than ${max} characters` }
    : undefined;
}

/** Free text, '' when empty. */
export function textColumn(named: Named & { max: number }): Column<string> {
  return {
    ...base(named),
    parse: (cell) => tooLong(cell, named.max) ?? { ok: true, value: cell },
    format: (value) => value,
  };
}

/** Free text, null when empty (a reference to a location by name). */
export function optionalTextColumn(named: Named & { max: number }): Column<string | null> {
  return {
    ...base(named),
    parse: (cell) => tooLong(cell, named.max) ?? { ok: true, value: cell === '' ? null : cell },
    format: (value) => value ?? '',
  };
}

// As the provider form checks it (registers/providers.ts): something@somewhere.tld, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email address, '' when empty. */
export function emailColumn(named: Named & { max: number }): Column<string> {
  return {
    ...base(named),
    parse: (cell) =>
      tooLong(cell, named.max) ??
      (cell === '' || EMAIL.test(cell)
        ? { ok: true, value: cell }
        : { ok: false, reason: `${quoted(cell)} is not an email address` }),
    format: (value) => value,
  };
}

/**
 * A calendar date: UK (`14/12/2026`) or ISO (`2026-12-14`) in, UK out, as people read dates
 * everywhere else and as a UK spreadsheet shows them; import reads it back as the same day.
 */
export function dateColumn(named: Named): Column<string | null> {
  return { ...base(named), parse: parseDate, format: (value) => (value ? csvDate(value) : '') };
}

/** A date that must be there (a payment's due date): UK or ISO in, UK out. */
export function requiredDateColumn(named: Named): Column<string> {
  return {
    ...base(named),
    required: true,
    parse: (cell) => {
      const result = parseDate(cell);
      if (!result.ok) return result;
      return result.value === null ? { ok: false, reason: 'is empty' } : { ok: true, value: result.value };
    },
    format: csvDate,
  };
}

/** Pounds with two decimals and no £, as export writes money (`1234.50`). */
function formatPence(pence: number): string {
  return `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
}

/** Pence in the record; pounds with two decimals and no £ in the file (`1234.50`). */
export function moneyColumn(named: Named): Column<number | null> {
  return {
    ...base(named),
    parse: parseMoney,
    format: (pence) => (pence === null ? '' : formatPence(pence)),
  };
}

/** An amount that must be there and be more than £0 (a payment's amount), in pence. */
export function amountColumn(named: Named): Column<number> {
  return {
    ...base(named),
    required: true,
    parse: (cell) => {
      const result = parseMoney(cell);
      if (!result.ok) return result;
      if (result.value === null) return { ok: false, reason: 'is empty' };
      return result.value === 0
        ? { ok: false, reason: `${quoted(cell)} must be more than £0` }
        : { ok: true, value: result.value };
    },
    format: formatPence,
  };
}

/** A whole number, 0 or more; null when empty. */
export function countColumn(named: Named): Column<number | null> {
  return { ...base(named), parse: parseCount, format: (value) => (value === null ? '' : String(value)) };
}

/** A whole number, 0 or more; 0 when empty. */
export function countOrZeroColumn(named: Named): Column<number> {
  return {
    ...base(named),
    parse: (cell) => {
      const result = parseCount(cell);
      return result.ok ? { ok: true, value: result.value ?? 0 } : result;
    },
    format: (value) => String(value),
  };
}

/** Yes or no; no when empty. */
export function boolColumn(named: Named): Column<boolean> {
  return { ...base(named), parse: parseBool, format: (value) => (value ? 'yes' : 'no') };
}

interface Choices<T extends string> {
  choices: readonly T[];
  labels: Record<T, string>;
  /** Other words for a choice, as spreadsheets write them (`chromebook` → laptop). */
  extraAliases?: Record<string, T>;
}

/** One of a list, written as its label; `fallback` when empty (a required column has none). */
export function choiceColumn<T extends string>(named: Named & Choices<T> & { fallback?: T }): Column<T> {
  return {
    ...base(named),
    parse: (cell) => {
      const result = parseChoice(cell, named.choices, named.labels, named.extraAliases);
      if (!result.ok) return result;
      if (result.value !== null) return { ok: true, value: result.value };
      return named.fallback === undefined
        ? { ok: false, reason: 'is empty' }
        : { ok: true, value: named.fallback };
    },
    format: (value) => named.labels[value],
  };
}

/** One of a list, written as its label; null when empty. */
export function optionalChoiceColumn<T extends string>(named: Named & Choices<T>): Column<T | null> {
  return {
    ...base(named),
    parse: (cell) => parseChoice(cell, named.choices, named.labels, named.extraAliases),
    format: (value) => (value === null ? '' : named.labels[value]),
  };
}
