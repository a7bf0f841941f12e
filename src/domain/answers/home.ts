/**
 * A person's home (Slack's App Home tab, the Teams home card): what their role sees, read from the
 * records, then its presenter, decided once for every platform. Each platform says whether the
 * school has its SPOC channel there and only renders the answer.
 *
 * Everything is read within the person's own school, through the domain's own queries and with
 * the role checks they carry: the open queue and the SLA clock (the incident card's), the
 * scheduled payments and contracts (the registers'), the escalations the chase reminder watches,
 * and the week as the service report counts it.
 */
import { differenceInCalendarDays, parseISO } from 'date-fns';
import { unansweredEscalations } from '../../db/queries/escalations';
import { loadSchoolClock, type SchoolClock, type SchoolRow } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { listIncidents } from '../incidents/list-incidents';
import { listMyReports } from '../incidents/reporter-response';
import {
  type HomeContract,
  type HomeInput,
  type HomePayment,
  type HomeWeek,
  type OfficeHome,
  presentHome,
} from '../presenters/home';
import type { Presentation, Section } from '../presenters/presentation';
import { listPaymentRegister } from '../registers/payments';
import { listContractRegister } from '../registers/providers';
import { registerHealth } from '../registers/register-health';
import { leadTimesOf } from '../reminders/rules';
import { serviceReport } from '../reports/run-service-report';
import { can } from '../roles';
import { schoolToday } from '../school-time';
import { workProgress } from '../work-items/list';

export type HomeCtx = Ctx & { school: Pick<SchoolRow, 'name' | 'timezone'> };

/** The most open incidents the home reads (the domain's own limit for a list). */
const QUEUE_READ = 100;

/** What the person's home shows, for their role. */
export async function homeInput(ctx: HomeCtx, hasSpocChannel: boolean): Promise<HomeInput> {
  const { role } = ctx.actor;
  const staff = can(role, 'incident.viewAll');
  const clock = staff ? await loadSchoolClock(ctx.db, ctx.actor.schoolId) : undefined;
  const [mine, queue, work, health, office] = await Promise.all([
    listMyReports(ctx),
    staff ? listIncidents(ctx, { filter: 'open', limit: QUEUE_READ }) : undefined,
    can(role, 'work.view') ? workProgress(ctx, { timezone: ctx.school.timezone }) : undefined,
    can(role, 'register.manage') ? registerHealth(ctx) : undefined,
    clock && can(role, 'report.view') ? officeHome(ctx, clock) : undefined,
  ]);
  return {
    role,
    schoolName: ctx.school.name,
    hasSpocChannel,
    timezone: ctx.school.timezone,
    myReports: mine.ok ? mine.value : { open: [], closed: [] },
    queue: queue?.ok ? queue.value.incidents : [],
    ...(staff ? { personId: ctx.actor.personId } : {}),
    ...(clock ? { live: { now: ctx.clock.now(), calendar: clock.calendar, sla: clock.sla } } : {}),
    work: work?.ok ? work.value : undefined,
    health: health?.ok ? health.value : undefined,
    office,
  };
}

/**
 * What the office's home adds: payments due within the school's "due soon" lead time or overdue,
 * contracts whose notice deadline falls within the reminders' notice window (as the weekly digest
 * counts "renewals in notice"), escalations no provider has answered, and this week's figures.
 */
async function officeHome(ctx: HomeCtx, clock: SchoolClock): Promise<OfficeHome> {
  const now = ctx.clock.now();
  const today = schoolToday(now, clock.calendar.timezone);
  const lead = leadTimesOf(clock.school.reminderLeadTimes);
  const daysTo = (date: string) => differenceInCalendarDays(parseISO(date), parseISO(today));
  const noticeWindow = Math.max(...lead.contractNoticeDays);
  const [payments, contracts, escalations, report] = await Promise.all([
    listPaymentRegister(ctx, {}),
    listContractRegister(ctx),
    can(ctx.actor.role, 'incident.escalate') ? unansweredEscalations(ctx.db, ctx.actor.schoolId) : [],
    serviceReport(ctx, { period: 'week' }),
  ]);
  const due: HomePayment[] = payments.ok
    ? payments.value
        .filter((p) => p.status === 'scheduled' && daysTo(p.dueDate) <= lead.paymentDueSoonDays)
        .sort((a, b) => a.dueDate.localeCompare(b.dueDate))
        .map((p) => ({ id: p.id, payee: p.payee, amountPence: p.amountPence, dueDate: p.dueDate }))
    : [];
  const inNotice: HomeContract[] = contracts.ok
    ? contracts.value.flatMap((c) => {
        if (c.status !== 'active' || !c.noticeBy) return [];
        const days = daysTo(c.noticeBy);
        if (days < 0 || days > noticeWindow) return [];
        return [
          {
            id: c.id,
            title: c.title,
            providerName: c.providerName,
            noticeBy: c.noticeBy,
            autoRenews: c.autoRenews,
          },
        ];
      })
    : [];
  inNotice.sort((a, b) => a.noticeBy.localeCompare(b.noticeBy));
  const week: HomeWeek | undefined = report.ok
    ? {
        from: report.value.period.from,
        reported: report.value.reported,
        resolved: report.value.resolved,
        medianFirstResponseMinutes: report.value.response.medianMinutes,
        dayMinutes: report.value.dayMinutes,
      }
    : undefined;
  return {
    now,
    today,
    payments: due,
    contracts: inNotice,
    escalations: [...escalations]
      .sort((a, b) => a.respondBy.getTime() - b.respondBy.getTime())
      .map((e) => ({
        incidentId: e.incidentId,
        number: e.number,
        summary: e.summary,
        providerName: e.providerName,
        providerRef: e.providerRef,
        respondBy: e.respondBy,
      })),
    ...(week ? { week } : {}),
  };
}

/** The person's home as it is now, with `notice` (the answer to what they just did) under its top. */
export async function homeAnswer(
  ctx: HomeCtx,
  hasSpocChannel: boolean,
  notice?: readonly Section[],
): Promise<Presentation> {
  return presentHome(await homeInput(ctx, hasSpocChannel), notice);
}
