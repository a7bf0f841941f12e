import { and, asc, eq } from 'drizzle-orm';
import { insertInChunks } from '../chunks';
import type { Db } from '../client';
import { registerEvents } from '../schema';

export type RegisterEventRow = typeof registerEvents.$inferSelect;

/** Records events, as many as an import makes, in as few statements as fit (see chunks.ts). */
export async function recordRegisterEvents(
  tx: Db,
  values: ReadonlyArray<typeof registerEvents.$inferInsert>,
): Promise<void> {
  await insertInChunks(registerEvents, values, async (chunk) => {
    await tx.insert(registerEvents).values(chunk);
  });
}

export async function listRegisterEvents(
  db: Db,
  schoolId: string,
  subject: string,
): Promise<RegisterEventRow[]> {
  return db
    .select()
    .from(registerEvents)
    .where(and(eq(registerEvents.schoolId, schoolId), eq(registerEvents.subject, subject)))
    .orderBy(asc(registerEvents.id));
}
