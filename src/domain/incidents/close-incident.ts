import type { Ctx } from '../context';
import { refuseUnstorable } from '../registers/validate';
import { DomainFailure, fail, type Result } from '../result';
import { type ChangeOutput, changeIncident } from './change-incident';

export interface CloseIncidentInput {
  incidentId: string;
  /** Why; required when closing an incident that was never resolved (a duplicate, not a fault). */
  note?: string;
}

/** Closes an incident for good. Office and admin only. */
export async function closeIncident(ctx: Ctx, input: CloseIncidentInput): Promise<Result<ChangeOutput>> {
  const unstorable = refuseUnstorable({ note: input.note });
  if (unstorable) return unstorable;
  const note = input.note?.trim() ?? '';
  if (note.length > 3000)
    return fail('VALIDATION', 'That is too long.', { note: 'Keep it under 3000 characters.' });
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.close',
    action: 'close',
    precheck: async (incident) => {
      if (incident.status !== 'resolved' && incident.status !== 'closed' && note.length < 3) {
        throw new DomainFailure({
          code: 'VALIDATION',
          message: 'Say why you are closing an incident that was not resolved.',
          fields: { note: 'Say why it is being closed without a fix (e.g. duplicate of INC-3).' },
        });
      }
      return undefined;
    },
    build: (incident, _to, now) => ({
      values: { closedAt: now },
      kind: 'closed',
      data: note ? { note } : {},
      // A reporter whose fault was closed without a fix deserves to know why.
      notifyReporter: incident.status === 'resolved' ? undefined : 'closed',
    }),
  });
}
