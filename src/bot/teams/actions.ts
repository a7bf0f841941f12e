/**
 * Presses on SPOC's cards in Teams, dispatched by verb (the neutral action id).
 *
 * - **Universal Actions** (`Action.Execute`, an `invoke` named `adaptiveCard/action`): the
 *   handlers in `PRESSES` (Claim, Resume; `refresh`, Teams asking for a stale card on view; the
 *   reporter's Fixed / Still broken) answer with the card as it now is, or a short message.
 * - **Dialogs** (`Action.Submit` with `msteams.type` `task/fetch`, then `task/submit`): the forms
 *   in `DIALOGS` (`dialogs/`): the incident card's staff forms and the reporter's comment. A card
 *   posted before a button became a dialog still carries it as an `Action.Execute`: that press is
 *   answered with the card as it now is and a line asking to press the button again.
 *
 * Roles: the card shows its actions to everyone in the channel; the command checks the presser's
 * role, and a refusal comes back in the domain's own words.
 */
import { randomUUID } from 'node:crypto';
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { Ctx } from '../../domain/context';
import { loadStatusMessage, settleStatusMessage } from '../../domain/delivery/status-message';
import { claimIncident } from '../../domain/incidents/claim-incident';
import { resumeIncident } from '../../domain/incidents/hold-incident';
import {
  confirmFixed,
  type ReporterResponseInput,
  type ReporterResponseOutput,
  reportStillBroken,
} from '../../domain/incidents/reporter-response';
import { rateIncident } from '../../domain/incidents/satisfaction';
import { notOnHoldAnyMore, PRESS_AGAIN } from '../../domain/presenters/incident-forms';
import {
  commentAction,
  presentReporterAnswer,
  presentStatusMessage,
  type ReporterButton,
} from '../../domain/presenters/notices';
import type { ActionId } from '../../domain/presenters/presentation';
import { presentSatisfactionAnswer, withSatisfaction } from '../../domain/presenters/satisfaction';
import type { Result } from '../../domain/result';
import { type TeamsDeps, teamsContext } from './commands/deps';
import { type DialogTurn, isFormId, type TaskAnswer, type TaskData, taskMessage } from './dialogs/dialog';
import { DIALOGS } from './dialogs/index';
import { incidentCardAnswer } from './incident-card-answer';
import { officePresses } from './office/index';
import { type CardPress, cardAnswer, cardForEveryone, messageAnswer, type PressData } from './presses';
import { reminderPresses, withReminderClaim } from './reminder-actions';
import {
  type AdaptiveCard,
  cardAttachment,
  DIALOG_ACTIONS,
  REFRESH_VERB,
  renderCard,
} from './render/adaptive-card';

/** The reporter's answers to "is it fixed?", by verb. */
function reporterPress(
  button: ReporterButton,
  run: (ctx: Ctx, input: ReporterResponseInput) => Promise<Result<ReporterResponseOutput>>,
): CardPress {
  return async (deps, ctx, { value: incidentId }) => {
    const result = await run(ctx, { incidentId });
    if (!result.ok) return messageAnswer(result.error.message);
    const { outcome, incident, changed, satisfaction } = result.value;
    const timezone = ctx.school.timezone;
    // After Fixed, the satisfaction question goes under the answer (until it is answered).
    const answer = withSatisfaction(presentReporterAnswer(button, outcome, incident), incident, satisfaction);
    // The status card stays a status card: where the fault now stands, with what the press did.
    const status = await settleStatusMessage(ctx, incident.id, timezone);
    if (changed) {
      deps.kick?.();
      deps.log.info({ schoolId: ctx.school.id, incidentId: incident.id, outcome }, 'reporter answered');
    }
    return cardAnswer(
      renderCard(status.found ? presentStatusMessage(status.model.incident, timezone, answer) : answer, {
        timezone,
      }),
    );
  };
}

