import { and, asc, eq } from 'drizzle-orm';
import type { LicenceRecord } from '../../domain/registers/types';
import { insertInChunks } from '../chunks';
import type { Db } from '../client';
import { licences } from '../schema';

export type LicenceRow = typeof licences.$inferSelect;
export type LicenceInsert = typeof licences.$inferInsert;

export async function listLicences(db: Db, schoolId: string): Promise<LicenceRow[]> {
  return db.select().from(licences).where(eq(licences.schoolId, schoolId)).orderBy(asc(licences.licenceKey));
}

export async function getLicence(db: Db, schoolId: string, id: string): Promise<LicenceRow | undefined> {
  const [row] = await db
    .select()
    .from(licences)
    .where(and(eq(licences.schoolId, schoolId), eq(licences.id, id)));
  return row;
}

export async function lockLicence(tx: Db, schoolId: string, id: string): Promise<LicenceRow | undefined> {
  const [row] = await tx
    .select()
    .from(licences)
    .where(and(eq(licences.schoolId, schoolId), eq(licences.id, id)))
    .for('update');
  return row;
}

/** Many new licences at once (an import); the caller knows none of them exists yet. */
export async function insertLicences(tx: Db, values: readonly LicenceInsert[]): Promise<LicenceRow[]> {
  return insertInChunks(licences, values, (chunk) => tx.insert(licences).values(chunk).returning());
}

export async function insertLicence(tx: Db, values: LicenceInsert): Promise<LicenceRow | undefined> {
  const [row] = await tx.insert(licences).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateLicence(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<LicenceInsert>,
): Promise<LicenceRow> {
  const [row] = await tx
    .update(licences)
    .set(values)
    .where(and(eq(licences.schoolId, schoolId), eq(licences.id, id)))
    .returning();
  if (!row) throw new Error(`licence ${id} not found for update`);
  return row;
}

export function licenceRecordOf(l: LicenceRow): LicenceRecord & { id: string } {
  return {
    id: l.id,
    title: l.title,
    publisher: l.publisher,
    type: l.type,
    quantity: l.quantity,
    seatsInUse: l.seatsInUse,
    startDate: l.startDate,
    expiryDate: l.expiryDate,
    supplier: l.supplier,
    costPence: l.costPence,
    keyReference: l.keyReference,
    notes: l.notes,
  };
}
