/**
 * The authority's staff at work on what a member school escalated to it: open the incident, record
 * an update (the provider's update, as the school's office would record one) and hand it back.
 *
 * A school is named by its name (or the start of it, when only one member school starts so) or its
 * id, an incident by its reference (`INC-12`). Only a school `readableSchools` gives, and only an
 * incident whose open escalation is to this authority (a provider row of the school that stands
 * for it), is found; anything else is "not found", whatever it names. The change itself runs in the
 * member school through the same command its office uses, with the authority's person as the
 * actor in the role `authority`.
 */
import { authorityProviderOf, incidentByNumberIn, readableSchoolRows } from '../../db/queries/authority';
import { loadIncidentLive, openEscalationOf } from '../../db/queries/escalations';
import { getIncidentDetail, listIncidentEvents } from '../../db/queries/incidents';
import type { SchoolRow } from '../../db/queries/schools';
import type { Ctx } from '../context';
import type { ChangeOutput } from '../incidents/change-incident';
import { handBackIncident, recordProviderUpdate } from '../incidents/provider-update';
import { formatReference, parseReference } from '../incidents/reference';
import { fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { NOT_AN_AUTHORITY } from './overview';
import { readableSchools } from './readable';

export interface AuthorityIncidentInput {
  /** The member school, as typed: its name, the start of its name, or its id. */
  school: string;
  /** The incident's reference, e.g. `INC-12`. */
  reference: string;
}

export interface EscalatedToAuthority {
  school: Pick<SchoolRow, 'id' | 'name' | 'timezone'>;
  incidentId: string;
  number: number;
  /** The member school's provider row standing for the authority. */
  providerId: string;
}

const NO_SCHOOL = 'None of your member schools is called that.';

/** Finds a member school by what was typed, among the schools the actor may read. */
async function memberSchool(ctx: Ctx, typed: string): Promise<Result<SchoolRow>> {
  const readable = await readableSchools(ctx.db, ctx.actor);
  if (!readable.asAuthority) return fail('AUTH.FORBIDDEN', NOT_AN_AUTHORITY);
  const rows = await readableSchoolRows(ctx.db, readable);
  const words = typed.trim().toLowerCase();
  if (!words) return fail('VALIDATION', NO_SCHOOL);
  const exact = rows.filter((r) => r.id === words || r.name.toLowerCase() === words);
  const starts = rows.filter((r) => r.name.toLowerCase().startsWith(words));
  const found = exact.length === 1 ? exact : starts;
  if (found.length === 1 && found[0]) return ok(found[0]);
  if (found.length > 1)
    return fail(
      'VALIDATION',
      `"${typed.trim()}" could be ${found.map((r) => r.name).join(' or ')}: say more of its name.`,
    );
  return fail('INCIDENT.NOT_FOUND', NO_SCHOOL);
}

/** The member school's incident escalated to this authority and not yet handed back. */
export async function findEscalatedToAuthority(
  ctx: Ctx,
  input: AuthorityIncidentInput,
): Promise<Result<EscalatedToAuthority>> {
  const { actor, db } = ctx;
  if (!can(actor.role, 'authority.act')) return fail('AUTH.FORBIDDEN', FORBIDDEN['authority.act']);
  const school = await memberSchool(ctx, input.school);
  if (!school.ok) return school;
  const number = parseReference(input.reference);
  const notYours = `${number === null ? 'That incident' : formatReference(number)} at ${school.value.name} is not escalated to you.`;
  if (number === null) return fail('INCIDENT.NOT_FOUND', notYours);
  const readable = await readableSchools(db, actor);
  const incident = await incidentByNumberIn(db, readable, school.value.id, number);
  if (!incident) return fail('INCIDENT.NOT_FOUND', notYours);
  const [provider, open] = await Promise.all([
    authorityProviderOf(db, school.value.id, actor.schoolId),
    openEscalationOf(db, school.value.id, incident.id),
  ]);
  if (!provider || open?.providerId !== provider.id) return fail('INCIDENT.NOT_FOUND', notYours);
  return ok({
    school: { id: school.value.id, name: school.value.name, timezone: school.value.timezone },
    incidentId: incident.id,
    number,
    providerId: provider.id,
  });
}

/** The member school's context with the authority's person acting in it, in the role `authority`. */
function inMemberSchool(ctx: Ctx, schoolId: string): Ctx {
  return { ...ctx, actor: { ...ctx.actor, schoolId, role: 'authority' } };
}

/** Opens an incident escalated to the authority: the incident, its escalations and its history. */
export async function openAuthorityIncident(ctx: Ctx, input: AuthorityIncidentInput) {
  const found = await findEscalatedToAuthority(ctx, input);
  if (!found.ok) return found;
  const { school, incidentId } = found.value;
  const [incident, events, live] = await Promise.all([
    getIncidentDetail(ctx.db, school.id, incidentId),
    listIncidentEvents(ctx.db, school.id, incidentId),
    loadIncidentLive(ctx.db, school.id, incidentId, ctx.clock.now()),
  ]);
  if (!incident) return fail('INCIDENT.NOT_FOUND', 'That incident is not escalated to you.');
  return ok({ school, incident, events, live });
}

export interface AuthorityUpdateInput extends AuthorityIncidentInput {
  note: string;
  /** The authority's own reference for it, when it has one. */
  providerRef?: string;
}

/** Records the authority's update on an incident escalated to it (its first counts as the response). */
export async function recordAuthorityUpdate(
  ctx: Ctx,
  input: AuthorityUpdateInput,
): Promise<Result<ChangeOutput & { school: EscalatedToAuthority['school'] }>> {
  const found = await findEscalatedToAuthority(ctx, input);
  if (!found.ok) return found;
  const { school, incidentId, providerId } = found.value;
  const done = await recordProviderUpdate(inMemberSchool(ctx, school.id), {
    incidentId,
    note: input.note,
    ...(input.providerRef ? { providerRef: input.providerRef } : {}),
    authorityProviderId: providerId,
  });
  return done.ok ? ok({ ...done.value, school }) : done;
}

/** Hands an incident escalated to the authority back to its school. */
export async function handBackFromAuthority(
  ctx: Ctx,
  input: AuthorityIncidentInput & { note?: string },
): Promise<Result<ChangeOutput & { school: EscalatedToAuthority['school'] }>> {
  const found = await findEscalatedToAuthority(ctx, input);
  if (!found.ok) return found;
  const { school, incidentId, providerId } = found.value;
  const done = await handBackIncident(inMemberSchool(ctx, school.id), {
    incidentId,
    ...(input.note ? { note: input.note } : {}),
    authorityProviderId: providerId,
  });
  return done.ok ? ok({ ...done.value, school }) : done;
}
