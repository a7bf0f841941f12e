/**
 * The reporters' answers to the satisfaction question (`incident_ratings`, one row per incident of
 * a school) and what the service report reads of them. Every query is held to one school.
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ReportAsked } from '../../domain/reports/satisfaction';
import type { Db } from '../client';
import { incidentEvents, incidentRatings, incidents, people } from '../schema';

export type RatingRow = typeof incidentRatings.$inferSelect;
export type Rating = RatingRow['rating'];

/** The incident's answer, if its reporter gave one. */
export async function findRating(
  db: Db,
  schoolId: string,
  incidentId: string,
): Promise<RatingRow | undefined> {
  const [row] = await db
    .select()
    .from(incidentRatings)
    .where(and(eq(incidentRatings.schoolId, schoolId), eq(incidentRatings.incidentId, incidentId)));
  return row;
}

/**
 * Records the answer once: the primary key (school, incident) keeps the first; a second answer
 * gets nothing back and changes nothing.
 */
export async function insertRating(
  tx: Db,
  values: typeof incidentRatings.$inferInsert,
): Promise<RatingRow | undefined> {
  const [row] = await tx.insert(incidentRatings).values(values).onConflictDoNothing().returning();
  return row;
}

/** Adds the comment to an answer that has none yet; nothing back when it already had one. */
export async function addRatingComment(
  tx: Db,
  schoolId: string,
  incidentId: string,
  comment: string,
): Promise<RatingRow | undefined> {
  const [row] = await tx
    .update(incidentRatings)
    .set({ comment })
    .where(
      and(
        eq(incidentRatings.schoolId, schoolId),
        eq(incidentRatings.incidentId, incidentId),
        eq(incidentRatings.comment, ''),
      ),
    )
    .returning();
  return row;
}

/** Whether the person confirmed the incident fixed (pressed Fixed), which is when the question is asked. */
export async function confirmedBy(
  db: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: incidentEvents.id })
    .from(incidentEvents)
    .where(
      and(
        eq(incidentEvents.schoolId, schoolId),
        eq(incidentEvents.incidentId, incidentId),
        eq(incidentEvents.kind, 'confirmed'),
        eq(incidentEvents.actorId, personId),
      ),
    )
    .limit(1);
  return Boolean(row);
}

const technician = alias(people, 'technician');

/**
 * The questions asked in [startAt, endAt): each time a reporter of the school pressed Fixed (their
 * `confirmed` event), with their answer if they gave one and who had the incident then (the
 * answer's `assignee_id`, else the incident's assignee).
 */
export async function reportSatisfaction(
  db: Db,
  schoolId: string,
  startAt: Date,
  endAt: Date,
): Promise<ReportAsked[]> {
  const rows = await db
    .select({
      number: incidents.number,
      askedAt: incidentEvents.createdAt,
      rating: incidentRatings.rating,
      comment: incidentRatings.comment,
      answeredAt: incidentRatings.createdAt,
      technicianId: sql<string | null>`coalesce(${incidentRatings.assigneeId}, ${incidents.assigneeId})`,
      technicianName: technician.displayName,
    })
    .from(incidentEvents)
    .innerJoin(incidents, and(eq(incidents.id, incidentEvents.incidentId), eq(incidents.schoolId, schoolId)))
    .leftJoin(
      incidentRatings,
      and(eq(incidentRatings.incidentId, incidents.id), eq(incidentRatings.schoolId, schoolId)),
    )
    .leftJoin(
      technician,
      and(
        eq(technician.id, sql`coalesce(${incidentRatings.assigneeId}, ${incidents.assigneeId})`),
        eq(technician.schoolId, schoolId),
      ),
    )
    .where(
      and(
        eq(incidentEvents.schoolId, schoolId),
        eq(incidentEvents.kind, 'confirmed'),
        gte(incidentEvents.createdAt, startAt),
        lt(incidentEvents.createdAt, endAt),
      ),
    )
    .orderBy(incidentEvents.createdAt, incidents.number);
  return rows.map((r) => ({
    incidentNumber: r.number,
    askedAt: r.askedAt,
    rating: r.rating ?? null,
    comment: r.comment ?? '',
    answeredAt: r.answeredAt ?? null,
    technician: r.technicianId ? { id: r.technicianId, name: r.technicianName ?? 'someone' } : null,
  }));
}
