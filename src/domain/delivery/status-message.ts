/**
 * The reporter's one status message about a fault in their own chat with SPOC: the fault as it
 * stands now and where the message was posted (none yet before its first step is delivered). The
 * deliverers post it once and update it in place; the reporter's buttons update it too.
 */
import type { Db } from '../../db/client';
import { getIncidentDetail, type IncidentDetail } from '../../db/queries/incidents';
import { noticePending } from '../../db/queries/outbox';
import { getPerson } from '../../db/queries/people';
import {
  findStatusMessage,
  recordStatusMessage,
  type StatusMessagePlace,
} from '../../db/queries/status-messages';
import type { Loaded } from './read-models';

export type { StatusMessagePlace } from '../../db/queries/status-messages';

export interface StatusMessage {
  incident: IncidentDetail;
  /** Where it was posted, once it has been. */
  place: StatusMessagePlace | null;
}

/** A person's status message about an incident of their school, as it should read now. */
export async function loadStatusMessage(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
): Promise<Loaded<StatusMessage>> {
  const incident = await getIncidentDetail(db, schoolId, incidentId);
  if (!incident) return { found: false, missing: 'incident not found' };
  const place = (await findStatusMessage(db, schoolId, incidentId, personId)) ?? null;
  return { found: true, model: { incident, place } };
}

/** Records where the status message now is (its first post, or a fresh one after a deletion). */
export async function recordStatusMessagePlace(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
  place: StatusMessagePlace,
  now: Date,
): Promise<void> {
  await recordStatusMessage(db, schoolId, incidentId, personId, place, now);
}

/**
 * The reporter's status message about an incident, if one was posted: the fault as it stands now,
 * where the message is, and who the reporter is on each platform. A deliverer brings it up to date
 * whenever the card changes, so a step that tells the reporter nothing (auto-close, resume,
 * triage, reassign) still shows in it.
 */
// (None when a notice to the reporter about it is still to be sent: that brings it up to date.)
export async function loadReporterStatus(
  db: Db,
  schoolId: string,
  incidentId: string,
): Promise<
  | {
      incident: IncidentDetail;
      place: StatusMessagePlace;
      reporter: { slackUserId: string | null; teamsUserId: string | null };
    }
  | undefined
> {
  const incident = await getIncidentDetail(db, schoolId, incidentId);
  if (!incident) return undefined;
  const place = await findStatusMessage(db, schoolId, incidentId, incident.reporterId);
  if (!place) return undefined;
  // A notice still to come updates it with its own step: no need to do it twice.
  if (await noticePending(db, schoolId, incident.reporterId, incidentId)) return undefined;
  const person = await getPerson(db, schoolId, incident.reporterId);
  if (!person) return undefined;
  return { incident, place, reporter: { slackUserId: person.slackUserId, teamsUserId: person.teamsUserId } };
}
