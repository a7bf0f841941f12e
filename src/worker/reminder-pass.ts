/**
 * One reminder pass: for each school with a SPOC channel, work out what is due (pure rules),
 * record each occurrence's key and write the new ones to the outbox, in one transaction. However
 * many processes run the pass, however often it is re-run, and if it dies half way, each reminder
 * is posted once: a key is recorded only with its message, and the key is unique per school (a
 * pass meeting a key another has claimed but not committed waits to see how that pass ends; see
 * claimReminderKeys).
 *
 * It reads what every school has due at once (one query per kind of record over all the schools,
 * loadReminderSnapshots), runs the rules per school, and opens a school's transaction only when
 * something due is not yet recorded, a few schools at a time: a pass costs what is due, not the
 * number of schools or the size of their tables.
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
  loadReminderSnapshots,
  recordedReminderKeys,
  type SchoolForReminders,
  schoolsForReminders,
} from '../db/queries/reminders';
import { type SlaTargets, slaTargetsOf } from '../domain/incidents/sla';
import type { OutboxMessage } from '../domain/messages';
import { reminderActions } from '../domain/presenters/reminder';
import type { Reminder } from '../domain/reminders/reminder';
import { dueReminders, type LeadTimes, leadTimesOf, type ReminderSnapshot } from '../domain/reminders/rules';
import { isSchoolTime, makeCalendar, type SchoolCalendar, schoolToday } from '../domain/school-time';
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

/** One school in a pass: its calendar and settings, and what is due there now. */
interface SchoolPass {
  school: SchoolForReminders;
  calendar: SchoolCalendar;
  today: string;
  lead: LeadTimes;
  sla: SlaTargets;
  /** Whether it is school time there (nothing is due outside it). */
  schoolTime: boolean;
}

/** At most this many schools record what they have due at once, each in its own transaction. */
const RECORDING_CONCURRENCY = 4;

/**
 * Records what is due for one school and queues its messages, in one transaction; the keys already
 * recorded are counted as already sent.
 */
async function recordForSchool(opts: PassOptions, pass: SchoolPass, due: Reminder[]): Promise<PassResult> {
  const { db } = opts;
  const { school, today } = pass;
  const recordedAt = opts.recordedAt ?? opts.now;
  let result: PassResult | undefined;
  try {
    await db.transaction(async (tx) => {
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
        schoolTime: pass.schoolTime,
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
  const { db, log, now } = opts;
  const only = opts.schoolIds ? new Set(opts.schoolIds) : undefined;
  const failed = (error: unknown, schoolId: string) =>
    log.error({ err: error, schoolId }, 'reminder pass failed for a school; it will be retried');

  const passes: SchoolPass[] = [];
  for (const school of await schoolsForReminders(db)) {
    if (only && !only.has(school.id)) continue;
    try {
      const calendar = calendarOf(school);
      passes.push({
        school,
        calendar,
        today: schoolToday(now, calendar.timezone),
        lead: leadTimesOf(school.reminderLeadTimes),
        sla: slaTargetsOf(school.slaTargets),
        schoolTime: isSchoolTime(calendar, now),
      });
    } catch (error) {
      failed(error, school.id);
    }
  }

  // What is due, read for every school in school time at once.
  let snapshots: Map<string, ReminderSnapshot>;
  try {
    snapshots = await loadReminderSnapshots(
      db,
      passes
        .filter((p) => p.schoolTime)
        .map((p) => ({ schoolId: p.school.id, today: p.today, lead: p.lead })),
      now,
    );
  } catch (error) {
    for (const p of passes) failed(error, p.school.id);
    return [];
  }
  const due = new Map<string, Reminder[]>();
  for (const p of passes) {
    const snapshot = snapshots.get(p.school.id);
    try {
      due.set(
        p.school.id,
        snapshot ? dueReminders(snapshot, { now, calendar: p.calendar, lead: p.lead, sla: p.sla }) : [],
      );
    } catch (error) {
      failed(error, p.school.id);
    }
  }

  // A school whose due keys are all recorded already has nothing to post: no transaction for it.
  let recorded = new Map<string, Set<string>>();
  try {
    recorded = await recordedReminderKeys(
      db,
      new Map([...due].map(([schoolId, reminders]) => [schoolId, reminders.map((r) => r.key)])),
    );
  } catch (error) {
    // Each school's transaction finds out for itself.
    log.warn({ err: error }, 'could not read the reminders already sent; each school checks its own');
  }

  const results = new Map<string, PassResult>();
  const toRecord: SchoolPass[] = [];
  for (const p of passes) {
    const reminders = due.get(p.school.id);
    if (!reminders) continue;
    const sent = recorded.get(p.school.id);
    if (reminders.length === 0 || reminders.every((r) => sent?.has(r.key))) {
      results.set(p.school.id, {
        schoolId: p.school.id,
        schoolName: p.school.name,
        posted: [],
        alreadySent: reminders.length,
        schoolTime: p.schoolTime,
      });
    } else toRecord.push(p);
  }
  let next = 0;
  const worker = async () => {
    while (next < toRecord.length) {
      const p = toRecord[next++] as SchoolPass;
      try {
        results.set(p.school.id, await recordForSchool(opts, p, due.get(p.school.id) ?? []));
      } catch (error) {
        failed(error, p.school.id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RECORDING_CONCURRENCY, toRecord.length) }, worker));
  return passes.flatMap((p) => results.get(p.school.id) ?? []);
}

function isRollback(error: unknown): boolean {
  return error instanceof TransactionRollbackError;
}
