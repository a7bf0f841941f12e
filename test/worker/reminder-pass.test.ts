import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, schools, sentReminders } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import { schedulePayment } from '../../src/domain/registers/payments';
import { setupSchool } from '../../src/domain/schools/setup-school';
import { silentLogger } from '../../src/log';
import { runReminderPass } from '../../src/worker/reminder-pass';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';
import { makeSchool } from '../support/factories';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

const MONDAY_9AM = new Date('2027-03-01T09:00:00Z');

async function schoolWithPayment(due = '2027-03-05', channel: string | null = 'C0SPOC0100') {
  const clock = fixedClock('2027-02-20T09:00:00Z');
  const school = await makeSchool(tdb.db, { clock });
  const admin = await school.person('admin');
  if (channel) expect((await setupSchool(admin, { slackChannelId: channel })).ok).toBe(true);
  const p = await schedulePayment(admin, {
    payee: 'Oakwood ICT',
    providerId: null,
    amountPence: 50000,
    dueDate: due,
    recurrence: 'none',
    reference: 'INV-1',
    notes: '',
  });
  if (!p.ok) throw new Error(p.error.message);
  return school;
}

async function reminderMessages(schoolId: string) {
  const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId));
  return rows
    .filter((r) => r.message.type === 'reminder')
    .map((r) => (r.message.reminder as { key: string }).key);
}

describe('the reminder pass', () => {
  it('posts each reminder once, however often it runs', async () => {
    const school = await schoolWithPayment();
    const first = (await runReminderPass({ db: tdb.db, log: silentLogger, now: MONDAY_9AM })).find(
      (r) => r.schoolId === school.schoolId,
    );
    expect(first?.posted.map((r) => r.key)).toEqual([
      'digest:2027-W09',
      expect.stringMatching(/^payment\.due_soon:.+:2027-03-05$/),
    ]);
    const again = (
      await runReminderPass({ db: tdb.db, log: silentLogger, now: new Date('2027-03-01T09:15:00Z') })
    ).find((r) => r.schoolId === school.schoolId);
    expect(again).toMatchObject({ posted: [], alreadySent: 2 });
    expect(await reminderMessages(school.schoolId)).toHaveLength(2);
  });

  it('a dry run says what it would post and records nothing', async () => {
    const school = await schoolWithPayment();
    const dry = (
      await runReminderPass({ db: tdb.db, log: silentLogger, now: MONDAY_9AM, dryRun: true })
    ).find((r) => r.schoolId === school.schoolId);
    expect(dry?.posted).toHaveLength(2);
    expect(await reminderMessages(school.schoolId)).toEqual([]);
    expect(
      await tdb.db.select().from(sentReminders).where(eq(sentReminders.schoolId, school.schoolId)),
    ).toEqual([]);
  });

  it('catches up after downtime, once: the first pass in school time posts what fell due', async () => {
    const school = await schoolWithPayment('2027-03-08');
    // Down all weekend: Saturday and Sunday passes would post nothing anyway; Monday catches up.
    expect(
      (await runReminderPass({ db: tdb.db, log: silentLogger, now: new Date('2027-03-06T10:00:00Z') })).find(
        (r) => r.schoolId === school.schoolId,
      )?.posted,
    ).toEqual([]);
    const monday = (await runReminderPass({ db: tdb.db, log: silentLogger, now: MONDAY_9AM })).find(
      (r) => r.schoolId === school.schoolId,
    );
    expect(monday?.posted.map((r) => r.kind)).toEqual(['digest', 'payment.due_soon']);
  });

  it('uses the school’s own lead times', async () => {
    const school = await schoolWithPayment('2027-03-12');
    const keysAt = async () =>
      (await runReminderPass({ db: tdb.db, log: silentLogger, now: MONDAY_9AM, dryRun: true }))
        .find((r) => r.schoolId === school.schoolId)
        ?.posted.filter((r) => r.kind !== 'digest')
        .map((r) => r.kind);
    expect(await keysAt()).toEqual([]);
    await tdb.db
      .update(schools)
      .set({ reminderLeadTimes: { paymentDueSoonDays: 14 } })
      .where(eq(schools.id, school.schoolId));
    expect(await keysAt()).toEqual(['payment.due_soon']);
  });

  it('posts nothing for a school without a SPOC channel', async () => {
    const school = await schoolWithPayment('2027-03-05', null);
    const results = await runReminderPass({ db: tdb.db, log: silentLogger, now: MONDAY_9AM });
    expect(results.some((r) => r.schoolId === school.schoolId)).toBe(false);
  });

  it('runs for the schools named only, when it is given some (the playground’s demo school)', async () => {
    const mine = await schoolWithPayment('2027-03-05', 'C0SPOCMINE');
    const other = await schoolWithPayment('2027-03-05', 'C0SPOCOTHR');
    const results = await runReminderPass({
      db: tdb.db,
      log: silentLogger,
      now: MONDAY_9AM,
      schoolIds: [mine.schoolId],
    });
    expect(results.map((r) => r.schoolId)).toEqual([mine.schoolId]);
    expect(await reminderMessages(mine.schoolId)).toHaveLength(2);
    expect(await reminderMessages(other.schoolId)).toEqual([]);
    expect(
      await tdb.db.select().from(sentReminders).where(eq(sentReminders.schoolId, other.schoolId)),
    ).toEqual([]);
  });

  it('runs the rules as if later but records the real moment, so its messages go at once', async () => {
    const school = await schoolWithPayment('2027-03-05', 'C0SPOCASIF');
    const realNow = new Date('2027-02-22T09:00:00Z');
    const asIf = (
      await runReminderPass({
        db: tdb.db,
        log: silentLogger,
        now: MONDAY_9AM,
        recordedAt: realNow,
        schoolIds: [school.schoolId],
      })
    )[0];
    // The rules saw Monday 1 March: that week's digest and the payment due that Friday.
    expect(asIf?.posted.map((r) => r.kind)).toEqual(['digest', 'payment.due_soon']);
    const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, school.schoolId));
    expect(rows.map((r) => [r.createdAt, r.nextAttemptAt])).toEqual([
      [realNow, realNow],
      [realNow, realNow],
    ]);
    const sent = await tdb.db.select().from(sentReminders).where(eq(sentReminders.schoolId, school.schoolId));
    expect(sent.map((s) => s.createdAt)).toEqual([realNow, realNow]);
  });

  it('says whether it was school time there, as the rules found it', async () => {
    const school = await schoolWithPayment('2027-03-05', 'C0SPOCTIME');
    const at = async (iso: string) =>
      (
        await runReminderPass({
          db: tdb.db,
          log: silentLogger,
          now: new Date(iso),
          dryRun: true,
          schoolIds: [school.schoolId],
        })
      )[0];
    expect(await at('2027-03-01T09:00:00Z')).toMatchObject({ schoolTime: true });
    // Saturday morning, and Monday before the school day starts: nothing is posted.
    expect(await at('2027-03-06T10:00:00Z')).toMatchObject({ schoolTime: false, posted: [] });
    expect(await at('2027-03-01T06:00:00Z')).toMatchObject({ schoolTime: false, posted: [] });
  });
});

describe.skipIf(!onPostgres)(
  'concurrent passes on a real Postgres (skipped on PGlite: one connection proves nothing)',
  () => {
    it('five passes at once post each reminder once', async () => {
      const school = await schoolWithPayment();
      await Promise.all(
        Array.from({ length: 5 }, () => runReminderPass({ db: tdb.db, log: silentLogger, now: MONDAY_9AM })),
      );
      expect(await reminderMessages(school.schoolId)).toHaveLength(2);
    });
  },
);
