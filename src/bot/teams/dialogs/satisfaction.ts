/**
 * The reporter's optional comment on their satisfaction answer, as a Teams dialog opened from
 * "Add a comment" on their status card: the same field, words and limit as Slack's modal, and the
 * same command (`commentOnSatisfaction`). Recorded once per form id (kind `teams.satisfaction`);
 * once sent, the dialog thanks them and the status card loses its "Add a comment" button.
 */
import { loadStatusMessage } from '../../../domain/delivery/status-message';
import { getIncident } from '../../../domain/incidents/list-incidents';
import { formatReference } from '../../../domain/incidents/reference';
import {
  commentOnSatisfaction,
  SATISFACTION_COMMENT_MAX,
  satisfactionQuestion,
} from '../../../domain/incidents/satisfaction';
import { presentStatusMessage } from '../../../domain/presenters/notices';
import {
  presentSatisfactionAnswer,
  SATISFACTION_FORM,
  satisfactionCommentSent,
} from '../../../domain/presenters/satisfaction';
import { CARD_VERSION, renderCard, renderText } from '../render/adaptive-card';
import { taskCard } from './dialog';
import { incidentFormDialog } from './incident-form';

export const satisfactionDialog = incidentFormDialog({
  verb: 'satisfaction.comment',
  kind: 'teams.satisfaction',
  fields: ['comment'],
  fallbackField: 'comment',
  logged: 'reporter commented on their satisfaction answer',
  async view(ctx, incidentId) {
    const found = await getIncident(ctx, { ref: incidentId });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value.incident;
    if (i.reporterId !== ctx.actor.personId)
      return { refusal: `Only the person who reported ${formatReference(i.number)} can answer for it.` };
    const question = await satisfactionQuestion(ctx.db, ctx.actor.schoolId, i, ctx.actor.personId);
    if (question.state !== 'answered') return { refusal: 'Answer 👍 or 👎 first, then add a comment.' };
    if (question.commented)
      return { refusal: 'You have already added a comment to your answer — thank you.' };
    return {
      title: SATISFACTION_FORM.title(i),
      heading: renderText(SATISFACTION_FORM.heading(i, question.rating)),
      submit: SATISFACTION_FORM.submit,
      items: [
        {
          kind: 'text',
          id: 'comment',
          label: SATISFACTION_FORM.comment,
          required: true,
          multiline: true,
          max: SATISFACTION_COMMENT_MAX,
          placeholder: SATISFACTION_FORM.placeholder,
          hint: SATISFACTION_FORM.hint,
        },
      ],
    };
  },
  run: (ctx, incidentId, v) => commentOnSatisfaction(ctx, { incidentId, comment: v.comment ?? '' }),
  keep: (out) => ({ incidentId: out.incident.id, number: out.incident.number, rating: out.rating }),
  after: async (deps, ctx, kept, turn) => {
    const incidentId = String(kept.incidentId);
    const number = Number(kept.number);
    // The status card the form was opened from: the thanks, without "Add a comment" now.
    const status = await loadStatusMessage(deps.db, ctx.school.id, incidentId, ctx.actor.personId);
    if (turn && status.found && status.model.place) {
      const thanks = presentSatisfactionAnswer(
        { id: incidentId, number },
        { outcome: 'recorded', rating: kept.rating === 'down' ? 'down' : 'up', commented: true },
      );
      const timezone = ctx.school.timezone;
      await turn.updateMessage(
        status.model.place.postedId,
        renderCard(presentStatusMessage(status.model.incident, timezone, thanks), { timezone }),
      );
    }
    return taskCard(SATISFACTION_FORM.sentTitle, {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: CARD_VERSION,
      body: [{ type: 'TextBlock', text: renderText(satisfactionCommentSent({ number })), wrap: true }],
    });
  },
});
