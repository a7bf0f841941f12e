/**
 * The school's known fixes and their uses. Every query is held to one school; a retired fix is
 * never suggested, and its uses still count.
 */
import { and, asc, desc, eq, gte, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { AssetType } from '../../domain/registers/types';
import type { KnownFixFigures } from '../../domain/reports/service-report';
import type { Db } from '../client';
import { assets, incidents, knownFixes, knownFixUses, locations } from '../schema';

export type KnownFixRow = typeof knownFixes.$inferSelect;
export type KnownFixInsert = typeof knownFixes.$inferInsert;

/** The columns a fix is read by (its generated `search` vector left out). */
const fixColumns = {
  id: knownFixes.id,
  schoolId: knownFixes.schoolId,
  title: knownFixes.title,
  steps: knownFixes.steps,
  locationId: knownFixes.locationId,
  assetType: knownFixes.assetType,
  assetId: knownFixes.assetId,
  keywords: knownFixes.keywords,
  incidentId: knownFixes.incidentId,
  createdById: knownFixes.createdById,
  createdAt: knownFixes.createdAt,
  updatedAt: knownFixes.updatedAt,
  retiredAt: knownFixes.retiredAt,
};

export type KnownFix = Omit<KnownFixRow, 'search'>;

export async function insertKnownFix(tx: Db, values: Omit<KnownFixInsert, 'search'>): Promise<KnownFix> {
  const [row] = await tx.insert(knownFixes).values(values).returning(fixColumns);
  if (!row) throw new Error('known fix insert returned nothing');
  return row;
}

export async function getKnownFix(db: Db, schoolId: string, id: string): Promise<KnownFix | undefined> {
  const [row] = await db
    .select(fixColumns)
    .from(knownFixes)
    .where(and(eq(knownFixes.schoolId, schoolId), eq(knownFixes.id, id)));
  return row;
}

/** The fix, locked for a change (two edits queue; the second sees the first). */
export async function lockKnownFix(tx: Db, schoolId: string, id: string): Promise<KnownFix | undefined> {
  const [row] = await tx
    .select(fixColumns)
    .from(knownFixes)
    .where(and(eq(knownFixes.schoolId, schoolId), eq(knownFixes.id, id)))
    .for('update');
  return row;
}

export async function updateKnownFix(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<Omit<KnownFixInsert, 'search' | 'id' | 'schoolId'>>,
): Promise<KnownFix> {
  const [row] = await tx
    .update(knownFixes)
    .set(values)
    .where(and(eq(knownFixes.schoolId, schoolId), eq(knownFixes.id, id)))
    .returning(fixColumns);
  if (!row) throw new Error('known fix update returned nothing');
  return row;
}

/** The known fix already saved from an incident, if any. */
export async function fixOfIncident(
  db: Db,
  schoolId: string,
  incidentId: string,
): Promise<KnownFix | undefined> {
  const [row] = await db
    .select(fixColumns)
    .from(knownFixes)
    .where(and(eq(knownFixes.schoolId, schoolId), eq(knownFixes.incidentId, incidentId)))
    .limit(1);
  return row;
}

export interface KnownFixListRow extends KnownFix {
  locationName: string | null;
  assetTag: string | null;
  /** Every use: deflections and incidents resolved with it. */
  uses: number;
  deflections: number;
}

/** Every fix of the school with its uses, those in service first, then by title. */
export async function listKnownFixRows(db: Db, schoolId: string): Promise<KnownFixListRow[]> {
  const uses = sql<number>`(select count(*)::int from ${knownFixUses} u
    where u.school_id = ${knownFixes.schoolId} and u.fix_id = ${knownFixes.id})`;
  const deflections = sql<number>`(select count(*)::int from ${knownFixUses} u
    where u.school_id = ${knownFixes.schoolId} and u.fix_id = ${knownFixes.id} and u.kind = 'deflected')`;
  return db
    .select({ ...fixColumns, locationName: locations.name, assetTag: assets.tag, uses, deflections })
    .from(knownFixes)
    .leftJoin(locations, and(eq(locations.id, knownFixes.locationId), eq(locations.schoolId, schoolId)))
    .leftJoin(assets, and(eq(assets.id, knownFixes.assetId), eq(assets.schoolId, schoolId)))
    .where(eq(knownFixes.schoolId, schoolId))
    .orderBy(
      sql`${knownFixes.retiredAt} is not null`,
      asc(sql`lower(${knownFixes.title})`),
      asc(knownFixes.id),
    );
}

/** True when the school has a fix in service: only then does the fault form look for them. */
export async function hasKnownFixes(db: Db, schoolId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: knownFixes.id })
    .from(knownFixes)
    .where(and(eq(knownFixes.schoolId, schoolId), isNull(knownFixes.retiredAt)))
    .limit(1);
  return Boolean(row);
}

/** What a fault form knows so far, to match fixes on. */
export interface FixMatchQuery {
  assetId: string | null;
  locationId: string | null;
  assetType: AssetType | null;
  /** A `websearch_to_tsquery` text (words joined by `or`), or null for none. */
  words: string | null;
  limit: number;
}

export interface FixMatchRow {
  id: string;
  title: string;
  steps: string;
  /** 1 the asset, 2 its type at the place, 3 the place (or the type anywhere), 4 words only. */
  tier: number;
  rank: number;
}

