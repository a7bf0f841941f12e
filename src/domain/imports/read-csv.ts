/**
 * Reads an uploaded CSV into a header and numbered rows. Pure: the caller has already decoded the
 * file to a string. Parsing and quoting are csv-parse's; this module only adds the limits and the
 * line numbers a SPOC needs to find a row in their spreadsheet.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { cleanText, describeUnsafeCharacter, findUnsafeCharacter } from '../text';

/** The largest file an import accepts (UTF-8 bytes). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** The most data rows (after the header) an import accepts. */
export const MAX_IMPORT_ROWS = 20_000;

export interface CsvRow {
  /** 1-based line in the file where the record starts (a quoted cell may run over several lines). */
  line: number;
  /** One cell per heading at least (short rows are padded with ''); extra cells are kept. */
  cells: string[];
}

export interface CsvTable {
  ok: true;
  /** The first record, each heading trimmed. */
  headers: string[];
  rows: CsvRow[];
}

export type ReadCsvResult = CsvTable | { ok: false; message: string };

/** What csv-parse gives per record with `info: true`; `bytes` is the UTF-8 offset just past it. */
interface ParsedRecord {
  record: string[];
  info: { bytes: number };
}

const MB = 1024 * 1024;
const CR = 0x0d;
const LF = 0x0a;

/** "5.2 MB": rounded up, so a file just over the limit never reads as "5.0 MB". */
function megabytes(bytes: number): string {
  return `${(Math.ceil((bytes / MB) * 10) / 10).toFixed(1)} MB`;
}

/**
 * Turns byte offsets (which csv-parse reports, counting UTF-8 bytes and the BOM) into 1-based line
 * numbers. Offsets must be asked for in increasing order. CRLF, LF and a lone CR each end a line,
 * as a text editor counts them.
 */
function lineCounter(bytes: Uint8Array) {
  let pos = 0;
  let line = 1;
  return {
    /** The line of the first byte at or after `offset` that is not a line break. */
    lineOfNextContent(offset: number): number {
      let at = offset;
      while (at < bytes.length && (bytes[at] === CR || bytes[at] === LF)) at += 1;
      for (; pos < at; pos += 1) {
        const b = bytes[pos];
        if (b === LF || (b === CR && bytes[pos + 1] !== LF)) line += 1;
      }
      return line;
    },
  };
}

function describeCsvError(err: CsvError, lines: ReturnType<typeof lineCounter>): string {
  const parsedUpTo = typeof err.bytes_records === 'number' ? err.bytes_records : 0;
  const start = lines.lineOfNextContent(parsedUpTo);
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    return `The file is not valid CSV: a quoted cell that starts on line ${start} is never closed.`;
  }
  // csv-parse may quote the cell it stopped at, control characters and all.
  return `The file is not valid CSV near line ${start}: ${cleanText(err.message)}`;
}

/**
 * Reads CSV text: the first non-empty line is the header. Handles a UTF-8 BOM, CRLF/LF/CR line ends
 * (even mixed), quoted cells holding commas, quotes and line breaks, blank lines, and rows shorter
 * or longer than the header.
 */
export function readCsv(text: string): ReadCsvResult {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      message: `The file is ${megabytes(size)}; the largest import is ${MAX_IMPORT_BYTES / MB} MB.`,
    };
  }
  // A file saved in Excel's older "CSV (Comma delimited)" format is Windows-1252, not UTF-8; decoded
  // as UTF-8 its £ signs and curly quotes become U+FFFD, and importing them would corrupt the register.
  if (text.includes('\uFFFD')) {
    return {
      ok: false,
      message:
        'Some characters in the file could not be read: it is not saved as UTF-8. In Excel choose ' +
        'Save As › "CSV UTF-8 (Comma delimited)" and import that file.',
    };
  }

  const bytes = Buffer.from(text, 'utf8');
  const lines = lineCounter(bytes);
  let records: ParsedRecord[];
  try {
    // With `info`, csv-parse returns { record, info } per record; its typings only know string[][].
    records = parse(bytes, {
      bom: true,
      info: true,
      // Any line end, so a file edited by two programs still reads.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      // A bare quote inside an unquoted cell (12" monitor) is text, as spreadsheets treat it.
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as ParsedRecord[];
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, message: describeCsvError(err, lines) };
    throw err;
  }

  const [first, ...rest] = records;
  if (first === undefined) return { ok: false, message: 'The file is empty.' };
  const headers = first.record.map((h) => h.trim());
  if (headers.every((h) => h === '')) {
    return {
      ok: false,
      message: 'The first line of the file should name the columns (such as "Asset tag"), but it is blank.',
    };
  }
  // A heading is not a row to refuse: with one the file cannot be read at all (and an ignored
  // heading is echoed back in the preview, which is stored).
  for (const [i, heading] of headers.entries()) {
    const found = findUnsafeCharacter(heading);
    if (found) {
      return {
        ok: false,
        message: `The heading of column ${i + 1} on the first line has ${describeUnsafeCharacter(found)}, which cannot be saved. Remove it and import again.`,
      };
    }
  }
  if (rest.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      message: `The file has ${rest.length.toLocaleString('en-GB')} rows; the largest import is ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} rows. Split it into smaller files.`,
    };
  }

  let previousEnd = first.info.bytes;
  const rows = rest.map(({ record, info }): CsvRow => {
    const line = lines.lineOfNextContent(previousEnd);
    previousEnd = info.bytes;
    const cells =
      record.length < headers.length
        ? [...record, ...Array(headers.length - record.length).fill('')]
        : record;
    return { line, cells };
  });
  return { ok: true, headers, rows };
}
