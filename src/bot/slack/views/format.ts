export { pounds, ukDate } from '../../../domain/presenters/format';

/** Small text helpers shared by the Block Kit builders. */

/** Slack shows at most 100 options in a static select. */
export const STATIC_OPTIONS_MAX = 100;

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to a Block Kit limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Escapes, then cuts to `max` characters of escaped text (escaping can grow text fourfold, so
 * the limit is applied after it), never leaving half an entity behind.
 */
export function escClip(text: string, max: number): string {
  const escaped = esc(text);
  if (escaped.length <= max) return escaped;
  const cut = escaped.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  return `${amp >= 0 && !cut.slice(amp).includes(';') ? cut.slice(0, amp) : cut}…`;
}

/** Undoes Slack's escaping of typed text (slash command text arrives with &lt; &gt; &amp;). */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * A Slack message's text as plain words: mentions as `@name` (or the id Slack gave, when it gave
 * no name), channels as `#name`, links as `label (url)` or the url, then Slack's escaping undone.
 */
export function plainFromSlack(text: string): string {
  const plainText = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@')) return `@${label || target.slice(1)}`;
    if (target.startsWith('#')) return `#${label || target.slice(1)}`;
    if (target.startsWith('!subteam^')) return label || '@group';
    if (target.startsWith('!date^')) return label || '';
    if (target.startsWith('!')) return `@${target.slice(1)}`;
    if (target.startsWith('mailto:')) return label || target.slice('mailto:'.length);
    return label && label !== target ? `${label} (${target})` : target;
  });
  return unescapeSlack(plainText);
}

/** Lines as mrkdwn sections of at most `max` characters each (a section holds 3000). */
export function sectionsOf(
  lines: string[],
  max = 2900,
): Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } }> {
  const sections: Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } }> = [];
  let chunk = '';
  for (const raw of lines) {
    const line = clip(raw, max);
    if (chunk && chunk.length + line.length + 1 > max) {
      sections.push({ type: 'section', text: md(chunk) });
      chunk = '';
    }
    chunk += (chunk ? '\n' : '') + line;
  }
  if (chunk) sections.push({ type: 'section', text: md(chunk) });
  return sections;
}

const FALLBACK_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** A date Slack shows in each reader's own timezone, with a UK fallback for old clients. */
export function slackDate(date: Date, timezone = 'Europe/London'): string {
  const unix = Math.floor(date.getTime() / 1000);
  const fallback =
    timezone === 'Europe/London'
      ? FALLBACK_DATE.format(date)
      : new Intl.DateTimeFormat('en-GB', {
          timeZone: timezone,
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
        }).format(date);
  return `<!date^${unix}^{date_short_pretty} {time}|${fallback}>`;
}

export function plain(text: string, emoji = true) {
  return { type: 'plain_text' as const, text, emoji };
}

export function md(text: string) {
  return { type: 'mrkdwn' as const, text };
}

/** Pence as the plain figure a form field shows (`1234.50`). */
export function poundsInput(pence: number | null): string | undefined {
  return pence === null ? undefined : (pence / 100).toFixed(2);
}
