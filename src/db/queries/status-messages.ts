/**
 * Where a person's one status message about an incident was posted in their own chat with SPOC
 * (Slack: the DM's channel id and ts; Teams: the personal chat's conversation id and activity id).
 * Every read and write names the school.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { incidentStatusMessages } from '../schema';

export interface StatusMessagePlace {
  channel: string;
  postedId: string;
}

export async function findStatusMessage(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
): Promise<StatusMessagePlace | undefined> {
  const [row] = await db
    .select({ channel: incidentStatusMessages.channel, postedId: incidentStatusMessages.postedId })
    .from(incidentStatusMessages)
    .where(
      and(
        eq(incidentStatusMessages.schoolId, schoolId),
        eq(incidentStatusMessages.incidentId, incidentId),
        eq(incidentStatusMessages.personId, personId),
      ),
    );
  return row;
}

/** Records where it now is: the first post, or a fresh one after the last was deleted. */
export async function recordStatusMessage(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
  place: StatusMessagePlace,
  now: Date,
): Promise<void> {
  await db
    .insert(incidentStatusMessages)
    .values({ schoolId, incidentId, personId, ...place, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [
        incidentStatusMessages.schoolId,
        incidentStatusMessages.incidentId,
        incidentStatusMessages.personId,
      ],
      set: { ...place, updatedAt: now },
    });
}
