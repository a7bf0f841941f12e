import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { formSubmissions } from '../schema';

export type FormSubmissionRow = typeof formSubmissions.$inferSelect;

export interface FormSubmissionKey {
  schoolId: string;
  kind: string;
  key: string;
}

/**
 * Claims a submission's key in the caller's transaction: true when this is the first, or when the
 * key was last claimed before `expiredBefore`. A copy running at the same moment waits here on the
 * primary key until the first commits (then finds it taken) or rolls back (then claims it itself).
 */
export async function claimFormSubmission(
  tx: Db,
  row: FormSubmissionKey & { personId: string; createdAt: Date },
  expiredBefore: Date,
): Promise<boolean> {
  const claimed = await tx
    .insert(formSubmissions)
    .values({ ...row, answer: null })
    .onConflictDoUpdate({
      target: [formSubmissions.schoolId, formSubmissions.kind, formSubmissions.key],
      set: { personId: row.personId, answer: null, createdAt: row.createdAt },
      setWhere: lt(formSubmissions.createdAt, expiredBefore),
    })
    .returning({ key: formSubmissions.key });
  return claimed.length > 0;
}

export async function findFormSubmission(
  db: Db,
  { schoolId, kind, key }: FormSubmissionKey,
): Promise<FormSubmissionRow | undefined> {
  const [row] = await db
    .select()
    .from(formSubmissions)
    .where(
      and(
        eq(formSubmissions.schoolId, schoolId),
        eq(formSubmissions.kind, kind),
        eq(formSubmissions.key, key),
      ),
    );
  return row;
}

/** Keeps what the first submission was answered, for any copy that follows. */
export async function setFormSubmissionAnswer(
  tx: Db,
  { schoolId, kind, key }: FormSubmissionKey,
  answer: unknown,
): Promise<void> {
  await tx
    .update(formSubmissions)
    .set({ answer })
    .where(
      and(
        eq(formSubmissions.schoolId, schoolId),
        eq(formSubmissions.kind, kind),
        eq(formSubmissions.key, key),
      ),
    );
}
