import { getPerson, lockAdmins, setPersonRole } from '../../db/queries/people';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN, type Role } from '../roles';
import { inTransaction } from '../transaction';

export interface SetRoleInput {
  /** The person whose role changes (already identified in the actor's school). */
  personId: string;
  role: Role;
}

export interface SetRoleOutput {
  personId: string;
  displayName: string;
  from: Role;
  to: Role;
}

/** Grants a role. Admins only; the school always keeps at least one admin. */
export async function setRole(ctx: Ctx, input: SetRoleInput): Promise<Result<SetRoleOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'school.roles')) return fail('AUTH.FORBIDDEN', FORBIDDEN['school.roles']);
  if (!isUuid(input.personId)) return fail('PERSON.NOT_FOUND', 'I could not find that person.');
  return inTransaction(ctx.db, async (tx) => {
    const admins = await lockAdmins(tx, actor.schoolId);
    const person = await getPerson(tx, actor.schoolId, input.personId);
    if (!person)
      throw new DomainFailure({ code: 'PERSON.NOT_FOUND', message: 'I could not find that person.' });
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
