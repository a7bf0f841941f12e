import { and, asc, eq, or, sql } from 'drizzle-orm';
import { type SlaTargets, slaTargetsOf } from '../../domain/incidents/sla';
import { makeCalendar, type SchoolCalendar } from '../../domain/school-time';
import type { Db } from '../client';
import { locations, people, schoolHolidays, schools, slackInstallations } from '../schema';

export type SchoolRow = typeof schools.$inferSelect;

/** Presets seeded for each new school, with the impact a fault there usually has. */
export const PRESET_LOCATIONS: ReadonlyArray<{
  name: string;
  defaultImpact?: 'department' | 'whole_school';
}> = [
  { name: 'ICT suite', defaultImpact: 'department' },
  { name: 'Library' },
  { name: 'School office' },
  { name: 'Staff room' },
  { name: 'Hall' },
  { name: 'Reception' },
  { name: 'Server room', defaultImpact: 'whole_school' },
];

export async function findSchoolBySlackTeam(db: Db, teamId: string): Promise<SchoolRow | undefined> {
  const [row] = await db.select().from(schools).where(eq(schools.slackTeamId, teamId));
  return row;
}

/** How many schools there are besides the one of this Slack team (Teams schools included). */
export async function countSchoolsBesides(db: Db, slackTeamId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(schools)
    .where(sql`${schools.slackTeamId} is distinct from ${slackTeamId}`);
  return row?.n ?? 0;
}

export async function getSchool(db: Db, id: string): Promise<SchoolRow | undefined> {
  const [row] = await db.select().from(schools).where(eq(schools.id, id));
  return row;
}

/**
 * Finds the school of a Slack workspace, creating it (with preset locations) on first contact.
 * Concurrent first contacts race on the unique team id; the loser reads the winner's row.
 */
export async function ensureSlackSchool(db: Db, teamId: string, name: string, now: Date): Promise<SchoolRow> {
  const existing = await findSchoolBySlackTeam(db, teamId);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(schools)
      .values({ name, slackTeamId: teamId, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      const winner = await findSchoolBySlackTeam(tx, teamId);
      if (!winner) throw new Error(`school for team ${teamId} vanished`);
      return winner;
    }
    await seedPresetLocations(tx, created.id, now);
    return created;
  });
}

/** The Enterprise Grid organisation of a Slack workspace's school, when SPOC has seen it. */
export async function slackEnterpriseOf(db: Db, teamId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ enterpriseId: schools.slackEnterpriseId })
    .from(schools)
    .where(eq(schools.slackTeamId, teamId));
  return row?.enterpriseId ?? undefined;
}

/**
 * Stores the Enterprise Grid organisation of a Slack workspace's school, unless it is stored
 * already. Says whether the workspace has a school yet, and its id when the organisation was
 * stored now.
 */
export async function recordSlackEnterprise(
  db: Db,
  teamId: string,
  enterpriseId: string,
): Promise<{ found: boolean; stored?: string }> {
  const [stored] = await db
    .update(schools)
    .set({ slackEnterpriseId: enterpriseId })
    .where(
      and(
        eq(schools.slackTeamId, teamId),
        sql`${schools.slackEnterpriseId} is distinct from ${enterpriseId}`,
      ),
    )
    .returning({ id: schools.id });
  if (stored) return { found: true, stored: stored.id };
  return { found: (await findSchoolBySlackTeam(db, teamId)) !== undefined };
}

/** A Slack workspace (`teamId`), or every workspace of an Enterprise Grid organisation. */
export type SlackInstallScope = { teamId: string } | { enterpriseId: string };

/** The schools of a scope: a workspace's, or an organisation's (and one keyed by the organisation itself). */
function schoolsIn(scope: SlackInstallScope) {
  return 'teamId' in scope
    ? eq(schools.slackTeamId, scope.teamId)
    : or(eq(schools.slackEnterpriseId, scope.enterpriseId), eq(schools.slackTeamId, scope.enterpriseId));
}

/**
 * Marks the schools of a workspace, or of an organisation, as uninstalled from Slack at `now`
 * (the first time counts). An organisation's workspace with an installation of its own keeps
 * it and is not marked. Nothing else of theirs is touched. Returns the schools marked now.
 */
