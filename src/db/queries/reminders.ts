/**
 * What the reminder pass reads and records. It reads set-based, every school with a SPOC channel at
 * once, one query per kind of record, and each only what can be due (open incidents, scheduled
 * payments up to the furthest lead time, contracts whose notice or end is near, warranties ending
 * soon): the pass costs what is due, not the size of the tables. It records per school, in that
 * school's transaction.
 */
import { and, asc, eq, gt, gte, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import { repeatWindowStart } from '../../domain/registers/compliance';
import type { RepeatIncident } from '../../domain/reminders/problem-suggestions';
import type { LeadTimes, ReminderSnapshot } from '../../domain/reminders/rules';
import { addIsoDays } from '../../domain/school-time/iso-date';
import type { Db } from '../client';
import {
  assets,
  contracts,
  diaryEntries,
  incidents,
  licences,
  locations,
  payments,
  providers,
  reminderSnoozes,
  schoolHolidays,
  schools,
  sentReminders,
  workItemIncidents,
  workItems,
} from '../schema';
import { unansweredEscalationsOf } from './escalations';

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
  const bySchool = groupBy(holidays, (h) => h.schoolId);
  return rows.map((s) => ({
    ...s,
    holidays: (bySchool.get(s.id) ?? []).map((h) => ({ start: h.startDate, end: h.endDate, name: h.name })),
  }));
}

