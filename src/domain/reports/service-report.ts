/**
 * The FITS service level report: what was reported in a period, how fast it was
 * answered and fixed in school time, how often the published targets were met, how the
 * second-level providers did, and which assets keep failing. Pure: plain rows in, figures out.
 *
 * Rules, so the figures can be checked by hand:
 * - Incidents counted are those reported in the period; everything about them is as at `now`.
 * - First response: school minutes from the report to the first response (a hold does not stop
 *   it). Resolution: school minutes from the report to the resolution, less time on hold. An
 *   incident closed without a recorded fix counts from its closing. An open incident (including
 *   one reopened) has no resolution time.
 * - Targets are the incident's own (fixed when its priority was set), else the school's. An open
 *   incident already past a target counts as missed; open within target, as not measured yet.
 * - Escalations counted are those made in the period. A provider answered within target when
 *   their first update came within the contract's response target (school hours); one still
 *   unanswered past it counts as missed; without a contract target it is not measured.
 */

import { CATEGORIES, CATEGORY_LABELS, type Category, PRIORITIES, type Priority } from '../incidents/priority';
import {
  elapsedSchoolMinutes,
  type SlaMeasure,
  type SlaSubject,
  type SlaTargets,
  slaStatus,
} from '../incidents/sla';
import { isOpen, STATUS_LABELS, STATUSES, type Status } from '../incidents/state-machine';
import { ASSET_TYPE_LABELS, type AssetType } from '../registers/types';
import { addSchoolHours, type SchoolCalendar, schoolMinutesBetween } from '../school-time';
import type { ReportPeriod } from './period';
import { computeSatisfaction, type ReportAsked, type SatisfactionFigures } from './satisfaction';
import { type TargetTally, type TimeStats, tally, timeStats } from './stats';

/** An incident as the report reads it. */
export interface ReportIncident {
  number: number;
  priority: Priority;
  category: Category | null;
  status: Status;
  locationName: string | null;
  asset: { id: string; tag: string; type: AssetType; make: string; model: string } | null;
  createdAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  slaRespondMinutes: number | null;
  slaResolveMinutes: number | null;
  onHoldSince: Date | null;
  slaPausedMinutes: number;
  /** Times it was reopened (the reporter said it was still broken). */
  reopenCount: number;
}

/** An escalation to a second-level provider, as the report reads it. */
export interface ReportEscalation {
  providerId: string;
  providerName: string;
  incidentNumber: number;
  escalatedAt: Date;
  respondedAt: Date | null;
  returnedAt: Date | null;
  /** The contract's response target in school hours; null when there is none. */
  responseTargetHours: number | null;
}

/** Known fixes used in the period: deflections, and the most-used fixes (retired ones too). */
export interface KnownFixFigures {
  /** Faults settled by a known fix with nothing reported ("That fixed it"). */
  deflections: number;
  /** The most-used fixes (up to TOP_FIXES), most uses first: deflections and incidents resolved with them. */
  top: Array<{ title: string; uses: number; deflections: number; retired: boolean }>;
}

export interface ReportInput {
  schoolName: string;
  period: ReportPeriod;
  calendar: SchoolCalendar;
  /** The school's targets, for incidents recorded before targets were kept on the incident. */
  sla: SlaTargets;
  now: Date;
  incidents: ReadonlyArray<ReportIncident>;
  escalations: ReadonlyArray<ReportEscalation>;
  /** The satisfaction questions asked in the period (none when not given). */
  asked?: ReadonlyArray<ReportAsked>;
  /**
   * The reader may see satisfaction per technician and the comments (`report.byPerson`: office and
   * admin). Without it they are not computed at all.
   */
  byPerson?: boolean;
  /** Uses of the school's known fixes in the period; none when not given. */
  knownFixes?: KnownFixFigures;
}

export interface Tally {
  key: string;
  label: string;
  count: number;
}

export interface PriorityFigures {
  priority: Priority;
  reported: number;
  /** The school's current targets for this priority, in school minutes. */
  respondTargetMinutes: number;
  resolveTargetMinutes: number;
  response: TimeStats;
  resolution: TimeStats;
  responseTarget: TargetTally;
  resolutionTarget: TargetTally;
}

export interface ProviderFigures {
  providerName: string;
  escalations: number;
  /** Answered within the contract's response target, out of those measured. */
  withinTarget: TargetTally;
  /** Escalations with no contract response target: not measured against one. */
  withoutTarget: number;
  /** School minutes to the provider's first update, of those answered. */
  response: TimeStats;
  /** Not yet handed back. */
  stillOpen: number;
}

