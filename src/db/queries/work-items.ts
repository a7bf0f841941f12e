/** Changes and problems (work items), their progress updates and linked incidents. Always per school. */
import { aliasedTable, and, asc, desc, eq, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import type { WorkItemKind, WorkItemStatus } from '../../domain/work-items/types';
import type { Db } from '../client';
import {
  diaryEntries,
  incidents,
  people,
  schools,
  workItemIncidents,
  workItems,
  workItemUpdates,
} from '../schema';

export type WorkItemRow = typeof workItems.$inferSelect;
export type WorkItemInsert = typeof workItems.$inferInsert;
export type WorkItemUpdateRow = typeof workItemUpdates.$inferSelect;

/** A work item with its owner's name and when it last moved. */
export interface WorkItemDetail extends WorkItemRow {
  ownerName: string | null;
  ownerSlackId: string | null;
  /** The latest update of any kind (progress, edit, link…). */
  lastUpdateAt: Date | null;
}

export interface WorkItemUpdateDetail extends WorkItemUpdateRow {
  actorName: string | null;
  actorSlackId: string | null;
}

export interface LinkedIncident {
  id: string;
  number: number;
  summary: string;
  status: (typeof incidents.$inferSelect)['status'];
  reporterId: string;
  linkedAt: Date;
}

/** Takes the school row lock and hands out the next CHG-n or PRB-n number (rolled back with the transaction). */
export async function allocateWorkItemNumber(tx: Db, schoolId: string, kind: WorkItemKind): Promise<number> {
  const column = kind === 'change' ? schools.nextChangeNumber : schools.nextProblemNumber;
  const [row] = await tx
    .update(schools)
    .set(
      kind === 'change'
        ? { nextChangeNumber: sql`${schools.nextChangeNumber} + 1` }
        : { nextProblemNumber: sql`${schools.nextProblemNumber} + 1` },
    )
    .where(eq(schools.id, schoolId))
    .returning({ next: column });
  if (!row) throw new Error(`school ${schoolId} not found`);
  return row.next - 1;
}

export async function insertWorkItem(tx: Db, values: WorkItemInsert): Promise<WorkItemRow> {
  const [row] = await tx.insert(workItems).values(values).returning();
  if (!row) throw new Error('work item insert returned nothing');
  return row;
}

/** Reads the work item with a row lock, inside the caller's transaction; another school's id finds nothing. */
export async function lockWorkItem(tx: Db, schoolId: string, id: string): Promise<WorkItemRow | undefined> {
  const [row] = await tx
    .select()
    .from(workItems)
    .where(and(eq(workItems.schoolId, schoolId), eq(workItems.id, id)))
    .for('update');
  return row;
}

export async function updateWorkItem(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<WorkItemInsert>,
): Promise<WorkItemRow> {
  const [row] = await tx
    .update(workItems)
    .set(values)
    .where(and(eq(workItems.schoolId, schoolId), eq(workItems.id, id)))
    .returning();
  if (!row) throw new Error(`work item ${id} not found for update`);
  return row;
}

/** An update already recorded for this form submission (a double submit finds the first). */
export async function findUpdateBySubmission(
  db: Db,
  schoolId: string,
  submissionKey: string,
  workItemId?: string,
): Promise<WorkItemUpdateRow | undefined> {
  const [row] = await db
    .select()
    .from(workItemUpdates)
    .where(
      and(
        eq(workItemUpdates.schoolId, schoolId),
        sql`${workItemUpdates.data}->>'submissionKey' = ${submissionKey}`,
        workItemId ? eq(workItemUpdates.workItemId, workItemId) : undefined,
      ),
    )
    .limit(1);
  return row;
}

export async function insertWorkItemUpdate(
  tx: Db,
  values: typeof workItemUpdates.$inferInsert,
): Promise<WorkItemUpdateRow> {
  const [row] = await tx.insert(workItemUpdates).values(values).returning();
  if (!row) throw new Error('work item update insert returned nothing');
  return row;
}

const owner = aliasedTable(people, 'owner');
const lastUpdate =
  sql<Date | null>`(select max(u.created_at) from ${workItemUpdates} u where u.work_item_id = ${workItems.id})`.mapWith(
    workItemUpdates.createdAt,
  );

function detailQuery(db: Db, where: SQL | undefined) {
  return db
    .select({
      item: workItems,
      ownerName: owner.displayName,
      ownerSlackId: owner.slackUserId,
      lastUpdateAt: lastUpdate,
    })
    .from(workItems)
    .leftJoin(owner, and(eq(owner.id, workItems.ownerId), eq(owner.schoolId, workItems.schoolId)))
    .where(where);
}

type DetailRow = {
  item: WorkItemRow;
  ownerName: string | null;
  ownerSlackId: string | null;
  lastUpdateAt: Date | null;
};

const toDetail = (r: DetailRow): WorkItemDetail => ({
  ...r.item,
  ownerName: r.ownerName,
  ownerSlackId: r.ownerSlackId,
  lastUpdateAt: r.lastUpdateAt,
});

export async function getWorkItemDetail(
  db: Db,
  schoolId: string,
  id: string,
): Promise<WorkItemDetail | undefined> {
  const [row] = await detailQuery(db, and(eq(workItems.schoolId, schoolId), eq(workItems.id, id)));
  return row && toDetail(row);
}

export async function getWorkItemDetailByNumber(
  db: Db,
  schoolId: string,
  kind: WorkItemKind,
  number: number,
): Promise<WorkItemDetail | undefined> {
  const [row] = await detailQuery(
    db,
    and(eq(workItems.schoolId, schoolId), eq(workItems.kind, kind), eq(workItems.number, number)),
  );
  return row && toDetail(row);
}

export interface WorkItemFilter {
  kind?: WorkItemKind;
  /** Leave out closed work. */
  openOnly?: boolean;
}

/** Open work first, then soonest target date, then newest. */
export async function listWorkItemDetails(
  db: Db,
  schoolId: string,
  f: WorkItemFilter,
): Promise<WorkItemDetail[]> {
  const conditions: SQL[] = [eq(workItems.schoolId, schoolId)];
  if (f.kind) conditions.push(eq(workItems.kind, f.kind));
  if (f.openOnly) conditions.push(ne(workItems.status, 'closed'));
  const rows = await detailQuery(db, and(...conditions)).orderBy(
    sql`case when ${workItems.status} = 'closed' then 1 else 0 end`,
    sql`${workItems.targetDate} asc nulls last`,
    desc(workItems.createdAt),
    asc(workItems.kind),
    desc(workItems.number),
  );
  return rows.map(toDetail);
}

export async function listWorkItemUpdates(
  db: Db,
  schoolId: string,
  workItemId: string,
): Promise<WorkItemUpdateDetail[]> {
  const rows = await db
    .select({ update: workItemUpdates, actorName: people.displayName, actorSlackId: people.slackUserId })
    .from(workItemUpdates)
    .leftJoin(people, eq(people.id, workItemUpdates.actorId))
    .where(and(eq(workItemUpdates.schoolId, schoolId), eq(workItemUpdates.workItemId, workItemId)))
    .orderBy(asc(workItemUpdates.id));
  return rows.map((r) => ({ ...r.update, actorName: r.actorName, actorSlackId: r.actorSlackId }));
}

export async function listLinkedIncidents(
  db: Db,
  schoolId: string,
  workItemId: string,
): Promise<LinkedIncident[]> {
  return db
    .select({
      id: incidents.id,
      number: incidents.number,
      summary: incidents.summary,
      status: incidents.status,
      reporterId: incidents.reporterId,
      linkedAt: workItemIncidents.linkedAt,
    })
    .from(workItemIncidents)
    .innerJoin(
      incidents,
      and(eq(incidents.id, workItemIncidents.incidentId), eq(incidents.schoolId, workItemIncidents.schoolId)),
    )
    .where(and(eq(workItemIncidents.schoolId, schoolId), eq(workItemIncidents.workItemId, workItemId)))
    .orderBy(asc(incidents.number));
}

/** The school's incidents with these numbers or ids; anything of another school is simply not found. */
export async function findIncidents(
  db: Db,
  schoolId: string,
  refs: { numbers: number[]; ids: string[] },
): Promise<Array<{ id: string; number: number; summary: string; status: LinkedIncident['status'] }>> {
  const which: SQL[] = [];
  if (refs.numbers.length) which.push(inArray(incidents.number, refs.numbers));
  if (refs.ids.length) which.push(inArray(incidents.id, refs.ids));
  if (which.length === 0) return [];
  return db
    .select({
      id: incidents.id,
      number: incidents.number,
      summary: incidents.summary,
      status: incidents.status,
    })
    .from(incidents)
    .where(and(eq(incidents.schoolId, schoolId), or(...which)));
}

/** Links an incident; false when it was already linked. */
export async function linkIncident(tx: Db, values: typeof workItemIncidents.$inferInsert): Promise<boolean> {
  const rows = await tx
    .insert(workItemIncidents)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: workItemIncidents.incidentId });
  return rows.length > 0;
}

