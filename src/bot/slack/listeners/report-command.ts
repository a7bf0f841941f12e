/**
 * `/spoc report week|last-week|term|last-term|FROM..TO [csv]`: the service report, privately. With
 * `csv` the request is acked first and the spreadsheet is sent to the caller's DMs (an upload can
 * take longer than Slack waits for the ack).
 */
import type { RespondFn } from '@slack/bolt';
import {
  REPORT_FILE_COMMENT,
  reportAnswer,
  reportPeriodWords,
  reportProblem,
  reportSentText,
  wantsCsv,
} from '../../../domain/answers/reports';
import { reportCsv, reportFileName } from '../../../domain/reports/report-csv';
import { serviceReport } from '../../../domain/reports/run-service-report';
import type { CommandArgs, SlackDeps } from '../deps';
import { sendFileToDm } from '../files';
import { contextFor, slackWho } from '../identity';
import { mrkdwn, renderMessage } from '../views/render';
import type { Handler } from './subcommand';

/** True for `report … csv`: routed to runReportCsv, which acks before it works. */
export function wantsReportCsv(text: string): boolean {
  const [sub, ...rest] = text.trim().split(/\s+/);
  return sub?.toLowerCase() === 'report' && wantsCsv(rest);
}

const reportCommand: Handler = async (ctx, args) =>
  renderMessage(await reportAnswer(ctx, args), ctx.school.timezone);

export const REPORT_SUBCOMMANDS: Record<string, Handler> = { report: reportCommand };

const tell = (respond: RespondFn, text: string) => respond({ response_type: 'ephemeral', text });

/** `/spoc report <period> csv`: the report as a CSV file in the caller's DMs. */
export async function runReportCsv(deps: SlackDeps, args: CommandArgs): Promise<void> {
  await args.ack();
  const [, ...words] = args.command.text.trim().split(/\s+/);
  const ctx = await contextFor(deps, slackWho(args.command));
  const result = await serviceReport(ctx, { period: reportPeriodWords(words) });
  if (!result.ok) {
    const problem = renderMessage(reportProblem(ctx, result.error), ctx.school.timezone);
    return void (await args.respond({ response_type: 'ephemeral', ...problem }));
  }
  const fileName = reportFileName(result.value);
  await sendFileToDm(args.client, args.command.user_id, {
    fileName,
    content: reportCsv(result.value),
    comment: REPORT_FILE_COMMENT,
  });
  await tell(args.respond, mrkdwn(reportSentText(result.value.period.name, fileName)));
}
