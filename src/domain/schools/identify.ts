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
  recordSlackPersonName,
  teamsPeopleInTenant,
} from '../../db/queries/people';
import {
  ensureSlackSchool,
  ensureTeamsSchool,
  getSchool,
  recordSlackSchoolName,
  type SchoolRow,
  schoolsOfTeamsTenant,
} from '../../db/queries/schools';
import type { Clock } from '../clock';
import type { Actor } from '../context';
import { fail, type Result } from '../result';

export interface SlackIdentity {
  teamId: string;
  /** The workspace's domain the payload carries, used to name a new school until Slack says its name. */
  teamName?: string;
  userId: string;
  /** The handle the payload carries: the person's name until Slack says a better one. */
  userName?: string;
}

export interface Identified {
  school: SchoolRow;
  person: PersonRow;
  actor: Actor;
}

/**
 * Where the names people recognise come from: Slack's `users.info` and `team.info`, asked by the
 * bot layer. Each answers the name, or undefined when Slack gave none; it never throws (a failure
 * is the bot layer's to log) and answers within a short bound.
 */
export interface SlackNames {
  person(userId: string): Promise<string | undefined>;
  school(teamId: string): Promise<string | undefined>;
}

/** How long a name Slack gave (or failed to give) is kept before Slack is asked again. */
export const SLACK_NAME_TTL_MS = 24 * 60 * 60 * 1000;

const due = (checkedAt: Date | null, now: Date) =>
  !checkedAt || now.getTime() - checkedAt.getTime() >= SLACK_NAME_TTL_MS;

/**
 * The school and person behind a Slack user, created on first contact. With `names`, a person or
 * school first seen, or whose name was last asked for over a day ago, is named from Slack (the
 * person's display name, else real name, else handle; the workspace's name), and when it was
 * asked is stored whatever the answer, so Slack is asked at most daily. A school's name is
 * replaced only while it is the one SPOC made up (the workspace's domain or id, or a name Slack
 * gave before): a school's name cannot be set in its settings, so no admin's name is overwritten.
 *
 * Read-mostly: someone already known whose name stands is read (the school, then the person) and
 * nothing is written; a write comes only with a first contact, a better name, or the daily lookup.
 */
export async function identifySlackUser(
  db: Db,
  clock: Clock,
  who: SlackIdentity,
  names?: SlackNames,
): Promise<Identified> {
  const now = clock.now();
  const madeUp = who.teamName || who.teamId;
  let school = await ensureSlackSchool(db, who.teamId, madeUp, now);
  let person = await ensureSlackPerson(db, school.id, who.userId, who.userName ?? '', now);
  if (names) {
    const askSchool = due(school.nameCheckedAt, now);
    const askPerson = due(person.nameCheckedAt, now);
    const [schoolName, personName] = await Promise.all([
      askSchool ? names.school(who.teamId) : undefined,
      askPerson ? names.person(who.userId) : undefined,
    ]);
    if (askSchool) {
      const ours = school.nameCheckedAt !== null || school.name === madeUp || school.name === who.teamId;
      const stored = await recordSlackSchoolName(
        db,
        school.id,
        ours ? schoolName : undefined,
        school.name,
        now,
      );
      if (stored) school = stored;
    }
    if (askPerson) {
      const stored = await recordSlackPersonName(db, school.id, person.id, personName, now);
      if (stored) person = stored;
    }
  }
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