/** Unlinks an incident; false when it was not linked. */
export async function unlinkIncident(
  tx: Db,
  schoolId: string,
  workItemId: string,
  incidentId: string,
): Promise<boolean> {
  const rows = await tx
    .delete(workItemIncidents)
    .where(
      and(
        eq(workItemIncidents.schoolId, schoolId),
        eq(workItemIncidents.workItemId, workItemId),
        eq(workItemIncidents.incidentId, incidentId),
      ),
    )
    .returning({ id: workItemIncidents.incidentId });
  return rows.length > 0;
}

export type DiaryEntryRow = typeof diaryEntries.$inferSelect;

/** Diary entries tied to a change (its planned downtime), by date. */
export async function listWorkItemDiary(
  db: Db,
  schoolId: string,
  workItemId: string,
): Promise<DiaryEntryRow[]> {
  return db
    .select()
    .from(diaryEntries)
    .where(and(eq(diaryEntries.schoolId, schoolId), eq(diaryEntries.workItemId, workItemId)))
    .orderBy(asc(diaryEntries.date), asc(diaryEntries.createdAt));
}

export async function getWorkItem(db: Db, schoolId: string, id: string): Promise<WorkItemRow | undefined> {
  const [row] = await db
    .select()
    .from(workItems)
    .where(and(eq(workItems.schoolId, schoolId), eq(workItems.id, id)));
  return row;
}

export interface DiaryAnnouncement {
  entry: DiaryEntryRow;
  change: { kind: WorkItemKind; number: number; title: string; status: WorkItemStatus } | null;
}

/** A diary entry and the change it belongs to, for the notice posted to staff. */
export async function getDiaryAnnouncement(
  db: Db,
  schoolId: string,
  diaryEntryId: string,
): Promise<DiaryAnnouncement | undefined> {
  const [row] = await db
    .select({
      entry: diaryEntries,
      kind: workItems.kind,
      number: workItems.number,
      title: workItems.title,
      status: workItems.status,
    })
    .from(diaryEntries)
    .leftJoin(
      workItems,
      and(eq(workItems.id, diaryEntries.workItemId), eq(workItems.schoolId, diaryEntries.schoolId)),
    )
    .where(and(eq(diaryEntries.schoolId, schoolId), eq(diaryEntries.id, diaryEntryId)));
  if (!row) return undefined;
  const change =
    row.kind && row.number !== null && row.title !== null && row.status
      ? { kind: row.kind, number: row.number, title: row.title, status: row.status }
      : null;
  return { entry: row.entry, change };
}
