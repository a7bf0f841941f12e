import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { registerEvents } from '../schema';

export type RegisterEventRow = typeof registerEvents.$inferSelect;

export async function recordRegisterEvents(
  tx: Db,
  values: Array<typeof registerEvents.$inferInsert>,
): Promise<void> {
  if (values.length > 0) await tx.insert(registerEvents).values(values);
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
