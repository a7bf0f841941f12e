/**
 * Teams conversation references: where SPOC can speak in Teams, kept in Postgres so any process
 * can send there after a restart. Written on every incoming activity.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { schools, TEAMS_CONVERSATION_KINDS, teamsConversations } from '../schema';

export type TeamsConversationKind = (typeof TEAMS_CONVERSATION_KINDS)[number];
export type TeamsConversationRow = typeof teamsConversations.$inferSelect;

export interface TeamsConversationInput {
  tenantId: string;
  teamId?: string;
  conversationId: string;
  kind: TeamsConversationKind;
  aadObjectId?: string;
  userId?: string;
  /** A channel's name, when the activity says it (a later activity without one keeps the stored name). */
  name?: string;
  reference: Record<string, unknown>;
  /** False when the bot was uninstalled or removed there. */
  installed?: boolean;
}

export function isTeamsConversationKind(value: unknown): value is TeamsConversationKind {
  return TEAMS_CONVERSATION_KINDS.includes(value as TeamsConversationKind);
}

/**
 * The school a conversation belongs to: a channel or group chat of a school's team is that
 * school's; a personal chat (or a chat with no team) is the school's when its tenant holds
 * exactly one school; otherwise none yet.
 */
export async function schoolForTeamsConversation(
  db: Db,
  tenantId: string,
  teamId: string | undefined,
): Promise<string | undefined> {
  if (teamId) {
    const [row] = await db
      .select({ id: schools.id })
      .from(schools)
      .where(and(eq(schools.teamsTenantId, tenantId), eq(schools.teamsTeamId, teamId)));
    if (row) return row.id;
  }
  const rows = await db
    .select({ id: schools.id })
    .from(schools)
    .where(eq(schools.teamsTenantId, tenantId))
    .limit(2);
  return rows.length === 1 ? rows[0]?.id : undefined;
}

/**
 * Stores the reference, or brings the stored one up to date (Teams may move a conversation to
 * another service URL). A school once known is kept when a later activity cannot tell it.
 */
export async function saveTeamsConversation(
  db: Db,
  input: TeamsConversationInput,
  now: Date,
): Promise<TeamsConversationRow> {
  const schoolId = await schoolForTeamsConversation(db, input.tenantId, input.teamId);
  const values = {
    schoolId: schoolId ?? null,
    tenantId: input.tenantId,
    teamId: input.teamId ?? null,
    conversationId: input.conversationId,
    kind: input.kind,
    aadObjectId: input.aadObjectId ?? null,
    userId: input.userId ?? null,
    name: input.name ?? null,
    reference: input.reference,
    installed: input.installed ?? true,
    createdAt: now,
    updatedAt: now,
  };
  const [row] = await db
    .insert(teamsConversations)
    .values(values)
    .onConflictDoUpdate({
      target: teamsConversations.conversationId,
      set: {
        schoolId: sql`coalesce(excluded.school_id, ${teamsConversations.schoolId})`,
        tenantId: values.tenantId,
        teamId: sql`coalesce(excluded.team_id, ${teamsConversations.teamId})`,
        kind: values.kind,
        aadObjectId: sql`coalesce(excluded.aad_object_id, ${teamsConversations.aadObjectId})`,
        userId: sql`coalesce(excluded.user_id, ${teamsConversations.userId})`,
        name: sql`coalesce(excluded.name, ${teamsConversations.name})`,
        reference: values.reference,
        installed: values.installed,
        updatedAt: now,
      },
    })
    .returning();
  if (!row) throw new Error('teams conversation not saved');
  return row;
}

export async function findTeamsConversation(
  db: Db,
  conversationId: string,
): Promise<TeamsConversationRow | undefined> {
  const [row] = await db
    .select()
    .from(teamsConversations)
    .where(eq(teamsConversations.conversationId, conversationId));
  return row;
}

/** A person's personal chat with the bot, by their Entra object id in their tenant (the latest). */
export async function findPersonalTeamsConversation(
  db: Db,
  tenantId: string,
  aadObjectId: string,
): Promise<TeamsConversationRow | undefined> {
  const [row] = await db
    .select()
    .from(teamsConversations)
    .where(
      and(
        eq(teamsConversations.tenantId, tenantId),
        eq(teamsConversations.aadObjectId, aadObjectId),
        eq(teamsConversations.kind, 'personal'),
        eq(teamsConversations.installed, true),
      ),
    )
    .orderBy(desc(teamsConversations.updatedAt))
    .limit(1);
  return row;
}

/** Where a team's channel is: the tenant and the team (a school's `teams_tenant_id` and `teams_team_id`). */
export interface TeamsTeam {
  tenantId: string;
  teamId: string;
}

const ofTeam = (team: TeamsTeam) =>
  and(
    eq(teamsConversations.tenantId, team.tenantId),
    eq(teamsConversations.teamId, team.teamId),
    eq(teamsConversations.kind, 'channel'),
    eq(teamsConversations.installed, true),
  );

/** The channels of a team SPOC has heard from and may post in, by name (unnamed last). */
export async function listTeamChannels(db: Db, team: TeamsTeam): Promise<TeamsConversationRow[]> {
  return db
    .select()
    .from(teamsConversations)
    .where(ofTeam(team))
    .orderBy(sql`${teamsConversations.name} asc nulls last`, teamsConversations.conversationId);
}

/** One of a team's channels SPOC may post in, by its channel id; none when it is another team's or unknown. */
export async function findTeamChannel(
  db: Db,
  team: TeamsTeam,
  conversationId: string,
): Promise<TeamsConversationRow | undefined> {
  const [row] = await db
    .select()
    .from(teamsConversations)
    .where(and(ofTeam(team), eq(teamsConversations.conversationId, conversationId)));
  return row;
}
