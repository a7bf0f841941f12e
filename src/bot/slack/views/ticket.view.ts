/** The reply under a chat message SPOC made an incident of, rendered from its presenter. */
import type { IncidentDetail } from '../../../db/queries/incidents';
import { presentTicketReply } from '../../../domain/presenters/ticket';
import type { SlackMessage } from './incident-card.view';
import { renderMessage } from './render';

/** "Logged as INC-n", in the message's thread. */
export function ticketReplyView(i: IncidentDetail): SlackMessage {
  return renderMessage(presentTicketReply(i));
}
