/**
 * Making an authority and its members: operator tasks (`npm run spoc -- authority …`), not chat
 * commands, since they decide who may read a school.
 *
 * An authority is a school row of kind `authority`: either the row of the authority's own Slack
 * workspace or Teams team, once SPOC has met it (`/spoc setup` there), marked as one, so its staff
 * work in chat; or a new row by name, which has no workspace and serves the command line. A school joins one
 * authority at most; joining gives the school a provider row for the authority (level second,
 * `authority_school_id` set), so the school escalates to its authority as to any provider, and an
 * escalation to that provider is what the authority's staff may open, update and hand back.
 */

import type { Db } from '../../db/client';
import {
  authorityProviderOf,
  findAuthoritiesByName,
  insertAuthority,
  providerByNameKey,
  setSchoolAuthority,
  setSchoolKind,
} from '../../db/queries/authority';
import { findSchool, getSchool, lockSchool, type SchoolRow } from '../../db/queries/schools';
import { insertProvider, updateProvider } from '../../db/queries/supply';
import type { Clock } from '../clock';
import { supplyKeyOf } from '../registers/supply-keys';
import { DomainFailure, fail, ok, type Result } from '../result';
import { inTransaction } from '../transaction';

export interface OperatorCtx {
  db: Db;
  clock: Clock;
}

const NAME_MAX = 120;

/** A new authority by name, or an existing school row (its own workspace) made one. */
export async function makeAuthority(
  ctx: OperatorCtx,
  input: { name: string } | { schoolId: string },
): Promise<Result<{ authority: SchoolRow; created: boolean }>> {
  if ('name' in input) {
    const name = input.name.trim();
    if (!name || name.length > NAME_MAX)
      return fail('VALIDATION', `Give the authority a name of 1 to ${NAME_MAX} characters.`);
    if ((await findAuthoritiesByName(ctx.db, name)).length > 0)
      return fail('VALIDATION', `There is already an authority called ${name}.`);
    return inTransaction(ctx.db, async (tx) => ({
      authority: await insertAuthority(tx, name, ctx.clock.now()),
      created: true,
    }));
  }
  return inTransaction(ctx.db, async (tx) => {
    const school = await lockSchool(tx, input.schoolId);
    if (!school) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: 'There is no such school.' });
    if (school.kind === 'authority') return { authority: school, created: false };
    if (school.authorityId)
      throw new DomainFailure({
        code: 'VALIDATION',
        message: `${school.name} is a member of an authority: it cannot be one as well.`,
      });
    await setSchoolKind(tx, school.id, 'authority');
    return { authority: { ...school, kind: 'authority' as const }, created: true };
  });
}

export interface MemberAdded {
  authority: SchoolRow;
  school: SchoolRow;
  /** Already a member: nothing changed. */
  already: boolean;
  /** The school's provider row for the authority, and whether it was one the school had by that name. */
  provider: { id: string; name: string; existing: boolean };
}

/** Makes `schoolId` a member of `authorityId`, with its provider row for the authority. */
export async function addMember(
  ctx: OperatorCtx,
  input: { authorityId: string; schoolId: string },
): Promise<Result<MemberAdded>> {
  if (input.authorityId === input.schoolId)
    return fail('VALIDATION', 'An authority cannot be its own member.');
  return inTransaction(ctx.db, async (tx) => {
    const authority = await lockSchool(tx, input.authorityId);
    const school = await lockSchool(tx, input.schoolId);
    if (authority?.kind !== 'authority')
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'That is not an authority: make it one first.',
      });
    if (!school) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: 'There is no such school.' });
    if (school.kind === 'authority')
      throw new DomainFailure({
        code: 'VALIDATION',
        message: `${school.name} is an authority, not a school.`,
      });
    if (school.authorityId && school.authorityId !== authority.id) {
      const other = await getSchool(tx, school.authorityId);
      throw new DomainFailure({
        code: 'VALIDATION',
        message: `${school.name} is a member of ${other?.name ?? 'another authority'}: remove it there first.`,
      });
    }
    const now = ctx.clock.now();
    let provider = await authorityProviderOf(tx, school.id, authority.id);
    let existing = Boolean(provider);
    if (!provider) {
      const nameKey = supplyKeyOf.provider({ name: authority.name });
      const named = await providerByNameKey(tx, school.id, nameKey);
      provider = named
        ? await updateProvider(tx, school.id, named.id, { authoritySchoolId: authority.id, updatedAt: now })
        : await insertProvider(tx, {
            schoolId: school.id,
            name: authority.name,
            nameKey,
            level: 'second',
            notes: 'Second-level support: the authority this school is a member of.',
            authoritySchoolId: authority.id,
            createdAt: now,
            updatedAt: now,
          });
      existing = Boolean(named);
    }
    if (!provider) throw new Error('the authority provider row was not written');
    const already = school.authorityId === authority.id;
    if (!already) await setSchoolAuthority(tx, school.id, authority.id);
    return {
      authority,
      school: { ...school, authorityId: authority.id },
      already,
      provider: { id: provider.id, name: provider.name, existing },
    };
  });
}

/**
 * Ends a school's membership: its authority's staff read it no more. Its provider row for the
 * authority stays (its escalations' history names it) but no longer stands for the authority.
 */
export async function removeMember(
  ctx: OperatorCtx,
  input: { authorityId: string; schoolId: string },
): Promise<Result<{ school: SchoolRow; was: boolean }>> {
  return inTransaction(ctx.db, async (tx) => {
    const school = await lockSchool(tx, input.schoolId);
    if (!school) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: 'There is no such school.' });
    if (school.authorityId !== input.authorityId) return { school, was: false };
    await setSchoolAuthority(tx, school.id, null);
    const provider = await authorityProviderOf(tx, school.id, input.authorityId);
    if (provider)
      await updateProvider(tx, school.id, provider.id, {
        authoritySchoolId: null,
        updatedAt: ctx.clock.now(),
      });
    return { school: { ...school, authorityId: null }, was: true };
  });
}

/** An authority by id, Slack team, Teams tenant or team (as `--school` takes a school), or by name. */
export async function findAuthority(db: Db, ref: string): Promise<Result<SchoolRow>> {
  const { found, several } = await findSchool(db, ref);
  if (found) {
    return found.kind === 'authority'
      ? ok(found)
      : fail('VALIDATION', `${found.name} is a school, not an authority.`);
  }
  if (several)
    return fail('VALIDATION', `"${ref}" names ${several.length} schools: give the authority's id.`);
  const named = await findAuthoritiesByName(db, ref);
  if (named.length === 1 && named[0]) return ok(named[0]);
  if (named.length > 1) return fail('VALIDATION', `"${ref}" names ${named.length} authorities: give its id.`);
  return fail('REGISTER.NOT_FOUND', `No authority "${ref}": npm run spoc -- schools lists them.`);
}
