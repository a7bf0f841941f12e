/**
 * The satisfaction question on the reporter's status message after Fixed: 👍 / 👎 answer it in one
 * press (`rateIncident`, once per incident), and "Add a comment" opens the optional comment form
 * (`commentOnSatisfaction`, recorded once per view). The message pressed stays the status message,
 * with the thanks on it; pressed on the App Home, the thanks is shown on top of the Home and the
 * status message follows.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { loadStatusMessage } from '../../../domain/delivery/status-message';
import { getIncident } from '../../../domain/incidents/list-incidents';
import { formatReference } from '../../../domain/incidents/reference';
import {
  commentOnSatisfaction,
  rateIncident,
  satisfactionQuestion,
} from '../../../domain/incidents/satisfaction';
import type { Presentation } from '../../../domain/presenters/presentation';
import { presentSatisfactionAnswer } from '../../../domain/presenters/satisfaction';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, SATISFACTION_BLOCK } from '../ids';
import { type FormReply, replyOnce } from '../submit-once';
import { fieldErrors, readMetadata, readState } from '../view-state';
import { renderMessage } from '../views/render';
import { statusWithAnswerView } from '../views/reporter-notice.view';
import { satisfactionModalView, satisfactionSentView } from '../views/satisfaction-modal.view';
import { actionValue } from './form-kit';
import { answer, fromHome, pressedTs, tell } from './reporter-actions';
import type { SlackCtx } from './subcommand';

const Metadata = z.object({ incidentId: z.string() });

/** Who answers for an incident that is not theirs to answer. */
const onlyTheReporter = (number: number) =>
  `Only the person who reported ${formatReference(number)} can answer for it.`;

/**
 * Puts `shown` (the thanks) on the reporter's status message when it was not the message pressed
 * (a press on the Home tab, or the comment form). A failure is logged: the answer is kept anyway.
 */
async function updateStatusMessage(
  deps: SlackDeps,
  client: ButtonArgs['client'],
  ctx: SlackCtx,
  incidentId: string,
  shown: Presentation,
  pressed?: string,
): Promise<void> {
  const { schoolId, personId } = ctx.actor;
  const status = await loadStatusMessage(ctx.db, schoolId, incidentId, personId);
  const place = status.found ? status.model.place : null;
  if (!status.found || !place || place.postedId === pressed) return;
  try {
    await client.chat.update({
      channel: place.channel,
      ts: place.postedId,
      ...statusWithAnswerView(status.model.incident, ctx.school.timezone, shown),
    });
  } catch (error) {
    deps.log.warn(
      { schoolId, incidentId, err: String(error) },
      "could not update the reporter's status message with the satisfaction answer",
    );
  }
}

export function registerSatisfactionActions(app: App, deps: SlackDeps): void {
  for (const [actionId, rating] of [
    [ACTION.satisfactionUp, 'up'],
    [ACTION.satisfactionDown, 'down'],
  ] as const) {
    app.action(
      actionId,
      guard<ButtonArgs>(deps, async (args) => {
        await args.ack();
        const ctx = await contextFor(deps, slackWho(args.body));
        const incidentId = actionValue(args.body);
        const result = await rateIncident(ctx, { incidentId, rating });
        if (!result.ok) return tell(args, ctx, result.error.message);
        const out = result.value;
        if (out.outcome === 'recorded') {
          deps.kick();
          // Not the answer itself: the log is read by whoever runs SPOC.
          deps.log.info(
            { schoolId: ctx.actor.schoolId, incidentId: out.incident.id },
            'reporter answered the satisfaction question',
          );
        }
        const timezone = ctx.school.timezone;
        const thanks = presentSatisfactionAnswer(out.incident, out);
        const status = await loadStatusMessage(
          ctx.db,
          ctx.actor.schoolId,
          out.incident.id,
          ctx.actor.personId,
        );
        // In a DM the message pressed stays the status message, with the thanks on it.
        const shown =
          status.found && !fromHome(args.body)
            ? statusWithAnswerView(status.model.incident, timezone, thanks)
            : renderMessage(thanks, timezone);
        await answer(args, ctx, shown, true);
        await updateStatusMessage(deps, args.client, ctx, out.incident.id, thanks, pressedTs(args.body));
      }),
    );
  }

  app.action(
    ACTION.satisfactionComment,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const ctx = await contextFor(deps, slackWho(args.body));
      const found = await getIncident(ctx, { ref: actionValue(args.body) });
      if (!found.ok) return tell(args, ctx, found.error.message);
      const incident = found.value.incident;
      const question = await satisfactionQuestion(ctx.db, ctx.actor.schoolId, incident, ctx.actor.personId);
      if (incident.reporterId !== ctx.actor.personId)
        return tell(args, ctx, onlyTheReporter(incident.number));
      if (question.state !== 'answered') return tell(args, ctx, 'Answer 👍 or 👎 first, then add a comment.');
      if (question.commented)
        return tell(args, ctx, 'You have already added a comment to your answer — thank you.');
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: satisfactionModalView(incident, question.rating),
      });
    }),
  );

  app.view(
    CALLBACK.satisfactionComment,
    guard<SubmitArgs>(deps, async (args) => {
      const { body, view } = args;
      let after: { ctx: SlackCtx; incidentId: string; thanks: Presentation } | undefined;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(body));
        const value = readState(view.state.values);
        const { repeat, reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
          const result = await commentOnSatisfaction(tx, {
            incidentId: readMetadata(Metadata, view.private_metadata)?.incidentId ?? '',
            comment: value(SATISFACTION_BLOCK.comment) ?? '',
          });
          if (!result.ok) {
            return {
              response_action: 'errors',
              errors: fieldErrors(result.error, SATISFACTION_BLOCK, SATISFACTION_BLOCK.comment),
            };
          }
          const { incident, rating } = result.value;
          after = {
            ctx,
            incidentId: incident.id,
            thanks: presentSatisfactionAnswer(incident, { outcome: 'recorded', rating, commented: true }),
          };
          return { response_action: 'update', view: satisfactionSentView(incident) };
        });
        if (repeat) after = undefined;
        return reply;
      });
      // The form is answered; the status message loses its "Add a comment" button.
      if (after) await updateStatusMessage(deps, args.client, after.ctx, after.incidentId, after.thanks);
    }),
  );
}
