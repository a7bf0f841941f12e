import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Role } from '../../domain/roles';
import type { Db } from '../client';
import { people, schools, teamsConversations } from '../schema';

export type PersonRow = typeof people.$inferSelect;

/** A platform's id for a person: the column it is kept in, and its value. */
type PlatformUser = { slackUserId: string } | { teamsUserId: string };

/**
 * The person behind a platform user in a school: created as a teacher on first contact; the
 * display name is refreshed when the platform tells us a better one. Read-mostly: a person already
 * known whose name stands is read, never written, so a request costs no commit.
 */
async function ensurePerson(
  db: Db,
  schoolId: string,
  user: PlatformUser,
  displayName: string,
  now: Date,
): Promise<PersonRow> {
  const column = 'slackUserId' in user ? people.slackUserId : people.teamsUserId;
  const id = 'slackUserId' in user ? user.slackUserId : user.teamsUserId;
  const find = async () => {
    const [existing] = await db
      .select()
      .from(people)
      .where(and(eq(people.schoolId, schoolId), eq(column, id)));
    return existing;
  };
  // A Slack name SPOC asked Slack for (`users.info`) is better than the handle a payload carries:
  // the handle only fills a name never looked up, or an empty one.
  const known = await find();
  const takesName = (p: PersonRow) =>
    displayName !== '' &&
    p.displayName !== displayName &&
    (!('slackUserId' in user) || p.nameCheckedAt === null || p.displayName === '');
  if (known && !takesName(known)) return known;
  const better =
    'slackUserId' in user ? sql` and (${people.nameCheckedAt} is null or ${people.displayName} = '')` : sql``;
  const [row] = await db
    .insert(people)
    .values({ schoolId, ...user, displayName, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [people.schoolId, column],
      set: {
        displayName: sql`case when excluded.display_name <> '' then excluded.display_name else ${people.displayName} end`,
      },
      setWhere: sql`${people.displayName} is distinct from excluded.display_name and excluded.display_name <> ''${better}`,
    })
    .returning();
  if (row) return row;
  const existing = await find();
  if (!existing) throw new Error('person upsert returned nothing');
  return existing;
}

/** The person behind a Slack user in a school (a teacher on first contact). */
export function ensureSlackPerson(
  db: Db,
  schoolId: string,
  slackUserId: string,
  displayName: string,
  now: Date,
): Promise<PersonRow> {
  return ensurePerson(db, schoolId, { slackUserId }, displayName, now);
}

/**
 * Records that Slack was asked for a person's name (`users.info`) at `now`: with the name it gave,
 * which replaces the stored one, or with none (Slack failed or said nothing), keeping the stored
 * name. Returns the person as now stored.
 */
export async function recordSlackPersonName(
  db: Db,
  schoolId: string,
  personId: string,
  name: string | undefined,
  now: Date,
): Promise<PersonRow | undefined> {
  const [row] = await db
    .update(people)
    .set(name ? { displayName: name, nameCheckedAt: now, updatedAt: now } : { nameCheckedAt: now })
    .where(and(eq(people.schoolId, schoolId), eq(people.id, personId)))
    .returning();
  return row;
}

/**
 * The person behind a Teams user in a school, keyed by `teams_user_id` (SPOC stores the user's
 * Entra object id there: see `identifyTeamsUser`). A teacher on first contact.
 */
export function ensureTeamsPerson(
  db: Db,
  schoolId: string,
  teamsUserId: string,
  displayName: string,
  now: Date,
): Promise<PersonRow> {
  return ensurePerson(db, schoolId, { teamsUserId }, displayName, now);
}

/** The people a Teams user already is in the schools of a tenant (up to two: one, or "several"). */
export async function teamsPeopleInTenant(
  db: Db,
  tenantId: string,
  teamsUserId: string,
): Promise<PersonRow[]> {
  const rows = await db
    .select({ person: people })
    .from(people)
    .innerJoin(schools, eq(schools.id, people.schoolId))
    .where(and(eq(schools.teamsTenantId, tenantId), eq(people.teamsUserId, teamsUserId)))
    .orderBy(asc(people.createdAt))
    .limit(2);
  return rows.map((r) => r.person);
}

