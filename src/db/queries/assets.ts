import { and, asc, desc, eq, gte, ilike, ne, or, type SQL, sql } from 'drizzle-orm';
import type { AssetRecord, AssetStatus, AssetType } from '../../domain/registers/types';
import { insertInChunks } from '../chunks';
import type { Db } from '../client';
import { assetEvents, assets, incidents, locations, people } from '../schema';

export type AssetRow = typeof assets.$inferSelect;
export type AssetInsert = typeof assets.$inferInsert;
export type AssetEventRow = typeof assetEvents.$inferSelect;

export interface AssetListRow extends AssetRow {
  locationName: string | null;
  /** Incidents logged against the asset since the given moment (for the "repeated faults" flag). */
  recentIncidents: number;
}

export interface AssetFilter {
  locationId?: string;
  type?: AssetType;
  /** Matches tag, make, model, serial or notes. */
  search?: string;
  includeDisposed?: boolean;
  /** Count incidents since this moment. */
  since: Date;
  limit: number;
  offset: number;
}

export async function listAssets(
  db: Db,
  schoolId: string,
  f: AssetFilter,
): Promise<{ rows: AssetListRow[]; total: number }> {
  const conditions: SQL[] = [eq(assets.schoolId, schoolId)];
  if (f.locationId) conditions.push(eq(assets.locationId, f.locationId));
  if (f.type) conditions.push(eq(assets.type, f.type));
  if (!f.includeDisposed) conditions.push(ne(assets.status, 'disposed'));
  if (f.search) {
    const like = `%${f.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const match = or(
      ilike(assets.tag, like),
      ilike(assets.make, like),
      ilike(assets.model, like),
      ilike(assets.serial, like),
      ilike(assets.notes, like),
    );
    if (match) conditions.push(match);
  }
  const where = and(...conditions);
  const recent = sql<number>`(select count(*)::int from ${incidents} i where i.asset_id = ${assets.id} and i.created_at >= ${f.since.toISOString()})`;
  const rows = await db
    .select({ asset: assets, locationName: locations.name, recentIncidents: recent })
    .from(assets)
    .leftJoin(locations, eq(locations.id, assets.locationId))
    .where(where)
    .orderBy(asc(assets.tagKey))
    .limit(f.limit)
    .offset(f.offset);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(assets).where(where);
  return {
    rows: rows.map((r) => ({ ...r.asset, locationName: r.locationName, recentIncidents: r.recentIncidents })),
    total: count?.n ?? 0,
  };
}

export async function getAsset(db: Db, schoolId: string, id: string): Promise<AssetRow | undefined> {
  const [row] = await db
    .select()
    .from(assets)
    .where(and(eq(assets.schoolId, schoolId), eq(assets.id, id)));
  return row;
}

export async function getAssetByTag(db: Db, schoolId: string, tag: string): Promise<AssetRow | undefined> {
  const [row] = await db
    .select()
    .from(assets)
    .where(and(eq(assets.schoolId, schoolId), eq(assets.tagKey, tag.trim().toLowerCase())));
  return row;
}

export async function lockAsset(tx: Db, schoolId: string, id: string): Promise<AssetRow | undefined> {
  const [row] = await tx
    .select()
    .from(assets)
    .where(and(eq(assets.schoolId, schoolId), eq(assets.id, id)))
    .for('update');
  return row;
}

/** Many new assets at once (an import); the caller knows none of them exists yet. */
export async function insertAssets(tx: Db, values: readonly AssetInsert[]): Promise<AssetRow[]> {
  return insertInChunks(assets, values, (chunk) => tx.insert(assets).values(chunk).returning());
}

export async function insertAsset(tx: Db, values: AssetInsert): Promise<AssetRow | undefined> {
  const [row] = await tx.insert(assets).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateAsset(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<AssetInsert>,
): Promise<AssetRow> {
  const [row] = await tx
    .update(assets)
    .set(values)
    .where(and(eq(assets.schoolId, schoolId), eq(assets.id, id)))
    .returning();
  if (!row) throw new Error(`asset ${id} not found for update`);
  return row;
}

/** Records asset events, as many as an import makes, in as few statements as fit (see chunks.ts). */
export async function insertAssetEvents(
  tx: Db,
  values: ReadonlyArray<typeof assetEvents.$inferInsert>,
): Promise<void> {
  await insertInChunks(assetEvents, values, async (chunk) => {
    await tx.insert(assetEvents).values(chunk);
  });
}

export interface AssetEventDetail extends AssetEventRow {
  actorName: string | null;
  actorSlackId: string | null;
}

export async function listAssetEvents(
  db: Db,
  schoolId: string,
  assetId: string,
  limit = 30,
): Promise<AssetEventDetail[]> {
  const rows = await db
    .select({ event: assetEvents, actorName: people.displayName, actorSlackId: people.slackUserId })
    .from(assetEvents)
    .leftJoin(people, eq(people.id, assetEvents.actorId))
    .where(and(eq(assetEvents.schoolId, schoolId), eq(assetEvents.assetId, assetId)))
    .orderBy(desc(assetEvents.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.event, actorName: r.actorName, actorSlackId: r.actorSlackId })).reverse();
}

/** Assets in use (not disposed) at one location, for the fault form. */
export async function assetsAtLocation(
  db: Db,
  schoolId: string,
  locationId: string,
  limit: number,
): Promise<AssetRow[]> {
  return db
    .select()
    .from(assets)
    .where(
      and(eq(assets.schoolId, schoolId), eq(assets.locationId, locationId), ne(assets.status, 'disposed')),
    )
    .orderBy(asc(assets.tagKey))
    .limit(limit);
}

/** Incidents logged against an asset, newest first. */
export async function incidentsOfAsset(db: Db, schoolId: string, assetId: string, limit = 10) {
  return db
    .select({
      id: incidents.id,
      number: incidents.number,
      summary: incidents.summary,
      status: incidents.status,
      createdAt: incidents.createdAt,
    })
    .from(incidents)
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.assetId, assetId)))
    .orderBy(desc(incidents.createdAt))
    .limit(limit);
}

export async function countIncidentsSince(
  db: Db,
  schoolId: string,
  assetId: string,
  since: Date,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(incidents)
    .where(
      and(eq(incidents.schoolId, schoolId), eq(incidents.assetId, assetId), gte(incidents.createdAt, since)),
    );
  return row?.n ?? 0;
}

/** The whole register as records (location by name), for export and import planning. */
export async function assetRecords(db: Db, schoolId: string): Promise<Array<AssetRecord & { id: string }>> {
  const rows = await db
    .select({ asset: assets, locationName: locations.name })
    .from(assets)
    .leftJoin(locations, eq(locations.id, assets.locationId))
    .where(eq(assets.schoolId, schoolId))
    .orderBy(asc(assets.tagKey));
  return rows.map(({ asset: a, locationName }) => ({
    id: a.id,
    tag: a.tag,
    type: a.type,
    make: a.make,
    model: a.model,
    serial: a.serial,
    location: locationName,
    supplier: a.supplier,
    purchaseDate: a.purchaseDate,
    costPence: a.costPence,
    warrantyEnd: a.warrantyEnd,
    status: a.status as AssetStatus,
    notes: a.notes,
  }));
}

/** Assets in use whose warranty ends between two calendar dates (inclusive), soonest first. */
export async function warrantiesEndingBetween(
  db: Db,
  schoolId: string,
  from: string,
  to: string,
  limit: number,
): Promise<AssetRow[]> {
  return db
    .select()
    .from(assets)
    .where(
      and(
        eq(assets.schoolId, schoolId),
        ne(assets.status, 'disposed'),
        sql`${assets.warrantyEnd} between ${from} and ${to}`,
      ),
    )
    .orderBy(asc(assets.warrantyEnd))
    .limit(limit);
}
