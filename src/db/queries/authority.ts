/**
 * Authorities and their member schools. What an authority reads across its schools takes a
 * `ReadableSchools` (from `readableSchools`, the one place that says which schools an actor may
 * read) and filters every table on it; the membership itself is the operator's to change.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, ne, notInArray, sql } from 'drizzle-orm';
import type { ReadableSchools } from '../../domain/authority/readable';
import type { Db } from '../client';
import { contracts, escalations, incidents, payments, providers, schoolHolidays, schools } from '../schema';
import type { SchoolRow } from './schools';
import type { ProviderRow } from './supply';

/** The ids of an authority's member schools (the source `readableSchools` reads). */
export async function memberSchoolIdsOf(db: Db, authorityId: string): Promise<string[]> {
  const rows = await db
    .select({ id: schools.id })
    .from(schools)
    .where(and(eq(schools.authorityId, authorityId), ne(schools.id, authorityId)));
  return rows.map((r) => r.id);
}

/** Authorities by name, case-insensitive (the command line names one so). */
export async function findAuthoritiesByName(db: Db, name: string): Promise<SchoolRow[]> {
  return db
    .select()
    .from(schools)
    .where(and(eq(schools.kind, 'authority'), sql`lower(${schools.name}) = ${name.trim().toLowerCase()}`))
    .orderBy(asc(schools.createdAt), asc(schools.id));
}

export async function insertAuthority(tx: Db, name: string, now: Date): Promise<SchoolRow> {
  const [row] = await tx.insert(schools).values({ name, kind: 'authority', createdAt: now }).returning();
  if (!row) throw new Error('authority insert returned nothing');
  return row;
}

export async function setSchoolKind(tx: Db, schoolId: string, kind: 'school' | 'authority'): Promise<void> {
  await tx.update(schools).set({ kind }).where(eq(schools.id, schoolId));
}

export async function setSchoolAuthority(
  tx: Db,
  schoolId: string,
  authorityId: string | null,
): Promise<void> {
  await tx.update(schools).set({ authorityId }).where(eq(schools.id, schoolId));
}

/** The member school's provider row standing for its authority, if it has one. */
export async function authorityProviderOf(
  db: Db,
  schoolId: string,
  authorityId: string,
): Promise<ProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(providers)
    .where(and(eq(providers.schoolId, schoolId), eq(providers.authoritySchoolId, authorityId)));
  return row;
}

/** A school's provider by its name key. */
export async function providerByNameKey(
  db: Db,
  schoolId: string,
  nameKey: string,
): Promise<ProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(providers)
    .where(and(eq(providers.schoolId, schoolId), eq(providers.nameKey, nameKey)));
  return row;
}

// What an authority reads, each within the schools it may read.

/** The schools themselves, by name. */
export async function readableSchoolRows(db: Db, readable: ReadableSchools): Promise<SchoolRow[]> {
  if (readable.ids.length === 0) return [];
  return db
    .select()
    .from(schools)
    .where(inArray(schools.id, [...readable.ids]))
    .orderBy(asc(schools.name), asc(schools.id));
}

/** The schools' own holidays, for their calendars (one query for them all). */
export async function holidaysIn(db: Db, readable: ReadableSchools) {
  if (readable.ids.length === 0) return [];
  return db
    .select()
    .from(schoolHolidays)
    .where(inArray(schoolHolidays.schoolId, [...readable.ids]));
}

/** Open incidents (not resolved or closed), with what an SLA reading needs. */
export async function openIncidentsIn(db: Db, readable: ReadableSchools) {
  if (readable.ids.length === 0) return [];
  return db
    .select()
    .from(incidents)
    .where(
      and(
        inArray(incidents.schoolId, [...readable.ids]),
        notInArray(incidents.status, ['resolved', 'closed']),
      ),
    )
    .orderBy(asc(incidents.schoolId), asc(incidents.number));
}

/** Escalations not yet handed back, with their incident and provider (of the same school). */
export async function openEscalationsIn(db: Db, readable: ReadableSchools) {
  if (readable.ids.length === 0) return [];
  const rows = await db
    .select({
      escalation: escalations,
      number: incidents.number,
      summary: incidents.summary,
      status: incidents.status,
      priority: incidents.priority,
      providerName: providers.name,
      authoritySchoolId: providers.authoritySchoolId,
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
        inArray(escalations.schoolId, [...readable.ids]),
        isNull(escalations.returnedAt),
        notInArray(incidents.status, ['resolved', 'closed']),
      ),
    )
    .orderBy(asc(escalations.escalatedAt), asc(escalations.id));
  return rows.map((r) => ({
    ...r.escalation,
    number: r.number,
    summary: r.summary,
    status: r.status,
    priority: r.priority,
    providerName: r.providerName,
    authoritySchoolId: r.authoritySchoolId,
  }));
}
export type OpenEscalation = Awaited<ReturnType<typeof openEscalationsIn>>[number];

/** Contracts still running that have an end date (so a notice deadline), with their provider's name. */
export async function endingContractsIn(db: Db, readable: ReadableSchools) {
  if (readable.ids.length === 0) return [];
  const rows = await db
    .select({ contract: contracts, providerName: providers.name })
    .from(contracts)
    .innerJoin(
      providers,
      and(eq(providers.id, contracts.providerId), eq(providers.schoolId, contracts.schoolId)),
    )
    .where(
      and(
        inArray(contracts.schoolId, [...readable.ids]),
        eq(contracts.status, 'active'),
        isNotNull(contracts.endDate),
      ),
    )
    .orderBy(asc(contracts.endDate), asc(contracts.id));
  return rows.map((r) => ({ ...r.contract, providerName: r.providerName }));
}

/** Scheduled payments due before `before` (a school's today is checked by the caller). */
export async function unpaidPaymentsIn(db: Db, readable: ReadableSchools, before: string) {
  if (readable.ids.length === 0) return [];
  return db
    .select()
    .from(payments)
    .where(
      and(
        inArray(payments.schoolId, [...readable.ids]),
        eq(payments.status, 'scheduled'),
        lt(payments.dueDate, before),
      ),
    )
    .orderBy(asc(payments.dueDate), asc(payments.id));
}

/** An incident of one readable school by its number. */
export async function incidentByNumberIn(
  db: Db,
  readable: ReadableSchools,
  schoolId: string,
  number: number,
): Promise<typeof incidents.$inferSelect | undefined> {
  if (!readable.ids.includes(schoolId)) return undefined;
  const [row] = await db
    .select()
    .from(incidents)
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.number, number)));
  return row;
}
