import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { locations } from '../schema';

export type LocationRow = typeof locations.$inferSelect;

/** The school's locations that can still be chosen, in name order. */
export async function listActiveLocations(db: Db, schoolId: string): Promise<LocationRow[]> {
  return db
    .select()
    .from(locations)
    .where(and(eq(locations.schoolId, schoolId), eq(locations.archived, false)))
    .orderBy(asc(locations.nameKey));
}

export async function getLocation(db: Db, schoolId: string, id: string): Promise<LocationRow | undefined> {
  const [row] = await db
    .select()
    .from(locations)
    .where(and(eq(locations.schoolId, schoolId), eq(locations.id, id)));
  return row;
}
