import { getProvider } from '../../db/queries/supply';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { isPersonNamed, type PersonRef } from '../people';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { assignIncident } from './assign-incident';
import { type ChangeOutput, changeIncident } from './change-incident';
import { alreadySubmitted, submissionData } from './submission';

export interface ForwardIncidentInput {
  incidentId: string;
  /** A named technician (a Slack user of the school's workspace, or a person of the school)… */
  technician?: PersonRef;
  /** …or a first-level provider from the providers register. One or the other. */
  providerId?: string;
  /** The form submission this comes from (the Slack view id): a retried submit is recorded once. */
  submissionKey?: string;
}

/**
 * The SPOC forwards an incident to first-level support: a named technician (told by DM with the
 * card's link) or a first-level provider from the register (an outside technician company).
 * Either way it is assigned and waiting for them to start. Office and admin only.
 */
export async function forwardIncident(ctx: Ctx, input: ForwardIncidentInput): Promise<Result<ChangeOutput>> {
  if (!can(ctx.actor.role, 'incident.triage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.triage']);
  const technician = isPersonNamed(input.technician) ? input.technician : undefined;
  const providerId = input.providerId?.trim() || undefined;
  if (technician && providerId) {
    return fail('VALIDATION', 'Choose a technician or a provider, not both.', {
      providerId: 'Choose a technician or a provider, not both.',
    });
  }
  if (!technician && !providerId) {
    return fail('VALIDATION', 'Choose who to forward it to.', {
      assignee: 'Choose a technician, or a first-level provider below.',
    });
  }
  if (technician)
    return assignIncident(ctx, {
      incidentId: input.incidentId,
      assignee: technician,
      submissionKey: input.submissionKey,
    });

  const schoolId = ctx.actor.schoolId;
  let provider = { id: '', name: '' };
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.triage',
    action: 'assign',
    precheck: async (incident, tx) => {
      if (await alreadySubmitted(tx, incident, input.submissionKey)) return 'unchanged';
      const found =
        providerId && isUuid(providerId) ? await getProvider(tx, schoolId, providerId) : undefined;
      if (!found) {
        throw new DomainFailure({
          code: 'VALIDATION',
          message: 'Choose a provider from the register.',
          fields: { providerId: 'Choose a provider from the register.' },
        });
      }
      if (found.level !== 'first') {
        throw new DomainFailure({
          code: 'VALIDATION',
          message: `${found.name} is not first-level support: escalate to them instead.`,
          fields: { providerId: `${found.name} is not first-level support: use Escalate for them.` },
        });
      }
      provider = { id: found.id, name: found.name };
      // A double click: it is already with them, waiting.
      if (incident.status === 'assigned' && incident.providerId === found.id && !incident.assigneeId)
        return 'unchanged';
      return undefined;
    },
    build: (incident, _to, now) => ({
      values: {
        providerId: provider.id,
        providerRef: null,
        supportLevel: 'first',
        assigneeId: null,
        firstResponseAt: incident.firstResponseAt ?? now,
      },
      kind: 'forwarded',
      data: {
        provider: { id: provider.id, name: provider.name },
        ...(incident.assigneeId ? { assignee: { from: incident.assigneeId, to: null } } : {}),
        ...submissionData(input.submissionKey),
      },
    }),
  });
}
