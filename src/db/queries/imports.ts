import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { importBatches } from '../schema';

export type ImportBatchRow = typeof importBatches.$inferSelect;

export async function insertImportBatch(
  db: Db,
  values: typeof importBatches.$inferInsert,
): Promise<ImportBatchRow> {
  const [row] = await db.insert(importBatches).values(values).returning();
  if (!row) throw new Error('import batch insert returned nothing');
  return row;
}

export async function lockImportBatch(
  tx: Db,
  schoolId: string,
  id: string,
): Promise<ImportBatchRow | undefined> {
  const [row] = await tx
    .select()
    .from(importBatches)
    .where(and(eq(importBatches.schoolId, schoolId), eq(importBatches.id, id)))
    .for('update');
  return row;
}

export async function finishImportBatch(
  tx: Db,
  id: string,
  values: Pick<ImportBatchRow, 'status' | 'summary'> & { committedAt?: Date },
): Promise<void> {
  // The file's text is no longer needed once the batch is done.
  await tx
    .update(importBatches)
    .set({ ...values, content: '' })
    .where(eq(importBatches.id, id));
}
