/** What the school settings command reads and writes. */
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { schools } from '../schema';
import type { SchoolRow } from './schools';

export interface StoredSettings {
  dayStart: string;
  dayEnd: string;
  slaTargets: Record<string, unknown>;
  reminderLeadTimes: Record<string, unknown>;
  ticketEmoji?: string;
  /** Who is told at once of a P1 out of school time; null: nobody. Left out: unchanged. */
  onCallPersonId?: string | null;
}

/** Writes a school's settings; the caller holds the school row lock (lockSchool). */
export async function writeSchoolSettings(
  tx: Db,
  schoolId: string,
  values: StoredSettings,
): Promise<SchoolRow> {
  const [row] = await tx.update(schools).set(values).where(eq(schools.id, schoolId)).returning();
  if (!row) throw new Error(`school ${schoolId} not found for its settings`);
  return row;
}
