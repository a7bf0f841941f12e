/**
 * A reminder as it was posted, found by its outbox message id in the school of the person asking:
 * a platform that cannot read a posted message back (Teams) keeps the id on the message's buttons,
 * and shows the reminder again from the record when one is pressed. An id of another school, or
 * of a message that is not a reminder, finds nothing.
 */
import type { Db } from '../../db/client';
import { findOutboxMessage } from '../../db/queries/posted-reminders';
import { readOutboxMessage } from '../messages';
import type { Reminder } from '../reminders/reminder';

/** An outbox id as a button carries it: digits only, a safe integer. */
const OUTBOX_ID = /^[1-9]\d{0,14}$/;

export async function loadPostedReminder(
  db: Db,
  schoolId: string,
  outboxId: unknown,
): Promise<Reminder | undefined> {
  if (typeof outboxId !== 'string' || !OUTBOX_ID.test(outboxId)) return undefined;
  const stored = await findOutboxMessage(db, schoolId, Number(outboxId));
  if (!stored) return undefined;
  const read = readOutboxMessage(stored);
  return read.ok && read.message.type === 'reminder' ? read.message.reminder : undefined;
}
