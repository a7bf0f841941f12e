import {
  ensureSlackPerson,
  ensureTeamsPerson,
  getPerson,
  lockAdmins,
  setPersonRole,
} from '../../db/queries/people';
import { lockSchool } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN, type Role, SCHOOL_ROLES } from '../roles';
import { inTransaction } from '../transaction';

export interface SetRoleInput {
  /**
   * Whose role changes: a person of the actor's school, or a Slack user of the school's workspace,
   * or a Teams user (by Entra object id) of the school's team (recorded as a person if SPOC has
   * not met them yet).
   */
  target:
    | { personId: string }
    | { slackUserId: string; displayName?: string }
    | { teamsUserId: string; displayName?: string };
  role: Role;
}

export interface SetRoleOutput {
  personId: string;
  displayName: string;
  from: Role;
  to: Role;
}

const NOT_FOUND = 'I could not find that person.';

/** Grants a role. Admins only; the school always keeps at least one admin. */
export async function setRole(ctx: Ctx, input: SetRoleInput): Promise<Result<SetRoleOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'school.roles')) return fail('AUTH.FORBIDDEN', FORBIDDEN['school.roles']);
  const { target } = input;
  if ('personId' in target && !isUuid(target.personId)) return fail('PERSON.NOT_FOUND', NOT_FOUND);
  return inTransaction(ctx.db, async (tx) => {
    // School first, then people: the lock order every school-wide change uses.
    const school = await lockSchool(tx, actor.schoolId);
    // The authority's staff act for its member schools: the role means something only in its own workspace.
    if (input.role === 'authority' && school?.kind !== 'authority') {
      throw new DomainFailure({
        code: 'VALIDATION',
        message:
          "Only an authority's own workspace gives the role authority; here a person is teacher, technician, office or admin.",
      });
    }
    const admins = await lockAdmins(tx, actor.schoolId);
    const person =
      'personId' in target
        ? await getPerson(tx, actor.schoolId, target.personId)
        : 'slackUserId' in target
          ? await ensureSlackPerson(
              tx,
              actor.schoolId,
              target.slackUserId,
              target.displayName ?? '',
              clock.now(),
            )
          : await ensureTeamsPerson(
              tx,
              actor.schoolId,
              target.teamsUserId,
              target.displayName ?? '',
              clock.now(),
            );
    if (!person) throw new DomainFailure({ code: 'PERSON.NOT_FOUND', message: NOT_FOUND });
    if (person.role === 'admin' && input.role !== 'admin' && admins.length <= 1) {
      throw new DomainFailure({
        code: 'SCHOOL.LAST_ADMIN',
        message: 'The school needs at least one admin: make someone else admin first.',
      });
    }
    if (person.role !== input.role)
      await setPersonRole(tx, actor.schoolId, person.id, input.role, clock.now());
    return { personId: person.id, displayName: person.displayName, from: person.role, to: input.role };
  });
}

/**
 * How the role command is used, for its usage line on each platform ("/spoc role", "@SPOC spoc
 * role"), the command set apart by the platform's own markup (`code`, as `bold` below); without
 * it, plain words (no raw backticks where a platform shows text as it is).
 */
export function roleUsage(command: string, code: (text: string) => string = (t) => t): string {
  return `Usage: ${code(`${command} @person ${SCHOOL_ROLES.join('|')}`)} — mention the person with @.`;
}

/** The answer to a role change, decided once: `who` and `bold` are the platform's. */
export function roleChangedSentence(
  who: string,
  out: Pick<SetRoleOutput, 'from' | 'to'>,
  bold: (text: string) => string,
): string {
  return out.from === out.to
    ? `${who} is already ${out.to}.`
    : `${who} is now ${bold(out.to)} (was ${out.from}).`;
}
