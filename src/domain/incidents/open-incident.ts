import { getIncidentDetail, type IncidentDetail } from '../../db/queries/incidents';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { fail, ok, type Result } from '../result';
import { can, FORBIDDEN, type Permission } from '../roles';
import { NOT_FOUND_MESSAGE } from './change-incident';

export interface OpenIncidentInput {
  incidentId: string;
  /** What the caller is about to do; refused now rather than after they fill a form. */
  permission: Permission;
}

/** Loads an incident of the caller's school for a staff form (triage, resolve, close). */
export async function openIncidentFor(ctx: Ctx, input: OpenIncidentInput): Promise<Result<IncidentDetail>> {
  if (!can(ctx.actor.role, input.permission)) return fail('AUTH.FORBIDDEN', FORBIDDEN[input.permission]);
  const incident = isUuid(input.incidentId)
    ? await getIncidentDetail(ctx.db, ctx.actor.schoolId, input.incidentId)
    : undefined;
  if (!incident) return fail('INCIDENT.NOT_FOUND', NOT_FOUND_MESSAGE);
  return ok(incident);
}
