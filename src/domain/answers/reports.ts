/** `spoc report week|last-week|term|last-term|FROM..TO`: the service report, for every platform. */
import type { Ctx } from '../context';
import { presentUsage } from '../presenters/help';
import { type Presentation, sentence } from '../presenters/presentation';
import { presentServiceReport } from '../presenters/service-report';
import { serviceReport } from '../reports/run-service-report';

export const CSV_WORD = 'csv';

/** The period words of `report …`, without the `csv` flag. */
export function reportPeriodWords(words: readonly string[]): string {
  return words.filter((w) => w.toLowerCase() !== CSV_WORD).join(' ');
}

/** True when the words ask for the report as a spreadsheet. */
export function wantsCsv(words: readonly string[]): boolean {
  return words.some((w) => w.toLowerCase() === CSV_WORD);
}

/** Said over the report where a platform cannot send its spreadsheet yet. */
export const REPORT_CSV_NOT_HERE =
  'The report as a CSV spreadsheet is not available in Teams yet, so here it is as a message.';

/** The report for the period the words name, or what periods there are. */
export async function reportAnswer(ctx: Ctx, words: readonly string[]): Promise<Presentation> {
  const result = await serviceReport(ctx, { period: reportPeriodWords(words) });
  if (result.ok) return presentServiceReport(result.value);
  return result.error.code === 'VALIDATION'
    ? presentUsage(result.error.message, ctx.actor.role)
    : sentence(result.error.message);
}
