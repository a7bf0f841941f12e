import type { Ctx } from '../context';
import { checkFixOnResolve, type SaveFixOnResolve, saveFixFromIncident } from '../known-fixes/from-incident';
import { refuseUnstorable } from '../registers/validate';
import { DomainFailure, fail, type Result } from '../result';
import { inTransaction } from '../transaction';
import { type ChangeOutput, type ChangeSpec, changeIncident } from './change-incident';
import { CATEGORIES, type Category } from './priority';

export interface ResolveIncidentInput {
  incidentId: string;
  /** What was done to fix it, in words the reporter understands. */
  resolution: string;
  /** Set the category if triage never did. */
  category?: Category;
  /**
   * "Save as a known fix": saved from the incident in the same transaction, with a `resolved`
   * use, so teachers reporting a similar fault are offered it.
   */
  knownFix?: SaveFixOnResolve;
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
  const fixFields = input.knownFix ? checkFixOnResolve(input.knownFix) : {};
  if (Object.keys(fixFields).length > 0) {
    return fail('VALIDATION', 'Please check the known fix.', fixFields);
  }
  const spec: ChangeSpec = {
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
  };
  const fix = input.knownFix;
  if (!fix) return changeIncident(ctx, spec);
  return inTransaction(ctx.db, async (tx) => {
    const inTx = { ...ctx, db: tx };
    const changed = await changeIncident(inTx, spec);
    if (!changed.ok) throw new DomainFailure(changed.error);
    const { incident, event } = changed.value;
    if (event) await saveFixFromIncident(tx, inTx, incident, fix, resolution, event.id);
    return changed.value;
  });
}
