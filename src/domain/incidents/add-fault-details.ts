/**
 * "Add details": the reporter of a fault made from their chat message (a ticket by reaction)
 * fills in the fault form for it — what is wrong, where, which device, who is affected, how
 * urgent — and that incident is brought up to date, not a new one made. The details are theirs
 * to give until someone picks the fault up: once it is triaged, claimed or passed on, the ICT
 * team's judgement stands and the reporter adds a comment instead.
 */
import { getIncidentDetail, type IncidentDetail } from '../../db/queries/incidents';
import { getSchool } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { type ChangeOutput, changeIncident, NOT_FOUND_MESSAGE } from './change-incident';
import { priorityOf } from './priority';
import { formatReference } from './reference';
import { checkFaultFields, type FaultFields, faultPlace } from './report-fault';
import { type SlaTargets, slaTargetsOf } from './sla';
import { alreadySubmitted, submissionData } from './submission';

export interface AddFaultDetailsInput extends FaultFields {
  /** The reporter's own incident. */
  incidentId: string;
  /** The form submission (the Slack view id): a retried submit is recorded once. */
  submissionKey?: string;
}

/** Why the details can no longer be changed by the reporter. */
export function detailsTakenText(number: number): string {
  return `${formatReference(number)} has already been picked up, so the ICT team has its details now. Add a comment to it instead.`;
}

/**
 * The incident whose details the actor is about to fill in, for the form to open with: their own
 * fault, not yet picked up. Anything else is refused, in the words the form's submit would use.
 */
export async function faultForDetails(ctx: Ctx, incidentId: string): Promise<Result<IncidentDetail>> {
  const { actor } = ctx;
  if (!can(actor.role, 'incident.report')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.report']);
  const incident = isUuid(incidentId)
    ? await getIncidentDetail(ctx.db, actor.schoolId, incidentId)
    : undefined;
  if (!incident) return fail('INCIDENT.NOT_FOUND', NOT_FOUND_MESSAGE);
  if (incident.reporterId !== actor.personId)
    return fail('AUTH.FORBIDDEN', 'Only the person who reported a fault can add its details.');
  if (incident.status !== 'new')
    return fail('INCIDENT.ILLEGAL_TRANSITION', detailsTakenText(incident.number));
  return { ok: true, value: incident };
}

/**
 * Brings the reporter's own untouched incident up to date with the form: its summary, details,
 * location, device, impact and urgency (so its priority, and the targets the school publishes for
 * that priority). Recorded as one history event (`details_added`, what changed from → to) and
 * shown on the card and in its thread.
 */
export async function addFaultDetails(ctx: Ctx, input: AddFaultDetailsInput): Promise<Result<ChangeOutput>> {
  const { actor } = ctx;
  if (!can(actor.role, 'incident.report')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.report']);
  const { summary, description, fields } = checkFaultFields(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  let targets: SlaTargets | undefined;
  let place: Awaited<ReturnType<typeof faultPlace>> | undefined;
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.report',
    // Recorded without moving the incident (as a comment is); the precheck keeps it to `new`.
    action: 'note',
    precheck: async (incident, tx) => {
      if (incident.reporterId !== actor.personId) {
        throw new DomainFailure({
          code: 'AUTH.FORBIDDEN',
          message: 'Only the person who reported a fault can add its details.',
        });
      }
      if (await alreadySubmitted(tx, incident, input.submissionKey)) return 'unchanged';
      if (incident.status !== 'new') {
        throw new DomainFailure({
          code: 'INCIDENT.ILLEGAL_TRANSITION',
          message: detailsTakenText(incident.number),
        });
      }
      place = await faultPlace(tx, actor.schoolId, input);
      targets = slaTargetsOf((await getSchool(tx, actor.schoolId))?.slaTargets);
      return undefined;
    },
    build: (incident) => {
      const location = place?.location;
      const asset = place?.asset;
      const impact = input.impact ?? location?.defaultImpact ?? incident.impact;
      const priority = priorityOf(impact, input.urgency);
      const values = {
        summary,
        description,
        locationId: location?.id ?? null,
        assetId: asset?.id ?? null,
        impact,
        urgency: input.urgency,
        priority,
        // A new priority brings the targets the school publishes for it today.
        ...(priority !== incident.priority && targets
          ? {
              slaRespondMinutes: targets[priority].respondMinutes,
              slaResolveMinutes: targets[priority].resolveMinutes,
            }
          : {}),
      };
      const data: Record<string, unknown> = {};
      for (const key of ['summary', 'locationId', 'assetId', 'impact', 'urgency', 'priority'] as const) {
        if (incident[key] !== values[key]) data[key] = { from: incident[key], to: values[key] };
      }
      if (incident.description !== description) data.description = true;
      if (location && incident.locationId !== location.id) data.locationName = location.name;
      if (asset && incident.assetId !== asset.id) data.assetTag = asset.tag;
      return { values, kind: 'details_added', data: { ...data, ...submissionData(input.submissionKey) } };
    },
  });
}
