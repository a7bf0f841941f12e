/**
 * The reminder worker: node-cron runs a pass every 15 minutes. Passes are idempotent (each
 * occurrence is recorded once), so several replicas running the worker are safe, and a pass after
 * downtime catches up. SPOC_WORKER=off leaves the worker out of web-only replicas.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from '../db/client';
import { findSchoolBySlackTeam } from '../db/queries/schools';
import type { Clock } from '../domain/clock';
import type { Logger } from '../log';
import { runAutoClosePass } from './auto-close';
import { runReminderPass } from './reminder-pass';

/** Every quarter of an hour. */
export const REMINDER_SCHEDULE = '*/15 * * * *';

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
}): ReminderWorker {
  const log = deps.log.child({ component: 'reminders' });
  const task = cron.schedule(
    REMINDER_SCHEDULE,
    async () => {
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
    },
    // The pass works in each school's own timezone; the schedule itself only needs a steady beat.
    { name: 'spoc-reminders', timezone: 'Europe/London', noOverlap: true },
  );
  return {
    task,
    async stop() {
      await task.destroy();
    },
  };
}
