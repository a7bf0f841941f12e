/** The service report command: the same for Slack, the command line and any other adapter. */

import { knownFixFigures } from '../../db/queries/known-fixes';
import { reportSatisfaction } from '../../db/queries/ratings';
import { reportEscalations, reportIncidents } from '../../db/queries/reports';
import { loadSchoolClock } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { schoolToday } from '../school-time';
import { parsePeriod, periodBounds } from './period';
import { computeServiceReport, type ServiceReport, TOP_FIXES } from './service-report';

export interface ServiceReportInput {
  /** What was typed: `week`, `last-week`, `term`, `last-term` or `YYYY-MM-DD..YYYY-MM-DD`. */
  period: string;
}

/**
 * The caller's school's service report for a period, as at now. Office and admin only; its
 * satisfaction per technician only for those who may see it (`report.byPerson`).
 */
export async function serviceReport(ctx: Ctx, input: ServiceReportInput): Promise<Result<ServiceReport>> {
  if (!can(ctx.actor.role, 'report.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['report.view']);
  const schoolId = ctx.actor.schoolId;
  const clock = await loadSchoolClock(ctx.db, schoolId);
  if (!clock) throw new Error(`school ${schoolId} not found`);
  const now = ctx.clock.now();
  const parsed = parsePeriod(
    input.period,
    schoolToday(now, clock.calendar.timezone),
    clock.calendar.holidays,
  );
  if (!parsed.ok) return fail('VALIDATION', parsed.reason, { period: parsed.reason });
  const { startAt, endAt } = periodBounds(parsed.period, clock.calendar.timezone);
  const [incidents, escalations, asked, knownFixes] = await Promise.all([
    reportIncidents(ctx.db, schoolId, startAt, endAt),
    reportEscalations(ctx.db, schoolId, startAt, endAt),
    reportSatisfaction(ctx.db, schoolId, startAt, endAt),
    knownFixFigures(ctx.db, schoolId, startAt, endAt, TOP_FIXES),
  ]);
  return ok(
    computeServiceReport({
      schoolName: clock.school.name,
      period: parsed.period,
      calendar: clock.calendar,
      sla: clock.sla,
      now,
      incidents,
      escalations,
      asked,
      // Satisfaction per technician, and the comments, are the office's: never a technician's.
      byPerson: can(ctx.actor.role, 'report.byPerson'),
      knownFixes,
    }),
  );
}
