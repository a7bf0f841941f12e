import type { IncidentEventDetail } from '../../../db/queries/incidents';
import { eventLine } from '../../../domain/presenters/incident-event';
import { mrkdwn } from './render';

/** One history event, as a line in the card's thread and in `/spoc incident`. */
export function incidentEventText(e: IncidentEventDetail, timezone?: string): string {
  return mrkdwn(eventLine(e, timezone !== undefined), timezone);
}
