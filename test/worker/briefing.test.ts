/**
 * The day's briefing as the reminder pass makes it: the one new message a day in the SPOC channel
 * (the week's digest in it on the week's first school day), each item with buttons queued behind
 * it for its thread, later passes adding to it, and a P1 SLA breach standing alone.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { briefings, outbox } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { addDiaryEntry } from '../../src/domain/registers/diary';
import { schedulePayment } from '../../src/domain/registers/payments';
import type { Reminder } from '../../src/domain/reminders/reminder';
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

/** Monday 1 March 2027, 09:00 in London (GMT), a school day. */
const MONDAY_9AM = new Date('2027-03-01T09:00:00Z');
const MONDAY_11AM = new Date('2027-03-01T11:00:00Z');
const TUESDAY_9AM = new Date('2027-03-02T09:00:00Z');

async function school() {
  const s = await makeSchool(tdb.db, { clock: fixedClock('2027-02-20T09:00:00Z') });
  const admin = await s.person('admin');
  expect((await setupSchool(admin, { slackChannelId: 'C0BRIEF001' })).ok).toBe(true);
  const pay = async (payee: string, dueDate: string) => {
    const p = await schedulePayment(admin, {
      payee,
      providerId: null,
      amountPence: 10000,
      dueDate,
      recurrence: 'none',
      reference: '',
      notes: '',
    });
    if (!p.ok) throw new Error(p.error.message);
  };
  return { ...s, admin, pay };
}

const pass = (schoolId: string, now: Date) =>
  runReminderPass({ db: tdb.db, log: silentLogger, now, schoolIds: [schoolId] });

/** What the outbox holds for the school, oldest first: `briefing:<day>`, or a reminder's kind and where it goes. */
async function queued(schoolId: string) {
  const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId)).orderBy(outbox.id);
  return rows.map((r) => {
    const m = r.message as { type: string; day?: string; briefing?: string; reminder?: Reminder };
    const what =
      m.type === 'briefing'
        ? `briefing:${m.day}`
        : `${m.reminder?.kind}${m.briefing ? ` in ${m.briefing}` : ''}`;
    return { what, orderKey: r.orderKey };
  });
}

async function briefingOf(schoolId: string, day: string) {
  const [row] = await tdb.db
    .select()
    .from(briefings)
    .where(and(eq(briefings.schoolId, schoolId), eq(briefings.day, day)));
  return row;
}

describe('the day’s briefing', () => {
  it('one pass: one briefing, its items queued behind it for its thread, the diary in it only', async () => {
    const s = await school();
    await s.pay('Oakwood ICT', '2027-03-03');
    await s.pay('Fibre Co', '2027-03-04');
    const diary = await addDiaryEntry(s.admin, {
      date: '2027-03-01',
      title: 'Engineer visit',
      kind: 'visit',
      notes: '',
      assetId: null,
    });
    expect(diary.ok).toBe(true);
    await pass(s.schoolId, MONDAY_9AM);
    const q = await queued(s.schoolId);
    expect(q.map((m) => m.what)).toEqual([
      'briefing:2027-03-01',
      'payment.due_soon in 2027-03-01',
      'payment.due_soon in 2027-03-01',
    ]);
    // One order key: the items are sent after the briefing, so its thread is there to post in.
    expect(new Set(q.map((m) => m.orderKey)).size).toBe(1);
    const row = await briefingOf(s.schoolId, '2027-03-01');
    expect((row?.digest as { kind: string } | null)?.kind).toBe('digest');
    expect(((row?.items ?? []) as Array<{ kind: string }>).map((i) => i.kind).sort()).toEqual([
      'diary.today',
      'payment.due_soon',
      'payment.due_soon',
    ]);
  });

  it('a later pass the same day updates the briefing and adds to its thread; the next day has its own', async () => {
    const s = await school();
    await s.pay('Oakwood ICT', '2027-03-03');
    await pass(s.schoolId, MONDAY_9AM);
    // Booked mid-morning, due within the reminder's lead time: the 11:00 pass finds it.
    await s.pay('Fibre Co', '2027-03-04');
    await pass(s.schoolId, MONDAY_11AM);
    expect((await queued(s.schoolId)).map((m) => m.what)).toEqual([
      'briefing:2027-03-01',
      'payment.due_soon in 2027-03-01',
      'briefing:2027-03-01',
      'payment.due_soon in 2027-03-01',
    ]);
    const monday = await briefingOf(s.schoolId, '2027-03-01');
    expect(((monday?.items ?? []) as Array<{ payee: string }>).map((i) => i.payee)).toEqual([
      'Oakwood ICT',
      'Fibre Co',
    ]);
    // Nothing new: nothing queued, the briefing left as it is.
    await pass(s.schoolId, new Date('2027-03-01T11:15:00Z'));
    expect(await queued(s.schoolId)).toHaveLength(4);

    await s.pay('Print Co', '2027-03-05');
    await pass(s.schoolId, TUESDAY_9AM);
    const tuesday = await briefingOf(s.schoolId, '2027-03-02');
    expect(tuesday?.digest).toBeNull();
    expect(((tuesday?.items ?? []) as Array<{ payee: string }>).map((i) => i.payee)).toEqual(['Print Co']);
    expect((await queued(s.schoolId)).slice(4).map((m) => m.what)).toEqual([
      'briefing:2027-03-02',
      'payment.due_soon in 2027-03-02',
    ]);
  });

  it('a P1 whose SLA target is missed stands alone; a dry run makes no briefing', async () => {
    const s = await school();
    const teacher = await s.person('teacher');
    const reported = await reportFault(
      { ...teacher, clock: fixedClock('2027-03-01T08:00:00Z') },
      { summary: 'Whole school Wi-Fi down', urgency: 'lesson_stopped', impact: 'whole_school' },
    );
    expect(reported.ok).toBe(true);
    const before = (await queued(s.schoolId)).length;
    const dry = await runReminderPass({
      db: tdb.db,
      log: silentLogger,
      now: MONDAY_9AM,
      dryRun: true,
      schoolIds: [s.schoolId],
    });
    expect(dry[0]?.posted.map((r) => r.kind)).toContain('incident.sla_breach');
    expect(await briefingOf(s.schoolId, '2027-03-01')).toBeUndefined();

    await pass(s.schoolId, MONDAY_9AM);
    const after = (await queued(s.schoolId)).slice(before).map((m) => m.what);
    expect(after).toEqual(['incident.sla_breach', 'briefing:2027-03-01']);
    const row = await briefingOf(s.schoolId, '2027-03-01');
    expect(row?.items).toEqual([]);
  });
});

describe.skipIf(!onPostgres)(
  'concurrent passes on a real Postgres (skipped on PGlite: it has one connection, so transactions never overlap)',
  () => {
    it('five passes at once make one briefing, with each item once', async () => {
      const s = await school();
      await s.pay('Oakwood ICT', '2027-03-03');
      await s.pay('Fibre Co', '2027-03-04');
      await Promise.all(Array.from({ length: 5 }, () => pass(s.schoolId, MONDAY_9AM)));
      const rows = await tdb.db.select().from(briefings).where(eq(briefings.schoolId, s.schoolId));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.items).toHaveLength(2);
      expect((await queued(s.schoolId)).filter((m) => m.what.startsWith('briefing'))).toHaveLength(1);
    });
  },
);
