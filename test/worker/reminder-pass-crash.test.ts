/** A pass that dies half way leaves nothing recorded, so the re-run misses nothing and doubles nothing. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const failures = vi.hoisted(() => ({ left: 0 }));
vi.mock('../../src/db/queries/outbox', async (original) => {
  const real = await original<typeof import('../../src/db/queries/outbox')>();
  return {
    ...real,
    enqueue: async (...args: Parameters<typeof real.enqueue>) => {
      if (failures.left > 0 && (args[2] as Array<{ type: string }>).some((m) => m.type === 'reminder')) {
        failures.left--;
        throw new Error('process killed half way through the pass');
      }
      return real.enqueue(...args);
    },
  };
});

const { outbox, sentReminders } = await import('../../src/db/schema');
const { fixedClock } = await import('../../src/domain/clock');
const { schedulePayment } = await import('../../src/domain/registers/payments');
const { setupSchool } = await import('../../src/domain/schools/setup-school');
const { silentLogger } = await import('../../src/log');
const { runReminderPass } = await import('../../src/worker/reminder-pass');
const { createTestDatabase } = await import('../support/db');
const { makeSchool } = await import('../support/factories');

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

describe('a pass killed half way', () => {
  it('records no key without its message; the re-run posts it once', async () => {
    const school = await makeSchool(tdb.db, { clock: fixedClock('2027-02-20T09:00:00Z') });
    const admin = await school.person('admin');
    expect((await setupSchool(admin, { slackChannelId: 'C0CRASH001' })).ok).toBe(true);
    for (const due of ['2027-03-01', '2027-03-03']) {
      const r = await schedulePayment(admin, {
        payee: 'Oakwood',
        providerId: null,
        amountPence: 100,
        dueDate: due,
        recurrence: 'none',
        reference: due,
        notes: '',
      });
      expect(r.ok).toBe(true);
    }
    const now = new Date('2027-03-01T09:00:00Z');
    failures.left = 1;
    await runReminderPass({ db: tdb.db, log: silentLogger, now });
    expect(
      await tdb.db.select().from(sentReminders).where(eq(sentReminders.schoolId, school.schoolId)),
    ).toEqual([]);
    await runReminderPass({ db: tdb.db, log: silentLogger, now });
    await runReminderPass({ db: tdb.db, log: silentLogger, now });
    const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, school.schoolId));
    // The week's digest went into the day's briefing (queued once); each reminder once, in its thread.
    const keys = rows
      .map((r) =>
        r.message.type === 'reminder'
          ? (r.message.reminder as { kind: string }).kind
          : String(r.message.type),
      )
      .sort();
    expect(keys).toEqual(['briefing', 'payment.due_soon', 'payment.due_today']);
  });
});
