/**
 * "Already reported": the open incident a new report may duplicate, the people who said a fault
 * affects them too (`incident_followers`), and what merging a duplicate moves. Every query is
 * scoped to one school.
 */
import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { assets, incidentFollowers, incidents, locations, people, sentReminders } from '../schema';
import type { IncidentRow } from './incidents';

/** An open incident that a report about the same device, or the same kind of device in the same place, repeats. */
export interface OpenMatch {
  incidentId: string;
  number: number;
  status: IncidentRow['status'];
  reporterId: string;
  reporterName: string;
  reporterSlackId: string | null;
  createdAt: Date;
  assetTag: string | null;
  locationName: string | null;
  /** How it matched: the very device, or a device of the same type in the same place. */
  match: 'asset' | 'location_type';
}

const OPEN = sql`${incidents.status} not in ('resolved', 'closed')`;

/**
 * The open incident (not resolved or closed, not merged) on the asset, else at the location on an
 * asset of the same type; the earliest reported first (the one the others repeat).
 */
export async function findOpenMatch(
  db: Db,
  schoolId: string,
  where: { assetId: string; locationId: string | null; assetType: string },
): Promise<OpenMatch | undefined> {
  const sameAsset = eq(incidents.assetId, where.assetId);
  const sameTypeHere = where.locationId
    ? and(eq(incidents.locationId, where.locationId), sql`${assets.type} = ${where.assetType}`)
    : undefined;
  const [row] = await db
    .select({
      incidentId: incidents.id,
      number: incidents.number,
      status: incidents.status,
      reporterId: incidents.reporterId,
      reporterName: people.displayName,
      reporterSlackId: people.slackUserId,
      createdAt: incidents.createdAt,
      assetTag: assets.tag,
      locationName: locations.name,
      byAsset: sql<boolean>`${incidents.assetId} is not distinct from ${where.assetId}::uuid`,
    })
    .from(incidents)
    .innerJoin(people, eq(people.id, incidents.reporterId))
    .leftJoin(assets, and(eq(assets.id, incidents.assetId), eq(assets.schoolId, incidents.schoolId)))
    .leftJoin(
      locations,
      and(eq(locations.id, incidents.locationId), eq(locations.schoolId, incidents.schoolId)),
    )
    .where(
      and(
        eq(incidents.schoolId, schoolId),
        OPEN,
        isNull(incidents.mergedIntoId),
        sameTypeHere ? sql`(${sameAsset} or ${sameTypeHere})` : sameAsset,
      ),
    )
    .orderBy(
      desc(sql`${incidents.assetId} is not distinct from ${where.assetId}::uuid`),
      asc(incidents.createdAt),
    )
    .limit(1);
  if (!row) return undefined;
  const { byAsset, ...match } = row;
  return { ...match, match: byAsset ? 'asset' : 'location_type' };
}

/** Adds the person as a follower; false when they already were one. */
export async function addFollower(
  tx: Db,
  schoolId: string,
  incidentId: string,
  personId: string,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .insert(incidentFollowers)
    .values({ schoolId, incidentId, personId, createdAt: now })
    .onConflictDoNothing()
    .returning({ personId: incidentFollowers.personId });
  return rows.length > 0;
}

/** A follower as a card names them. */
export interface FollowerName {
  personId: string;
  name: string;
  slackUserId: string | null;
}

/** The incident's followers, earliest first. */
export async function listFollowers(db: Db, schoolId: string, incidentId: string): Promise<FollowerName[]> {
  return db
    .select({ personId: people.id, name: people.displayName, slackUserId: people.slackUserId })
    .from(incidentFollowers)
    .innerJoin(people, and(eq(people.id, incidentFollowers.personId), eq(people.schoolId, schoolId)))
    .where(and(eq(incidentFollowers.schoolId, schoolId), eq(incidentFollowers.incidentId, incidentId)))
    .orderBy(asc(incidentFollowers.createdAt), asc(people.displayName));
}

