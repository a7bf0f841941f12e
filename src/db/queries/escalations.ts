/** Escalations to support providers: what was sent to whom, when their answer is due, what came back. */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import type { SlaTargets } from '../../domain/incidents/sla';
import type { UnansweredEscalation } from '../../domain/reminders/escalation-chase';
import type { SchoolCalendar } from '../../domain/school-time';
import type { Db } from '../client';
import { assets, contracts, escalations, incidents, people, providers } from '../schema';
import {
  getIncidentDetail,
  type IncidentDetail,
  type IncidentEventDetail,
  listIncidentEvents,
} from './incidents';
import { getPerson } from './people';
import { countIncidentPhotos } from './photos';
import { getSchool, loadSchoolClock } from './schools';
import { type ContractRow, getProvider, type ProviderRow } from './supply';

export type EscalationRow = typeof escalations.$inferSelect;
export type EscalationInsert = typeof escalations.$inferInsert;

/** An escalation with the provider's name, for cards and lists. */
export interface EscalationDetail extends EscalationRow {
  providerName: string;
  escalatedByName: string | null;
}

export async function insertEscalation(tx: Db, values: EscalationInsert): Promise<EscalationRow> {
  const [row] = await tx.insert(escalations).values(values).returning();
  if (!row) throw new Error('escalation insert returned nothing');
  return row;
}

export async function updateEscalation(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<EscalationInsert>,
): Promise<EscalationRow> {
  const [row] = await tx
    .update(escalations)
    .set(values)
    .where(and(eq(escalations.schoolId, schoolId), eq(escalations.id, id)))
    .returning();
  if (!row) throw new Error(`escalation ${id} not found for update`);
  return row;
}

export async function getEscalation(
  db: Db,
  schoolId: string,
  id: string,
): Promise<EscalationRow | undefined> {
  const [row] = await db
    .select()
    .from(escalations)
    .where(and(eq(escalations.schoolId, schoolId), eq(escalations.id, id)));
  return row;
}

/** Reads an escalation with a row lock, inside the caller's transaction. */
export async function lockEscalation(
  tx: Db,
  schoolId: string,
  id: string,
): Promise<EscalationRow | undefined> {
  const [row] = await tx
    .select()
    .from(escalations)
    .where(and(eq(escalations.schoolId, schoolId), eq(escalations.id, id)))
    .for('update');
  return row;
}

/** The incident's escalation still with a provider (not handed back), newest first. */
export async function openEscalationOf(
  db: Db,
  schoolId: string,
  incidentId: string,
): Promise<EscalationRow | undefined> {
  const [row] = await db
    .select()
    .from(escalations)
    .where(
      and(
        eq(escalations.schoolId, schoolId),
        eq(escalations.incidentId, incidentId),
        isNull(escalations.returnedAt),
      ),
    )
    .orderBy(desc(escalations.escalatedAt))
    .limit(1);
  return row;
}

/** The latest escalation of an incident, open or handed back. */
export async function latestEscalationOf(
  db: Db,
  schoolId: string,
  incidentId: string,
): Promise<EscalationRow | undefined> {
  const [row] = await db
    .select()
    .from(escalations)
    .where(and(eq(escalations.schoolId, schoolId), eq(escalations.incidentId, incidentId)))
    .orderBy(desc(escalations.escalatedAt))
    .limit(1);
  return row;
}

export async function listEscalations(
  db: Db,
  schoolId: string,
  incidentId: string,
): Promise<EscalationDetail[]> {
  const rows = await db
    .select({ escalation: escalations, providerName: providers.name, escalatedByName: people.displayName })
    .from(escalations)
    .innerJoin(providers, and(eq(providers.id, escalations.providerId), eq(providers.schoolId, schoolId)))
    .leftJoin(people, eq(people.id, escalations.escalatedBy))
    .where(and(eq(escalations.schoolId, schoolId), eq(escalations.incidentId, incidentId)))
    .orderBy(asc(escalations.escalatedAt));
  return rows.map((r) => ({
    ...r.escalation,
    providerName: r.providerName,
    escalatedByName: r.escalatedByName,
  }));
}

/**
 * The provider's contract whose response target applies to an escalation: in force (not ended,
 * not past its end date) with a target set; the one ending last wins.
 */
export async function responseContractOf(
  db: Db,
  schoolId: string,
  providerId: string,
  today: string,
): Promise<ContractRow | undefined> {
  const [row] = await db
    .select()
    .from(contracts)
    .where(
      and(
        eq(contracts.schoolId, schoolId),
        eq(contracts.providerId, providerId),
        ne(contracts.status, 'ended'),
        isNotNull(contracts.responseTargetHours),
        or(isNull(contracts.endDate), gte(contracts.endDate, today)),
      ),
    )
    .orderBy(sql`${contracts.endDate} desc nulls first`)
    .limit(1);
  return row;
}

/** The response target (school hours) of the contract an escalation was made under, if any. */
export async function contractTargetHours(
  db: Db,
  schoolId: string,
  contractId: string | null,
): Promise<number | null> {
  if (!contractId) return null;
  const [row] = await db
    .select({ hours: contracts.responseTargetHours })
    .from(contracts)
    .where(and(eq(contracts.schoolId, schoolId), eq(contracts.id, contractId)));
  return row?.hours ?? null;
}