/**
 * The school's fixes in service that match, best first: the asset itself, then the place with the
 * asset's type, then the place (or the type anywhere), then the words (Postgres full-text search,
 * `english`, ranked by ts_rank). Within a tier, the better word match first.
 */
export async function matchKnownFixes(db: Db, schoolId: string, q: FixMatchQuery): Promise<FixMatchRow[]> {
  const query = q.words ? sql`websearch_to_tsquery('english', ${q.words})` : sql`''::tsquery`;
  const f = knownFixes;
  const tiers: SQL[] = [];
  if (q.assetId) tiers.push(sql`when ${f.assetId} = ${q.assetId} then 1`);
  if (q.locationId && q.assetType)
    tiers.push(sql`when ${f.locationId} = ${q.locationId} and ${f.assetType} = ${q.assetType} then 2`);
  if (q.locationId)
    tiers.push(
      q.assetType
        ? sql`when ${f.locationId} = ${q.locationId} and ${f.assetType} is null then 3`
        : sql`when ${f.locationId} = ${q.locationId} then 3`,
    );
  if (q.assetType)
    tiers.push(
      sql`when ${f.locationId} is null and ${f.assetId} is null and ${f.assetType} = ${q.assetType} then 3`,
    );
  if (q.words) tiers.push(sql`when numnode(${query}) > 0 and ${f.search} @@ ${query} then 4`);
  if (tiers.length === 0) return [];
  const tier = sql<number | null>`(case ${sql.join(tiers, sql` `)} else null end)`;
  const rank = q.words ? sql<number>`ts_rank(${f.search}, ${query})` : sql<number>`0::real`;
  const rows = await db
    .select({ id: f.id, title: f.title, steps: f.steps, tier, rank })
    .from(f)
    .where(and(eq(f.schoolId, schoolId), isNull(f.retiredAt), sql`${tier} is not null`))
    .orderBy(...[asc(tier), ...(q.words ? [desc(rank)] : []), desc(f.updatedAt), asc(f.id)])
    .limit(q.limit);
  return rows.map((r) => ({ ...r, tier: Number(r.tier), rank: Number(r.rank) }));
}

export type KnownFixUseInsert = typeof knownFixUses.$inferInsert;

/** Records a use; a use whose key is already recorded (a double press) is not recorded again. */
export async function insertKnownFixUse(tx: Db, values: KnownFixUseInsert): Promise<boolean> {
  const rows = await tx
    .insert(knownFixUses)
    .values(values)
    .onConflictDoNothing({ target: [knownFixUses.schoolId, knownFixUses.key] })
    .returning({ id: knownFixUses.id });
  return rows.length > 0;
}

/** The use recorded under `key` in the school, with its fix's title. */
export async function findKnownFixUse(
  db: Db,
  schoolId: string,
  key: string,
): Promise<{ fixId: string; kind: string; title: string } | undefined> {
  const [row] = await db
    .select({ fixId: knownFixUses.fixId, kind: knownFixUses.kind, title: knownFixes.title })
    .from(knownFixUses)
    .innerJoin(knownFixes, and(eq(knownFixes.id, knownFixUses.fixId), eq(knownFixes.schoolId, schoolId)))
    .where(and(eq(knownFixUses.schoolId, schoolId), eq(knownFixUses.key, key)));
  return row;
}

/**
 * Serialises, within one transaction, everything done with one fault form (`key`: its Slack view
 * id or Teams form id): "That fixed it" and Report queue here, so a form ends in one or the other.
 */
export async function lockFaultForm(tx: Db, schoolId: string, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`fault-form:${schoolId}:${key}`}))`);
}

/** The incident a form (by its submission key) already reported, if any. */
export async function incidentOfForm(
  db: Db,
  schoolId: string,
  key: string,
): Promise<{ number: number } | undefined> {
  const [row] = await db
    .select({ number: incidents.number })
    .from(incidents)
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.submissionKey, key)));
  return row;
}

/** Uses of the school's fixes in [startAt, endAt): deflections, and the `limit` most used. */
export async function knownFixFigures(
  db: Db,
  schoolId: string,
  startAt: Date,
  endAt: Date,
  limit: number,
): Promise<KnownFixFigures> {
  const inPeriod = and(
    eq(knownFixUses.schoolId, schoolId),
    gte(knownFixUses.createdAt, startAt),
    lt(knownFixUses.createdAt, endAt),
  );
  const [total] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(knownFixUses)
    .where(and(inPeriod, eq(knownFixUses.kind, 'deflected')));
  const uses = sql<number>`count(*)::int`;
  const rows = await db
    .select({
      title: knownFixes.title,
      retiredAt: knownFixes.retiredAt,
      uses,
      deflections: sql<number>`(count(*) filter (where ${knownFixUses.kind} = 'deflected'))::int`,
    })
    .from(knownFixUses)
    .innerJoin(knownFixes, and(eq(knownFixes.id, knownFixUses.fixId), eq(knownFixes.schoolId, schoolId)))
    .where(inPeriod)
    .groupBy(knownFixes.id, knownFixes.title, knownFixes.retiredAt)
    .orderBy(desc(uses), asc(sql`lower(${knownFixes.title})`))
    .limit(limit);
  return {
    deflections: total?.n ?? 0,
    top: rows.map((r) => ({
      title: r.title,
      uses: r.uses,
      deflections: r.deflections,
      retired: r.retiredAt !== null,
    })),
  };
}