/** One school whose snapshot the pass needs: its today (in its own time zone) and lead times. */
export interface SnapshotRequest {
  schoolId: string;
  today: string;
  lead: LeadTimes;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

const OPEN = sql`${incidents.status} not in ('resolved', 'closed')`;

/**
 * The snapshots the rules read, for every school asked for, in one query per kind of record. Each
 * query is bounded by what the rules can find due by the furthest lead time of any school asked for
 * (a school with shorter lead times is handed a little more, which its rules pass over); the
 * bounds are literal in the SQL, the partial indexes' own conditions, so every query runs on one.
 */
export async function loadReminderSnapshots(
  db: Db,
  requests: readonly SnapshotRequest[],
  now: Date,
): Promise<Map<string, ReminderSnapshot>> {
  const snapshots = new Map<string, ReminderSnapshot>();
  if (requests.length === 0) return snapshots;
  const ids = requests.map((r) => r.schoolId);
  const days = requests.map((r) => r.today).sort();
  const earliest = days[0] as string;
  const latest = days[days.length - 1] as string;
  const ahead = (leadDays: (lead: LeadTimes) => number) =>
    addIsoDays(latest, Math.max(...requests.map((r) => leadDays(r.lead))));
  // A payment is due soon within its lead time; the week's digest lists this week's (up to 6 days on).
  const paymentsUntil = ahead((l) => Math.max(l.paymentDueSoonDays, 7));
  // A contract's notice deadline (end less notice) within the longest notice lead, or its end within
  // the end lead (the end is no earlier than the deadline); neither once it has ended.
  const noticeUntil = ahead((l) => Math.max(...l.contractNoticeDays, l.contractEndDays));
  // Expiring within the longest lead, or expired (the digest lists those), or over-deployed.
  const licencesUntil = ahead((l) => Math.max(...l.licenceExpiryDays));
  const warrantiesUntil = ahead((l) => l.warrantyDays);

  const [due, deals, open, lic, warranty, diary, snoozes, recent, unanswered] = await Promise.all([
    db
      .select()
      .from(payments)
      .where(
        and(
          inArray(payments.schoolId, ids),
          eq(payments.status, 'scheduled'),
          lte(payments.dueDate, paymentsUntil),
        ),
      ),
    db
      .select({ contract: contracts, providerName: providers.name })
      .from(contracts)
      .innerJoin(providers, eq(providers.id, contracts.providerId))
      .where(
        and(
          inArray(contracts.schoolId, ids),
          sql`${contracts.status} <> 'ended'`,
          gte(contracts.endDate, earliest),
          sql`${contracts.endDate} - ${contracts.noticeDays} <= ${noticeUntil}::date`,
        ),
      ),
    db
      .select({
        schoolId: incidents.schoolId,
        id: incidents.id,
        number: incidents.number,
        summary: incidents.summary,
        priority: incidents.priority,
        status: incidents.status,
        createdAt: incidents.createdAt,
        firstResponseAt: incidents.firstResponseAt,
        lastActivityAt: incidents.lastActivityAt,
        resolvedAt: incidents.resolvedAt,
        slaRespondMinutes: incidents.slaRespondMinutes,
        slaResolveMinutes: incidents.slaResolveMinutes,
        onHoldSince: incidents.onHoldSince,
        slaPausedMinutes: incidents.slaPausedMinutes,
      })
      .from(incidents)
      .where(and(inArray(incidents.schoolId, ids), OPEN)),
    db
      .select()
      .from(licences)
      .where(
        and(
          inArray(licences.schoolId, ids),
          or(
            lte(licences.expiryDate, licencesUntil),
            sql`${licences.type} <> 'site' and ${licences.seatsInUse} > ${licences.quantity}`,
          ),
        ),
      ),
    db
      .select({ schoolId: assets.schoolId, id: assets.id, tag: assets.tag, warrantyEnd: assets.warrantyEnd })
      .from(assets)
      .where(
        and(
          inArray(assets.schoolId, ids),
          sql`${assets.status} <> 'disposed' and ${assets.warrantyEnd} is not null`,
          gte(assets.warrantyEnd, earliest),
          lte(assets.warrantyEnd, warrantiesUntil),
        ),
      ),
    db
      .select()
      .from(diaryEntries)
      .where(
        and(
          inArray(diaryEntries.schoolId, ids),
          gte(diaryEntries.date, earliest),
          lte(diaryEntries.date, latest),
        ),
      ),
    db
      .select({ schoolId: reminderSnoozes.schoolId, subject: reminderSnoozes.subject })
      .from(reminderSnoozes)
      .where(and(inArray(reminderSnoozes.schoolId, ids), gt(reminderSnoozes.until, now))),
    recentIncidents(db, ids, repeatWindowStart(now)),
    unansweredEscalationsOf(db, ids),
  ]);

  const by = {
    payments: groupBy(due, (p) => p.schoolId),
    contracts: groupBy(deals, (d) => d.contract.schoolId),
    incidents: groupBy(open, (i) => i.schoolId),
    licences: groupBy(lic, (l) => l.schoolId),
    warranties: groupBy(warranty, (a) => a.schoolId),
    diary: groupBy(diary, (d) => d.schoolId),
    snoozes: groupBy(snoozes, (s) => s.schoolId),
    recent: groupBy(recent, (i) => i.schoolId),
    unanswered: groupBy(unanswered, (e) => e.schoolId),
  };
  for (const { schoolId, today } of requests) {
    snapshots.set(schoolId, {
      payments: (by.payments.get(schoolId) ?? []).map((p) => ({
        id: p.id,
        payee: p.payee,
        amountPence: p.amountPence,
        dueDate: p.dueDate,
        reference: p.reference,
      })),
      contracts: (by.contracts.get(schoolId) ?? []).map(({ contract: c, providerName }) => ({
        id: c.id,
        title: c.title,
        providerName,
        endDate: c.endDate,
        noticeDays: c.noticeDays,
        autoRenews: c.autoRenews,
        status: c.status,
      })),
      incidents: (by.incidents.get(schoolId) ?? []).map(({ schoolId: _, ...i }) => i),
      licences: (by.licences.get(schoolId) ?? []).map((l) => ({
        id: l.id,
        title: l.title,
        type: l.type,
        quantity: l.quantity,
        seatsInUse: l.seatsInUse,
        expiryDate: l.expiryDate,
      })),
      warranties: (by.warranties.get(schoolId) ?? []).map((a) => ({
        id: a.id,
        tag: a.tag,
        warrantyEnd: a.warrantyEnd as string,
      })),
      diaryToday: (by.diary.get(schoolId) ?? [])
        .filter((d) => d.date === today)
        .map((d) => ({ title: d.title, kind: d.kind })),
      recentIncidents: (by.recent.get(schoolId) ?? []).map(({ schoolId: _, ...i }) => i),
      unansweredEscalations: (by.unanswered.get(schoolId) ?? []).map(({ schoolId: _, ...e }) => e),
      snoozed: new Set((by.snoozes.get(schoolId) ?? []).map((s) => s.subject)),
    });
  }
  return snapshots;
}

/**
 * Incidents reported since `since`, any status, of the schools asked for, oldest first (what the
 * repeated-faults rule reads, for many schools at once), each with its asset's tag and its
 * location's name.
 *
 * The asset and the location are joined with the schools asked for written out on them too (it is
 * implied by `school_id = incidents.school_id`, but the planner does not carry an IN list across a
 * join): without it the planner hashed every asset and location in the database (200,000 and
 * 15,000 at 500 schools) for any number of schools asked, ~70 ms of this query's 99 ms for 50 of
 * them; with it, it reads only those schools' (school_id leads assets_location_idx and
 * locations_name_uq). Looking each one up by primary key instead (a correlated or lateral subquery
 * per incident) was measured and not kept: it wins for a few schools but costs more than the hash
 * when every school is asked (41,000 incidents, two probes each), and its cost estimate crosses
 * jit_above_cost, so a server with JIT on spent over a second compiling it.
 */
async function recentIncidents(
  db: Db,
  schoolIds: string[],
  since: Date,
): Promise<Array<RepeatIncident & { schoolId: string }>> {
  const coveredByOpenProblem = sql<boolean>`exists (
    select 1 from ${workItemIncidents} wi join ${workItems} w on w.id = wi.work_item_id
    where wi.school_id = ${incidents.schoolId} and wi.incident_id = ${incidents.id}
      and w.kind = 'problem' and w.status <> 'closed')`;
  const rows = await db
    .select({
      schoolId: incidents.schoolId,
      id: incidents.id,
      number: incidents.number,
      summary: incidents.summary,
      createdAt: incidents.createdAt,
      assetId: incidents.assetId,
      assetTag: assets.tag,
      locationId: incidents.locationId,
      locationName: locations.name,
      linked: coveredByOpenProblem,
    })
    .from(incidents)
    .leftJoin(
      assets,
      and(
        eq(assets.id, incidents.assetId),
        eq(assets.schoolId, incidents.schoolId),
        inArray(assets.schoolId, schoolIds),
      ),
    )
    .leftJoin(
      locations,
      and(
        eq(locations.id, incidents.locationId),
        eq(locations.schoolId, incidents.schoolId),
        inArray(locations.schoolId, schoolIds),
      ),
    )
    .where(and(inArray(incidents.schoolId, schoolIds), gte(incidents.createdAt, since)))
    .orderBy(asc(incidents.createdAt));
  return rows.map(({ linked, ...r }) => ({ ...r, linkedToOpenProblem: Boolean(linked) }));
}

/**
 * Of each school's keys, those already recorded (committed): a pass need not open a transaction
 * for a school none of whose due keys is new. A key recorded by a pass still under way is not seen
 * here; claimReminderKeys, in the school's transaction, waits for it.
 */
export async function recordedReminderKeys(
  db: Db,
  keysBySchool: ReadonlyMap<string, readonly string[]>,
): Promise<Map<string, Set<string>>> {
  const pairs = [...keysBySchool].flatMap(([schoolId, keys]) => keys.map((key) => ({ s: schoolId, k: key })));
  const recorded = new Map<string, Set<string>>();
  if (pairs.length === 0) return recorded;
  const rows = await db
    .select({ schoolId: sentReminders.schoolId, key: sentReminders.key })
    .from(sql`jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as asked(s uuid, k text)`)
    .innerJoin(sentReminders, sql`${sentReminders.schoolId} = asked.s and ${sentReminders.key} = asked.k`);
  for (const { schoolId, key } of rows) {
    const keys = recorded.get(schoolId) ?? new Set<string>();
    keys.add(key);
    recorded.set(schoolId, keys);
  }
  return recorded;
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
