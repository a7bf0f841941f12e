/**
 * The reporter answers "is it fixed?" (a teacher may confirm or reopen their own
 * reports). "Fixed" closes a resolved incident; "Still broken" reopens it and tells the assignee.
 * Only the person who reported it may answer, whatever their role, and a second press changes
 * nothing: the answer says where the incident stands.
 */
import type { IncidentRow } from '../../db/queries/incidents';
import { listReporterIncidents } from '../../db/queries/reporter';
import type { Ctx } from '../context';
import { DomainFailure, ok, type Result } from '../result';
import { type ChangeOutput, changeIncident } from './change-incident';
import { formatReference } from './reference';
import { type SatisfactionQuestion, satisfactionQuestion } from './satisfaction';

export interface ReporterResponseInput {
  /** The incident the DM or App Home button was about (the button's value). */
  incidentId: string;
}

/**
 * What happened: `confirmed` (closed now as fixed), `reopened` (open again now), or why nothing
 * changed: `already_closed`, `already_open` (reopened before, or never resolved), `not_resolved`
 * ("Fixed" pressed on an incident that is open again).
 */
export type ReporterOutcome = 'confirmed' | 'reopened' | 'already_closed' | 'already_open' | 'not_resolved';

export interface ReporterResponseOutput {
  outcome: ReporterOutcome;
  incident: IncidentRow;
  /** True when this press changed the incident (messages were queued). */
  changed: boolean;
  /**
   * After Fixed: the satisfaction question, asked by the press that closed it and shown until
   * answered (`satisfaction.ts`); otherwise `none`.
   */
  satisfaction: SatisfactionQuestion;
}

function mustBeReporter(ctx: Ctx, incident: IncidentRow): void {
  if (incident.reporterId !== ctx.actor.personId) {
    throw new DomainFailure({
      code: 'AUTH.FORBIDDEN',
      message: `Only the person who reported ${formatReference(incident.number)} can answer for it.`,
    });
  }
}

function outcomeOf(
  result: Result<ChangeOutput>,
  done: ReporterOutcome,
  waiting: ReporterOutcome,
): Result<ReporterResponseOutput> {
  if (!result.ok) return result;
  const { incident, event } = result.value;
  const none: SatisfactionQuestion = { state: 'none' };
  if (event) return ok({ outcome: done, incident, changed: true, satisfaction: none });
  return ok({
    outcome: incident.status === 'closed' ? 'already_closed' : waiting,
    incident,
    changed: false,
    satisfaction: none,
  });
}

/** "Fixed": the reporter confirms the fix, which closes the incident. */
export async function confirmFixed(
  ctx: Ctx,
  input: ReporterResponseInput,
): Promise<Result<ReporterResponseOutput>> {
  const result = await changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.report',
    action: 'close',
    precheck: async (incident) => {
      mustBeReporter(ctx, incident);
      return incident.status === 'resolved' ? undefined : 'unchanged';
    },
    build: (_incident, _to, now) => ({
      values: { closedAt: now },
      kind: 'confirmed',
      data: {},
    }),
  });
  const answered = outcomeOf(result, 'confirmed', 'not_resolved');
  if (!answered.ok) return answered;
  // Closed by their Fixed: how they found it is asked once (and shown until they answer).
  const satisfaction = await satisfactionQuestion(
    ctx.db,
    ctx.actor.schoolId,
    answered.value.incident,
    ctx.actor.personId,
  );
  return ok({ ...answered.value, satisfaction });
}

/** "Still broken": the reporter says the fix did not work; it is open again and the assignee is told. */
export async function reportStillBroken(
  ctx: Ctx,
  input: ReporterResponseInput,
): Promise<Result<ReporterResponseOutput>> {
  const result = await changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.report',
    action: 'reopen',
    precheck: async (incident) => {
      mustBeReporter(ctx, incident);
      return incident.status === 'resolved' ? undefined : 'unchanged';
    },
    build: (incident) => ({
      // Not fixed after all: the resolution clock runs again and the old fix stays in the history.
      // (Resolving released any hold; clearing it again keeps a reopened incident's clock running.)
      values: { resolvedAt: null, resolution: null, onHoldSince: null, holdReason: null },
      kind: 'reopened',
      data: incident.resolution ? { resolution: incident.resolution } : {},
      ...(incident.assigneeId
        ? { notifyPerson: { personId: incident.assigneeId, event: 'reopened' as const } }
        : {}),
    }),
  });
  return outcomeOf(result, 'reopened', 'already_open');
}

export interface MyReports {
  /** Not closed (open or resolved and waiting for an answer), newest first. */
  open: IncidentRow[];
  /** Recently closed, most recently closed first. */
  closed: IncidentRow[];
}

/** The caller's own reports for their App Home: open ones first, then the last few closed. */
export async function listMyReports(ctx: Ctx, limits = { open: 15, closed: 5 }): Promise<Result<MyReports>> {
  return ok(await listReporterIncidents(ctx.db, ctx.actor.schoolId, ctx.actor.personId, limits));
}
