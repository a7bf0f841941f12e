/**
 * A message the outbox has held, read back by its id within one school: a press on a posted
 * reminder names the outbox row it came from, and the reminder is shown again from what that row
 * recorded. Another school's row is never found.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { outbox } from '../schema';

export async function findOutboxMessage(
  db: Db,
  schoolId: string,
  id: number,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await db
    .select({ message: outbox.message })
    .from(outbox)
    .where(and(eq(outbox.id, id), eq(outbox.schoolId, schoolId)));
  return row?.message;
}
