/**
 * Which schools an actor may read: the one place that says so. Every authority query takes its
 * answer (`ReadableSchools`), which nothing else can make, so no query can be given a school the
 * actor may not read.
 *
 * - A school's own people read their own school, and nothing else.
 * - In an authority's own workspace (a school row of kind `authority`), its staff (the role
 *   `authority`, or its admin) read the authority's member schools; anyone else there reads none.
 */

import type { Db } from '../../db/client';
import { memberSchoolIdsOf } from '../../db/queries/authority';
import { getSchool } from '../../db/queries/schools';
import type { Actor } from '../context';
import { can } from '../roles';

declare const READABLE: unique symbol;

/** School ids as `readableSchools` gave them for one actor. */
export interface ReadableSchools {
  readonly ids: readonly string[];
  /** Whether the actor reads as an authority (its member schools) rather than as their own school's person. */
  readonly asAuthority: boolean;
  readonly [READABLE]: true;
}

const readable = (ids: readonly string[], asAuthority: boolean) =>
  ({ ids: [...ids], asAuthority }) as unknown as ReadableSchools;

/** The schools `actor` may read. */
export async function readableSchools(db: Db, actor: Actor): Promise<ReadableSchools> {
  const own = await getSchool(db, actor.schoolId);
  if (!own) return readable([], false);
  if (own.kind !== 'authority') return readable([own.id], false);
  if (!can(actor.role, 'authority.view')) return readable([], true);
  return readable(await memberSchoolIdsOf(db, own.id), true);
}

/** Whether `schoolId` is one of them. */
export const mayRead = (schools: ReadableSchools, schoolId: string): boolean =>
  schools.ids.includes(schoolId);
