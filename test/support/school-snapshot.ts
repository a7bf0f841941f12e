/**
 * Everything one school holds, table by table, to show that a request changed nothing (or
 * exactly what it should have): every table with a `school_id`, and the school's own row.
 */
import { eq, getTableColumns, is } from 'drizzle-orm';
import { type PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../src/db/client';
import * as schema from '../../src/db/schema';

const TENANT_TABLES = Object.entries(schema).flatMap(([name, table]) => {
  if (!is(table, PgTable)) return [];
  const schoolId = (getTableColumns(table) as Record<string, PgColumn>).schoolId;
  return schoolId ? [{ name, table, schoolId }] : [];
});

export type SchoolSnapshot = Record<string, string[]>;

/** Rows as JSON, sorted, by table (the schema's export name). */
export async function schoolSnapshot(db: Db, schoolId: string): Promise<SchoolSnapshot> {
  const out: SchoolSnapshot = {};
  for (const t of TENANT_TABLES) {
    const rows = await db.select().from(t.table).where(eq(t.schoolId, schoolId));
    out[t.name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  const own = await db.select().from(schema.schools).where(eq(schema.schools.id, schoolId));
  out.schools = own.map((r) => JSON.stringify(r));
  return out;
}

/** How many rows each table gained (or lost) between two snapshots. */
export function rowsAdded(before: SchoolSnapshot, after: SchoolSnapshot): Record<string, number> {
  return Object.fromEntries(
    Object.entries(before).map(([table, rows]) => [table, (after[table]?.length ?? 0) - rows.length]),
  );
}
