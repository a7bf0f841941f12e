import { getPerson } from '../../db/queries/people';
import type { Ctx } from '../context';
import { DomainFailure, type Result } from '../result';
import { type ChangeOutput, changeIncident } from './change-incident';
import { isOpen } from './state-machine';

export interface ClaimIncidentInput {
  /** The incident to take on. */
  incidentId: string;
}

/**
 * A technician (or office/admin) takes an incident: it becomes theirs and in progress. The first
 * claim wins; a later or concurrent one is told who has it. Claiming your own twice changes nothing.
 */
export async function claimIncident(ctx: Ctx, input: ClaimIncidentInput): Promise<Result<ChangeOutput>> {
  const { actor } = ctx;
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.claim',
    action: 'claim',
    precheck: async (incident, tx) => {
      // A closed or resolved incident is refused by the state machine, whoever had it.
      if (!incident.assigneeId || !isOpen(incident.status)) return undefined;
      if (incident.assigneeId === actor.personId) {
        return incident.status === 'in_progress' ? 'unchanged' : undefined;
      }
      // Assigned to someone else: it is theirs unless it came back reopened with nobody on it.
      const holder = await getPerson(tx, actor.schoolId, incident.assigneeId);
      throw new DomainFailure({
        code: 'INCIDENT.ALREADY_CLAIMED',
        message: `Already claimed by ${holder?.displayName || 'someone else'}.`,
      });
    },
    build: (incident, _to, now) => ({
      values: { assigneeId: actor.personId, firstResponseAt: incident.firstResponseAt ?? now },
      kind: 'claimed',
      data: { assignee: { from: incident.assigneeId, to: actor.personId } },
      notifyReporter: 'claimed',
    }),
  });
}
