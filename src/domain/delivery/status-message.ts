/**
 * The reporter's one status message about a fault in their own chat with SPOC: the fault as it
 * stands now and where the message was posted (none yet before its first step is delivered). The
 * deliverers post it once and update it in place; the reporter's buttons update it too.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client';
import { getIncidentDetail } from '../../db/queries/incidents';
import { noticePending } from '../../db/queries/outbox';
import { getPerson } from '../../db/queries/people';
import {
  findStoredStatusMessage,
  recordStatusMessage,
  recordStatusShown,
  type StatusMessagePlace,
  type StoredStatusMessage,
} from '../../db/queries/status-messages';
import type { Ctx } from '../context';
import { presentStatusMessage, type StatusIncident } from '../presenters/notices';
import { withOutOfHours } from './out-of-hours';
import type { Loaded } from './read-models';

export type { StatusMessagePlace, StoredStatusMessage } from '../../db/queries/status-messages';

export interface StatusMessage {
  incident: StatusIncident;
  /** Where it was posted, once it has been, and what it last showed. */
  place: StoredStatusMessage | null;
}

/**
 * What a status message shows of the fault, as a digest: its status as rendered, without any
 * press's answer. Two states that read the same have the same digest, so a change to the incident
 * that the reporter would not see (a staff note, a new category) leaves the message, and the
 * answer a press put on it, as they are.
 */
export function statusShown(incident: StatusIncident, timezone: string): string {
  return createHash('sha256')
    .update(JSON.stringify(presentStatusMessage(incident, timezone)))
    .digest('base64url');
}

/**
 * What a press answered on the status message is recorded as: the status it showed, marked as
 * carrying that press's answer (Fixed's thanks, the satisfaction question or its thanks).
 */
const ANSWERED = 'answered:';

/**
 * Whether the status message still carries a press's answer to the fault as it stands (`shown`):
 * then a step about that same state, delivered late, only adds its line to the thread, and leaves
 * the answer on it. Any change of state replaces it, answer and all.
 */
export function carriesAnswer(stored: string | null | undefined, shown: string): boolean {
  return stored === `${ANSWERED}${shown}`;
}

/** A person's status message about an incident of their school, as it should read now. */
export async function loadStatusMessage(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
): Promise<Loaded<StatusMessage>> {
  const detail = await getIncidentDetail(db, schoolId, incidentId);
  if (!detail) return { found: false, missing: 'incident not found' };
  const incident = await withOutOfHours(db, schoolId, detail);
  const place = (await findStoredStatusMessage(db, schoolId, incidentId, personId)) ?? null;
  return { found: true, model: { incident, place } };
}

/**
 * The status message of the person pressing a button on it (Fixed, Still broken), which the press
 * now answers in place: recorded as showing the fault as it now stands, before the outbox is woken,
 * so the incident card's delivery that follows leaves the answer on it rather than replacing it.
 */
export async function settleStatusMessage(
  ctx: Ctx,
  incidentId: string,
  timezone: string,
): Promise<Loaded<StatusMessage>> {
  const { schoolId, personId } = ctx.actor;
  const status = await loadStatusMessage(ctx.db, schoolId, incidentId, personId);
  if (status.found && status.model.place)
    await recordStatusShown(
      ctx.db,
      schoolId,
      incidentId,
      personId,
      `${ANSWERED}${statusShown(status.model.incident, timezone)}`,
      ctx.clock.now(),
    );
  return status;
}

/** Records where the status message now is (its first post, or a fresh one after a deletion) and what it shows. */
export async function recordStatusMessagePlace(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
  message: StatusMessagePlace & { shown: string },
  now: Date,
): Promise<void> {
  await recordStatusMessage(db, schoolId, incidentId, personId, message, now);
}

/** Records what the status message now shows (`statusShown`), once it has been updated. */
export async function recordStatusMessageShown(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
  shown: string,
  now: Date,
): Promise<void> {
  await recordStatusShown(db, schoolId, incidentId, personId, shown, now);
}

/**
 * The reporter's status message about an incident, when one was posted and what it shows is no
 * longer what the fault would show now: the fault as it stands, where the message is, what it
 * should show, and who the reporter is on each platform. A deliverer brings it up to date
 * whenever the card changes, so a step that tells the reporter nothing (auto-close, resume,
 * triage, reassign) still shows in it; one that changes nothing they would see leaves it alone,
 * and so does one whose notice to the reporter is still to be sent (that updates it itself).
 */
export async function loadReporterStatus(
  db: Db,
  schoolId: string,
  incidentId: string,
  timezone: string,
): Promise<
  | {
      incident: StatusIncident;
      place: StoredStatusMessage;
      shown: string;
      reporter: { slackUserId: string | null; teamsUserId: string | null };
    }
  | undefined
> {
  const detail = await getIncidentDetail(db, schoolId, incidentId);
  if (!detail) return undefined;
  const place = await findStoredStatusMessage(db, schoolId, incidentId, detail.reporterId);
  if (!place) return undefined;
  const incident = await withOutOfHours(db, schoolId, detail);
  const shown = statusShown(incident, timezone);
  if (place.shown === shown || carriesAnswer(place.shown, shown)) return undefined;
  // A notice still to come updates it with its own step: no need to do it twice.
  if (await noticePending(db, schoolId, incident.reporterId, incidentId)) return undefined;
  const person = await getPerson(db, schoolId, incident.reporterId);
  if (!person) return undefined;
  return {
    incident,
    place,
    shown,
    reporter: { slackUserId: person.slackUserId, teamsUserId: person.teamsUserId },
  };
}
