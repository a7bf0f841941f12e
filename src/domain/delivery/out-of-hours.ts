/**
 * What the reporter's status message says of school time, read with the incident: a fault
 * reported out of hours and not yet picked up says when the office will see it. Every loader of a
 * status message reads it the same way, so every render (and its digest) agrees.
 */
import type { Db } from '../../db/client';
import type { IncidentDetail } from '../../db/queries/incidents';
import { reportedEventData } from '../../db/queries/out-of-hours';
import type { StatusIncident } from '../presenters/notices';

/** The incident with what its report recorded about school time (read only while it is new). */
export async function withOutOfHours(
  db: Db,
  schoolId: string,
  incident: IncidentDetail,
): Promise<StatusIncident> {
  // Only a fault nobody has picked up yet says it: once triaged or claimed, the office has seen it.
  if (incident.status !== 'new') return incident;
  const data = await reportedEventData(db, schoolId, incident.id);
  const opens = typeof data?.officeOpensAt === 'string' ? new Date(data.officeOpensAt) : null;
  if (!opens || Number.isNaN(opens.getTime())) return incident;
  return {
    ...incident,
    outOfHours: { officeOpensAt: opens, onCallTold: typeof data?.onCallTold === 'string' },
  };
}