export async function markSlackUninstalled(db: Db, scope: SlackInstallScope, now: Date): Promise<string[]> {
  const ownInstall = sql`exists (select 1 from ${slackInstallations} where ${slackInstallations.key} = 'T:' || ${schools.slackTeamId})`;
  const rows = await db
    .update(schools)
    .set({ slackUninstalledAt: now })
    .where(
      and(
        schoolsIn(scope),
        sql`${schools.slackUninstalledAt} is null`,
        'teamId' in scope ? undefined : sql`not ${ownInstall}`,
      ),
    )
    .returning({ id: schools.id });
  return rows.map((r) => r.id);
}

/**
 * SPOC was installed in a workspace, or an organisation: its schools are no longer marked
 * uninstalled. Returns every school of the scope, saying which had been marked.
 */
export async function clearSlackUninstalled(
  db: Db,
  scope: SlackInstallScope,
): Promise<Array<{ id: string; wasUninstalled: boolean }>> {
  const marked = await db
    .update(schools)
    .set({ slackUninstalledAt: null })
    .where(and(schoolsIn(scope), sql`${schools.slackUninstalledAt} is not null`))
    .returning({ id: schools.id });
  const all = await db.select({ id: schools.id }).from(schools).where(schoolsIn(scope));
  const was = new Set(marked.map((r) => r.id));
  return all.map((r) => ({ id: r.id, wasUninstalled: was.has(r.id) }));
}

/**
 * Records that Slack was asked for a workspace's name (`team.info`) at `now`. The name it gave
 * replaces the school's only while the school is still called `madeUp`, the name the caller knows
 * SPOC gave it; a name changed meanwhile is kept. With no name (Slack failed or said nothing), only
 * the time is recorded. Returns the school as now stored.
 */
export async function recordSlackSchoolName(
  db: Db,
  schoolId: string,
  name: string | undefined,
  madeUp: string,
  now: Date,
): Promise<SchoolRow | undefined> {
  const [row] = await db
    .update(schools)
    .set({
      nameCheckedAt: now,
      ...(name
        ? { name: sql`case when ${schools.name} = ${madeUp} then ${name} else ${schools.name} end` }
        : {}),
    })
    .where(eq(schools.id, schoolId))
    .returning();
  return row;
}

/** Seeds a new school's preset locations (inside the transaction that created it). */
async function seedPresetLocations(tx: Db, schoolId: string, now: Date): Promise<void> {
  await tx.insert(locations).values(
    PRESET_LOCATIONS.map((p) => ({
      schoolId,
      name: p.name,
      nameKey: p.name.trim().toLowerCase(),
      preset: true,
      defaultImpact: p.defaultImpact ?? null,
      createdAt: now,
    })),
  );
}

export async function findSchoolByTeamsTeam(
  db: Db,
  tenantId: string,
  teamId: string,
): Promise<SchoolRow | undefined> {
  const [row] = await db
    .select()
    .from(schools)
    .where(and(eq(schools.teamsTenantId, tenantId), eq(schools.teamsTeamId, teamId)));
  return row;
}

/** Up to `limit` schools of a Teams tenant (a trust may hold several), oldest first. */
export async function schoolsOfTeamsTenant(db: Db, tenantId: string, limit = 2): Promise<SchoolRow[]> {
  return db
    .select()
    .from(schools)
    .where(eq(schools.teamsTenantId, tenantId))
    .orderBy(asc(schools.createdAt))
    .limit(limit);
}

/**
 * Finds the school of a Teams team, creating it (with preset locations) on first contact, as
 * `ensureSlackSchool` does for a workspace. Concurrent first contacts race on the unique
 * (tenant, team); the loser reads the winner's row.
 */
export async function ensureTeamsSchool(
  db: Db,
  tenantId: string,
  teamId: string,
  name: string,
  now: Date,
): Promise<SchoolRow> {
  const existing = await findSchoolByTeamsTeam(db, tenantId, teamId);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(schools)
      .values({ name, teamsTenantId: tenantId, teamsTeamId: teamId, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      const winner = await findSchoolByTeamsTeam(tx, tenantId, teamId);
      if (!winner) throw new Error(`school for Teams team ${teamId} vanished`);
      return winner;
    }
    await seedPresetLocations(tx, created.id, now);
    return created;
  });
}

