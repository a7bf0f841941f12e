/**
 * `spoc report week|last-week|term|last-term|FROM..TO [csv]`: the service report, for every
 * platform, as a message or as a CSV file, and what SPOC says around the file.
 */
import type { Ctx } from '../context';
import { presentUsage } from '../presenters/help';
import {
  bold,
  code,
  emoji,
  type Presentation,
  type Rich,
  sentence,
  surface,
  typed,
} from '../presenters/presentation';
import { presentServiceReport } from '../presenters/service-report';
import { reportCsv, reportFileName } from '../reports/report-csv';
import { serviceReport } from '../reports/run-service-report';
import { type DomainError, ok, type Result } from '../result';

export const CSV_WORD = 'csv';

/** The period words of `report …`, without the `csv` flag. */
export function reportPeriodWords(words: readonly string[]): string {
  return words.filter((w) => w.toLowerCase() !== CSV_WORD).join(' ');
}

/** True when the words ask for the report as a spreadsheet. */
export function wantsCsv(words: readonly string[]): boolean {
  return words.some((w) => w.toLowerCase() === CSV_WORD);
}

/** How to name a period, each platform saying the command and where the spreadsheet goes its own way. */
export const PERIOD_USAGE: Rich = [
  'Usage: ',
  { command: 'spoc report week|last-week|term|last-term|FROM..TO [csv]' },
  ', e.g. ',
  { command: 'spoc report term' },
  ' or ',
  { command: 'spoc report 01/09/2026..18/12/2026 csv' },
  '. Add ',
  code(CSV_WORD),
  ' to get it as a spreadsheet in ',
  surface('chat'),
  '.',
];

/** Why there is no report: what was wrong with the period and how to name one, or the sentence (a refusal). */
export function reportProblem(ctx: Ctx, error: DomainError): Presentation {
  return error.code === 'VALIDATION'
    ? presentUsage([error.message, ' ', ...PERIOD_USAGE], ctx.actor.role)
    : sentence(error.message);
}

/** The report for the period the words name, or what periods there are. */
export async function reportAnswer(ctx: Ctx, words: readonly string[]): Promise<Presentation> {
  const result = await serviceReport(ctx, { period: reportPeriodWords(words) });
  if (result.ok) return presentServiceReport(result.value);
  return reportProblem(ctx, result.error);
}

/** The service report as a spreadsheet: its file name, the CSV and the period's name. */
export interface ReportFile {
  fileName: string;
  csv: string;
  periodName: string;
}

/**
 * The report for `period` (the words that name it, as the command took them) as a CSV file, with
 * the caller's role checked (office and admin only).
 */
export async function reportFile(ctx: Ctx, period: string): Promise<Result<ReportFile>> {
  const result = await serviceReport(ctx, { period });
  if (!result.ok) return result;
  const report = result.value;
  return ok({ fileName: reportFileName(report), csv: reportCsv(report), periodName: report.period.name });
}

/** What comes with the report's file. */
export const REPORT_FILE_COMMENT = 'Here is the service report you asked for.';

/** Slack: the report's file is in the person's direct messages. */
export function reportSentText(periodName: string, fileName: string): Rich {
  return [
    emoji(':bar_chart:'),
    ` Service report for ${periodName}: I have sent `,
    bold(fileName),
    ' to you in a direct message.',
  ];
}

/**
 * Teams: a report's file accepted after its period moved on (`week` offered last week), so the
 * file made now would not be the one the card named.
 */
export const reportFileMovedText = (fileName: string): Presentation =>
  sentence([
    'That period has moved on since I offered ',
    bold(typed(fileName, 200)),
    ', so I have not sent it. Please ask for the report again.',
  ]);

/** Teams: the report's file could not be put in the person's OneDrive. */
export const reportUploadFailedText = (ref: string): Presentation =>
  sentence([
    emoji(':warning:'),
    ` I could not put the file in your OneDrive (ref ${ref}). Please ask for the report again.`,
  ]);
