import { describe, expect, it } from 'vitest';
import {
  matchKey,
  neutraliseCell,
  parseBool,
  parseChoice,
  parseCount,
  parseDate,
  parseMoney,
  restoreCell,
} from '../../../src/domain/imports/fields';
import { ASSET_TYPE_LABELS, ASSET_TYPES } from '../../../src/domain/registers/types';

describe('parseDate', () => {
  it.each([
    ['01/09/2024', '2024-09-01'],
    ['1/9/2024', '2024-09-01'],
    ['01-09-2024', '2024-09-01'],
    ['01.09.2024', '2024-09-01'],
    ['2024-09-01', '2024-09-01'],
    ['2024-9-1', '2024-09-01'],
    ['01/09/24', '2024-09-01'],
    ['29/02/2024', '2024-02-29'],
    ['  31/12/2025 ', '2025-12-31'],
    // US-style dates are read as UK: 3 April, not 4 March.
    ['03/04/2024', '2024-04-03'],
  ])('reads %j as %s', (cell, expected) => {
    expect(parseDate(cell)).toEqual({ ok: true, value: expected });
  });

  it.each(['', '   '])('reads %j as no date', (cell) => {
    expect(parseDate(cell)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['31/02/2024', '"31/02/2024" is not a date (use dd/mm/yyyy)'],
    ['29/02/2023', '"29/02/2023" is not a date (use dd/mm/yyyy)'],
    ['next week', '"next week" is not a date (use dd/mm/yyyy)'],
    ['13/13/2024', '"13/13/2024" is not a date (use dd/mm/yyyy)'],
    ['00/01/2024', '"00/01/2024" is not a date (use dd/mm/yyyy)'],
    ['01/09-2024', '"01/09-2024" is not a date (use dd/mm/yyyy)'],
    ['2024-02-30', '"2024-02-30" is not a date (use dd/mm/yyyy)'],
    ['01/09/0224', '"01/09/0224" is not a date (use dd/mm/yyyy)'],
    ['1/9/202', '"1/9/202" is not a date (use dd/mm/yyyy)'],
    ['September 2024', '"September 2024" is not a date (use dd/mm/yyyy)'],
  ])('refuses %j', (cell, reason) => {
    expect(parseDate(cell)).toEqual({ ok: false, reason });
  });
});

describe('parseMoney', () => {
  it.each([
    ['1234.5', 123450],
    ['£1,234.50', 123450],
    ['1,234', 123400],
    [' £ 12 ', 1200],
    ['0', 0],
    ['0.05', 5],
    ['£1,000,000.99', 100000099],
    ['799.99', 79999],
  ])('reads %j as %d pence', (cell, pence) => {
    expect(parseMoney(cell)).toEqual({ ok: true, value: pence });
  });

  it('reads an empty cell as no amount', () => {
    expect(parseMoney('  ')).toEqual({ ok: true, value: null });
  });

  it.each(['-5', '£-5', '12.345', 'abc', '12,50', '1,2345', '£', '$12', '12 pounds', '(5.00)'])(
    'refuses %j',
    (cell) => {
      expect(parseMoney(cell)).toEqual({ ok: false, reason: `"${cell}" is not an amount of money` });
    },
  );

  it('refuses an amount too large to store', () => {
    expect(parseMoney('30000000')).toEqual({ ok: false, reason: '"30000000" is too large an amount' });
  });
});

describe('parseCount', () => {
  it.each([
    ['0', 0],
    ['25', 25],
    ['1,200', 1200],
    [' 30 ', 30],
    ['12.0', 12],
  ])('reads %j as %d', (cell, n) => {
    expect(parseCount(cell)).toEqual({ ok: true, value: n });
  });

  it('reads an empty cell as no number', () => {
    expect(parseCount('')).toEqual({ ok: true, value: null });
  });

  it.each([
    ['-3', '"-3" must be 0 or more'],
    ['2.5', '"2.5" is not a whole number'],
    ['lots', '"lots" is not a whole number'],
    ['12,00', '"12,00" is not a whole number'],
    ['9999999999', '"9999999999" is too large'],
  ])('refuses %j', (cell, reason) => {
    expect(parseCount(cell)).toEqual({ ok: false, reason });
  });
});

describe('parseBool', () => {
  it.each([
    ['yes', true],
    ['YES', true],
    ['y', true],
    ['True', true],
    ['1', true],
    ['Archived', true],
    ['no', false],
    ['N', false],
    ['false', false],
    ['0', false],
    ['', false],
  ])('reads %j as %s', (cell, value) => {
    expect(parseBool(cell)).toEqual({ ok: true, value });
  });

  it('refuses anything else', () => {
    expect(parseBool('maybe')).toEqual({ ok: false, reason: '"maybe" is not yes or no' });
  });
});

describe('parseChoice', () => {
  const extra = { chromebook: 'laptop', 'interactive whiteboard': 'interactive_display' } as const;

  it.each([
    ['Interactive display', 'interactive_display'],
    ['interactive_display', 'interactive_display'],
    ['INTERACTIVE-DISPLAY', 'interactive_display'],
    [' laptop ', 'laptop'],
    ['Chromebook', 'laptop'],
    ['Interactive Whiteboard', 'interactive_display'],
  ])('reads %j as %s', (cell, value) => {
    expect(parseChoice(cell, ASSET_TYPES, ASSET_TYPE_LABELS, extra)).toEqual({ ok: true, value });
  });

  it('reads an empty cell as no choice', () => {
    expect(parseChoice('', ASSET_TYPES, ASSET_TYPE_LABELS)).toEqual({ ok: true, value: null });
  });

  it('refuses a value that is not a choice, listing the labels', () => {
    expect(parseChoice('toaster', ASSET_TYPES, ASSET_TYPE_LABELS)).toEqual({
      ok: false,
      reason:
        '"toaster" is not one of: Desktop, Laptop, Tablet, Interactive display, Projector, Printer, Network, Server, Phone, Other',
    });
  });

  it('does not read an alias it was not given', () => {
    expect(parseChoice('chromebook', ASSET_TYPES, ASSET_TYPE_LABELS).ok).toBe(false);
  });
});

describe('matchKey', () => {
  it.each([
    ['Serial No.', 'serialno'],
    ['Cost (£)', 'cost'],
    ['asset_tag', 'assettag'],
    ['Asset #', 'asset'],
    ['License Key', 'licencekey'],
    ['S/N', 'sn'],
  ])('turns %j into %j', (text, key) => {
    expect(matchKey(text)).toBe(key);
  });
});

describe('neutraliseCell and restoreCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ["'=already", "''=already"],
  ])('neutralises %j', (value, exported) => {
    expect(neutraliseCell(value)).toBe(exported);
    expect(restoreCell(exported)).toBe(value);
  });

  it.each(['Mrs O’Brien’s class', 'LAP-001', "'quoted", "O'Neil", '1+1', 'a=b', ''])(
    'leaves %j alone both ways',
    (value) => {
      expect(neutraliseCell(value)).toBe(value);
      expect(restoreCell(value)).toBe(value);
    },
  );

  it('drops the apostrophe a spreadsheet user put before a formula character', () => {
    expect(restoreCell("'+44 1234 567890")).toBe('+44 1234 567890');
  });
});
