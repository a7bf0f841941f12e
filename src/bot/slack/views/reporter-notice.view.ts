/** What a person is told by DM about an incident, rendered from the notice presenters. */
import type { Button } from '@slack/types';
import type { IncidentDetail, IncidentRow } from '../../../db/queries/incidents';
import type { ReporterOutcome } from '../../../domain/incidents/reporter-response';
import type { SatisfactionQuestion } from '../../../domain/incidents/satisfaction';
import type { NotifyEvent } from '../../../domain/messages';
import {
  answerActions,
  commentAction,
  presentNotice,
  presentReporterAnswer,
  presentStatusMessage,
  presentStatusStep,
  type ReporterButton,
} from '../../../domain/presenters/notices';
import type { Presentation } from '../../../domain/presenters/presentation';
import { withSatisfaction } from '../../../domain/presenters/satisfaction';
import type { SlackMessage } from './incident-card.view';
import { renderMessage, slackButton } from './render';

export { REPORTER_STATUS, type ReporterButton } from '../../../domain/presenters/notices';

/** "Fixed" / "Still broken": the reporter's answer to a fix. */
export function answerButtons(i: { id: string }): Button[] {
  return answerActions(i.id).map(slackButton);
}

/** Opens the comment form for the reporter's own open fault. */
export function commentButton(i: { id: string }, label?: string): Button {
  return slackButton(commentAction(i.id, label));
}

/** What the reporter is told, in plain words, at the steps that matter to them. */
export function reporterNoticeView(event: NotifyEvent, i: IncidentDetail, lastNote?: string): SlackMessage {
  return renderMessage(presentNotice(event, i, lastNote));
}

/**
 * The reporter's one DM about their fault, as it stands now (posted once, then updated in place);
 * with `answered`, what their press of Fixed / Still broken did, shown on it.
 */
export function reporterStatusView(
  i: IncidentDetail,
  timezone: string,
  answered?: { button: ReporterButton; outcome: ReporterOutcome; satisfaction?: SatisfactionQuestion },
): SlackMessage {
  const answer =
    answered &&
    withSatisfaction(presentReporterAnswer(answered.button, answered.outcome, i), i, answered.satisfaction);
  return renderMessage(presentStatusMessage(i, timezone, answer), timezone);
}

/** The status message with another answer on it (the thanks for a satisfaction answer). */
export function statusWithAnswerView(
  i: IncidentDetail,
  timezone: string,
  answer: Presentation,
): SlackMessage {
  return renderMessage(presentStatusMessage(i, timezone, answer), timezone);
}

/** One step's line in the thread of the reporter's status DM. */
export function reporterStepView(event: NotifyEvent, i: IncidentDetail, note?: string): SlackMessage {
  return renderMessage(presentStatusStep(event, i, note));
}

/**
 * The answer to the reporter's "Fixed" / "Still broken", which replaces the message that carried
 * the buttons (they no longer apply).
 */
export function reporterAnswerView(
  button: ReporterButton,
  outcome: ReporterOutcome,
  i: IncidentRow,
  timezone: string,
  satisfaction?: SatisfactionQuestion,
): SlackMessage {
  return renderMessage(
    withSatisfaction(presentReporterAnswer(button, outcome, i), i, satisfaction),
    timezone,
  );
}
