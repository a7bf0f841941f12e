/** One formatter per timezone: making one is costly, and the reminder pass asks thousands of times. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    // en-CA writes dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The calendar date (`YYYY-MM-DD`) it is now in the school's timezone. */
export function schoolToday(now: Date, timezone: string): string {
  return formatterOf(timezone).format(now);
}
