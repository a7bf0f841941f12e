import { getSchool } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { fail, type Result } from '../result';
import { type ChangeOutput, changeIncident } from './change-incident';
import { onCallForChange } from './on-call';
import {
  CATEGORIES,
  type Category,
  IMPACTS,
  type Impact,
  priorityOf,
  URGENCIES,
  type Urgency,
} from './priority';
import { type SlaTargets, slaTargetsOf } from './sla';

export interface TriageIncidentInput {
  incidentId: string;
  /** How widely the fault is felt; with urgency it sets the priority. */
  impact: Impact;
  urgency: Urgency;
  category: Category;
}

/** The SPOC sets impact, urgency (hence priority) and category. Office and admin only. */
export async function triageIncident(ctx: Ctx, input: TriageIncidentInput): Promise<Result<ChangeOutput>> {
  const fields: Record<string, string> = {};
  if (!IMPACTS.includes(input.impact)) fields.impact = 'Choose who is affected.';
  if (!URGENCIES.includes(input.urgency)) fields.urgency = 'Choose how urgent it is.';
  if (!CATEGORIES.includes(input.category)) fields.category = 'Choose a category.';
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  const priority = priorityOf(input.impact, input.urgency);
  let schoolTargets: SlaTargets | undefined;
  let onCall: string | null = null;
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.triage',
    action: 'triage',
    // The school's current targets, read in the same transaction as the change.
    precheck: async (incident, tx) => {
      schoolTargets = slaTargetsOf((await getSchool(tx, ctx.actor.schoolId))?.slaTargets);
      // A P1 out of school time goes to the on-call person at once (once per incident).
      if (priority === 'P1') {
        const outOfHours = await onCallForChange(tx, ctx.actor.schoolId, {
          incidentId: incident.id,
          priority,
          actorId: ctx.actor.personId,
          reporterId: incident.reporterId,
          now: ctx.clock.now(),
        });
        onCall = outOfHours.tell;
      }
      return undefined;
    },
    build: (incident, _to, now) => {
      const data: Record<string, unknown> = {};
      for (const key of ['impact', 'urgency', 'priority', 'category'] as const) {
        const to = key === 'priority' ? priority : input[key];
        if (incident[key] !== to) data[key] = { from: incident[key], to };
      }
      // A new priority brings the targets the school publishes for it today.
      const retarget = incident.priority !== priority || incident.slaRespondMinutes === null;
      const targets = retarget ? schoolTargets?.[priority] : undefined;
      return {
        values: {
          impact: input.impact,
          urgency: input.urgency,
          priority,
          category: input.category,
          firstResponseAt: incident.firstResponseAt ?? now,
          ...(targets
            ? { slaRespondMinutes: targets.respondMinutes, slaResolveMinutes: targets.resolveMinutes }
            : {}),
        },
        kind: 'triaged',
        data: onCall ? { ...data, onCallTold: onCall } : data,
        ...(onCall ? { notifyPerson: { personId: onCall, event: 'on_call' as const } } : {}),
      };
    },
  });
}
