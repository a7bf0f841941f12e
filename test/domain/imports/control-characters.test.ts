/**
 * A NUL or another control character in a CSV (from a broken export, or binary pasted into a
 * spreadsheet) is a refused row the SPOC can find by its line, never a database error.
 */
import { describe, expect, it } from 'vitest';
import { planImport } from '../../../src/domain/imports/plan';
import { readCsv } from '../../../src/domain/imports/read-csv';
import { findUnsafeCharacter } from '../../../src/domain/text';

const NUL = '\u0000';

const HEADER = 'Asset Tag,Type,Make,Room,Notes';

function plan(text: string) {
  const result = planImport('assets', readCsv(text), [], { knownLocations: new Set(['hall']) });
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('control characters in an imported CSV', () => {
  it.each([
    ['a NUL', NUL, 'a NUL character (U+0000)'],
    ['an escape', '\u001b', 'a control character (U+001B)'],
    ['a bell', '\u0007', 'a control character (U+0007)'],
    ['a vertical tab', '\u000b', 'a control character (U+000B)'],
    ['a DEL', '\u007f', 'a DEL character (U+007F)'],
  ])('refuses the row holding %s, by its line and heading, and plans the others', (_name, char, what) => {
    const result = plan(
      [HEADER, 'A1,Laptop,Dell,Hall,', `A2,Laptop,De${char}ll,Hall,`, 'A3,Laptop,HP,Hall,'].join('\n'),
    );
    expect(result.rejected).toEqual([
      { line: 3, reason: `"Make" has ${what}, which cannot be saved: remove it` },
    ]);
    expect(result.new.map((r) => r.record.tag)).toEqual(['A1', 'A3']);
  });

  it('names every such cell, in a column import ignores or past the last heading too', () => {
    const result = plan([`${HEADER},Colour`, `A1${NUL},Laptop,Dell,Hall,,red${NUL},x${NUL}`].join('\n'));
    expect(result.rejected).toEqual([
      {
        line: 2,
        reason:
          '"Asset Tag" has a NUL character (U+0000), which cannot be saved: remove it; ' +
          '"Colour" has a NUL character (U+0000), which cannot be saved: remove it; ' +
          'Cell 7 has a NUL character (U+0000), which cannot be saved: remove it',
      },
    ]);
  });

  it('refuses before any other check, so no reason quotes the character back', () => {
    const result = plan(
      [HEADER, `A1,Toaster${NUL},Dell,Hall,`, 'A2,Laptop,Dell,Hall,', `A2${NUL},Laptop,,Hall,`].join('\n'),
    );
    expect(result.rejected.map((r) => r.line)).toEqual([2, 4]);
    for (const r of result.rejected) expect(findUnsafeCharacter(r.reason)).toBeUndefined();
    expect(JSON.stringify(result)).not.toContain('\\u0000');
  });

  it('refuses a row that holds nothing but a NUL (it is not blank)', () => {
    expect(plan([HEADER, NUL, ''].join('\n')).rejected).toEqual([
      { line: 2, reason: '"Asset Tag" has a NUL character (U+0000), which cannot be saved: remove it' },
    ]);
  });

  it('numbers the refused row by the line it starts on, after a multi-line cell', () => {
    const result = plan(
      [HEADER, 'A1,Laptop,Dell,Hall,"two\nlines"', `A2,Laptop,Dell,Hall,bad${NUL}`].join('\r\n'),
    );
    expect(result.rejected.map((r) => r.line)).toEqual([4]);
  });

  it('keeps tabs and line breaks in a cell as written, so an export re-imports unchanged', () => {
    const result = plan(
      [HEADER, 'A1,Laptop,Dell,Hall,"Step 1\tboot\r\nStep 2\rStep 3\nStep 4"'].join('\r\n'),
    );
    expect(result.rejected).toEqual([]);
    expect(result.new[0]?.record.notes).toBe('Step 1\tboot\r\nStep 2\rStep 3\nStep 4');
  });

  it('refuses the whole file when a heading holds one, naming its column', () => {
    expect(readCsv(`Asset Tag,Ty${NUL}pe\nA1,Laptop\n`)).toEqual({
      ok: false,
      message:
        'The heading of column 2 on the first line has a NUL character (U+0000), which cannot be saved. Remove it and import again.',
    });
  });
});
