/**
 * The authority's view of its member schools (`spoc authority`): for each school it may read, the
 * open incidents by priority, the SLA breaches, the escalations still open (to the authority and
 * to other providers), the contracts in their notice period and the overdue payments. Everything
 * is read within `readableSchools`, the one place that says which schools the asker may read.
 */
import { differenceInCalendarDays, parseISO } from 'date-fns';
import {
  endingContractsIn,
  holidaysIn,
  openEscalationsIn,
  openIncidentsIn,
  readableSchoolRows,
  unpaidPaymentsIn,
} from '../../db/queries/authority';
import { getSchool } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { PRIORITIES, type Priority } from '../incidents/priority';
import type { SlaMeasure } from '../incidents/sla';
import { slaTargetsOf } from '../incidents/sla';
import { isBreached, slaStateOf } from '../incidents/sla-state';
import type { Status } from '../incidents/state-machine';
import { noticeDeadline } from '../registers/providers';
import { leadTimesOf } from '../reminders/rules';
import { fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { makeCalendar, schoolToday } from '../school-time';
import { readableSchools } from './readable';

export interface OverviewEscalation {
  incidentId: string;
  number: number;
  summary: string;
  priority: Priority;
  status: Status;
  providerName: string;
  providerRef: string;
  escalatedAt: Date;
  respondBy: Date | null;
  respondedAt: Date | null;
}

export interface SchoolOverview {
  schoolId: string;
  name: string;
  timezone: string;
  /** Open incidents (not resolved or closed), counted by priority. */
  openByPriority: Record<Priority, number>;
  /** Open incidents that have missed their response or resolution target (school time). */
  breaches: Array<{ number: number; summary: string; priority: Priority; missed: SlaMeasure[] }>;
  /** Open escalations to this authority: what its staff can open, update and hand back. */
  toAuthority: OverviewEscalation[];
  /** Open escalations to the school's other providers. */
  toOthers: OverviewEscalation[];
  /** Contracts whose notice deadline falls within the school's notice window (as its home counts them). */
  contractsInNotice: Array<{ title: string; providerName: string; noticeBy: string; endDate: string }>;
  /** Scheduled payments past their due date (the school's today). */
  overduePayments: Array<{ payee: string; amountPence: number; dueDate: string }>;
}

export interface AuthorityOverview {
  authorityName: string;
  now: Date;
  schools: SchoolOverview[];
}

export const NOT_AN_AUTHORITY =
  "This is a school's own workspace, not an authority's: the authority view is asked for in the authority's own workspace.";

export async function authorityOverview(ctx: Ctx): Promise<Result<AuthorityOverview>> {
  const { actor, db } = ctx;
  if (!can(actor.role, 'authority.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['authority.view']);
  const readable = await readableSchools(db, actor);
  if (!readable.asAuthority) return fail('AUTH.FORBIDDEN', NOT_AN_AUTHORITY);
  const now = ctx.clock.now();
  const authority = await getSchool(db, actor.schoolId);
  const rows = await readableSchoolRows(db, readable);
  const holidays = await holidaysIn(db, readable);
  // Each school's own calendar (its hours, its holidays) and SLA targets: the SLA reading's clock.
  const clocks = new Map(
    rows.map((row) => [
      row.id,
      {
        calendar: makeCalendar({
          timezone: row.timezone,
          dayStart: row.dayStart,
          dayEnd: row.dayEnd,
          holidays: holidays
            .filter((h) => h.schoolId === row.id)
            .map((h) => ({ start: h.startDate, end: h.endDate, name: h.name })),
        }),
        sla: slaTargetsOf(row.slaTargets),
      },
    ]),
  );
  const todays = new Map(rows.map((r) => [r.id, schoolToday(now, r.timezone)] as const));
  const latestToday = [...todays.values()].sort().at(-1) ?? schoolToday(now, 'Europe/London');
  const [open, escalations, contracts, payments] = await Promise.all([
    openIncidentsIn(db, readable),
    openEscalationsIn(db, readable),
    endingContractsIn(db, readable),
    unpaidPaymentsIn(db, readable, latestToday),
  ]);

  const schools: SchoolOverview[] = rows.map((row) => {
    const clock = clocks.get(row.id);
    const today = todays.get(row.id) ?? latestToday;
    const daysTo = (date: string) => differenceInCalendarDays(parseISO(date), parseISO(today));
    const lead = leadTimesOf(row.reminderLeadTimes);
    const noticeWindow = Math.max(...lead.contractNoticeDays);
    const mine = open.filter((i) => i.schoolId === row.id);
    const openByPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
    for (const i of mine) openByPriority[i.priority] += 1;
    const breaches = clock
      ? mine.flatMap((i) => {
          const state = slaStateOf(i, { now, calendar: clock.calendar, sla: clock.sla });
          if (!isBreached(state) || state.kind !== 'open') return [];
          return [{ number: i.number, summary: i.summary, priority: i.priority, missed: state.missed }];
        })
      : [];
    const escalated = escalations
      .filter((e) => e.schoolId === row.id)
      .map((e) => ({
        toAuthority: e.authoritySchoolId === actor.schoolId,
        view: {
          incidentId: e.incidentId,
          number: e.number,
          summary: e.summary,
          priority: e.priority,
          status: e.status,
          providerName: e.providerName,
          providerRef: e.providerRef,
          escalatedAt: e.escalatedAt,
          respondBy: e.respondBy,
          respondedAt: e.respondedAt,
        },
      }));
    const contractsInNotice = contracts.flatMap((c) => {
      if (c.schoolId !== row.id || !c.endDate) return [];
      const noticeBy = noticeDeadline(c);
      if (!noticeBy) return [];
      const days = daysTo(noticeBy);
      if (days < 0 || days > noticeWindow) return [];
      return [{ title: c.title, providerName: c.providerName, noticeBy, endDate: c.endDate }];
    });
    contractsInNotice.sort((a, b) => a.noticeBy.localeCompare(b.noticeBy));
    const overduePayments = payments
      .filter((p) => p.schoolId === row.id && p.dueDate < today)
      .map((p) => ({ payee: p.payee, amountPence: p.amountPence, dueDate: p.dueDate }));
    return {
      schoolId: row.id,
      name: row.name,
      timezone: row.timezone,
      openByPriority,
      breaches,
      toAuthority: escalated.filter((e) => e.toAuthority).map((e) => e.view),
      toOthers: escalated.filter((e) => !e.toAuthority).map((e) => e.view),
      contractsInNotice,
      overduePayments,
    };
  });
  return ok({ authorityName: authority?.name ?? '', now, schools });
}
