import type { ModalView } from '@slack/types';
import type { IncidentLive } from '../../../db/queries/escalations';
import type { IncidentDetail, IncidentEventDetail } from '../../../db/queries/incidents';
import type { ListIncidentsOutput } from '../../../domain/incidents/list-incidents';
import { presentHelp } from '../../../domain/presenters/help';
import { presentIncidentDetail, presentIncidentList } from '../../../domain/presenters/incidents';
import type { Role } from '../../../domain/roles';
import { md, plain } from './format';
import type { SlackMessage } from './incident-card.view';
import { renderMessage } from './render';

const text = (t: string): SlackMessage => ({ text: t, blocks: [{ type: 'section', text: md(t) }] });

/** A short answer to one person (ephemeral reply, error, confirmation). */
export function noticeView(message: string): SlackMessage {
  return text(message);
}

/**
 * The one answer to a button, overflow option or page link SPOC cannot act on (a message from an
 * older version, a value it never sent, a crafted request): a sentence, never silence.
 */
export const STALE_ACTION_TEXT =
  'That button no longer does anything — run `/spoc help` to see what SPOC can do.';

export function staleActionView(): SlackMessage {
  return text(STALE_ACTION_TEXT);
}

export function apologyText(ref: string): string {
  return `Sorry — something went wrong (ref ${ref}). Please try again; if it keeps happening, tell your ICT lead the ref.`;
}

/** The answer to a command or button while the database does not answer (stalled, restarting). */
export const DATABASE_UNAVAILABLE_TEXT =
  'SPOC could not reach its database just now — please try again in a minute.';

/** Beside a form's first field when it could not be saved for want of the database: it stays open. */
export const SUBMIT_AGAIN_TEXT = 'Could not save just now — press Submit again';

/** Shown in place of a modal when a submission fails unexpectedly. */
export function apologyModalView(ref: string): ModalView {
  return {
    type: 'modal',
    title: plain('Something went wrong'),
    close: plain('Close'),
    blocks: [{ type: 'section', text: md(apologyText(ref)) }],
  };
}

/** A page of an incident list (`/spoc incidents …`), as the domain words it. */
export function incidentListView(out: ListIncidentsOutput, page = 1, timezone?: string): SlackMessage {
  return renderMessage(presentIncidentList(out, page), timezone);
}

/**
 * `/spoc incident INC-7`: the card (with support level, provider and reference, and where it stands
 * against its SLA when `live` is given), its escalations, then its history.
 */
export function incidentDetailView(
  i: IncidentDetail,
  events: IncidentEventDetail[],
  timezone: string,
  live?: IncidentLive,
): SlackMessage {
  return renderMessage(presentIncidentDetail(i, events, live), timezone);
}

/** What the caller may do, by role. */
export function helpView(role: Role): SlackMessage {
  return renderMessage(presentHelp(role));
}

/** A command SPOC could not follow (`problem`, in mrkdwn), then the help for the caller's role. */
export function usageView(problem: string, role: Role): SlackMessage {
  const help = helpView(role);
  return {
    text: problem,
    blocks: [{ type: 'section', text: md(`:thinking_face: ${problem}`) }, ...help.blocks],
  };
}
