/**
 * Followers ("Me too") are told when the incident they follow is fixed, or closed without a fix:
 * once each.
 */
import type { Db } from '../../db/client';
import { takeFollowersToTell } from '../../db/queries/followers';
import type { IncidentEventRow, IncidentRow } from '../../db/queries/incidents';
import type { Actor } from '../context';
import type { OutboxMessage } from '../messages';

/**
 * The notices that an incident is fixed (`resolved`) or closed without a fix (`closed`), for its
 * followers not yet told (each recorded as told in the same transaction, so nobody hears it
 * twice, even when it is fixed again after reopening). The person who did it is not told.
 */
export async function followerNotices(
  tx: Db,
  incident: IncidentRow,
  event: IncidentEventRow,
  kind: 'fixed' | 'closed',
  actor: Actor,
  now: Date,
): Promise<OutboxMessage[]> {
  const tell = await takeFollowersToTell(tx, actor.schoolId, incident, kind, actor.personId, now);
  return tell.map((personId) => ({
    type: 'person.notify',
    personId,
    incidentId: incident.id,
    event: kind === 'fixed' ? 'follower_fixed' : 'follower_closed',
    eventId: event.id,
  }));
}
