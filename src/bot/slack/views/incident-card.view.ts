/** The incident's card in the SPOC channel, rendered from its neutral presentation. */
import type { KnownBlock } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import {
  type CardLive,
  presentIncidentCard,
  incidentLine as richIncidentLine,
} from '../../../domain/presenters/incident-card';
import { mrkdwn, renderMessage } from './render';

export type { CardEscalation, CardLive } from '../../../domain/presenters/incident-card';
export { PRIORITY_EMOJI } from '../../../domain/presenters/incident-card';
export { moreValue } from './render';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** One line that names an incident, for notifications and lists. */
export function incidentLine(i: IncidentDetail): string {
  return mrkdwn(richIncidentLine(i));
}

/**
 * The incident's card in the SPOC channel. Buttons show what can be done next; whether the
 * presser may do it is decided by the command, not by the button. With `live` the card also
 * shows the SLA time left and who it is with.
 */
export function incidentCardView(i: IncidentDetail, timezone: string, live?: CardLive): SlackMessage {
  return renderMessage(presentIncidentCard(i, live), timezone, 'incident_actions');
}
