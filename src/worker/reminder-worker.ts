/**
 * The reminder worker: node-cron runs a pass every 15 minutes. Replicas running the worker elect
 * the pass each time: the one that takes the advisory lock REMINDER_PASS_LOCK runs it, and one that
 * finds it held skips that quarter hour, as another is doing the work. Passes are idempotent as
 * well (each occurrence is recorded once), so two passes one after the other, as small ones may
 * be, post nothing twice, and a pass after downtime catches up. SPOC_WORKER=off leaves the worker
 * out of web-only replicas.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Db, Exclusive } from '../db/client';
import { findSchoolBySlackTeam } from '../db/queries/schools';
import type { Clock } from '../domain/clock';
import type { Logger } from '../log';
import { runAutoClosePass } from './auto-close';
import { runReminderPass } from './reminder-pass';

/** Every quarter of an hour. */
export const REMINDER_SCHEDULE = '*/15 * * * *';

/** Arbitrary constant shared by every SPOC process: "a reminder pass is running". */
export const REMINDER_PASS_LOCK = 7_110_502;

/** Runs `fn` unless another process runs under the same lock (`Database.exclusive`). */
export type Elect = <T>(key: number, fn: () => Promise<T>) => Promise<Exclusive<T>>;

export interface ReminderWorker {
  task: ScheduledTask;
  stop(): Promise<void>;
}

export function startReminderWorker(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  kick: () => void;
  /** Only the school of this Slack team (the playground's demo school), once it exists. */
  onlySlackTeam?: string;
  /** Elects one pass among processes; without it every tick runs (a single process). */
  elect?: Elect;
}): ReminderWorker {
  const log = deps.log.child({ component: 'reminders' });
  const elect: Elect = deps.elect ?? (async (_key, fn) => ({ ran: true, value: await fn() }));
  const task = cron.schedule(
    REMINDER_SCHEDULE,
    async () => {
      const elected = await elect(REMINDER_PASS_LOCK, () => pass());
      if (!elected.ran) log.debug('another process is running the reminder pass; skipped');
    },
    // The pass works in each school's own timezone; the schedule itself only needs a steady beat.
    { name: 'spoc-reminders', timezone: 'Europe/London', noOverlap: true },
  );

  async function pass(): Promise<void> {
    const now = deps.clock.now();
    let schoolIds: string[] | undefined;
    if (deps.onlySlackTeam) {
      const only = await findSchoolBySlackTeam(deps.db, deps.onlySlackTeam);
      if (!only) return;
      schoolIds = [only.id];
    }
    const results = await runReminderPass({ db: deps.db, log, now, schoolIds });
    const posted = results.reduce((n, r) => n + r.posted.length, 0);
    if (posted > 0) {
      log.info({ posted, schools: results.length }, 'reminders queued');
      deps.kick();
    }
    // Resolved incidents nobody answered for 5 school days close themselves on the same beat.
    const closed = (await runAutoClosePass({ db: deps.db, log, now, schoolIds })).reduce(
      (n, r) => n + r.closed.length,
      0,
    );
    if (closed > 0) {
      log.info({ closed }, 'resolved incidents closed automatically');
      deps.kick();
    }
  }
  return {
    task,
    async stop() {
      await task.destroy();
    },
  };
}
