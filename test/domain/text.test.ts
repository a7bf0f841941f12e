import { describe, expect, it } from 'vitest';
import {
  cleanStringsInPlace,
  cleanText,
  describeUnsafeCharacter,
  findUnsafeCharacter,
  normaliseLineEnds,
  unsafeCharacterIn,
} from '../../src/domain/text';

// Written as escapes so the test file itself holds no control characters.
const NUL = '\u0000';
const ESC = '\u001b';
const DEL = '\u007f';
const HIGH = '\ud83d';
const LOW = '\ude00';
const EMOJI = '\ud83d\ude00';

describe('findUnsafeCharacter', () => {
  it.each([
    ['plain text', 'Projector in the hall is dead', undefined],
    ['empty', '', undefined],
    ['tab, line feed and carriage return', 'a\tb\nc\r\nd\re', undefined],
    ['a surrogate pair (emoji)', `Smoke ${EMOJI} from the PC`, undefined],
    ['accents, £ and curly quotes', 'Café £12 “quoted”', undefined],
    ['C1 controls (Postgres stores them)', 'a\u0085b\u009fc', undefined],
    ['NUL', `ab${NUL}c`, { index: 2, code: 0x00 }],
    ['SOH', '\u0001', { index: 0, code: 0x01 }],
    ['vertical tab', 'a\u000bb', { index: 1, code: 0x0b }],
    ['form feed', 'a\u000cb', { index: 1, code: 0x0c }],
    ['escape', `x${ESC}[31m`, { index: 1, code: 0x1b }],
    ['unit separator', '\u001f', { index: 0, code: 0x1f }],
    ['DEL', `a${DEL}`, { index: 1, code: 0x7f }],
    ['a lone high surrogate', `a${HIGH}b`, { index: 1, code: 0xd83d }],
    ['a high surrogate at the end', `ab${HIGH}`, { index: 2, code: 0xd83d }],
    ['a lone low surrogate', `a${LOW}b`, { index: 1, code: 0xde00 }],
    ['two high surrogates', `${HIGH}${EMOJI}`, { index: 0, code: 0xd83d }],
    ['the first of several', `${EMOJI}a${ESC}b${NUL}`, { index: 3, code: 0x1b }],
  ])('%s', (_name, text, expected) => {
    expect(findUnsafeCharacter(text)).toEqual(expected);
  });
});

describe('describeUnsafeCharacter and unsafeCharacterIn', () => {
  it.each([
    [0x00, 'a NUL character (U+0000)'],
    [0x1b, 'a control character (U+001B)'],
    [0x7f, 'a DEL character (U+007F)'],
    [0xd800, 'a broken character (a lone surrogate, U+D800)'],
    [0xdfff, 'a broken character (a lone surrogate, U+DFFF)'],
  ])('names %i for a person', (code, text) => {
    expect(describeUnsafeCharacter({ code })).toBe(text);
  });

  it('describes the first unsafe character, or nothing', () => {
    expect(unsafeCharacterIn(`Printer${NUL}jam`)).toBe('a NUL character (U+0000)');
    expect(unsafeCharacterIn('Printer\njam')).toBeUndefined();
  });
});

describe('normaliseLineEnds', () => {
  it.each([
    ['a\r\nb', 'a\nb'],
    ['a\rb', 'a\nb'],
    ['a\r\r\nb', 'a\n\nb'],
    ['a\n\rb', 'a\n\nb'],
    ['a\nb', 'a\nb'],
    ['no breaks', 'no breaks'],
  ])('%j → %j', (text, expected) => {
    expect(normaliseLineEnds(text)).toBe(expected);
  });
});

describe('cleanText', () => {
  it.each([
    ['leaves plain text alone', 'Projector dead', 'Projector dead'],
    ['keeps tab and line feed', 'Step 1\tboot\nStep 2', 'Step 1\tboot\nStep 2'],
    ['turns CRLF and CR into LF', 'a\r\nb\rc', 'a\nb\nc'],
    ['drops NUL', `Projector${NUL} dead${NUL}`, 'Projector dead'],
    ['drops every C0 control but tab and LF', `a${'\u0001\u0007\u0008\u000b\u000c\u000e\u001f'}b`, 'ab'],
    ['drops DEL', `a${DEL}b`, 'ab'],
    ['keeps an emoji', `Smoke ${EMOJI}`, `Smoke ${EMOJI}`],
    ['drops a lone high surrogate', `a${HIGH}b`, 'ab'],
    ['drops a lone low surrogate', `a${LOW}b`, 'ab'],
    ['keeps the pair after a lone half', `${HIGH}${EMOJI}`, EMOJI],
    ['drops a control in the middle of a CRLF', `a\r${NUL}\nb`, 'a\n\nb'],
    ['gives nothing for nothing but controls', `${NUL}${ESC}${DEL}`, ''],
  ])('%s', (_name, text, expected) => {
    expect(cleanText(text)).toBe(expected);
    expect(findUnsafeCharacter(cleanText(text))).toBeUndefined();
  });

  it('cleans a long text in one pass', () => {
    const text = `ab${NUL}`.repeat(100_000);
    expect(cleanText(text)).toBe('ab'.repeat(100_000));
  });
});

describe('cleanStringsInPlace', () => {
  it('cleans every string in a payload, however deep, in the same objects', () => {
    const values = { summary: { summary: { type: 'plain_text_input', value: `Dead${NUL} projector` } } };
    const view = { id: 'V1', state: { values }, blocks: [{ text: { text: `a\r\nb${ESC}` } }] };
    const body = { type: 'view_submission', view, list: [`x${DEL}`, 3, null, true, [`y${NUL}`]] };
    const result = cleanStringsInPlace(body);
    expect(result).toBe(body);
    expect(body.view).toBe(view);
    expect(view.state.values).toBe(values);
    expect(values.summary.summary.value).toBe('Dead projector');
    expect(view.blocks[0]!.text.text).toBe('a\nb');
    expect(body.list).toEqual(['x', 3, null, true, ['y']]);
  });

  it('cleans object keys, and keeps a "__proto__" key a plain property', () => {
    const body = JSON.parse(`{"bl${'\\u0000'}ock": 1, "__proto__": {"polluted": "x${'\\u0000'}"}}`);
    cleanStringsInPlace(body);
    expect(Object.keys(body)).toEqual(['__proto__', 'block']);
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).toEqual({ polluted: 'x' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns a string cleaned and leaves other values as they are', () => {
    expect(cleanStringsInPlace(`a${NUL}`)).toBe('a');
    expect(cleanStringsInPlace(42)).toBe(42);
    expect(cleanStringsInPlace(null)).toBeNull();
    expect(cleanStringsInPlace(undefined)).toBeUndefined();
  });

  it('copes with an object that refers to itself', () => {
    const body: Record<string, unknown> = { text: `a${NUL}` };
    body.self = body;
    cleanStringsInPlace(body);
    expect(body.text).toBe('a');
    expect(body.self).toBe(body);
  });
});
