/** What the demo school holds, counted from the database: for the command line and the playground page. */
import type { Db } from '../../db/client';
import { assetRecords, warrantiesEndingBetween } from '../../db/queries/assets';
import { listIncidentDetails } from '../../db/queries/incidents';
import { listLicences } from '../../db/queries/licences';
import { listActiveLocations } from '../../db/queries/locations';
import { listSchools, type SchoolRow } from '../../db/queries/schools';
import { listContracts, listDiary, listPayments, listProviders } from '../../db/queries/supply';
import { listWorkItemDetails } from '../../db/queries/work-items';
import { STATUS_LABELS, STATUSES, type Status } from '../incidents/state-machine';
import {
  LICENCE_EXPIRY_WARNING_DAYS,
  licenceCompliance,
  WARRANTY_WARNING_DAYS,
} from '../registers/compliance';
import { noticeDeadline } from '../registers/providers';
import { schoolToday } from '../school-time';
import { addIsoDays, isoWeekday } from '../school-time/iso-date';

/** How far ahead a notice deadline counts as "in its notice period" for the demo. */
export const NOTICE_WINDOW_DAYS = 30;

export interface DemoSeedSummary {
  /** False when the demo school had been seeded before: nothing was changed this time. */
  seeded: boolean;
  schoolId: string;
  schoolName: string;
  teamId: string;
  channelId: string | null;
  /** The school's date when counted (`YYYY-MM-DD`). */
  today: string;
  people: number;
  locations: number;
  assets: number;
  assetsInRepair: number;
  /** In-use assets whose warranty ends within 30 days. */
  warrantiesEnding: number;
  licences: number;
  overDeployedLicences: number;
  /** Licences expiring within 60 days. */
  expiringLicences: number;
  providers: number;
  contracts: number;
  /** Active contracts whose notice deadline (end − notice) is within the next 30 days. */
  contractsInNotice: number;
  /** Scheduled and paid. */
  payments: number;
  /** Scheduled payments due between today and Sunday. */
  paymentsDueThisWeek: number;
  paymentsOverdue: number;
  diaryEntries: number;
  changes: number;
  problems: number;
  incidents: number;
  incidentsByStatus: Record<Status, number>;
}

const within = (date: string | null, from: string, to: string) => date !== null && date >= from && date <= to;

export async function summarizeDemoSchool(
  db: Db,
  school: SchoolRow,
  now: Date,
  seeded: boolean,
): Promise<DemoSeedSummary> {
  const id = school.id;
  const today = schoolToday(now, school.timezone);
  const weekEnd = addIsoDays(today, 7 - isoWeekday(today));
  const assets = await assetRecords(db, id);
  const licences = (await listLicences(db, id)).map((l) => licenceCompliance(l, today).flags);
  const contracts = await listContracts(db, id);
  const payments = await listPayments(db, id, { includeDone: true });
  const scheduled = payments.filter((p) => p.status === 'scheduled');
  const work = await listWorkItemDetails(db, id, {});
  const incidents = await listIncidentDetails(db, id, { limit: 10_000 });
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const i of incidents) byStatus[i.status]++;
  const warrantyTo = addIsoDays(today, WARRANTY_WARNING_DAYS);
  return {
    seeded,
    schoolId: id,
    schoolName: school.name,
    teamId: school.slackTeamId ?? '',
    channelId: school.slackChannelId,
    today,
    people: (await listSchools(db)).find((s) => s.id === id)?.people ?? 0,
    locations: (await listActiveLocations(db, id)).length,
    assets: assets.filter((a) => a.status !== 'disposed').length,
    assetsInRepair: assets.filter((a) => a.status === 'in_repair').length,
    warrantiesEnding: (await warrantiesEndingBetween(db, id, today, warrantyTo, 10_000)).length,
    licences: licences.length,
    overDeployedLicences: licences.filter((f) => f.includes('over_deployed')).length,
    expiringLicences: licences.filter((f) => f.includes('expiring')).length,
    providers: (await listProviders(db, id)).length,
    contracts: contracts.length,
    contractsInNotice: contracts.filter(
      (c) => c.status === 'active' && within(noticeDeadline(c), today, addIsoDays(today, NOTICE_WINDOW_DAYS)),
    ).length,
    payments: payments.length,
    paymentsDueThisWeek: scheduled.filter((p) => within(p.dueDate, today, weekEnd)).length,
    paymentsOverdue: scheduled.filter((p) => p.dueDate < today).length,
    diaryEntries: (await listDiary(db, id, addIsoDays(today, -400), addIsoDays(today, 400))).length,
    changes: work.filter((w) => w.kind === 'change').length,
    problems: work.filter((w) => w.kind === 'problem').length,
    incidents: incidents.length,
    incidentsByStatus: byStatus,
  };
}

/** The summary as a few plain lines (the command line prints them; the page may show them). */
export function formatDemoSummary(s: DemoSeedSummary): string[] {
  const states = STATUSES.map((st) => `${STATUS_LABELS[st].toLowerCase()} ${s.incidentsByStatus[st]}`);
  return [
    `${s.schoolName} (Slack team ${s.teamId}, SPOC channel ${s.channelId ?? 'none'}): ${
      s.seeded ? 'demo data added.' : 'already seeded, nothing changed.'
    }`,
    `  people: ${s.people}`,
    `  locations: ${s.locations}`,
    `  assets: ${s.assets} (${s.warrantiesEnding} warranties ending within ${WARRANTY_WARNING_DAYS} days, ${s.assetsInRepair} in repair)`,
    `  licences: ${s.licences} (${s.overDeployedLicences} over-deployed, ${s.expiringLicences} expiring within ${LICENCE_EXPIRY_WARNING_DAYS} days)`,
    `  providers: ${s.providers}; contracts: ${s.contracts} (${s.contractsInNotice} in the notice period)`,
    `  payments: ${s.payments} (${s.paymentsDueThisWeek} due this week, ${s.paymentsOverdue} overdue)`,
    `  diary entries: ${s.diaryEntries}`,
    `  changes: ${s.changes}; problems: ${s.problems}`,
    `  incidents: ${s.incidents} (${states.join(', ')})`,
  ];
}
