/**
 * The service report in Teams: `spoc report week|last-week|term|last-term|FROM..TO [csv]`, the same
 * answer, figures, role check and words as Slack's `/spoc report`.
 *
 * - Without `csv`: the report as a card (in a channel, shown to the asker alone, as every reply).
 * - With `csv`: the spreadsheet, in the personal chat (Teams exchanges files with a bot only
 *   there), offered with a file consent card (`files.ts`, `sendCsvFile`) whose context names the
 *   period as the command took it (`{ spoc: 'report', period, fileName }`). On accept
 *   (`csv.ts`, `acceptFile`) the CSV is made again with the role checked again, so nothing is kept
 *   meanwhile. In a channel, SPOC says files come through the personal chat.
 *
 * The router takes the longest command that starts the text, and a reply command answers with a
 * card only, so `spoc report` is a command of its own that hands the card to the reply
 * `REPORT_VIEW`. That reply is also what a channel's user-specific view runs again for its viewer
 * (`reply.show`, found by its words): its words differ from `spoc report`'s so that the router
 * never prefers it to the command.
 */
import {
  REPORT_FILE_COMMENT,
  reportAnswer,
  reportFile,
  reportPeriodWords,
  reportProblem,
  wantsCsv,
} from '../../../domain/answers/reports';
import { filesInPersonalChat } from '../../../domain/presenters/import-preview';
import { type Presentation, sentence } from '../../../domain/presenters/presentation';
import { can, FORBIDDEN } from '../../../domain/roles';
import type { TeamsCommand } from '../commands';
import { type TeamsDeps, teamsContext } from '../commands/deps';
import { type FileConsentContext, sendCsvFile } from '../files';
import { cardMessage } from '../render/adaptive-card';
import { type ReplyCommand, replyCommand } from '../replies';
import { wordsOf } from './answer-now';
import type { TeamsFamily } from './family';

const USAGE = 'spoc report week|last-week|term|last-term|FROM..TO [csv]';

/** What a report's consent card carries back: `spoc` is this, with the period and the file offered. */
export const REPORT_FILE = 'report';

/** The consent card's context for a report's file. */
export const reportFileContext = (period: string, fileName: string): FileConsentContext => ({
  spoc: REPORT_FILE,
  period,
  fileName,
});

/** The report's file a consent card carried back, if it names one. */
export function reportFileOf(
  context: FileConsentContext | undefined,
): { period: string; fileName: string } | undefined {
  if (context?.spoc !== REPORT_FILE || typeof context.period !== 'string') return undefined;
  return { period: context.period, fileName: typeof context.fileName === 'string' ? context.fileName : '' };
}

/** The report as a card, for whoever asks or views it. */
const REPORT_VIEW: ReplyCommand = {
  words: ['spoc', 'report', 'view'],
  usage: 'spoc report view week|last-week|term|last-term|FROM..TO',
  summary: 'the service report',
  present: (_deps, ctx, rest) => reportAnswer(ctx, wordsOf(rest)),
};

/** `spoc report <period> csv`: the report's file offered in the personal chat. */
function reportCommand(deps: TeamsDeps): TeamsCommand {
  const view = replyCommand(deps, REPORT_VIEW);
  return {
    words: ['spoc', 'report'],
    usage: USAGE,
    summary: 'the service report, or with csv as a spreadsheet sent to you here',
    async run(context, rest) {
      const words = wordsOf(rest);
      if (!wantsCsv(words)) return view.run(context, rest);
      const who = await teamsContext(deps, context);
      if (!who.ok) {
        await context.sendActivity({ type: 'message', text: who.message });
        return;
      }
      const { ctx } = who;
      const { timezone } = ctx.school;
      const show = (p: Presentation) => context.sendActivity(cardMessage(p, { timezone }));
      // Who may see the report is settled first, as Slack's answer does.
      if (!can(ctx.actor.role, 'report.view')) return void (await show(sentence(FORBIDDEN['report.view'])));
      if (context.activity.conversation?.conversationType !== 'personal')
        return void (await show(filesInPersonalChat(['spoc', 'report', ...words].join(' '))));
      const period = reportPeriodWords(words);
      const file = await reportFile(ctx, period);
      if (!file.ok) return void (await show(reportProblem(ctx, file.error)));
      await sendCsvFile(context, {
        fileName: file.value.fileName,
        sizeInBytes: Buffer.byteLength(file.value.csv, 'utf8'),
        description: REPORT_FILE_COMMENT,
        context: reportFileContext(period, file.value.fileName),
      });
    },
  };
}

export const reportsFamily: TeamsFamily = {
  replies: [REPORT_VIEW],
  commands: (deps) => [reportCommand(deps)],
};
