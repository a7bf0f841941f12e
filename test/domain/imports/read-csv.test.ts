import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, readCsv } from '../../../src/domain/imports/read-csv';

function table(text: string) {
  const result = readCsv(text);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('readCsv', () => {
  it('reads headings and rows, numbering each row by its line', () => {
    expect(table('Tag,Type\nLAP-001,Laptop\nLAP-002,Laptop\n')).toEqual({
      ok: true,
      headers: ['Tag', 'Type'],
      rows: [
        { line: 2, cells: ['LAP-001', 'Laptop'] },
        { line: 3, cells: ['LAP-002', 'Laptop'] },
      ],
    });
  });

  it('drops a UTF-8 BOM and trims the headings', () => {
    const result = table('\uFEFF Asset Tag ,Room\r\nA1,Hall\r\n');
    expect(result.headers).toEqual(['Asset Tag', 'Room']);
    expect(result.rows).toEqual([{ line: 2, cells: ['A1', 'Hall'] }]);
  });

  it.each([
    ['CRLF', '\r\n'],
    ['LF', '\n'],
    ['CR', '\r'],
  ])('reads %s line ends', (_name, eol) => {
    const result = table(['a,b', '1,2', '3,4', ''].join(eol));
    expect(result.rows).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: ['3', '4'] },
    ]);
  });

  it('reads a file with mixed line ends', () => {
    expect(table('a,b\r\n1,2\n3,4\r5,6\r\n').rows).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: ['3', '4'] },
      { line: 4, cells: ['5', '6'] },
    ]);
  });

  it('keeps commas, quotes and line breaks inside quoted cells', () => {
    const result = table('Name,Notes\r\n"Smith, J","She said ""hi""\r\nthen left"\r\n');
    expect(result.rows).toEqual([{ line: 2, cells: ['Smith, J', 'She said "hi"\r\nthen left'] }]);
  });

  it('numbers a row by the line it starts on, after multi-line cells and blank lines', () => {
    const text = [
      'Tag,Notes', // 1
      'A1,"first', // 2
      'second', // 3
      'third"', // 4
      '', // 5
      'A2,plain', // 6
      'A3,"x\r\ny"', // 7-8 (a CRLF inside the quotes)
      'A4,after', // 9
    ].join('\n');
    expect(table(text).rows.map((r) => [r.line, r.cells[0]])).toEqual([
      [2, 'A1'],
      [6, 'A2'],
      [7, 'A3'],
      [9, 'A4'],
    ]);
  });

  it('counts lines after a BOM and multi-byte characters correctly', () => {
    const text = '\uFEFFName,Notes\n"Mrs O’Brien’s class","Ysgol\nGymraeg — £5"\nHall,ok\n';
    expect(table(text).rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('ignores trailing empty lines', () => {
    expect(table('a,b\n1,2\n\n\n\r\n').rows).toEqual([{ line: 2, cells: ['1', '2'] }]);
  });

  it('starts at the first non-empty line', () => {
    expect(table('\n\na,b\n1,2').rows).toEqual([{ line: 4, cells: ['1', '2'] }]);
  });

  it('pads short rows and keeps the extra cells of long rows', () => {
    expect(table('a,b,c\n1\n1,2,3,4\n').rows).toEqual([
      { line: 2, cells: ['1', '', ''] },
      { line: 3, cells: ['1', '2', '3', '4'] },
    ]);
  });

  it('treats a bare quote inside an unquoted cell as text', () => {
    expect(table('Model,Size\nDell,24" monitor\n').rows[0]?.cells).toEqual(['Dell', '24" monitor']);
  });

  it('reads a file with only headings as no rows', () => {
    expect(table('Tag,Type\r\n')).toEqual({ ok: true, headers: ['Tag', 'Type'], rows: [] });
  });

  it.each([
    ['an empty file', ''],
    ['a file of blank lines', '\r\n\r\n'],
    ['a file with only a BOM', '\uFEFF'],
  ])('refuses %s', (_name, text) => {
    expect(readCsv(text)).toEqual({ ok: false, message: 'The file is empty.' });
  });

  it('refuses a file whose first line has no headings', () => {
    const result = readCsv(',,\nA1,Laptop,Hall\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('should name the columns');
  });

  it('refuses a quote that is never closed, naming the line it starts on', () => {
    expect(readCsv('Tag,Notes\nA1,ok\n\nA2,"never closed\nA3,x\n')).toEqual({
      ok: false,
      message: 'The file is not valid CSV: a quoted cell that starts on line 4 is never closed.',
    });
  });

  it('refuses text that was not UTF-8 (a Windows-1252 £ decoded as UTF-8)', () => {
    const result = readCsv('Tag,Cost\nA1,\uFFFD12\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('CSV UTF-8');
  });

  it('accepts a file of exactly 5 MB', () => {
    const header = 'Tag,Notes\n';
    const text = header + 'x'.repeat(MAX_IMPORT_BYTES - header.length);
    expect(readCsv(text).ok).toBe(true);
  });

  it('refuses a file over 5 MB, saying how big it is', () => {
    const row = `${'A1,'.padEnd(99, 'x')}\n`; // 100 bytes
    const header = 'Tag,Notes\n';
    const size = Math.floor(5.2 * 1024 * 1024);
    const text =
      header +
      row.repeat(Math.floor((size - header.length) / 100)) +
      'x'.repeat((size - header.length) % 100);
    expect(Buffer.byteLength(text)).toBe(size);
    expect(readCsv(text)).toEqual({ ok: false, message: 'The file is 5.2 MB; the largest import is 5 MB.' });
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    // 2 million "£" signs are 2,000,000 characters but 4,000,000 bytes… and 3 million are 6 MB.
    expect(readCsv(`a\n${'£'.repeat(3_000_000)}`)).toEqual({
      ok: false,
      message: 'The file is 5.8 MB; the largest import is 5 MB.',
    });
  });

  it('never rounds a file just over the limit down to "5.0 MB"', () => {
    const result = readCsv(`a\n${'x'.repeat(MAX_IMPORT_BYTES)}`);
    expect(result).toEqual({ ok: false, message: 'The file is 5.1 MB; the largest import is 5 MB.' });
  });

  it('accepts 20,000 rows and refuses 20,001', () => {
    expect(readCsv(`a\n${'1\n'.repeat(MAX_IMPORT_ROWS)}`).ok).toBe(true);
    expect(readCsv(`a\n${'1\n'.repeat(MAX_IMPORT_ROWS + 1)}`)).toEqual({
      ok: false,
      message: 'The file has 20,001 rows; the largest import is 20,000 rows. Split it into smaller files.',
    });
  });
});