export interface AssetFigures {
  tag: string;
  description: string;
  count: number;
}

export interface ServiceReport {
  schoolName: string;
  period: ReportPeriod;
  generatedAt: Date;
  /** The school's timezone, for showing dates. */
  timezone: string;
  /** The length of a school day in minutes, to show times as "1 day 2h". */
  dayMinutes: number;
  reported: number;
  open: number;
  resolved: number;
  /** Incidents reported in the period that were reopened at least once. */
  reopened: number;
  byCategory: Tally[];
  byLocation: Tally[];
  byPriority: Tally[];
  byStatus: Tally[];
  response: TimeStats;
  resolution: TimeStats;
  responseTarget: TargetTally;
  resolutionTarget: TargetTally;
  priorities: PriorityFigures[];
  escalations: number;
  providers: ProviderFigures[];
  /** The assets with the most incidents (up to TOP_ASSETS). */
  topAssets: AssetFigures[];
  /** The satisfaction question (asked when a reporter presses Fixed): answered, 👍 share. */
  satisfaction: SatisfactionFigures;
  knownFixes: KnownFixFigures;
}

export const TOP_ASSETS = 5;
export const TOP_FIXES = 5;

const NO_CATEGORY = 'Not triaged yet';
const NO_LOCATION = 'No location given';

interface Measured {
  incident: ReportIncident;
  responseMinutes: number | null;
  resolutionMinutes: number | null;
  responseMet: boolean | null;
  resolutionMet: boolean | null;
}

function byCount(counts: Map<string, Tally>): Tally[] {
  return [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

function countBy(incidents: ReadonlyArray<ReportIncident>, keyOf: (i: ReportIncident) => [string, string]) {
  const counts = new Map<string, Tally>();
  for (const i of incidents) {
    const [key, label] = keyOf(i);
    const found = counts.get(key) ?? { key, label, count: 0 };
    found.count += 1;
    counts.set(key, found);
  }
  return counts;
}

/** The SLA view of an incident: an open incident has no resolution yet, whatever an earlier fix said. */
function subjectOf(i: ReportIncident): SlaSubject {
  const open = isOpen(i.status);
  const closedAt = i.status === 'closed' ? i.closedAt : null;
  return {
    priority: i.priority,
    createdAt: i.createdAt,
    firstResponseAt: i.firstResponseAt ?? closedAt,
    resolvedAt: open ? null : (i.resolvedAt ?? closedAt),
    slaRespondMinutes: i.slaRespondMinutes,
    slaResolveMinutes: i.slaResolveMinutes,
    onHoldSince: open ? i.onHoldSince : null,
    slaPausedMinutes: i.slaPausedMinutes,
  };
}

function measure(input: ReportInput, i: ReportIncident): Measured {
  const { calendar: cal, sla, now } = input;
  const subject = subjectOf(i);
  const outcome = (m: SlaMeasure): boolean | null => {
    const status = slaStatus(cal, subject, sla, m, now);
    if (status.met !== null) return status.met;
    return now > status.dueAt ? false : null;
  };
  const minutes = (m: SlaMeasure, at: Date | null) =>
    at ? Math.round(elapsedSchoolMinutes(cal, subject, m, at)) : null;
  return {
    incident: i,
    responseMinutes: minutes('response', subject.firstResponseAt),
    resolutionMinutes: minutes('resolution', subject.resolvedAt),
    responseMet: outcome('response'),
    resolutionMet: outcome('resolution'),
  };
}

const present = <T>(v: T | null): v is T => v !== null;

function assetDescription(a: NonNullable<ReportIncident['asset']>): string {
  const makeModel = [a.make, a.model].filter((s) => s.trim()).join(' ');
  return makeModel ? `${ASSET_TYPE_LABELS[a.type]}, ${makeModel}` : ASSET_TYPE_LABELS[a.type];
}

function providerFigures(input: ReportInput): ProviderFigures[] {
  const groups = new Map<string, ReportEscalation[]>();
  for (const e of input.escalations) groups.set(e.providerId, [...(groups.get(e.providerId) ?? []), e]);
  return [...groups.values()]
    .map((list) => {
      const targeted = list.filter((e) => e.responseTargetHours !== null);
      const outcomes = targeted.map((e) => {
        const due = addSchoolHours(input.calendar, e.escalatedAt, e.responseTargetHours as number);
        if (e.respondedAt) return e.respondedAt <= due;
        return input.now > due ? false : null;
      });
      const answered = list
        .filter((e) => e.respondedAt)
        .map((e) => Math.round(schoolMinutesBetween(input.calendar, e.escalatedAt, e.respondedAt as Date)));
      return {
        providerName: list[0]?.providerName ?? '',
        escalations: list.length,
        withinTarget: tally(outcomes),
        withoutTarget: list.length - targeted.length,
        response: timeStats(answered),
        stillOpen: list.filter((e) => !e.returnedAt).length,
      };
    })
    .sort((a, b) => b.escalations - a.escalations || a.providerName.localeCompare(b.providerName));
}

function topAssets(incidents: ReadonlyArray<ReportIncident>): AssetFigures[] {
  const counts = new Map<string, AssetFigures>();
  for (const i of incidents) {
    if (!i.asset) continue;
    const found = counts.get(i.asset.id) ?? {
      tag: i.asset.tag,
      description: assetDescription(i.asset),
      count: 0,
    };
    found.count += 1;
    counts.set(i.asset.id, found);
  }
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag))
    .slice(0, TOP_ASSETS);
}

