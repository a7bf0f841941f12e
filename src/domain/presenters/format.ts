/**
 * Plain-text formats every platform shows the same way. Dates people read are `dayDate` in a
 * sentence ("Mon 14 Dec 2026") and `ukDate` in a table, a list's row or a CSV file ("14/12/2026"),
 * never ISO; a moment in a message is a `date` span, each platform showing it its own way.
 */
import { TZDate } from '@date-fns/tz';
import { format, parseISO } from 'date-fns';
import { ASSET_TYPE_LABELS } from '../registers/types';

const POUNDS = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/** Integer pence as £1,234.50. */
export function pounds(pence: number | null): string {
  return pence === null ? '—' : POUNDS.format(pence / 100);
}

/** An ISO calendar date as a UK date (`31/08/2027`). */
export function ukDate(iso: string | null): string {
  return iso ? format(parseISO(iso), 'dd/MM/yyyy') : '—';
}

/** A moment as a table or a CSV file shows it, in the school's time: `14/12/2026 09:15`. */
export function ukDateTime(at: Date, timezone: string): string {
  return format(new TZDate(at.getTime(), timezone), 'dd/MM/yyyy HH:mm');
}

/** An ISO calendar date as people read it in a sentence (`Mon 14 Dec 2026`). */
export function dayDate(iso: string): string {
  return format(parseISO(iso), 'EEE d MMM yyyy');
}

/** An ISO week (`2026-W49`) as the Monday it starts on, in a sentence: "the week of Mon 30 Nov 2026". */
export function weekOf(isoWeek: string): string {
  return `the week of ${dayDate(isoWeek)}`;
}

/** How a device reads in the fault form, on every platform: tag, type, make and model. */
export function deviceLabel(a: {
  tag: string;
  type: keyof typeof ASSET_TYPE_LABELS;
  make: string;
  model: string;
}): string {
  return [a.tag, ASSET_TYPE_LABELS[a.type], [a.make, a.model].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(' · ');
}
