/**
 * On hold: the incident waits for parts or for the person affected, and its SLA clock is paused
 * meanwhile. Resuming adds the school minutes it was held to the paused total, so the deadlines
 * move back by exactly that much.
 */
import { openEscalationOf, updateEscalation } from '../../db/queries/escalations';
import { loadSchoolClock } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { refuseUnstorable } from '../registers/validate';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { addSchoolMinutes, schoolDayMinutes } from '../school-time';
import { type ChangeOutput, changeIncident } from './change-incident';
import { endHold } from './sla';

export const HOLD_REASONS = ['parts', 'user', 'other'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** How each reason reads on the card and to the reporter. */
export const HOLD_REASON_TEXT: Record<Exclude<HoldReason, 'other'>, string> = {
  parts: 'Waiting for parts',
  user: 'Waiting for a reply from the person who reported it',
};

export const HOLD_DETAIL_MAX = 500;

export interface HoldIncidentInput {
  incidentId: string;
  reason: HoldReason;
  /** Required for `other`: what it is waiting for. Added to the others as a detail. */
  detail?: string;
}

export interface ResumeIncidentInput {
  incidentId: string;
}

/** Puts an incident on hold with a reason, pausing its SLA clock; the reporter is told. Technicians, office, admin. */
export async function holdIncident(ctx: Ctx, input: HoldIncidentInput): Promise<Result<ChangeOutput>> {
  const unstorable = refuseUnstorable({ detail: input.detail });
  if (unstorable) return unstorable;
  const detail = input.detail?.trim() ?? '';
  if (!HOLD_REASONS.includes(input.reason))
    return fail('VALIDATION', 'Choose what it is waiting for.', { reason: 'Choose what it is waiting for.' });
  if (input.reason === 'other' && detail.length < 3)
    return fail('VALIDATION', 'Say what it is waiting for.', { detail: 'Say what it is waiting for.' });
  if (detail.length > HOLD_DETAIL_MAX)
    return fail('VALIDATION', 'That is too long.', {
      detail: `Keep it under ${HOLD_DETAIL_MAX} characters.`,
    });
  const holdReason =
    input.reason === 'other' ? detail : `${HOLD_REASON_TEXT[input.reason]}${detail ? ` (${detail})` : ''}`;
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.hold',
    action: 'hold',
    // A double click: already on hold.
    precheck: async (incident) => (incident.status === 'on_hold' ? 'unchanged' : undefined),
    build: (incident, _to, now) => ({
      // Putting it on hold is a response: someone looked and knows what it waits for.
      values: { onHoldSince: now, holdReason, firstResponseAt: incident.firstResponseAt ?? now },
      kind: 'on_hold',
      data: { reason: input.reason, note: holdReason },
      notifyReporter: 'on_hold',
    }),
  });
}

/**
 * Takes an incident off hold: the school minutes it was held are added to its paused total and it
 * goes back to work — in progress, or back with the provider when an escalation is still open.
 * Resuming one that is not on hold changes nothing (a double click). Technicians, office, admin.
 */
export async function resumeIncident(ctx: Ctx, input: ResumeIncidentInput): Promise<Result<ChangeOutput>> {
  const { actor } = ctx;
  if (!can(actor.role, 'incident.hold')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.hold']);
  // Where it goes back to depends on an open escalation; checked again under the lock.
  const withProvider =
    isUuid(input.incidentId) && !!(await openEscalationOf(ctx.db, actor.schoolId, input.incidentId));
  let held: ReturnType<typeof endHold> | undefined;
  let dayMinutes = 480;
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.hold',
    action: withProvider ? 'resume_escalated' : 'resume',
    precheck: async (incident, tx) => {
      if (incident.status !== 'on_hold') return 'unchanged';
      const open = await openEscalationOf(tx, actor.schoolId, incident.id);
      if (!!open !== withProvider) {
        throw new DomainFailure({
          code: 'INCIDENT.ILLEGAL_TRANSITION',
          message: 'It changed while you were looking at it. Please try again.',
        });
      }
      const clock = await loadSchoolClock(tx, actor.schoolId);
      if (!clock) throw new Error(`school ${actor.schoolId} not found`);
      held = endHold(clock.calendar, incident, ctx.clock.now());
      const paused = held.heldMinutes;
      dayMinutes = schoolDayMinutes(clock.calendar);
      // The provider's answer is not due while the incident was waiting on something else.
      if (open?.respondBy && !open.respondedAt && paused > 0) {
        await updateEscalation(tx, actor.schoolId, open.id, {
          respondBy: addSchoolMinutes(clock.calendar, open.respondBy, paused),
        });
      }
      return undefined;
    },
    build: (incident) => ({
      values: held?.values ?? {},
      kind: 'resumed',
      data: {
        pausedMinutes: held?.heldMinutes ?? 0,
        dayMinutes,
        ...(incident.holdReason ? { reason: incident.holdReason } : {}),
      },
    }),
  });
}
