import { aliasedTable, and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
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
  /** A merged duplicate: the number of the incident it was merged into. */
  mergedIntoNumber?: number | null;
}

const mergedTarget = aliasedTable(incidents, 'merged_target');
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
      mergedIntoNumber: mergedTarget.number,
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
    .leftJoin(
      mergedTarget,
      and(eq(mergedTarget.id, incidents.mergedIntoId), eq(mergedTarget.schoolId, incidents.schoolId)),
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
  mergedIntoNumber: number | null;
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
  mergedIntoNumber: r.mergedIntoNumber,
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

/** The incident made from a chat message (channel and ts), if one was. */
export async function findIncidentBySource(
  db: Db,
  schoolId: string,
  channel: string,
  ts: string,
): Promise<IncidentRow | undefined> {
  const [row] = await db
    .select()
    .from(incidents)
    .where(
      and(eq(incidents.schoolId, schoolId), eq(incidents.sourceChannel, channel), eq(incidents.sourceTs, ts)),
    );
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

/**
 * What `spoc incidents` with filters reads: every condition optional, all scoped to the school.
 * `finishedSince` lists incidents resolved or closed at or after that moment (most recently
 * finished first); otherwise the list is most urgent first, as `listIncidentDetails`.
 */
export interface IncidentListQuery {
  statuses?: readonly IncidentRow['status'][];
  priorities?: readonly IncidentRow['priority'][];
  reporterIds?: readonly string[];
  assigneeId?: string;
  /** Nobody has it. */
  unassigned?: boolean;
  locationId?: string;
  assetId?: string;
  finishedSince?: Date;
  limit: number;
}

export async function queryIncidentDetails(
  db: Db,
  schoolId: string,
  q: IncidentListQuery,
): Promise<IncidentDetail[]> {
  const conditions: SQL[] = [eq(incidents.schoolId, schoolId)];
  if (q.statuses) conditions.push(inArray(incidents.status, [...q.statuses]));
  if (q.priorities?.length) conditions.push(inArray(incidents.priority, [...q.priorities]));
  if (q.reporterIds) conditions.push(inArray(incidents.reporterId, [...q.reporterIds]));
  if (q.assigneeId) conditions.push(eq(incidents.assigneeId, q.assigneeId));
  if (q.unassigned) conditions.push(isNull(incidents.assigneeId));
  if (q.locationId) conditions.push(eq(incidents.locationId, q.locationId));
  if (q.assetId) conditions.push(eq(incidents.assetId, q.assetId));
  const finished = sql`coalesce(${incidents.closedAt}, ${incidents.resolvedAt})`;
  if (q.finishedSince) conditions.push(sql`${finished} >= ${q.finishedSince.toISOString()}::timestamptz`);
  const order = q.finishedSince
    ? [sql`${finished} desc`, desc(incidents.number)]
    : [asc(incidents.priority), desc(incidents.createdAt), desc(incidents.number)];
  const rows = await detailQuery(db, and(...conditions))
    .orderBy(...order)
    .limit(q.limit);
  return rows.map(toDetail);
}

/** A name a list can be filtered by, with what it stands for. */
export interface NamedRow {
  id: string;
  name: string;
}

/** Every location of the school by name, archived ones too (old incidents name them). */
export async function locationNamesOf(db: Db, schoolId: string): Promise<NamedRow[]> {
  return db
    .select({ id: locations.id, name: locations.name })
    .from(locations)
    .where(eq(locations.schoolId, schoolId))
    .orderBy(asc(locations.name));
}

/** Every asset tag of the school. */
export async function assetTagsOf(db: Db, schoolId: string): Promise<NamedRow[]> {
  return db
    .select({ id: assets.id, name: assets.tag })
    .from(assets)
    .where(eq(assets.schoolId, schoolId))
    .orderBy(asc(assets.tag));
}

/** Every person of the school by name, with their Slack id where they have one. */
export async function personNamesOf(
  db: Db,
  schoolId: string,
): Promise<Array<NamedRow & { slackUserId: string | null }>> {
  return db
    .select({ id: people.id, name: people.displayName, slackUserId: people.slackUserId })
    .from(people)
    .where(eq(people.schoolId, schoolId))
    .orderBy(asc(people.displayName));
}
