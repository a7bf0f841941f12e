import { and, asc, eq, sql } from 'drizzle-orm';
import { insertInChunks, MAX_PARAMETERS, rowsPerStatement, writeInChunks } from '../chunks';
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

export type LocationInsert = typeof locations.$inferInsert;

/** Every location of the school, archived ones too, in name order. */
export async function listAllLocations(db: Db, schoolId: string): Promise<LocationRow[]> {
  return db.select().from(locations).where(eq(locations.schoolId, schoolId)).orderBy(asc(locations.nameKey));
}

/** Active locations whose name contains `query` (case-insensitive), for a type-ahead select. */
export async function searchLocations(
  db: Db,
  schoolId: string,
  query: string,
  limit: number,
): Promise<LocationRow[]> {
  const like = `%${query
    .trim()
    .toLowerCase()
    .replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  return db
    .select()
    .from(locations)
    .where(
      and(
        eq(locations.schoolId, schoolId),
        eq(locations.archived, false),
        sql`${locations.nameKey} like ${like}`,
      ),
    )
    .orderBy(asc(locations.nameKey))
    .limit(limit);
}

export async function countActiveLocations(db: Db, schoolId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(locations)
    .where(and(eq(locations.schoolId, schoolId), eq(locations.archived, false)));
  return row?.n ?? 0;
}

/** Many new locations at once (an import); the caller knows none of them exists yet. */
export async function insertLocations(tx: Db, values: readonly LocationInsert[]): Promise<LocationRow[]> {
  return insertInChunks(locations, values, (chunk) => tx.insert(locations).values(chunk).returning());
}

/**
 * Sets the parent of many of a school's locations at once (an import's new locations, whose
 * parents may be new too): one statement per chunk, each row binding two parameters (and the
 * school one).
 */
export async function setLocationParents(
  tx: Db,
  schoolId: string,
  parents: ReadonlyArray<{ id: string; parentId: string }>,
): Promise<void> {
  await writeInChunks(parents, rowsPerStatement(2, MAX_PARAMETERS - 1), async (chunk) => {
    const rows = sql.join(
      chunk.map((p) => sql`(${p.id}::uuid, ${p.parentId}::uuid)`),
      sql`, `,
    );
    await tx.execute(sql`
      update ${locations} set parent_id = v.parent_id
      from (values ${rows}) as v(id, parent_id)
      where ${locations.schoolId} = ${schoolId} and ${locations.id} = v.id`);
  });
}

export async function insertLocation(tx: Db, values: LocationInsert): Promise<LocationRow | undefined> {
  const [row] = await tx.insert(locations).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateLocation(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<LocationInsert>,
): Promise<LocationRow> {
  const [row] = await tx
    .update(locations)
    .set(values)
    .where(and(eq(locations.schoolId, schoolId), eq(locations.id, id)))
    .returning();
  if (!row) throw new Error(`location ${id} not found for update`);
  return row;
}

export async function getLocationByName(
  db: Db,
  schoolId: string,
  name: string,
): Promise<LocationRow | undefined> {
  const [row] = await db
    .select()
    .from(locations)
    .where(and(eq(locations.schoolId, schoolId), eq(locations.nameKey, name.trim().toLowerCase())));
  return row;
}
