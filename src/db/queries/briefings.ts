/**
 * A school's briefing for a day: the one SPOC-channel message a reminder pass posts, and where it
 * was posted. Every read and write names the school.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Reminder } from '../../domain/reminders/reminder';
import type { Db } from '../client';
import { briefings } from '../schema';

export interface BriefingRow {
  schoolId: string;
  day: string;
  digest: Extract<Reminder, { kind: 'digest' }> | null;
  items: Reminder[];
  channel: string | null;
  postedId: string | null;
}

const fromRow = (row: typeof briefings.$inferSelect): BriefingRow => ({
  schoolId: row.schoolId,
  day: row.day,
  digest: row.digest as BriefingRow['digest'],
  items: row.items as unknown as Reminder[],
  channel: row.channel,
  postedId: row.postedId,
});

/**
 * Adds a pass's reminders (and the week's digest, if due) to the day's briefing, making it if this
 * is the day's first. Call in the pass's transaction: a second pass at the same moment waits on
 * the row and appends after it. Whether the message is then posted or updated in place is the
 * deliverer's to see (it is posted once).
 */
export async function addToBriefing(
  tx: Db,
  schoolId: string,
  day: string,
  add: { items: Reminder[]; digest?: Extract<Reminder, { kind: 'digest' }> },
  now: Date,
): Promise<void> {
  await tx
    .insert(briefings)
    .values({
      schoolId,
      day,
      digest: add.digest ? (add.digest as unknown as Record<string, unknown>) : null,
      items: add.items as unknown as Array<Record<string, unknown>>,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [briefings.schoolId, briefings.day],
      set: {
        items: sql`${briefings.items} || ${JSON.stringify(add.items)}::jsonb`,
        digest: sql`coalesce(${briefings.digest}, ${add.digest ? JSON.stringify(add.digest) : null}::jsonb)`,
        updatedAt: now,
      },
    });
}

export async function findBriefing(db: Db, schoolId: string, day: string): Promise<BriefingRow | undefined> {
  const [row] = await db
    .select()
    .from(briefings)
    .where(and(eq(briefings.schoolId, schoolId), eq(briefings.day, day)));
  return row ? fromRow(row) : undefined;
}

/** Records where the briefing was posted (its items go in that thread). */
export async function recordBriefingPosted(
  db: Db,
  schoolId: string,
  day: string,
  channel: string,
  postedId: string,
): Promise<void> {
  await db
    .update(briefings)
    .set({ channel, postedId })
    .where(and(eq(briefings.schoolId, schoolId), eq(briefings.day, day)));
}