/**
 * 👍 / 👎 on the status card after Fixed: the answer, kept once (`rateIncident`), and the card as
 * it stands with the thanks on it (and "Add a comment", a dialog, while it has none).
 */
function satisfactionPress(rating: 'up' | 'down'): CardPress {
  return async (deps, ctx, { value: incidentId }) => {
    const result = await rateIncident(ctx, { incidentId, rating });
    if (!result.ok) return messageAnswer(result.error.message);
    const out = result.value;
    if (out.outcome === 'recorded') {
      deps.kick?.();
      deps.log.info(
        { schoolId: ctx.school.id, incidentId: out.incident.id },
        'reporter answered the satisfaction question',
      );
    }
    const timezone = ctx.school.timezone;
    const thanks = presentSatisfactionAnswer(out.incident, out);
    const status = await loadStatusMessage(ctx.db, ctx.school.id, out.incident.id, ctx.actor.personId);
    return cardAnswer(
      renderCard(status.found ? presentStatusMessage(status.model.incident, timezone, thanks) : thanks, {
        timezone,
      }),
    );
  };
}

/** Every Universal Action answered in Teams, by verb. */
export const PRESSES: Readonly<Record<string, CardPress>> = {
  'incident.claim': withReminderClaim(async (deps, ctx, { value: incidentId }) => {
    const result = await claimIncident(ctx, { incidentId });
    if (!result.ok) return incidentCardAnswer(deps, ctx, incidentId, result.error.message);
    deps.kick?.();
    deps.log.info({ schoolId: ctx.school.id, incidentId }, 'incident claimed');
    return incidentCardAnswer(deps, ctx, incidentId);
  }),
  'incident.resume': async (deps, ctx, { value: incidentId }) => {
    const result = await resumeIncident(ctx, { incidentId });
    if (!result.ok) return incidentCardAnswer(deps, ctx, incidentId, result.error.message);
    // A second press (or a double click): someone already took it off hold.
    if (!result.value.event)
      return incidentCardAnswer(deps, ctx, incidentId, notOnHoldAnyMore(result.value.incident));
    deps.kick?.();
    deps.log.info({ schoolId: ctx.school.id, incidentId }, 'incident resumed');
    return incidentCardAnswer(deps, ctx, incidentId);
  },
  [REFRESH_VERB]: (deps, ctx, { value: incidentId }) => incidentCardAnswer(deps, ctx, incidentId),
  'reporter.fixed': reporterPress('fixed', confirmFixed),
  'reporter.stillBroken': reporterPress('still_broken', reportStillBroken),
  'satisfaction.up': satisfactionPress('up'),
  'satisfaction.down': satisfactionPress('down'),
  ...reminderPresses,
  ...officePresses,
};

/** Answers an `adaptiveCard/action` invoke through the press its verb names. */
export async function handleCardAction(
  deps: TeamsDeps,
  context: TurnContext,
  value: AdaptiveCardInvokeValue,
): Promise<AdaptiveCardInvokeResponse> {
  const verb = value?.action?.verb;
  const data = (value?.action?.data ?? {}) as Record<string, unknown>;
  if (!verb || typeof data.value !== 'string')
    return messageAnswer('This card is out of date; nothing was changed.');
  const press = Object.hasOwn(PRESSES, verb) ? PRESSES[verb] : undefined;
  // Only the incident card's and the reporter's buttons were ever Universal Actions.
  if (!press && DIALOG_ACTIONS.has(verb as ActionId) && /^(incident|reporter)\./.test(verb))
    return pressAgain(deps, context, verb, data.value);
  if (!press)
    return messageAnswer('That is not ready in Teams yet: use SPOC in Slack or the command line for now.');
  const who = await teamsContext(deps, context);
  if (!who.ok) return messageAnswer(who.message);
  const answer = await press(deps, who.ctx, data as PressData);
  const shared = cardForEveryone(answer);
  if (shared) await updateForEveryone(deps, context, shared);
  return answer;
}

