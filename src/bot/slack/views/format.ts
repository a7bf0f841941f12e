/** Small text helpers shared by the Block Kit builders. */

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to a Block Kit limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
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
