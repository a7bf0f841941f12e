import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** The calendar date (`YYYY-MM-DD`) it is now in the school's timezone. */
export function schoolToday(now: Date, timezone: string): string {
  return format(new TZDate(now.getTime(), timezone), 'yyyy-MM-dd');
}
