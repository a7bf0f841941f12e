/** The presenters' words as the command line prints them: no markup, no emoji, the school's time. */
import { describe, expect, it } from 'vitest';
import { plainLines } from '../src/cli/plain-text';
import { bold, code, date, emoji, italic, person, typed } from '../src/domain/presenters/presentation';

describe('plainLines', () => {
  it('keeps the words, drops markup and emoji, cuts typed text, and dates in the school’s time', () => {
    expect(
      plainLines(
        [
          emoji(':stopwatch:'),
          ' ',
          bold('INC-7'),
          ' (P2) ',
          typed('Projector flickers in the hall', 10),
          ': first response is due ',
          date(new Date('2027-07-01T08:30:00Z')),
          ', says ',
          person('Sam Tech', 'U0SAM'),
          ' ',
          italic(code('[###--]')),
          '.',
        ],
        'Europe/London',
      ),
    ).toEqual([
      'INC-7 (P2) Projector…: first response is due Thu, 1 Jul 2027, 09:30, says Sam Tech [###--].',
    ]);
  });

  it('gives each line of a list on its own, with no blank ones', () => {
    expect(
      plainLines(
        [
          emoji(':calendar:'),
          ' ',
          bold('Today in the diary'),
          '\n',
          '• ',
          typed('Staff INSET', 200),
          '\n• Fire drill',
        ],
        'Europe/London',
      ),
    ).toEqual(['Today in the diary', '• Staff INSET', '• Fire drill']);
  });

  it('shows a link with where it goes', () => {
    expect(plainLines([{ link: 'https://example.org/a', label: ['the photo'] }], 'Europe/London')).toEqual([
      'the photo (https://example.org/a)',
    ]);
  });
});
