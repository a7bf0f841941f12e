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

/** Where it is, and what it last showed (null before that was kept). */
export interface StoredStatusMessage extends StatusMessagePlace {
  shown: string | null;
}

/** Where it was posted. */
export async function findStatusMessage(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
): Promise<StatusMessagePlace | undefined> {
  const stored = await findStoredStatusMessage(db, schoolId, incidentId, personId);
  return stored && { channel: stored.channel, postedId: stored.postedId };
}

/** Where it was posted, and what it last showed. */
export async function findStoredStatusMessage(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
): Promise<StoredStatusMessage | undefined> {
  const [row] = await db
    .select({
      channel: incidentStatusMessages.channel,
      postedId: incidentStatusMessages.postedId,
      shown: incidentStatusMessages.shown,
    })
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

/**
 * Records where it now is (the first post, or a fresh one after the last was deleted) and what it
 * shows.
 */
export async function recordStatusMessage(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
  message: StatusMessagePlace & { shown: string },
  now: Date,
): Promise<void> {
  const { channel, postedId, shown } = message;
  await db
    .insert(incidentStatusMessages)
    .values({ schoolId, incidentId, personId, channel, postedId, shown, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [
        incidentStatusMessages.schoolId,
        incidentStatusMessages.incidentId,
        incidentStatusMessages.personId,
      ],
      set: { channel, postedId, shown, updatedAt: now },
    });
}

/** Records what the status message, where it already is, now shows. */
export async function recordStatusShown(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
  shown: string,
  now: Date,
): Promise<void> {
  await db
    .update(incidentStatusMessages)
    .set({ shown, updatedAt: now })
    .where(
      and(
        eq(incidentStatusMessages.schoolId, schoolId),
        eq(incidentStatusMessages.incidentId, incidentId),
        eq(incidentStatusMessages.personId, personId),
      ),
    );
}
