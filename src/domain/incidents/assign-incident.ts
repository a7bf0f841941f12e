import type { Ctx } from '../context';
import { type PersonRef, personOf } from '../people';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { type ChangeOutput, changeIncident } from './change-incident';
import { alreadySubmitted, submissionData } from './submission';

const NOT_FOUND = 'I could not find that person.';
const NOT_STAFF = 'Choose a technician or office member from the list.';

export interface AssignIncidentInput {
  incidentId: string;
  /**
   * The technician (or office member) to give it to: a Slack user of the school's workspace, or
   * one of the school's people by id (Teams' choice list).
   */
  assignee: PersonRef;
  /** The form submission this comes from (the Slack view id): a retried submit is recorded once. */
  submissionKey?: string;
}

/**
 * The SPOC gives (forwards) an incident to a named technician ("Forward" on the card, "Reassign"
 * on a stale incident): it is theirs, waiting for them to start, and they are told by DM with a
 * link to the card. Office and admin only.
 */
export async function assignIncident(ctx: Ctx, input: AssignIncidentInput): Promise<Result<ChangeOutput>> {
  if (!can(ctx.actor.role, 'incident.triage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.triage']);
  let assignee = { id: '', name: '', slackUserId: null as string | null };
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.triage',
    action: 'assign',
    precheck: async (incident, tx) => {
      if (await alreadySubmitted(tx, incident, input.submissionKey)) return 'unchanged';
      const person = await personOf(tx, ctx.actor.schoolId, input.assignee, ctx.clock.now());
      // A person id from another school (or none at all) names nobody here.
      if (!person) {
        throw new DomainFailure({
          code: 'PERSON.NOT_FOUND',
          message: NOT_FOUND,
          fields: { assignee: NOT_FOUND },
        });
      }
      if (!can(person.role, 'incident.claim')) {
        throw new DomainFailure({
          code: 'VALIDATION',
          message: `${person.displayName || 'That person'} is not a technician: give them a role first.`,
          // Plain words: the field's message is shown as plain text on every platform.
          fields: { assignee: NOT_STAFF },
        });
      }
      assignee = { id: person.id, name: person.displayName, slackUserId: person.slackUserId };
      // A double click: it is already theirs, waiting for them to start.
      if (incident.status === 'assigned' && incident.assigneeId === person.id) return 'unchanged';
      return undefined;
    },
    build: (incident, _to, now) => ({
      // A named technician is first-line support: any first-level provider it was with is replaced.
      values: {
        assigneeId: assignee.id,
        supportLevel: 'first',
        providerId: null,
        providerRef: null,
        firstResponseAt: incident.firstResponseAt ?? now,
      },
      kind: 'assigned',
      data: {
        assignee: { from: incident.assigneeId, to: assignee.id },
        assigneeName: assignee.name,
        assigneeSlackId: assignee.slackUserId,
        ...submissionData(input.submissionKey),
      },
      notifyPerson: { personId: assignee.id, event: 'assigned' },
    }),
  });
}
