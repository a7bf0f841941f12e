/**
 * One reminder pass: for each school with a SPOC channel, work out what is due (pure rules),
 * record each occurrence's key and write the new ones to the outbox, in one transaction. However
 * many processes run the pass, however often it is re-run, and if it dies half way, each reminder
 * is posted once: a key is recorded only with its message, and the key is unique per school (a
 * pass meeting a key another has claimed but not committed waits to see how that pass ends; see
 * claimReminderKeys).
 *
 * Two moments: the rules run as of `now` (the CLI's `--now`, the playground's "as if"), and what
 * the pass records — sent keys, outbox rows — is stamped `recordedAt`, the real clock. A pass as
 * if later posts at once and never leaves a message waiting for a moment still to come (which
 * would hold back every later message about the same subject).
 */
import { TransactionRollbackError } from 'drizzle-orm';
import type { Db } from '../db/client';
import { addToBriefing } from '../db/queries/briefings';
import { enqueue } from '../db/queries/outbox';
import {
  claimReminderKeys,
  loadReminderSnapshot,
  type SchoolForReminders,
  schoolsForReminders,
} from '../db/queries/reminders';
import { slaTargetsOf } from '../domain/incidents/sla';
import type { OutboxMessage } from '../domain/messages';
import { reminderActions } from '../domain/presenters/reminder';
import type { Reminder } from '../domain/reminders/reminder';
import { dueReminders, leadTimesOf } from '../domain/reminders/rules';
import { isSchoolTime, makeCalendar, schoolToday } from '../domain/school-time';
import type { Logger } from '../log';

export interface PassResult {
  schoolId: string;
  schoolName: string;
  /** Reminders posted by this pass (or, in a dry run, that would be). */
  posted: Reminder[];
  /** Due but already posted before. */
  alreadySent: number;
  /** Whether it was school time there (reminders are posted in school time only). */
  schoolTime: boolean;
}

export interface PassOptions {
  db: Db;
  log: Logger;
  /** The moment the rules run as (the CLI's `--now`, the playground's "as if"). */
  now: Date;
  /**
   * When what the pass records is stamped (sent keys, outbox rows, so when they are delivered):
   * the real clock. Defaults to `now`; a caller running the rules as if later passes the real now.
   */
  recordedAt?: Date;
  /** Say what would be posted; record and post nothing. */
  dryRun?: boolean;
  /** Only these schools (the playground's demo school); every school when absent. */
  schoolIds?: readonly string[];
}

function calendarOf(school: SchoolForReminders) {
  return makeCalendar({
    timezone: school.timezone,
    dayStart: school.dayStart,
    dayEnd: school.dayEnd,
    holidays: school.holidays,
  });
}

async function passForSchool(opts: PassOptions, school: SchoolForReminders): Promise<PassResult> {
  const { db, now } = opts;
  const recordedAt = opts.recordedAt ?? now;
  const calendar = calendarOf(school);
  const today = schoolToday(now, calendar.timezone);
  let result: PassResult | undefined;
  try {
    await db.transaction(async (tx) => {
      const due = dueReminders(await loadReminderSnapshot(tx, school.id, today, now), {
        now,
        calendar,
        lead: leadTimesOf(school.reminderLeadTimes),
        sla: slaTargetsOf(school.slaTargets),
      });
      const fresh = await claimReminderKeys(
        tx,
        school.id,
        due.map((r) => r.key),
        recordedAt,
      );
      const posted = due.filter((r) => fresh.has(r.key));
      result = {
        schoolId: school.id,
        schoolName: school.name,
        posted,
        alreadySent: due.length - posted.length,
        schoolTime: isSchoolTime(calendar, now),
      };
      // A dry run records nothing: the keys it claimed are rolled back with the transaction.
      if (opts.dryRun) tx.rollback();
      await enqueue(
        tx,
        school.id,
        await briefingMessages(tx, school.id, today, posted, recordedAt),
        recordedAt,
      );
    });
  } catch (error) {
    if (!(opts.dryRun && result && isRollback(error))) throw error;
  }
  if (!result) throw new Error('reminder pass produced no result');
  return result;
}

/**
 * What a pass posts: a P1 SLA breach stands alone; everything else goes in the day's briefing (made,
 * or added to), whose message is posted or updated, and each item with something to press is
 * posted in the briefing's thread with its buttons.
 */
async function briefingMessages(
  tx: Db,
  schoolId: string,
  day: string,
  posted: Reminder[],
  recordedAt: Date,
): Promise<OutboxMessage[]> {
  const alone = posted.filter(standsAlone);
  const digest = posted.find((r) => r.kind === 'digest');
  const items = posted.filter((r) => r.kind !== 'digest' && !standsAlone(r));
  const messages: OutboxMessage[] = alone.map((reminder) => ({ type: 'reminder', reminder }));
  if (!digest && items.length === 0) return messages;
  await addToBriefing(tx, schoolId, day, { items, ...(digest ? { digest } : {}) }, recordedAt);
  messages.push({ type: 'briefing', day });
  for (const reminder of items)
    if (reminderActions(reminder).length > 0) messages.push({ type: 'reminder', reminder, briefing: day });
  return messages;
}

/** A P1 whose SLA target is missed is posted on its own, so that it is seen at once. */
function standsAlone(r: Reminder): boolean {
  return r.kind === 'incident.sla_breach' && r.priority === 'P1';
}

/** Runs the pass for every school (or those in `schoolIds`); a school that fails is logged and retried next pass, never crashing the rest. */
export async function runReminderPass(opts: PassOptions): Promise<PassResult[]> {
  const results: PassResult[] = [];
  const only = opts.schoolIds ? new Set(opts.schoolIds) : undefined;
  for (const school of await schoolsForReminders(opts.db)) {
    if (only && !only.has(school.id)) continue;
    try {
      results.push(await passForSchool(opts, school));
    } catch (error) {
      opts.log.error(
        { err: error, schoolId: school.id },
        'reminder pass failed for a school; it will be retried',
      );
    }
  }
  return results;
}

function isRollback(error: unknown): boolean {
  return error instanceof TransactionRollbackError;
}
