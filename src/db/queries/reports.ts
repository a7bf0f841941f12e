/**
 * What the service report reads: one school's incidents reported in a period (with location,
 * asset and how often each was reopened) and its escalations made in it (with provider and
 * contract target). Every join is held to the same school.
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { ReportEscalation, ReportIncident } from '../../domain/reports/service-report';
import type { Db } from '../client';
import { assets, contracts, escalations, incidentEvents, incidents, locations, providers } from '../schema';

/** Incidents of `schoolId` reported in [startAt, endAt). */
export async function reportIncidents(
  db: Db,
  schoolId: string,
  startAt: Date,
  endAt: Date,
): Promise<ReportIncident[]> {
  const rows = await db
    .select({
      incident: incidents,
      locationName: locations.name,
      assetId: assets.id,
      assetTag: assets.tag,
      assetType: assets.type,
      assetMake: assets.make,
      assetModel: assets.model,
      // Counted per incident of the period, on its own history (incident_events by incident), not
      // over all the school's history.
      reopenCount: sql<number>`(select count(*)::int from ${incidentEvents} e
        where e.incident_id = ${incidents.id} and e.school_id = ${incidents.schoolId}
          and (e.kind = 'reopened' or e.to_status = 'reopened'))`,
    })
    .from(incidents)
    .leftJoin(locations, and(eq(locations.id, incidents.locationId), eq(locations.schoolId, schoolId)))
    .leftJoin(assets, and(eq(assets.id, incidents.assetId), eq(assets.schoolId, schoolId)))
    .where(
      and(
        eq(incidents.schoolId, schoolId),
        gte(incidents.createdAt, startAt),
        lt(incidents.createdAt, endAt),
      ),
    )
    .orderBy(incidents.number);
  return rows.map(({ incident: i, ...r }) => ({
    number: i.number,
    priority: i.priority,
    category: i.category,
    status: i.status,
    locationName: r.locationName,
    asset:
      r.assetId && r.assetTag && r.assetType
        ? {
            id: r.assetId,
            tag: r.assetTag,
            type: r.assetType,
            make: r.assetMake ?? '',
            model: r.assetModel ?? '',
          }
        : null,
    createdAt: i.createdAt,
    firstResponseAt: i.firstResponseAt,
    resolvedAt: i.resolvedAt,
    closedAt: i.closedAt,
    slaRespondMinutes: i.slaRespondMinutes,
    slaResolveMinutes: i.slaResolveMinutes,
    onHoldSince: i.onHoldSince,
    slaPausedMinutes: i.slaPausedMinutes,
    reopenCount: r.reopenCount ?? 0,
  }));
}

/** Escalations of `schoolId` made in [startAt, endAt). */
export async function reportEscalations(
  db: Db,
  schoolId: string,
  startAt: Date,
  endAt: Date,
): Promise<ReportEscalation[]> {
  const rows = await db
    .select({
      providerId: escalations.providerId,
      providerName: providers.name,
      incidentNumber: incidents.number,
      escalatedAt: escalations.escalatedAt,
      respondedAt: escalations.respondedAt,
      returnedAt: escalations.returnedAt,
      responseTargetHours: contracts.responseTargetHours,
    })
    .from(escalations)
    .innerJoin(providers, and(eq(providers.id, escalations.providerId), eq(providers.schoolId, schoolId)))
    .innerJoin(incidents, and(eq(incidents.id, escalations.incidentId), eq(incidents.schoolId, schoolId)))
    .leftJoin(contracts, and(eq(contracts.id, escalations.contractId), eq(contracts.schoolId, schoolId)))
    .where(
      and(
        eq(escalations.schoolId, schoolId),
        gte(escalations.escalatedAt, startAt),
        lt(escalations.escalatedAt, endAt),
      ),
    )
    .orderBy(escalations.escalatedAt);
  return rows.map((r) => ({ ...r, responseTargetHours: r.responseTargetHours ?? null }));
}
