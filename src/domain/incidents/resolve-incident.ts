import type { Ctx } from '../context';
import { refuseUnstorable } from '../registers/validate';
import { fail, type Result } from '../result';
import { type ChangeOutput, changeIncident } from './change-incident';
import { CATEGORIES, type Category } from './priority';

export interface ResolveIncidentInput {
  incidentId: string;
  /** What was done to fix it, in words the reporter understands. */
  resolution: string;
  /** Set the category if triage never did. */
  category?: Category;
}

export const RESOLUTION_MAX = 3000;

/** Marks an incident fixed and tells the reporter. Technicians, office and admin. */
export async function resolveIncident(ctx: Ctx, input: ResolveIncidentInput): Promise<Result<ChangeOutput>> {
  const { actor } = ctx;
  const unstorable = refuseUnstorable({ resolution: input.resolution });
  if (unstorable) return unstorable;
  const resolution = input.resolution.trim();
  if (resolution.length < 3) {
    return fail('VALIDATION', 'Please say what was done.', { resolution: 'Say what was done to fix it.' });
  }
  if (resolution.length > RESOLUTION_MAX) {
    return fail('VALIDATION', 'That is too long.', {
      resolution: `Keep it under ${RESOLUTION_MAX} characters.`,
    });
  }
  if (input.category && !CATEGORIES.includes(input.category)) {
    return fail('VALIDATION', 'Please check the category.', { category: 'Choose a category.' });
  }
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.resolve',
    action: 'resolve',
    build: (incident, _to, now) => ({
      values: {
        resolution,
        resolvedAt: now,
        // Whoever fixes an unowned incident owns the fix.
        assigneeId: incident.assigneeId ?? actor.personId,
        firstResponseAt: incident.firstResponseAt ?? now,
        category: incident.category ?? input.category ?? null,
      },
      kind: 'resolved',
      data: {
        resolution,
        ...(input.category && !incident.category ? { category: { from: null, to: input.category } } : {}),
      },
      notifyReporter: 'resolved',
    }),
  });
}
