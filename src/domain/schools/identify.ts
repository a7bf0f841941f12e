/**
 * Turns platform identities into SPOC's own: a Slack workspace, or a Teams team in a tenant, is a
 * school (created with its preset locations on first contact); a Slack or Teams user is a person
 * of that school (a teacher until an admin says otherwise).
 */
import type { Db } from '../../db/client';
import {
  ensureSlackPerson,
  ensureTeamsPerson,
  type PersonRow,
  teamsPeopleInTenant,
} from '../../db/queries/people';
import {
  ensureSlackSchool,
  ensureTeamsSchool,
  getSchool,
  type SchoolRow,
  schoolsOfTeamsTenant,
} from '../../db/queries/schools';
import type { Clock } from '../clock';
import type { Actor } from '../context';
import { fail, type Result } from '../result';

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

export interface TeamsIdentity {
  /** The Entra tenant (`conversation.tenantId` / `channelData.tenant.id`). */
  tenantId: string;
  /** The team the message was said in (`channelData.team.id`); none in a personal or group chat. */
  teamId?: string;
  /** The team's name when Teams gives it, to name a new school. */
  teamName?: string;
  /** The user's Entra object id (`from.aadObjectId`). */
  aadObjectId: string;
  /** The user's Teams id (`29:…`), kept by the conversation references, not here. */
  userId: string;
  userName?: string;
}

/** What a person is told when a personal chat cannot say which school they belong to. */
export const TEAMS_SCHOOL_UNKNOWN =
  "I don't know which school you are in yet. Say something to me with @SPOC in a channel of your school's team first, then come back here.";

/**
 * The school and person behind a Teams user. In a channel the team names the school (created on
 * first contact). In a personal chat there is no team: the person's own record in that tenant,
 * else the tenant's only school; with none, or several to choose from, SPOC never guesses and
 * says so.
 *
 * A person is keyed by their Entra object id (`aadObjectId`), stored as `people.teams_user_id`:
 * it is the same in every conversation and every team of the tenant and is what Microsoft Graph
 * knows them by, whereas the `29:…` Teams id is per bot registration.
 */
export async function identifyTeamsUser(
  db: Db,
  clock: Clock,
  who: TeamsIdentity,
): Promise<Result<Identified>> {
  const now = clock.now();
  let school: SchoolRow | undefined;
  if (who.teamId) {
    school = await ensureTeamsSchool(db, who.tenantId, who.teamId, who.teamName || 'Teams school', now);
  } else {
    const known = await teamsPeopleInTenant(db, who.tenantId, who.aadObjectId);
    if (known.length === 1 && known[0]) school = await getSchool(db, known[0].schoolId);
    else if (known.length === 0) {
      const schools = await schoolsOfTeamsTenant(db, who.tenantId, 2);
      if (schools.length === 1) school = schools[0];
    }
  }
  if (!school) return fail('SCHOOL.NOT_SET_UP', TEAMS_SCHOOL_UNKNOWN);
  const person = await ensureTeamsPerson(db, school.id, who.aadObjectId, who.userName ?? '', now);
  return { ok: true, value: { school, person, actor: actorOf(person) } };
}
