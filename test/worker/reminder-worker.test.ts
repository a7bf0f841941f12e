import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/db/client';
import { outbox } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import { schedulePayment } from '../../src/domain/registers/payments';
import { setupSchool } from '../../src/domain/schools/setup-school';
import { silentLogger } from '../../src/log';
import {
  REMINDER_PASS_LOCK,
  REMINDER_SCHEDULE,
  type ReminderWorker,
  startReminderWorker,
} from '../../src/worker/reminder-worker';
import { createTestDatabase, onPostgres } from '../support/db';
import { makeSchool } from '../support/factories';

let worker: ReminderWorker | undefined;
afterEach(async () => {
  await worker?.stop();
});

describe('the reminder worker', () => {
  it('runs a pass every quarter of an hour and wakes delivery when it queued reminders', async () => {
    const tdb = await createTestDatabase();
    try {
      const school = await makeSchool(tdb.db, { clock: fixedClock('2027-02-20T09:00:00Z') });
      const admin = await school.person('admin');
      expect((await setupSchool(admin, { slackChannelId: 'C0WORKER01' })).ok).toBe(true);
      const p = await schedulePayment(admin, {
        payee: 'Oakwood',
        providerId: null,
        amountPence: 100,
        dueDate: '2027-03-03',
        recurrence: 'none',
        reference: '',
        notes: '',
      });
      expect(p.ok).toBe(true);
      const kick = vi.fn();
      worker = startReminderWorker({
        db: tdb.db,
        clock: fixedClock('2027-03-01T09:00:00Z'),
        log: silentLogger,
        kick,
      });
      expect(REMINDER_SCHEDULE).toBe('*/15 * * * *');
      // Real timers (the database drivers need them): the next run is on a quarter hour within 15 minutes.
      const next = worker.task.getNextRun();
      if (!next) throw new Error('no next run');
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
      expect([next.getUTCMinutes() % 15, next.getUTCSeconds()]).toEqual([0, 0]);
      // Run the scheduled job now, as the schedule would (the clock says Monday 09:00).
      await worker.task.execute();
      // 09:00: the pass ran, queued the day's briefing (the digest in it) and the payment reminder, and woke delivery.
      await vi.waitFor(() => expect(kick).toHaveBeenCalledTimes(1));
      const queued = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, school.schoolId));
      expect(queued.sort((a, b) => a.id - b.id).map((r) => r.message.type)).toEqual(['briefing', 'reminder']);
    } finally {
      await worker?.stop();
      worker = undefined;
      await tdb.destroy();
    }
  });
  it('in the playground, runs for its demo team’s school only', async () => {
    const tdb = await createTestDatabase();
    try {
      const withPayment = async (teamId: string, channel: string) => {
        const school = await makeSchool(tdb.db, { clock: fixedClock('2027-02-20T09:00:00Z'), teamId });
        const admin = await school.person('admin');
        expect((await setupSchool(admin, { slackChannelId: channel })).ok).toBe(true);
        const p = await schedulePayment(admin, {
          payee: 'Oakwood',
          providerId: null,
          amountPence: 100,
          dueDate: '2027-03-03',
          recurrence: 'none',
          reference: '',
          notes: '',
        });
        expect(p.ok).toBe(true);
        return school;
      };
      const demo = await withPayment('T0WORKDEMO', 'C0WORKDEMO');
      const real = await withPayment('T0WORKREAL', 'C0WORKREAL');
      worker = startReminderWorker({
        db: tdb.db,
        clock: fixedClock('2027-03-01T09:00:00Z'),
        log: silentLogger,
        kick: vi.fn(),
        onlySlackTeam: 'T0WORKDEMO',
      });
      await worker.task.execute();
      const reminders = async (schoolId: string) =>
        (await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId))).filter(
          (r) => r.message.type === 'reminder' || r.message.type === 'briefing',
        );
      await vi.waitFor(async () => expect(await reminders(demo.schoolId)).toHaveLength(2));
      expect(await reminders(real.schoolId)).toEqual([]);
    } finally {
      await worker?.stop();
      worker = undefined;
      await tdb.destroy();
    }
  });
  // Only a server has other processes to elect among (PGlite is one process by its spoc.lock).
  it.skipIf(!onPostgres)(
    'skips its pass while another process holds the pass, and runs the next one (Postgres: advisory lock)',
    async () => {
      const tdb = await createTestDatabase();
      if (!tdb.url) throw new Error('Postgres only');
      // Another replica: its own pool on the same database.
      const other = await openDatabase({ url: tdb.url });
      try {
        const school = await makeSchool(tdb.db, { clock: fixedClock('2027-02-20T09:00:00Z') });
        const admin = await school.person('admin');
        expect((await setupSchool(admin, { slackChannelId: 'C0WORKELECT' })).ok).toBe(true);
        expect(
          (
            await schedulePayment(admin, {
              payee: 'Oakwood',
              providerId: null,
              amountPence: 100,
              dueDate: '2027-03-03',
              recurrence: 'none',
              reference: '',
              notes: '',
            })
          ).ok,
        ).toBe(true);
        const kick = vi.fn();
        worker = startReminderWorker({
          db: tdb.db,
          clock: fixedClock('2027-03-01T09:00:00Z'),
          log: silentLogger,
          kick,
          elect: (key, fn) => tdb.exclusive(key, fn),
        });
        const queued = async () =>
          (await tdb.db.select().from(outbox).where(eq(outbox.schoolId, school.schoolId))).length;
        // The other replica is in the middle of its pass: this one's tick does nothing.
        let finish = () => {};
        const held = new Promise<void>((resolve) => {
          finish = resolve;
        });
        let started = () => {};
        const holding = new Promise<void>((resolve) => {
          started = resolve;
        });
        const otherPass = other.exclusive(REMINDER_PASS_LOCK, async () => {
          started();
          await held;
          return 'the other pass';
        });
        await holding;
        await worker.task.execute();
        expect(kick).not.toHaveBeenCalled();
        expect(await queued()).toBe(0);
        // It finishes; the next quarter hour's tick here takes the pass.
        finish();
        expect(await otherPass).toEqual({ ran: true, value: 'the other pass' });
        await worker.task.execute();
        await vi.waitFor(() => expect(kick).toHaveBeenCalledTimes(1));
        expect(await queued()).toBe(2);
        // And while this one holds it, the other cannot.
        const both = await tdb.exclusive(REMINDER_PASS_LOCK, () =>
          other.exclusive(REMINDER_PASS_LOCK, async () => 1),
        );
        expect(both).toEqual({ ran: true, value: { ran: false } });
      } finally {
        await worker?.stop();
        worker = undefined;
        await other.close();
        await tdb.destroy();
      }
    },
  );
});
