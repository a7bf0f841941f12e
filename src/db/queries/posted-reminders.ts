/**
 * A message the outbox has held, read back by its id within one school: a press on a posted
 * reminder names the outbox row it came from, and the reminder is shown again from what that row
 * recorded, with the platform's id of the message it was posted as (once known). Another school's
 * row is never found, nor changed.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { outbox } from '../schema';

export interface StoredOutboxMessage {
  message: Record<string, unknown>;
  /** The platform's id of the posted message; null until it is posted (or where none is kept). */
  postedId: string | null;
}

export async function findOutboxMessage(
  db: Db,
  schoolId: string,
  id: number,
): Promise<StoredOutboxMessage | undefined> {
  const [row] = await db
    .select({ message: outbox.message, postedId: outbox.postedId })
    .from(outbox)
    .where(and(eq(outbox.id, id), eq(outbox.schoolId, schoolId)));
  return row;
}

/** Records the platform's id of the message an outbox row was posted as. */
export async function setOutboxPostedId(
  db: Db,
  schoolId: string,
  id: number,
  postedId: string,
): Promise<void> {
  await db
    .update(outbox)
    .set({ postedId })
    .where(and(eq(outbox.id, id), eq(outbox.schoolId, schoolId)));
}
