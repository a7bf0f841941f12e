import { describe, expect, it } from 'vitest';
import { formatReference, parseReference } from '../../../src/domain/incidents/reference';

describe('incident references', () => {
  it.each([
    ['INC-7', 7],
    ['inc-7', 7],
    ['INC7', 7],
    ['#12', 12],
    [' 42 ', 42],
    ['INC-0', null],
    ['INC-', null],
    ['INC-7x', null],
    ['seven', null],
    ['', null],
  ])('parses %j as %j', (text, expected) => {
    expect(parseReference(text)).toBe(expected);
  });

  it('formats and parses back', () => {
    expect(parseReference(formatReference(123))).toBe(123);
  });
});