export async function setTeamsChannel(db: Db, schoolId: string, channelId: string): Promise<void> {
  await db.update(schools).set({ teamsChannelId: channelId }).where(eq(schools.id, schoolId));
}

export async function setSlackChannel(db: Db, schoolId: string, channelId: string): Promise<void> {
  await db.update(schools).set({ slackChannelId: channelId }).where(eq(schools.id, schoolId));
}

export interface SchoolSummary extends SchoolRow {
  people: number;
  admins: number;
}

export async function listSchools(db: Db): Promise<SchoolSummary[]> {
  const rows = await db
    .select({
      school: schools,
      people: sql<number>`count(${people.id})::int`,
      admins: sql<number>`count(${people.id}) filter (where ${people.role} = 'admin')::int`,
    })
    .from(schools)
    .leftJoin(people, eq(people.schoolId, schools.id))
    .groupBy(schools.id)
    .orderBy(asc(schools.createdAt), asc(schools.name));
  return rows.map((r) => ({ ...r.school, people: r.people, admins: r.admins }));
}

/**
 * Locks the school row for the rest of the transaction. Commands that change school-wide state
 * take it first, so they queue behind each other and always lock in the same order (school, then
 * people) as reporting does.
 */
export async function lockSchool(tx: Db, schoolId: string): Promise<SchoolRow | undefined> {
  const [row] = await tx.select().from(schools).where(eq(schools.id, schoolId)).for('update');
  return row;
}

/** Takes the school row lock and hands out the next incident number (rolled back with the transaction). */
export async function allocateIncidentNumber(tx: Db, schoolId: string): Promise<number> {
  const [row] = await tx
    .update(schools)
    .set({ nextIncidentNumber: sql`${schools.nextIncidentNumber} + 1` })
    .where(eq(schools.id, schoolId))
    .returning({ next: schools.nextIncidentNumber });
  if (!row) throw new Error(`school ${schoolId} not found`);
  return row.next - 1;
}

/** What a `--school` reference names: one school, none, or several (never one picked of them). */
export type SchoolLookup =
  | { found: SchoolRow; several?: undefined }
  | { found?: undefined; several: SchoolRow[] }
  | { found?: undefined; several?: undefined };

/**
 * The school a reference names (the command line's `--school`): its id, its Slack team id, its
 * Teams team id, or its Teams tenant id when that tenant holds only this school. A tenant (a
 * trust) may hold several schools, and a reference matching more than one school names them all
 * in `several`, for the caller to ask which.
 */
export async function findSchool(db: Db, ref: string): Promise<SchoolLookup> {
  // An Entra tenant id is a UUID too: a school's own id is looked for first.
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)) {
    const byId = await getSchool(db, ref);
    if (byId) return { found: byId };
  }
  const rows = await db
    .select()
    .from(schools)
    .where(or(eq(schools.slackTeamId, ref), eq(schools.teamsTeamId, ref), eq(schools.teamsTenantId, ref)))
    .orderBy(asc(schools.createdAt), asc(schools.id));
  const [only] = rows;
  if (rows.length === 1 && only) return { found: only };
  return rows.length > 1 ? { several: rows } : {};
}

export interface SchoolClock {
  school: SchoolRow;
  /** School days and hours, with the school's own holidays. */
  calendar: SchoolCalendar;
  /** The school's SLA targets over the defaults. */
  sla: SlaTargets;
}

/** A school with its calendar and SLA targets: what any school-time arithmetic needs. */
export async function loadSchoolClock(db: Db, schoolId: string): Promise<SchoolClock | undefined> {
  const school = await getSchool(db, schoolId);
  if (!school) return undefined;
  const holidays = await db.select().from(schoolHolidays).where(eq(schoolHolidays.schoolId, schoolId));
  return {
    school,
    calendar: makeCalendar({
      timezone: school.timezone,
      dayStart: school.dayStart,
      dayEnd: school.dayEnd,
      holidays: holidays.map((h) => ({ start: h.startDate, end: h.endDate, name: h.name })),
    }),
    sla: slaTargetsOf(school.slaTargets),
  };
}
