/**
 * The service report in Teams: `spoc report week|last-week|term|last-term|FROM..TO`, the same
 * answer, figures and role check as Slack's `/spoc report`. Its spreadsheet (`… csv`) is not sent
 * in Teams yet: asked for, the report comes as a card under a sentence saying so.
 */
import { REPORT_CSV_NOT_HERE, reportAnswer, wantsCsv } from '../../../domain/answers/reports';
import { sentence } from '../../../domain/presenters/presentation';
import { can } from '../../../domain/roles';
import { wordsOf } from './answer-now';
import type { TeamsFamily } from './family';

export const reportsFamily: TeamsFamily = {
  replies: [
    {
      words: ['spoc', 'report'],
      usage: 'spoc report week|last-week|term|last-term|YYYY-MM-DD..YYYY-MM-DD',
      summary: 'the service report',
      async present(_deps, ctx, rest) {
        const words = wordsOf(rest);
        const report = await reportAnswer(ctx, words);
        if (!wantsCsv(words) || !can(ctx.actor.role, 'report.view')) return report;
        return { ...report, sections: [...sentence(REPORT_CSV_NOT_HERE).sections, ...report.sections] };
      },
    },
  ],
};
