/** Incidents from the reporter's side: their own reports, and resolved ones awaiting their answer. */
import { and, asc, desc, eq, lte, ne } from 'drizzle-orm';
import type { Db } from '../client';
import { incidents, schools } from '../schema';
import type { IncidentRow } from './incidents';

/** A person's own reports: not closed (newest first) and the most recently closed. */
export async function listReporterIncidents(
  db: Db,
  schoolId: string,
  reporterId: string,
  limits: { open: number; closed: number },
): Promise<{ open: IncidentRow[]; closed: IncidentRow[] }> {
  const mine = and(eq(incidents.schoolId, schoolId), eq(incidents.reporterId, reporterId));
  const [open, closed] = await Promise.all([
    db
      .select()
      .from(incidents)
      .where(and(mine, ne(incidents.status, 'closed')))
      .orderBy(desc(incidents.createdAt))
      .limit(limits.open),
    db
      .select()
      .from(incidents)
      .where(and(mine, eq(incidents.status, 'closed')))
      .orderBy(desc(incidents.closedAt), desc(incidents.createdAt))
      .limit(limits.closed),
  ]);
  return { open, closed };
}

export interface ResolvedIncident {
  id: string;
  schoolId: string;
  schoolName: string;
  number: number;
  resolvedAt: Date;
}

/**
 * Resolved incidents of every school resolved at or before `cutoff`, oldest first: candidates for
 * closing when the reporter has not answered. Each is checked again under its row lock.
 */
export async function listResolvedBefore(db: Db, cutoff: Date): Promise<ResolvedIncident[]> {
  const rows = await db
    .select({
      id: incidents.id,
      schoolId: incidents.schoolId,
      schoolName: schools.name,
      number: incidents.number,
      resolvedAt: incidents.resolvedAt,
    })
    .from(incidents)
    .innerJoin(schools, eq(schools.id, incidents.schoolId))
    .where(and(eq(incidents.status, 'resolved'), lte(incidents.resolvedAt, cutoff)))
    .orderBy(asc(incidents.resolvedAt));
  return rows.flatMap((r) => (r.resolvedAt ? [{ ...r, resolvedAt: r.resolvedAt }] : []));
}
