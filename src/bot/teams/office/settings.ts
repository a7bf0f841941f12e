/**
 * The school settings in Teams: `spoc settings` (with Edit for admins, the shared settings form as
 * a dialog) and the admins' `spoc settings sla P1 30m 4h` and `spoc settings hours 08:30 15:30`:
 * the same answers, form and role checks as Slack's.
 */
import { settingsAnswer } from '../../../domain/answers/settings';
import { settingsForm } from '../../../domain/forms/settings';
import { officeFormDialog } from '../dialogs/office-form';
import { changeCommand, wordsOf } from './answer-now';
import type { TeamsFamily } from './family';

export const settingsFamily: TeamsFamily = {
  replies: [
    {
      words: ['spoc', 'settings'],
      usage: 'spoc settings',
      summary: 'school day, SLA targets and reminder lead times',
      present: (_deps, ctx, rest) => settingsAnswer(ctx, wordsOf(rest)),
    },
  ],
  commands: (deps) =>
    (['sla', 'hours'] as const).map((verb) =>
      changeCommand(deps, {
        words: ['spoc', 'settings', verb],
        usage: verb === 'sla' ? 'spoc settings sla P1 30m 4h' : 'spoc settings hours 08:30 15:30',
        summary: verb === 'sla' ? "a priority's service targets" : 'the school day',
        run: (ctx, rest) => settingsAnswer(ctx, [verb, ...wordsOf(rest)]),
      }),
    ),
  dialogs: [officeFormDialog('settings.edit', settingsForm, { record: false })],
};
