/** What the reminder pass reads and records, for one school inside its transaction. */
import { and, eq, gt, inArray, isNotNull, ne, notInArray, or } from 'drizzle-orm';
import { repeatWindowStart } from '../../domain/registers/compliance';
import type { ReminderSnapshot } from '../../domain/reminders/rules';
import type { Db } from '../client';
import {
  assets,
  contracts,
  diaryEntries,
  incidents,
  licences,
  payments,
  providers,
  reminderSnoozes,
  schoolHolidays,
  schools,
  sentReminders,
} from '../schema';
import { unansweredEscalations } from './escalations';
import { incidentsForRepeats } from './work-items';

export type SchoolForReminders = typeof schools.$inferSelect & {
  holidays: Array<{ start: string; end: string; name: string }>;
};

/**
 * Schools with a SPOC channel, in Slack or in Teams (nothing is posted for one without), with
 * their holidays.
 */
export async function schoolsForReminders(db: Db): Promise<SchoolForReminders[]> {
  const rows = await db
    .select()
    .from(schools)
    .where(or(isNotNull(schools.slackChannelId), isNotNull(schools.teamsChannelId)));
  if (rows.length === 0) return [];
  const holidays = await db
    .select()
    .from(schoolHolidays)
    .where(
      inArray(
        schoolHolidays.schoolId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((s) => ({
    ...s,
    holidays: holidays
      .filter((h) => h.schoolId === s.id)
      .map((h) => ({ start: h.startDate, end: h.endDate, name: h.name })),
  }));
}

export async function loadReminderSnapshot(
  tx: Db,
  schoolId: string,
  today: string,
  now: Date,
): Promise<ReminderSnapshot> {
  const [due, deals, open, lic, warranty, diary, snoozes] = await Promise.all([
    tx
      .select()
      .from(payments)
      .where(and(eq(payments.schoolId, schoolId), eq(payments.status, 'scheduled'))),
    tx
      .select({ contract: contracts, providerName: providers.name })
      .from(contracts)
      .innerJoin(providers, eq(providers.id, contracts.providerId))
      .where(and(eq(contracts.schoolId, schoolId), ne(contracts.status, 'ended'))),
    tx
      .select()
      .from(incidents)
      .where(and(eq(incidents.schoolId, schoolId), notInArray(incidents.status, ['resolved', 'closed']))),
    tx.select().from(licences).where(eq(licences.schoolId, schoolId)),
    tx
      .select({ id: assets.id, tag: assets.tag, warrantyEnd: assets.warrantyEnd })
      .from(assets)
      .where(
        and(eq(assets.schoolId, schoolId), ne(assets.status, 'disposed'), isNotNull(assets.warrantyEnd)),
      ),
    tx
      .select()
      .from(diaryEntries)
      .where(and(eq(diaryEntries.schoolId, schoolId), eq(diaryEntries.date, today))),
    tx
      .select({ subject: reminderSnoozes.subject })
      .from(reminderSnoozes)
      .where(and(eq(reminderSnoozes.schoolId, schoolId), gt(reminderSnoozes.until, now))),
  ]);
  return {
    payments: due.map((p) => ({
      id: p.id,
      payee: p.payee,
      amountPence: p.amountPence,
      dueDate: p.dueDate,
      reference: p.reference,
    })),
    contracts: deals.map(({ contract: c, providerName }) => ({
      id: c.id,
      title: c.title,
      providerName,
      endDate: c.endDate,
      noticeDays: c.noticeDays,
      autoRenews: c.autoRenews,
      status: c.status,
    })),
    incidents: open.map((i) => ({
      id: i.id,
      number: i.number,
      summary: i.summary,
      priority: i.priority,
      status: i.status,
      createdAt: i.createdAt,
      firstResponseAt: i.firstResponseAt,
      lastActivityAt: i.lastActivityAt,
      resolvedAt: i.resolvedAt,
      slaRespondMinutes: i.slaRespondMinutes,
      slaResolveMinutes: i.slaResolveMinutes,
      onHoldSince: i.onHoldSince,
      slaPausedMinutes: i.slaPausedMinutes,
    })),
    licences: lic.map((l) => ({
      id: l.id,
      title: l.title,
      type: l.type,
      quantity: l.quantity,
      seatsInUse: l.seatsInUse,
      expiryDate: l.expiryDate,
    })),
    warranties: warranty.map((a) => ({ id: a.id, tag: a.tag, warrantyEnd: a.warrantyEnd! })),
    diaryToday: diary.map((d) => ({ title: d.title, kind: d.kind })),
    recentIncidents: await incidentsForRepeats(tx, schoolId, repeatWindowStart(now)),
    unansweredEscalations: await unansweredEscalations(tx, schoolId),
    snoozed: new Set(snoozes.map((s) => s.subject)),
  };
}

/**
 * Records reminder keys; returns only those not recorded before (each occurrence once). The key
 * is unique per school, and that alone makes concurrent passes safe: a pass that meets a key
 * another pass has recorded but not yet committed waits for it, then skips the key if that pass
 * committed, or records it if it rolled back. Keys go in sorted order, so passes that wait on
 * each other always wait in one direction and never deadlock.
 */
export async function claimReminderKeys(
  tx: Db,
  schoolId: string,
  keys: string[],
  now: Date,
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx
    .insert(sentReminders)
    .values([...new Set(keys)].sort().map((key) => ({ schoolId, key, createdAt: now })))
    .onConflictDoNothing()
    .returning({ key: sentReminders.key });
  return new Set(rows.map((r) => r.key));
}

export async function snooze(
  tx: Db,
  schoolId: string,
  subject: string,
  until: Date,
  personId: string,
  now: Date,
): Promise<void> {
  await tx
    .insert(reminderSnoozes)
    .values({ schoolId, subject, until, createdBy: personId, createdAt: now })
    .onConflictDoUpdate({
      target: [reminderSnoozes.schoolId, reminderSnoozes.subject],
      set: { until, createdBy: personId, createdAt: now },
    });
}
