/**
 * The reminder rules, as one pure function over a snapshot of a school's records: given the
 * moment and the school calendar, which reminders are due. Each carries the key of its
 * occurrence; the pass posts only keys it has not posted before.
 */
import { addDays, differenceInCalendarDays, format, getISODay, parseISO } from 'date-fns';
import { z } from 'zod';
import type { Priority } from '../incidents/priority';
import { DEFAULT_SLA, type SlaSubject, type SlaTargets, slaStatus, targetsOf } from '../incidents/sla';
import {
  addSchoolMinutes,
  isSchoolTime,
  type SchoolCalendar,
  schoolMinutesBetween,
  schoolToday,
} from '../school-time';
import { escalationChases, type UnansweredEscalation } from './escalation-chase';
import { problemSuggestions, type RepeatIncident } from './problem-suggestions';
import { type Reminder, subjectOf } from './reminder';

export interface LeadTimes {
  /** A payment is "due soon" this many days ahead. */
  paymentDueSoonDays: number;
  /** Reminders before a contract's notice deadline, most distant first. */
  contractNoticeDays: readonly number[];
  contractEndDays: number;
  licenceExpiryDays: readonly number[];
  warrantyDays: number;
}

export const DEFAULT_LEAD_TIMES: LeadTimes = {
  paymentDueSoonDays: 7,
  contractNoticeDays: [60, 30, 7],
  contractEndDays: 30,
  licenceExpiryDays: [60, 30],
  warrantyDays: 30,
};

const Days = z.number().int().min(0).max(366);
const LeadTimesSchema = z.object({
  paymentDueSoonDays: Days,
  contractNoticeDays: z.array(Days).min(1).max(5),
  contractEndDays: Days,
  licenceExpiryDays: z.array(Days).min(1).max(5),
  warrantyDays: Days,
});

/**
 * A school's stored lead times over the defaults. A stored value that does not make sense is
 * ignored (the default applies) rather than stopping the school's reminders.
 */
export function leadTimesOf(stored: Record<string, unknown> | null | undefined): LeadTimes {
  const lead: Record<string, unknown> = { ...DEFAULT_LEAD_TIMES };
  for (const [field, schema] of Object.entries(LeadTimesSchema.shape)) {
    const parsed = schema.safeParse(stored?.[field]);
    if (parsed.success) lead[field] = parsed.data;
  }
  return lead as unknown as LeadTimes;
}

export interface ReminderSnapshot {
  /** Scheduled (unpaid, not cancelled) payments. */
  payments: ReadonlyArray<{
    id: string;
    payee: string;
    amountPence: number;
    dueDate: string;
    reference: string;
  }>;
  /** Contracts not yet ended. */
  contracts: ReadonlyArray<{
    id: string;
    title: string;
    providerName: string;
    endDate: string | null;
    noticeDays: number;
    autoRenews: boolean;
    status: 'active' | 'cancelling' | 'ended';
  }>;
  /** Open incidents (not resolved or closed). */
  incidents: ReadonlyArray<
    SlaSubject & {
      id: string;
      number: number;
      summary: string;
      status: string;
      lastActivityAt: Date;
    }
  >;
  licences: ReadonlyArray<{
    id: string;
    title: string;
    type: string;
    quantity: number | null;
    seatsInUse: number;
    expiryDate: string | null;
  }>;
  /** Assets in use with a warranty end date. */
  warranties: ReadonlyArray<{ id: string; tag: string; warrantyEnd: string }>;
  /** Diary entries for today. */
  diaryToday: ReadonlyArray<{ title: string; kind: string }>;
  /** Incidents of the last 30 days, any status (for "repeated faults suggest a problem"). */
  recentIncidents?: ReadonlyArray<RepeatIncident>;
  /** Escalations still with a provider who has not answered, with a respond-by time. */
  unansweredEscalations?: ReadonlyArray<UnansweredEscalation>;
  /** Subjects (`payment:<id>`…) snoozed past now. */
  snoozed: ReadonlySet<string>;
}

export interface RuleContext {
  now: Date;
  calendar: SchoolCalendar;
  lead?: LeadTimes;
  /** The school's SLA targets (for incidents that do not carry their own). */
  sla?: SlaTargets;
}

/** The most urgent threshold already reached (`days` ≤ threshold), or null. */
function stageOf(days: number, thresholds: readonly number[]): number | null {
  const reached = thresholds.filter((t) => days <= t);
  return reached.length ? Math.min(...reached) : null;
}

const daysFrom = (today: string, date: string) => differenceInCalendarDays(parseISO(date), parseISO(today));

