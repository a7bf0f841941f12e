/**
 * Turns platform identities into SPOC's own: a Slack workspace is a school (created with its
 * preset locations on first contact), a Slack user is a person of that school (a teacher until an
 * admin says otherwise).
 */
import type { Db } from '../../db/client';
import { ensureSlackPerson, type PersonRow } from '../../db/queries/people';
import { ensureSlackSchool, type SchoolRow } from '../../db/queries/schools';
import type { Clock } from '../clock';
import type { Actor } from '../context';

export interface SlackIdentity {
  teamId: string;
  /** Workspace name or domain, used to name a new school. */
  teamName?: string;
  userId: string;
  /** Best name the payload carries; refreshed on every contact. */
  userName?: string;
}

export interface Identified {
  school: SchoolRow;
  person: PersonRow;
  actor: Actor;
}

export async function identifySlackUser(db: Db, clock: Clock, who: SlackIdentity): Promise<Identified> {
  const now = clock.now();
  const school = await ensureSlackSchool(db, who.teamId, who.teamName || who.teamId, now);
  const person = await ensureSlackPerson(db, school.id, who.userId, who.userName ?? '', now);
  return { school, person, actor: actorOf(person) };
}

export function actorOf(person: PersonRow): Actor {
  return {
    schoolId: person.schoolId,
    personId: person.id,
    role: person.role,
    displayName: person.displayName || 'someone',
  };
}
