/** Photos kept with an incident: the platform's file, and where SPOC's own copy of its bytes is. */
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { incidentPhotos } from '../schema';

/** A photo as listed: everything but the bytes of its copy. */
export interface PhotoRow {
  id: string;
  schoolId: string;
  incidentId: string;
  slackFileId: string | null;
  name: string;
  mimetype: string;
  bytes: number;
  storedPath: string | null;
  /** Whether a copy of the bytes is kept (on disk at `storedPath`, or in the row). */
  copied: boolean;
  createdAt: Date;
}

const listed = {
  id: incidentPhotos.id,
  schoolId: incidentPhotos.schoolId,
  incidentId: incidentPhotos.incidentId,
  slackFileId: incidentPhotos.slackFileId,
  name: incidentPhotos.name,
  mimetype: incidentPhotos.mimetype,
  bytes: incidentPhotos.bytes,
  storedPath: incidentPhotos.storedPath,
  copied: sql<boolean>`(${incidentPhotos.storedPath} is not null or ${incidentPhotos.data} is not null)`,
  createdAt: incidentPhotos.createdAt,
};

/**
 * Records an incident's photos, in the transaction that reports it. A photo already recorded for
 * the incident (the same file) is left as it is.
 */
export async function insertIncidentPhotos(
  tx: Db,
  schoolId: string,
  incidentId: string,
  photos: ReadonlyArray<{ fileId: string; name: string; mimetype: string; bytes: number }>,
  now: Date,
): Promise<number> {
  if (photos.length === 0) return 0;
  const inserted = await tx
    .insert(incidentPhotos)
    .values(
      // A millisecond apart, so they are listed in the order they were given.
      photos.map((p, n) => ({
        schoolId,
        incidentId,
        slackFileId: p.fileId,
        name: p.name,
        mimetype: p.mimetype,
        bytes: p.bytes,
        createdAt: new Date(now.getTime() + n),
      })),
    )
    .onConflictDoNothing()
    .returning({ id: incidentPhotos.id });
  return inserted.length;
}

/** An incident's photos, in the order they were given. */
export async function listIncidentPhotos(db: Db, schoolId: string, incidentId: string): Promise<PhotoRow[]> {
  const rows = await db
    .select(listed)
    .from(incidentPhotos)
    .where(and(eq(incidentPhotos.schoolId, schoolId), eq(incidentPhotos.incidentId, incidentId)))
    .orderBy(asc(incidentPhotos.createdAt), asc(incidentPhotos.name), asc(incidentPhotos.id));
  return rows.map((r) => ({ ...r, copied: Boolean(r.copied) }));
}

/** How many photos an incident has. */
export async function countIncidentPhotos(db: Db, schoolId: string, incidentId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(incidentPhotos)
    .where(and(eq(incidentPhotos.schoolId, schoolId), eq(incidentPhotos.incidentId, incidentId)));
  return Number(row?.n ?? 0);
}

/**
 * Records the copy of a photo's bytes: a path under the data directory, or the bytes themselves.
 * Only a photo with no copy yet is changed, so a copy made twice (a retried job) records one.
 */
export async function recordPhotoCopy(
  db: Db,
  schoolId: string,
  photoId: string,
  copy: { storedPath: string } | { data: Buffer },
): Promise<boolean> {
  const updated = await db
    .update(incidentPhotos)
    .set('storedPath' in copy ? { storedPath: copy.storedPath } : { data: copy.data })
    .where(
      and(
        eq(incidentPhotos.schoolId, schoolId),
        eq(incidentPhotos.id, photoId),
        isNull(incidentPhotos.storedPath),
        isNull(incidentPhotos.data),
      ),
    )
    .returning({ id: incidentPhotos.id });
  return updated.length > 0;
}

/** The bytes of a photo's copy kept in the database, if that is where it is. */
export async function readPhotoData(db: Db, schoolId: string, photoId: string): Promise<Buffer | undefined> {
  const [row] = await db
    .select({ data: incidentPhotos.data })
    .from(incidentPhotos)
    .where(and(eq(incidentPhotos.schoolId, schoolId), eq(incidentPhotos.id, photoId)));
  return row?.data ? Buffer.from(row.data) : undefined;
}