/**
 * Puts the card meant for everyone in place of the message pressed (`replyToId`), so the others in
 * the channel see what was done, not buttons that would only say it was dealt with (nor what was
 * for the presser alone, such as the email they are to send). What was done is already recorded
 * and the presser sees it; a failed update is logged, not retried.
 */
async function updateForEveryone(deps: TeamsDeps, context: TurnContext, card: AdaptiveCard): Promise<void> {
  const id = context.activity.replyToId;
  if (id) await replaceMessage(deps, context, id, card);
}

/**
 * Replaces a message of the turn's conversation for everyone. What it shows is already recorded
 * and the person acting sees it; a failed update is logged, not thrown or retried.
 */
async function replaceMessage(deps: TeamsDeps, context: TurnContext, id: string, card: AdaptiveCard) {
  try {
    await context.updateActivity({ type: 'message', id, attachments: [cardAttachment(card)] });
  } catch (error) {
    deps.log.warn(
      { err: error instanceof Error ? error.message : String(error), activityId: id },
      'could not show the outcome to everyone in the channel; the person acting sees it',
    );
  }
}

/**
 * A button that opens a dialog now, pressed on a card posted before it did (an `Action.Execute`):
 * the card as it now is, whose button opens the form, and a line asking to press it again. The
 * reporter's comment button is on their notice, not the incident card: it comes back on its own.
 */
async function pressAgain(
  deps: TeamsDeps,
  context: TurnContext,
  verb: string,
  value: string,
): Promise<AdaptiveCardInvokeResponse> {
  const who = await teamsContext(deps, context);
  if (!who.ok) return messageAnswer(who.message);
  if (verb !== 'reporter.comment') return incidentCardAnswer(deps, who.ctx, value, PRESS_AGAIN);
  return cardAnswer(
    renderCard(
      {
        text: [PRESS_AGAIN],
        sections: [{ kind: 'text', text: [PRESS_AGAIN] }],
        actions: [commentAction(value)],
      },
      { timezone: who.ctx.school.timezone },
    ),
  );
}

/** `task/fetch`: a card button asking for its dialog, answered with the form or a refusal. */
export async function handleTaskFetch(
  deps: TeamsDeps,
  context: TurnContext,
  data: TaskData | undefined,
): Promise<TaskAnswer> {
  const dialog = typeof data?.verb === 'string' ? DIALOGS.get(data.verb) : undefined;
  // An empty value is a form for a new record (Add a location); the dialog checks any other.
  const value = typeof data?.value === 'string' ? data.value : undefined;
  if (!dialog || value === undefined) return taskMessage('This card is out of date; nothing was changed.');
  const who = await teamsContext(deps, context);
  if (!who.ok) return taskMessage(who.message);
  return dialog.open(deps, who.ctx, value, randomUUID());
}

/** `task/submit`: a dialog's form sent, once per form id. */
export async function handleTaskSubmit(
  deps: TeamsDeps,
  context: TurnContext,
  data: TaskData | undefined,
): Promise<TaskAnswer> {
  const dialog = typeof data?.verb === 'string' ? DIALOGS.get(data.verb) : undefined;
  const value = typeof data?.value === 'string' ? data.value : undefined;
  const formId = isFormId(data?.formId) ? data.formId : undefined;
  if (!dialog || value === undefined || !formId || !data)
    return taskMessage('That form is out of date; nothing was changed. Press the button on the card again.');
  const who = await teamsContext(deps, context);
  if (!who.ok) return taskMessage(who.message);
  return dialog.submit(deps, who.ctx, value, formId, data, dialogTurn(deps, context));
}

/**
 * What a dialog may do in its submit's own turn: replace a message of the conversation it was
 * opened in (a reminder's thread) for everyone. A failed update is logged, not thrown or retried.
 */
function dialogTurn(deps: TeamsDeps, context: TurnContext): DialogTurn {
  return { updateMessage: (id, card) => replaceMessage(deps, context, id, card) };
}
