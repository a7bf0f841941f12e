/**
 * Cell parsers for CSV import, and the formula-injection guard for export. Each parser takes the
 * cell as text and returns the value or a plain-English reason that names what was written.
 */
import { format, isValid, parse } from 'date-fns';

export type FieldResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const good = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const bad = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** The largest whole number or amount in pence the database holds (a Postgres `integer`). */
export const MAX_IMPORT_NUMBER = 2_147_483_647;

/** The cell as written, in quotes, cut short if long, for a reason message. */
export function quoted(cell: string): string {
  const text = cell.length > 40 ? `${cell.slice(0, 39)}…` : cell;
  return `"${text}"`;
}

// Day, month and year with the same separator each time: 1/9/2024, 01-09-2024, 01.09.24.
const UK_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const REFERENCE_DATE = new Date(2000, 0, 1);

/**
 * A date as `YYYY-MM-DD`, or null when empty. Reads UK day-first dates (`dd/mm/yyyy`, `d/m/yyyy`,
 * `dd-mm-yyyy`, `dd.mm.yyyy`, `dd/mm/yy` as 20yy) and ISO `yyyy-mm-dd`. A US-style date is read as
 * UK: 03/04/2024 is 3 April. A day that does not exist (31/02/2024) is refused, not rolled over.
 */
export function parseDate(cell: string): FieldResult<string | null> {
  const text = cell.trim();
  if (text === '') return good(null);
  const reason = `${quoted(text)} is not a date (use dd/mm/yyyy)`;
  const uk = UK_DATE.exec(text);
  const iso = ISO_DATE.exec(text);
  let parts: [string, string, string];
  if (uk) {
    const [, day = '', , month = '', year = ''] = uk;
    parts = [year.length === 2 ? `20${year}` : year, month, day];
  } else if (iso) {
    const [, year = '', month = '', day = ''] = iso;
    parts = [year, month, day];
  } else {
    return bad(reason);
  }
  const [year, month, day] = parts;
  const canonical = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = parse(canonical, 'yyyy-MM-dd', REFERENCE_DATE);
  // The round trip catches any date-fns leniency; the year range catches typos like 01/09/0224.
  if (!isValid(date) || format(date, 'yyyy-MM-dd') !== canonical) return bad(reason);
  if (date.getFullYear() < 1900 || date.getFullYear() > 2199) return bad(reason);
  return good(canonical);
}

// Whole pounds, optionally with correct thousands commas (1,234 but not 12,50), then up to 2 decimals.
const POUNDS = /^(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/;

/** An amount in pounds as integer pence: `1234.5`, `£1,234.50`, ` £ 12 `. Null when empty. */
export function parseMoney(cell: string): FieldResult<number | null> {
  const text = cell.trim();
  if (text === '') return good(null);
  const match = POUNDS.exec(text.replace(/^£\s*/, ''));
  if (!match) return bad(`${quoted(text)} is not an amount of money`);
  const [, pounds = '', decimals = ''] = match;
  const pence = Number(pounds.replaceAll(',', '')) * 100 + Number(decimals.padEnd(2, '0'));
  if (pence > MAX_IMPORT_NUMBER) return bad(`${quoted(text)} is too large an amount`);
  return good(pence);
}

// A whole number with optional thousands commas; `12.0` is allowed because spreadsheets write it.
const COUNT = /^(\d+|\d{1,3}(?:,\d{3})+)(?:\.0+)?$/;

/** A whole number, 0 or more (`1,200` allowed). Null when empty. */
export function parseCount(cell: string): FieldResult<number | null> {
  const text = cell.trim();
  if (text === '') return good(null);
  if (/^-\s*[\d.,]+$/.test(text)) return bad(`${quoted(text)} must be 0 or more`);
  const match = COUNT.exec(text);
  if (!match) return bad(`${quoted(text)} is not a whole number`);
  const value = Number((match[1] ?? '').replaceAll(',', ''));
  if (value > MAX_IMPORT_NUMBER) return bad(`${quoted(text)} is too large`);
  return good(value);
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1', 'archived']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0']);

/** Yes or no (`yes`/`no`, `y`/`n`, `true`/`false`, `1`/`0`, `archived`). Empty is no. */
export function parseBool(cell: string): FieldResult<boolean> {
  const text = cell.trim();
  const word = text.toLowerCase();
  if (word === '' || FALSE_WORDS.has(word)) return good(false);
  if (TRUE_WORDS.has(word)) return good(true);
  return bad(`${quoted(text)} is not yes or no`);
}

/**
 * How a word is compared with a choice or a heading: lower case, without spaces or punctuation,
 * and with the US "license" spelt the UK way.
 */
export function matchKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '')
    .replaceAll('license', 'licence');
}

/**
 * One of `choices`, matched by its value or its label ignoring case, spaces, `-`, `_` and other
 * punctuation (`Interactive display`, `interactive_display`, `INTERACTIVE-DISPLAY`), or by one of
 * `extraAliases` (such as `chromebook` for a laptop). Null when empty.
 */
export function parseChoice<T extends string>(
  cell: string,
  choices: readonly T[],
  labels: Record<T, string>,
  extraAliases: Record<string, T> = {},
): FieldResult<T | null> {
  const text = cell.trim();
  if (text === '') return good(null);
  const key = matchKey(text);
  const found =
    choices.find((c) => matchKey(c) === key || matchKey(labels[c]) === key) ??
    Object.entries(extraAliases).find(([alias]) => matchKey(alias) === key)?.[1];
  if (found !== undefined) return good(found);
  return bad(`${quoted(text)} is not one of: ${choices.map((c) => labels[c]).join(', ')}`);
}

// A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
// Leading apostrophes are included so that a value that already starts with ' and one of these
// characters gets one more, and restoreCell gives back exactly what was exported.
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;

/** For export: a cell a spreadsheet would run as a formula gets a leading `'`. */
export function neutraliseCell(value: string): string {
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}

/** For import: undoes neutraliseCell, so export then import gives back the same text. */
export function restoreCell(value: string): string {
  return value.startsWith("'") && FORMULA_LIKE.test(value) ? value.slice(1) : value;
}
