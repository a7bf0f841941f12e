/**
 * A reminder as it was posted, found by its outbox message id in the school of the person asking:
 * a platform that cannot read a posted message back (Teams) keeps the id on the message's buttons,
 * and shows the reminder again from the record when one is pressed. An id of another school, or
 * of a message that is not a reminder, finds nothing.
 *
 * The deliverer records the platform's id of the message once posted (`recordReminderPosted`), so
 * that a dialog opened from it, whose submit does not say which message it came from, can still
 * replace that message when the reminder is dealt with.
 */
import type { Db } from '../../db/client';
import { findOutboxMessage, setOutboxPostedId } from '../../db/queries/posted-reminders';
import { readOutboxMessage } from '../messages';
import type { Reminder } from '../reminders/reminder';

/** An outbox id as a button carries it: digits only, a safe integer. */
const OUTBOX_ID = /^[1-9]\d{0,14}$/;

export interface PostedReminder {
  reminder: Reminder;
  /** The platform's id of the message it was posted as; null if not recorded (posted before). */
  postedId: string | null;
}

/** The reminder an outbox id names in the school, and the message it was posted as. */
export async function findPostedReminder(
  db: Db,
  schoolId: string,
  outboxId: unknown,
): Promise<PostedReminder | undefined> {
  if (typeof outboxId !== 'string' || !OUTBOX_ID.test(outboxId)) return undefined;
  const stored = await findOutboxMessage(db, schoolId, Number(outboxId));
  if (!stored) return undefined;
  const read = readOutboxMessage(stored.message);
  if (!read.ok || read.message.type !== 'reminder') return undefined;
  return { reminder: read.message.reminder, postedId: stored.postedId };
}

export async function loadPostedReminder(
  db: Db,
  schoolId: string,
  outboxId: unknown,
): Promise<Reminder | undefined> {
  return (await findPostedReminder(db, schoolId, outboxId))?.reminder;
}

/** Records the platform's id of the message a reminder's outbox row was posted as. */
export async function recordReminderPosted(
  db: Db,
  schoolId: string,
  outboxId: number,
  postedId: string,
): Promise<void> {
  await setOutboxPostedId(db, schoolId, outboxId, postedId);
}