/**
 * Reminders due at `now`. Outside school time there are none: nothing is posted at weekends, in
 * the holidays or at night, and the first pass in school time catches up (once) on what is due.
 */
export function dueReminders(snap: ReminderSnapshot, ctx: RuleContext): Reminder[] {
  const { now, calendar } = ctx;
  if (!isSchoolTime(calendar, now)) return [];
  const lead = ctx.lead ?? DEFAULT_LEAD_TIMES;
  const sla = ctx.sla ?? DEFAULT_SLA;
  const today = schoolToday(now, calendar.timezone);
  const out: Reminder[] = [];

  for (const p of snap.payments) {
    const days = daysFrom(today, p.dueDate);
    const base = {
      paymentId: p.id,
      payee: p.payee,
      amountPence: p.amountPence,
      dueDate: p.dueDate,
      reference: p.reference,
      days,
    };
    if (days < 0)
      out.push({ kind: 'payment.overdue', key: `payment.overdue:${p.id}:${p.dueDate}:${today}`, ...base });
    else if (days === 0)
      out.push({ kind: 'payment.due_today', key: `payment.due_today:${p.id}:${p.dueDate}`, ...base });
    else if (days <= lead.paymentDueSoonDays)
      out.push({ kind: 'payment.due_soon', key: `payment.due_soon:${p.id}:${p.dueDate}`, ...base });
  }

  for (const c of snap.contracts) {
    if (!c.endDate || c.status === 'ended') continue;
    const base = { contractId: c.id, title: c.title, providerName: c.providerName, autoRenews: c.autoRenews };
    const endDays = daysFrom(today, c.endDate);
    // Once the SPOC has decided to cancel, notice reminders are done; the end date still matters.
    if (c.status === 'active' && c.noticeDays > 0) {
      const noticeBy = differenceInCalendarDays(parseISO(c.endDate), parseISO(today)) - c.noticeDays;
      const stage = noticeBy >= 0 ? stageOf(noticeBy, lead.contractNoticeDays) : null;
      if (stage !== null) {
        // Calendar dates, not instants: the server's own time zone never moves the deadline.
        const date = format(addDays(parseISO(c.endDate), -c.noticeDays), 'yyyy-MM-dd');
        out.push({
          kind: 'contract.notice',
          key: `contract.notice:${c.id}:${date}:${stage}`,
          date,
          days: noticeBy,
          ...base,
        });
      }
    }
    if (endDays >= 0 && endDays <= lead.contractEndDays) {
      out.push({
        kind: 'contract.end',
        key: `contract.end:${c.id}:${c.endDate}`,
        date: c.endDate,
        days: endDays,
        ...base,
      });
    }
  }

  for (const i of snap.incidents) {
    const target = targetsOf(i, sla);
    const base = { incidentId: i.id, number: i.number, summary: i.summary, priority: i.priority };
    const measures: Array<'response' | 'resolution'> = i.firstResponseAt
      ? ['resolution']
      : ['response', 'resolution'];
    let alerted = false;
    for (const measure of measures) {
      // The SLA clock is paused while waiting on parts or the user: nothing is due meanwhile.
      if (i.onHoldSince || i.status === 'on_hold') break;
      const status = slaStatus(calendar, i, sla, measure, now);
      const { dueAt, warnAt } = status;
      if (now >= dueAt) {
        out.push({
          kind: 'incident.sla_breach',
          key: `incident.sla_breach:${measure}:${i.id}`,
          measure,
          dueAt: dueAt.toISOString(),
          ...base,
        });
        alerted = true;
      } else if (now >= warnAt) {
        out.push({
          kind: 'incident.sla_warning',
          key: `incident.sla_warning:${measure}:${i.id}`,
          measure,
          dueAt: dueAt.toISOString(),
          ...base,
        });
        alerted = true;
      }
      if (alerted) break; // one alert per incident per pass: the most pressing measure
    }
    // Stale: someone has it, but nothing has happened for longer than the response target.
    if (
      !alerted &&
      !i.onHoldSince &&
      i.status !== 'on_hold' &&
      i.firstResponseAt &&
      schoolMinutesBetween(calendar, i.lastActivityAt, now) > target.respondMinutes
    ) {
      const dueAt = addSchoolMinutes(calendar, i.lastActivityAt, target.respondMinutes);
      out.push({
        kind: 'incident.stale',
        key: `incident.stale:${i.id}:${i.lastActivityAt.toISOString()}`,
        measure: 'response',
        dueAt: dueAt.toISOString(),
        lastActivityAt: i.lastActivityAt.toISOString(),
        ...base,
      });
    }
  }

  for (const l of snap.licences) {
    const base = {
      licenceId: l.id,
      title: l.title,
      expiryDate: l.expiryDate,
      seatsInUse: l.seatsInUse,
      quantity: l.quantity,
    };
    if (l.expiryDate) {
      const days = daysFrom(today, l.expiryDate);
      const stage = days >= 0 ? stageOf(days, lead.licenceExpiryDays) : null;
      if (stage !== null)
        out.push({
          kind: 'licence.expiring',
          key: `licence.expiring:${l.id}:${l.expiryDate}:${stage}`,
          days,
          ...base,
        });
    }
    if (l.type !== 'site' && l.quantity !== null && l.seatsInUse > l.quantity) {
      out.push({
        kind: 'licence.over_deployed',
        key: `licence.over_deployed:${l.id}:${l.seatsInUse}/${l.quantity}`,
        days: null,
        ...base,
      });
    }
  }

  for (const a of snap.warranties) {
    const days = daysFrom(today, a.warrantyEnd);
    if (days >= 0 && days <= lead.warrantyDays) {
      out.push({
        kind: 'asset.warranty',
        key: `asset.warranty:${a.id}:${a.warrantyEnd}`,
        assetId: a.id,
        tag: a.tag,
        warrantyEnd: a.warrantyEnd,
        days,
      });
    }
  }

  if (snap.diaryToday.length > 0) {
    out.push({
      kind: 'diary.today',
      key: `diary.today:${today}`,
      date: today,
      entries: [...snap.diaryToday],
    });
  }

  out.push(...problemSuggestions(snap.recentIncidents ?? [], now));

  out.push(...escalationChases(snap.unansweredEscalations ?? [], now));

  const reminders = out.filter((r) => !snap.snoozed.has(subjectOf(r)));
  // The weekly digest: its key is the week, so the first pass in school time each week posts it.
  reminders.unshift(digestOf(snap, out, today, lead));
  return reminders;
}

