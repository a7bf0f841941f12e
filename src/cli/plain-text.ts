/**
 * The neutral markup (`Rich`, see `src/domain/presenters/presentation.ts`) as the command line
 * prints it: the presenters' words with no markup and no emoji, moments in the school's own time.
 * Like every renderer it adds no words of its own.
 */
import { plainDateTime } from '../domain/presenters/escalation-email';
import { type Rich, SURFACE_WORDS } from '../domain/presenters/presentation';

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function spans(rich: Rich, timezone: string): string {
  return rich
    .map((span): string => {
      if (typeof span === 'string') return span;
      if ('max' in span) return cut(span.text, span.max);
      if ('bold' in span) return spans(span.bold, timezone);
      if ('italic' in span) return spans(span.italic, timezone);
      if ('quote' in span) return spans(span.quote, timezone);
      if ('command' in span) return span.command;
      if ('code' in span) return span.code;
      // The terminal is neither platform; Slack's names for its places are the shorter.
      if ('surface' in span) return spans(SURFACE_WORDS.slack[span.surface], timezone);
      if ('person' in span) return span.person.name;
      if ('date' in span) return plainDateTime(span.date, timezone);
      if ('link' in span) {
        const label = spans(span.label, timezone);
        return label === span.link ? label : `${label} (${span.link})`;
      }
      // An emoji is a leading symbol only: a terminal may not show it.
      return '';
    })
    .join('');
}

/**
 * The text as lines to print: the first as it is, any further ones (a list's items) after it.
 * Leading and trailing spaces left where an emoji stood are dropped.
 */
export function plainLines(rich: Rich, timezone: string): string[] {
  return spans(rich, timezone)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
