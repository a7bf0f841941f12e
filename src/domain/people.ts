/**
 * The people of a school as the incident commands name them. A command that gives work to someone
 * takes a person ref: a Slack user of the school's workspace (Slack's user picker knows no SPOC
 * ids; the person is recorded on first mention), or a SPOC person id (Teams' choice lists, built
 * from `listAssignablePeople`). A person id is looked up in the actor's school only, so another
 * school's person is "not found", never given work here.
 */
import type { Db } from '../db/client';
import { ensureSlackPerson, getPerson, listStaffPeople, type PersonRow } from '../db/queries/people';
import type { Ctx } from './context';
import { isUuid } from './ids';
import { fail, ok, type Result } from './result';
import { can, FORBIDDEN, type Role } from './roles';

/** Someone named in a command: a Slack user of the school's workspace, or a person of the school. */
export type PersonRef = { slackUserId: string; displayName?: string } | { personId: string };

/** A person ref with nothing in it (a blank picker) names nobody. */
export function isPersonNamed(ref: PersonRef | undefined): ref is PersonRef {
  if (!ref) return false;
  return 'personId' in ref ? ref.personId.trim() !== '' : ref.slackUserId.trim() !== '';
}

/**
 * The person a ref names in the school: a Slack user is recorded (as a teacher) on first mention;
 * a person id must be one of the school's people, else nothing.
 */
export async function personOf(
  db: Db,
  schoolId: string,
  ref: PersonRef,
  now: Date,
): Promise<PersonRow | undefined> {
  if ('personId' in ref) return isUuid(ref.personId) ? getPerson(db, schoolId, ref.personId) : undefined;
  return ensureSlackPerson(db, schoolId, ref.slackUserId, ref.displayName ?? '', now);
}

/** One of the people an incident may be given to, for a choice list. */
export interface AssignablePerson {
  personId: string;
  name: string;
  role: Role;
}

/**
 * The school's people who may take an incident (technicians, office and admins), by name, for
 * choosing an assignee where the platform has no user picker of its own (Teams). Staff only: a
 * teacher is not shown the school's staff list.
 */
export async function listAssignablePeople(ctx: Ctx): Promise<Result<AssignablePerson[]>> {
  if (!can(ctx.actor.role, 'incident.viewAll')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.viewAll']);
  const rows = await listStaffPeople(ctx.db, ctx.actor.schoolId);
  return ok(
    rows
      .filter((p) => can(p.role, 'incident.claim'))
      .map((p) => ({ personId: p.id, name: p.displayName || 'Unnamed', role: p.role })),
  );
}