const WEEK = "RRRR-'W'II";

/** Open incidents by priority, SLA at risk, this week's payments, renewals in notice, licence problems, today's diary. */
function digestOf(snap: ReminderSnapshot, due: Reminder[], today: string, lead: LeadTimes): Reminder {
  const day = parseISO(today);
  const weekEnd = format(addDays(day, 7 - getISODay(day)), 'yyyy-MM-dd');
  const openByPriority = { P1: 0, P2: 0, P3: 0, P4: 0 };
  for (const i of snap.incidents) openByPriority[i.priority]++;
  const atRisk = new Map<
    string,
    { number: number; summary: string; priority: Priority; breached: boolean }
  >();
  for (const r of due) {
    if (r.kind === 'incident.sla_warning' || r.kind === 'incident.sla_breach') {
      atRisk.set(r.incidentId, {
        number: r.number,
        summary: r.summary,
        priority: r.priority,
        breached: r.kind === 'incident.sla_breach',
      });
    }
  }
  const maxNotice = Math.max(...lead.contractNoticeDays);
  const maxExpiry = Math.max(...lead.licenceExpiryDays);
  return {
    kind: 'digest',
    key: `digest:${format(day, WEEK)}`,
    week: format(day, WEEK),
    openByPriority,
    slaAtRisk: [...atRisk.values()].sort((a, b) => a.priority.localeCompare(b.priority)),
    paymentsThisWeek: snap.payments
      .filter((p) => p.dueDate <= weekEnd)
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate))
      .map((p) => ({ payee: p.payee, amountPence: p.amountPence, dueDate: p.dueDate })),
    renewalsInNotice: snap.contracts.flatMap((c) => {
      if (c.status !== 'active' || !c.endDate) return [];
      const noticeBy = format(addDays(parseISO(c.endDate), -c.noticeDays), 'yyyy-MM-dd');
      const days = daysFrom(today, noticeBy);
      return days >= 0 && days <= maxNotice
        ? [{ title: c.title, providerName: c.providerName, noticeBy }]
        : [];
    }),
    licenceProblems: snap.licences.flatMap((l) => {
      const problems: string[] = [];
      if (l.type !== 'site' && l.quantity !== null && l.seatsInUse > l.quantity) {
        problems.push(`over-deployed (${l.seatsInUse} of ${l.quantity})`);
      }
      if (l.expiryDate) {
        const days = daysFrom(today, l.expiryDate);
        if (days < 0) problems.push('expired');
        else if (days <= maxExpiry) problems.push(`expires in ${days} days`);
      }
      return problems.length ? [{ title: l.title, problem: problems.join(', ') }] : [];
    }),
    diaryToday: [...snap.diaryToday],
  };
}