/**
 * Moves a merged duplicate's followers, and the people given, to the target (once each; never its
 * own reporter), and takes them off the duplicate. Returns who was added to the target.
 */
export async function moveFollowers(
  tx: Db,
  schoolId: string,
  from: IncidentRow,
  to: IncidentRow,
  alsoPersonIds: readonly string[],
  now: Date,
): Promise<string[]> {
  const old = await tx
    .delete(incidentFollowers)
    .where(and(eq(incidentFollowers.schoolId, schoolId), eq(incidentFollowers.incidentId, from.id)))
    .returning({ personId: incidentFollowers.personId });
  const moving = [...new Set([...alsoPersonIds, ...old.map((r) => r.personId)])].filter(
    (id) => id !== to.reporterId,
  );
  if (moving.length === 0) return [];
  const added = await tx
    .insert(incidentFollowers)
    .values(moving.map((personId) => ({ schoolId, incidentId: to.id, personId, createdAt: now })))
    .onConflictDoNothing()
    .returning({ personId: incidentFollowers.personId });
  return added.map((r) => r.personId);
}

/** Incidents merged into the duplicate now point at the target, so no chain is ever left behind. */
export async function repointMerged(tx: Db, schoolId: string, fromId: string, toId: string): Promise<void> {
  await tx
    .update(incidents)
    .set({ mergedIntoId: toId })
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.mergedIntoId, fromId)));
}

/** The references merged into an incident, oldest first. */
export async function mergedInto(db: Db, schoolId: string, incidentId: string): Promise<number[]> {
  const rows = await db
    .select({ number: incidents.number })
    .from(incidents)
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.mergedIntoId, incidentId)))
    .orderBy(asc(incidents.number));
  return rows.map((r) => r.number);
}

/** An incident's number, within the school. */
export async function incidentNumberOf(db: Db, schoolId: string, id: string): Promise<number | undefined> {
  const [row] = await db
    .select({ number: incidents.number })
    .from(incidents)
    .where(and(eq(incidents.schoolId, schoolId), eq(incidents.id, id)));
  return row?.number;
}

/**
 * Both incidents with a row lock, taken in id order so two merges the opposite way round queue
 * rather than deadlock.
 */
export async function lockIncidentPair(
  tx: Db,
  schoolId: string,
  ids: readonly [string, string],
): Promise<IncidentRow[]> {
  return tx
    .select()
    .from(incidents)
    .where(and(eq(incidents.schoolId, schoolId), inArray(incidents.id, [...ids])))
    .orderBy(asc(incidents.id))
    .for('update');
}

/**
 * The once-key of a follower's notice ("it is fixed", "it was closed without a fix"): told once
 * each, however often it is fixed.
 */
export const followerNoticeKey = (kind: 'fixed' | 'closed', incidentId: string, personId: string) =>
  `follower.${kind}:${incidentId}:${personId}`;

/**
 * The incident's followers not yet told it is fixed (or closed), recording each as told (in the caller's
 * transaction, so the notice and the record commit together). `except` (the person fixing it)
 * is neither told nor recorded.
 */
export async function takeFollowersToTell(
  tx: Db,
  schoolId: string,
  incident: IncidentRow,
  kind: 'fixed' | 'closed',
  except: string,
  now: Date,
): Promise<string[]> {
  const followers = await tx
    .select({ personId: incidentFollowers.personId })
    .from(incidentFollowers)
    .where(
      and(
        eq(incidentFollowers.schoolId, schoolId),
        eq(incidentFollowers.incidentId, incident.id),
        ne(incidentFollowers.personId, incident.reporterId),
        ne(incidentFollowers.personId, except),
      ),
    );
  if (followers.length === 0) return [];
  const recorded = await tx
    .insert(sentReminders)
    .values(
      followers.map((f) => ({
        schoolId,
        key: followerNoticeKey(kind, incident.id, f.personId),
        createdAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ key: sentReminders.key });
  const told = new Set(recorded.map((r) => r.key));
  return followers.map((f) => f.personId).filter((id) => told.has(followerNoticeKey(kind, incident.id, id)));
}