export async function getPerson(db: Db, schoolId: string, personId: string): Promise<PersonRow | undefined> {
  const [row] = await db
    .select()
    .from(people)
    .where(and(eq(people.schoolId, schoolId), eq(people.id, personId)));
  return row;
}

export async function setPersonRole(db: Db, schoolId: string, personId: string, role: Role, now: Date) {
  await db
    .update(people)
    .set({ role, updatedAt: now })
    .where(and(eq(people.schoolId, schoolId), eq(people.id, personId)));
}

/** Locks the school's admins, so "the last admin can't step down" holds under concurrency. */
export async function lockAdmins(db: Db, schoolId: string): Promise<PersonRow[]> {
  return db
    .select()
    .from(people)
    .where(and(eq(people.schoolId, schoolId), eq(people.role, 'admin')))
    .orderBy(asc(people.createdAt))
    .for('update');
}

/** The name history shows for changes made from the command line. */
export const COMMAND_LINE_NAME = 'SPOC command line';

/**
 * The school's command-line "person", so changes made there are audited like any other. It holds
 * the office role (enough for the registers), never admin: it must not count as the school's admin
 * nor block the first real person's `/spoc setup`.
 */
export async function ensureCommandLinePerson(db: Db, schoolId: string, now: Date): Promise<PersonRow> {
  const match = and(
    eq(people.schoolId, schoolId),
    eq(people.displayName, COMMAND_LINE_NAME),
    sql`${people.slackUserId} is null and ${people.teamsUserId} is null`,
  );
  const [found] = await db.select().from(people).where(match);
  if (found) return found;
  const [created] = await db
    .insert(people)
    .values({ schoolId, displayName: COMMAND_LINE_NAME, role: 'office', createdAt: now, updatedAt: now })
    .returning();
  if (!created) throw new Error('could not record the command-line person');
  return created;
}

/**
 * The school's staff (technicians, office, admins) by name: the people an incident may be given
 * to. The command-line "person" (no platform id) is nobody to give work to, so it is left out.
 */
export async function listStaffPeople(db: Db, schoolId: string): Promise<PersonRow[]> {
  return db
    .select()
    .from(people)
    .where(
      and(
        eq(people.schoolId, schoolId),
        inArray(people.role, ['technician', 'office', 'admin']),
        sql`(${people.slackUserId} is not null or ${people.teamsUserId} is not null)`,
      ),
    )
    .orderBy(asc(people.displayName), asc(people.createdAt));
}

/**
 * The Teams user ids (`29:…`, the ids a card's `refresh.userIds` takes) of a school's people who
 * hold one of `roles`, at most `limit`, most recently seen first. Teams gives a person's `29:…` id
 * with each message; SPOC keeps it on their personal chat with the bot (`teams_conversations`, by
 * their Entra object id in the school's tenant), whose `updated_at` is their latest activity
 * there. Someone who never opened SPOC's personal chat has no such id stored and is not listed.
 */
export async function teamsUserIdsWithRoles(
  db: Db,
  schoolId: string,
  roles: readonly Role[],
  limit: number,
): Promise<string[]> {
  if (roles.length === 0 || limit <= 0) return [];
  const seen = sql<Date>`max(${teamsConversations.updatedAt})`;
  const rows = await db
    .select({ userId: teamsConversations.userId, seen })
    .from(people)
    .innerJoin(schools, eq(schools.id, people.schoolId))
    .innerJoin(
      teamsConversations,
      and(
        eq(teamsConversations.tenantId, schools.teamsTenantId),
        eq(teamsConversations.aadObjectId, people.teamsUserId),
        eq(teamsConversations.kind, 'personal'),
        isNotNull(teamsConversations.userId),
      ),
    )
    .where(and(eq(people.schoolId, schoolId), inArray(people.role, [...roles])))
    .groupBy(teamsConversations.userId)
    .orderBy(desc(seen), asc(teamsConversations.userId))
    .limit(limit);
  return rows.flatMap((r) => (r.userId ? [r.userId] : []));
}
