/** What out-of-hours reporting reads: whether the on-call person was told, and what a report recorded. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { incidentEvents } from '../schema';

/**
 * Whether an event of the incident already records that the on-call person was told of it
 * (`data.onCallTold`): read under the incident's lock (or in the transaction that creates it), so
 * they are told once however often it becomes a P1.
 */
export async function onCallAlreadyTold(db: Db, schoolId: string, incidentId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: incidentEvents.id })
    .from(incidentEvents)
    .where(
      and(
        eq(incidentEvents.schoolId, schoolId),
        eq(incidentEvents.incidentId, incidentId),
        sql`${incidentEvents.data} ? 'onCallTold'`,
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The data its `reported` event recorded (the first event of an incident), or undefined. */
export async function reportedEventData(
  db: Db,
  schoolId: string,
  incidentId: string,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await db
    .select({ data: incidentEvents.data })
    .from(incidentEvents)
    .where(
      and(
        eq(incidentEvents.schoolId, schoolId),
        eq(incidentEvents.incidentId, incidentId),
        eq(incidentEvents.kind, 'reported'),
      ),
    )
    .orderBy(asc(incidentEvents.id))
    .limit(1);
  return row?.data;
}
