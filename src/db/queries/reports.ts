/**
 * What the service report reads: one school's incidents reported in a period (with location,
 * asset and how often each was reopened) and its escalations made in it (with provider and
 * contract target). Every join is held to the same school.
 */
import { and, eq, gte, lt, or, sql } from 'drizzle-orm';
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
  const reopens = db
    .select({
      incidentId: incidentEvents.incidentId,
      count: sql<number>`count(*)::int`.as('reopen_count'),
    })
    .from(incidentEvents)
    .where(
      and(
        eq(incidentEvents.schoolId, schoolId),
        or(eq(incidentEvents.kind, 'reopened'), eq(incidentEvents.toStatus, 'reopened')),
      ),
    )
    .groupBy(incidentEvents.incidentId)
    .as('reopens');
  const rows = await db
    .select({
      incident: incidents,
      locationName: locations.name,
      assetId: assets.id,
      assetTag: assets.tag,
      assetType: assets.type,
      assetMake: assets.make,
      assetModel: assets.model,
      reopenCount: reopens.count,
    })
    .from(incidents)
    .leftJoin(locations, and(eq(locations.id, incidents.locationId), eq(locations.schoolId, schoolId)))
    .leftJoin(assets, and(eq(assets.id, incidents.assetId), eq(assets.schoolId, schoolId)))
    .leftJoin(reopens, eq(reopens.incidentId, incidents.id))
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