function dayMinutesOf(cal: SchoolCalendar): number {
  const [sh = 0, sm = 0] = cal.dayStart.split(':').map(Number);
  const [eh = 0, em = 0] = cal.dayEnd.split(':').map(Number);
  return eh * 60 + em - (sh * 60 + sm);
}

/** Computes the service report from the period's incidents and escalations. */
export function computeServiceReport(input: ReportInput): ServiceReport {
  const measured = input.incidents.map((i) => measure(input, i));
  const priorities = PRIORITIES.map((priority): PriorityFigures => {
    const rows = measured.filter((m) => m.incident.priority === priority);
    const school = input.sla[priority];
    return {
      priority,
      reported: rows.length,
      respondTargetMinutes: school.respondMinutes,
      resolveTargetMinutes: school.resolveMinutes,
      response: timeStats(rows.map((m) => m.responseMinutes).filter(present)),
      resolution: timeStats(rows.map((m) => m.resolutionMinutes).filter(present)),
      responseTarget: tally(rows.map((m) => m.responseMet)),
      resolutionTarget: tally(rows.map((m) => m.resolutionMet)),
    };
  });
  const statusCounts = countBy(input.incidents, (i) => [i.status, STATUS_LABELS[i.status]]);
  const categoryCounts = countBy(input.incidents, (i) =>
    i.category ? [i.category, CATEGORY_LABELS[i.category]] : ['none', NO_CATEGORY],
  );
  return {
    schoolName: input.schoolName,
    period: input.period,
    generatedAt: input.now,
    timezone: input.calendar.timezone,
    dayMinutes: dayMinutesOf(input.calendar),
    reported: input.incidents.length,
    open: input.incidents.filter((i) => isOpen(i.status)).length,
    resolved: input.incidents.filter((i) => !isOpen(i.status)).length,
    reopened: input.incidents.filter((i) => i.reopenCount > 0).length,
    // Categories tie in their usual order, 'not triaged yet' last.
    byCategory: [...categoryCounts.values()].sort(
      (a, b) => b.count - a.count || rankOf(CATEGORIES, a.key) - rankOf(CATEGORIES, b.key),
    ),
    byLocation: byCount(
      countBy(input.incidents, (i) => [i.locationName ?? '', i.locationName ?? NO_LOCATION]),
    ),
    byPriority: priorities.map((p) => ({ key: p.priority, label: p.priority, count: p.reported })),
    byStatus: STATUSES.flatMap((s) => statusCounts.get(s) ?? []),
    response: timeStats(measured.map((m) => m.responseMinutes).filter(present)),
    resolution: timeStats(measured.map((m) => m.resolutionMinutes).filter(present)),
    responseTarget: tally(measured.map((m) => m.responseMet)),
    resolutionTarget: tally(measured.map((m) => m.resolutionMet)),
    priorities,
    escalations: input.escalations.length,
    providers: providerFigures(input),
    topAssets: topAssets(input.incidents),
    satisfaction: computeSatisfaction(input.asked ?? [], input.calendar.timezone, input.byPerson === true),
    knownFixes: {
      deflections: input.knownFixes?.deflections ?? 0,
      top: (input.knownFixes?.top ?? []).slice(0, TOP_FIXES),
    },
  };
}

/** Position in a fixed list; unknown keys (no category) go last. */
function rankOf(list: ReadonlyArray<string>, key: string): number {
  const at = list.indexOf(key);
  return at < 0 ? list.length : at;
}
