import { aliasedTable, and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { assets, incidentEvents, incidents, locations, people, providers } from '../schema';

export type IncidentRow = typeof incidents.$inferSelect;
export type IncidentInsert = typeof incidents.$inferInsert;
export type IncidentEventRow = typeof incidentEvents.$inferSelect;

/** An incident with the names a card or list needs. */
export interface IncidentDetail extends IncidentRow {
  locationName: string | null;
  assetTag: string | null;
  reporterName: string;
  reporterSlackId: string | null;
  assigneeName: string | null;
  assigneeSlackId: string | null;
  /** The provider working on it (forwarded or escalated), if any. */
  providerName: string | null;
}

const reporter = aliasedTable(people, 'reporter');
const assignee = aliasedTable(people, 'assignee');

function detailQuery(db: Db, where: SQL | undefined) {
  return db
    .select({
      incident: incidents,
      locationName: locations.name,
      assetTag: assets.tag,
      reporterName: reporter.displayName,
      reporterSlackId: reporter.slackUserId,
      assigneeName: assignee.displayName,
      assigneeSlackId: assignee.slackUserId,
      providerName: providers.name,
    })
    .from(incidents)
    .innerJoin(reporter, eq(reporter.id, incidents.reporterId))
    .leftJoin(assignee, eq(assignee.id, incidents.assigneeId))
    .leftJoin(locations, eq(locations.id, incidents.locationId))
    .leftJoin(assets, eq(assets.id, incidents.assetId))
    .leftJoin(
      providers,
      and(eq(providers.id, incidents.providerId), eq(providers.schoolId, incidents.schoolId)),
    )
    .where(where);
}

interface DetailRow {
  incident: IncidentRow;
  locationName: string | null;
  assetTag: string | null;
  reporterName: string;
  reporterSlackId: string | null;
  assigneeName: string | null;
  assigneeSlackId: string | null;
  providerName: string | null;
}
const toDetail = (r: DetailRow): IncidentDetail => ({
  ...r.incident,
  locationName: r.locationName,
  assetTag: r.assetTag,
  reporterName: r.reporterName,
  reporterSlackId: r.reporterSlackId,
  assigneeName: r.assigneeName,
  assigneeSlackId: r.assigneeSlackId,
  providerName: r.providerName,
});

export async function getIncidentDetail(
  db: Db,
  schoolId: string,
  id: string,
): Promise<IncidentDetail | undefined> {
  const [row] = await detailQuery(db, and(eq(incidents.schoolId, schoolId), eq(incidents.id, id)));
  return row && toDetail(row);
}

export async function getIncidentDetailByNumber(
  db: Db,
  schoolId: string,
  number: number,
): Promise<IncidentDetail | undefined> {
  const [row] = await detailQuery(db, and(eq(incidents.schoolId, schoolId), eq(incidents.number, number)));
  return row && toDetail(row);
}

export interface IncidentFilter {
  statuses?: readonly IncidentRow['status'][];
  priority?: IncidentRow['priority'];
  reporterId?: string;
  assigneeId?: string;
  limit: number;
}

export async function listIncidentDetails(
  db: Db,
  schoolId: string,
  f: IncidentFilter,
): Promise<IncidentDetail[]> {
  const conditions: SQL[] = [eq(incidents.schoolId, schoolId)];
  if (f.statuses) conditions.push(inArray(incidents.status, [...f.statuses]));
  if (f.priority) conditions.push(eq(incidents.priority, f.priority));
  if (f.reporterId) conditions.push(eq(incidents.reporterId, f.reporterId));
  if (f.assigneeId) conditions.push(eq(incidents.assigneeId, f.assigneeId));
  const rows = await detailQuery(db, and(...conditions))
    .orderBy(asc(incidents.priority), desc(incidents.createdAt))
    .limit(f.limit);
  return rows.map(toDetail);
}

/** Reads the incident with a row lock, inside the caller's transaction; another school's id finds nothing. */
export async function lockIncident(tx: Db, schoolId: string, id: string): Promise<IncidentRow | undefined> {
  const [row] = await tx
    .select()
    .from(incidents)
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.id, id)))
    .for('update');
  return row;
}

export async function findIncidentBySubmission(
  db: Db,
  schoolId: string,
  submissionKey: string,
): Promise<IncidentRow | undefined> {
  const [row] = await db
    .select()
    .from(incidents)
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.submissionKey, submissionKey)));
  return row;
}

export async function insertIncident(tx: Db, values: IncidentInsert): Promise<IncidentRow | undefined> {
  const [row] = await tx.insert(incidents).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateIncident(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<IncidentInsert>,
): Promise<IncidentRow> {
  const [row] = await tx
    .update(incidents)
    .set(values)
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.id, id)))
    .returning();
  if (!row) throw new Error(`incident ${id} not found for update`);
  return row;
}

export async function insertIncidentEvent(
  tx: Db,
  values: typeof incidentEvents.$inferInsert,
): Promise<IncidentEventRow> {
  const [row] = await tx.insert(incidentEvents).values(values).returning();
  if (!row) throw new Error('event insert returned nothing');
  return row;
}

/** Whether a form submission was already recorded on the incident (a retried submit finds the first). */
export async function hasIncidentEventForSubmission(
  db: Db,
  schoolId: string,
  incidentId: string,
  submissionKey: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: incidentEvents.id })
    .from(incidentEvents)
    .where(
      and(
        eq(incidentEvents.schoolId, schoolId),
        eq(incidentEvents.incidentId, incidentId),
        sql`${incidentEvents.data}->>'submissionKey' = ${submissionKey}`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

export interface IncidentEventDetail extends IncidentEventRow {
  actorName: string | null;
  actorSlackId: string | null;
}

export async function listIncidentEvents(
  db: Db,
  schoolId: string,
  incidentId: string,
): Promise<IncidentEventDetail[]> {
  const rows = await db
    .select({ event: incidentEvents, actorName: people.displayName, actorSlackId: people.slackUserId })
    .from(incidentEvents)
    .leftJoin(people, eq(people.id, incidentEvents.actorId))
    .where(and(eq(incidentEvents.schoolId, schoolId), eq(incidentEvents.incidentId, incidentId)))
    .orderBy(asc(incidentEvents.id));
  return rows.map((r) => ({ ...r.event, actorName: r.actorName, actorSlackId: r.actorSlackId }));
}

export async function getIncidentEvent(
  db: Db,
  schoolId: string,
  eventId: number,
): Promise<IncidentEventDetail | undefined> {
  const [row] = await db
    .select({ event: incidentEvents, actorName: people.displayName, actorSlackId: people.slackUserId })
    .from(incidentEvents)
    .leftJoin(people, eq(people.id, incidentEvents.actorId))
    .where(and(eq(incidentEvents.schoolId, schoolId), eq(incidentEvents.id, eventId)));
  return row && { ...row.event, actorName: row.actorName, actorSlackId: row.actorSlackId };
}

export async function setIncidentCard(db: Db, schoolId: string, id: string, channel: string, ts: string) {
  await db
    .update(incidents)
    .set({ cardChannel: channel, cardTs: ts })
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.id, id)));
}