/**
 * Open escalations whose provider has not answered, with a respond-by time, on incidents still
 * open, of the schools asked for: what the chase reminder watches (for every school at once) and
 * the office's home shows (for its own).
 */
export async function unansweredEscalationsOf(
  db: Db,
  schoolIds: string[],
): Promise<Array<UnansweredEscalation & { schoolId: string }>> {
  if (schoolIds.length === 0) return [];
  const rows = await db
    .select({
      escalation: escalations,
      number: incidents.number,
      summary: incidents.summary,
      status: incidents.status,
      providerName: providers.name,
    })
    .from(escalations)
    .innerJoin(
      incidents,
      and(eq(incidents.id, escalations.incidentId), eq(incidents.schoolId, escalations.schoolId)),
    )
    .innerJoin(
      providers,
      and(eq(providers.id, escalations.providerId), eq(providers.schoolId, escalations.schoolId)),
    )
    .where(
      and(
        inArray(escalations.schoolId, schoolIds),
        isNull(escalations.returnedAt),
        isNull(escalations.respondedAt),
        isNotNull(escalations.respondBy),
        notInArray(incidents.status, ['resolved', 'closed']),
      ),
    );
  return rows.map((r) => ({
    schoolId: r.escalation.schoolId,
    id: r.escalation.id,
    incidentId: r.escalation.incidentId,
    number: r.number,
    summary: r.summary,
    status: r.status,
    providerName: r.providerName,
    providerRef: r.escalation.providerRef,
    respondBy: r.escalation.respondBy as Date,
    chaseCount: r.escalation.chaseCount,
  }));
}

/** One school's unanswered escalations (`unansweredEscalationsOf`). */
export async function unansweredEscalations(db: Db, schoolId: string): Promise<UnansweredEscalation[]> {
  return (await unansweredEscalationsOf(db, [schoolId])).map(({ schoolId: _, ...e }) => e);
}

/** What an asset adds to an escalation summary: a provider needs make, model and serial. */
export async function assetForSummary(db: Db, schoolId: string, assetId: string | null) {
  if (!assetId) return undefined;
  const [row] = await db
    .select({
      tag: assets.tag,
      type: assets.type,
      make: assets.make,
      model: assets.model,
      serial: assets.serial,
    })
    .from(assets)
    .where(and(eq(assets.schoolId, schoolId), eq(assets.id, assetId)));
  return row;
}

export type SummaryAsset = NonNullable<Awaited<ReturnType<typeof assetForSummary>>>;

/** Everything an escalation summary or email needs, read from the current records. */
export interface EscalationSummaryData {
  schoolName: string;
  timezone: string;
  incident: IncidentDetail;
  events: IncidentEventDetail[];
  asset: SummaryAsset | undefined;
  escalation: EscalationRow;
  provider: ProviderRow;
  /** Who escalated it: the provider's contact at the school. */
  contactName: string;
}

export async function loadEscalationSummary(
  db: Db,
  schoolId: string,
  escalationId: string,
): Promise<EscalationSummaryData | undefined> {
  const escalation = await getEscalation(db, schoolId, escalationId);
  if (!escalation) return undefined;
  const [school, incident, events, provider, contact] = await Promise.all([
    getSchool(db, schoolId),
    getIncidentDetail(db, schoolId, escalation.incidentId),
    listIncidentEvents(db, schoolId, escalation.incidentId),
    getProvider(db, schoolId, escalation.providerId),
    escalation.escalatedBy ? getPerson(db, schoolId, escalation.escalatedBy) : undefined,
  ]);
  if (!school || !incident || !provider) return undefined;
  return {
    schoolName: school.name,
    timezone: school.timezone,
    incident,
    events,
    asset: await assetForSummary(db, schoolId, incident.assetId),
    escalation,
    provider,
    contactName: contact?.displayName ?? '',
  };
}

/** What a live view of an incident needs beyond its row: the school clock and its escalations. */
export interface IncidentLive {
  now: Date;
  calendar: SchoolCalendar;
  sla: SlaTargets;
  /** The escalation still with a provider, if any. */
  openEscalation: EscalationDetail | null;
  /** Every escalation of the incident, oldest first. */
  escalations: EscalationDetail[];
  /** How many photos came with the report. */
  photos: number;
}

export async function loadIncidentLive(
  db: Db,
  schoolId: string,
  incidentId: string,
  now: Date,
): Promise<IncidentLive | undefined> {
  const [clock, all, photos] = await Promise.all([
    loadSchoolClock(db, schoolId),
    listEscalations(db, schoolId, incidentId),
    countIncidentPhotos(db, schoolId, incidentId),
  ]);
  if (!clock) return undefined;
  return {
    now,
    calendar: clock.calendar,
    sla: clock.sla,
    openEscalation: all.findLast((e) => e.returnedAt === null) ?? null,
    escalations: all,
    photos,
  };
}

/**
 * Closes whatever escalation of the incident is still open (the incident was resolved or closed
 * while with the provider). Returns the escalations closed.
 */
export async function returnOpenEscalations(
  tx: Db,
  schoolId: string,
  incidentId: string,
  now: Date,
): Promise<EscalationRow[]> {
  return tx
    .update(escalations)
    .set({ returnedAt: now })
    .where(
      and(
        eq(escalations.schoolId, schoolId),
        eq(escalations.incidentId, incidentId),
        isNull(escalations.returnedAt),
      ),
    )
    .returning();
}
