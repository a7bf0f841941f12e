/** What every Teams command needs: the database, the clock and the logger. */
import type { TurnContext } from 'botbuilder';
import type { Db } from '../../../db/client';
import type { Clock } from '../../../domain/clock';
import type { Ctx } from '../../../domain/context';
import { code } from '../../../domain/presenters/presentation';
import { type Identified, identifyTeamsUser } from '../../../domain/schools/identify';
import type { Logger } from '../../../log';
import { renderText } from '../render/adaptive-card';

export interface TeamsDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Sends what a command wrote to the outbox soon (cards, notices), rather than at the next poll. */
  kick?: () => void;
}

interface ChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string };
}

export function channelDataOf(context: TurnContext): ChannelData {
  return (context.activity.channelData ?? {}) as ChannelData;
}

/** The Teams channel a message was said in (not its thread), or undefined outside a team's channel. */
export function teamsChannelOf(context: TurnContext): string | undefined {
  const { conversation } = context.activity;
  if (conversation?.conversationType !== 'channel') return undefined;
  const data = channelDataOf(context);
  if (!data.team?.id) return undefined;
  return data.channel?.id ?? conversation.id.split(';')[0];
}

/**
 * Who is speaking, as a command context; or the sentence to answer with when SPOC cannot tell
 * which school (a personal chat in a tenant with several schools, say).
 */
export async function teamsContext(
  deps: TeamsDeps,
  context: TurnContext,
): Promise<{ ok: true; ctx: Ctx & Identified } | { ok: false; message: string }> {
  const { activity } = context;
  const data = channelDataOf(context);
  const tenantId = activity.conversation?.tenantId ?? data.tenant?.id;
  const aadObjectId = activity.from?.aadObjectId;
  if (!tenantId || !aadObjectId) {
    return { ok: false, message: "I can't tell who you are from this message, so I can't help here." };
  }
  const identified = await identifyTeamsUser(deps.db, deps.clock, {
    tenantId,
    teamId: data.team?.id,
    teamName: data.team?.name,
    aadObjectId,
    userId: activity.from.id,
    userName: activity.from.name,
  });
  if (!identified.ok) return { ok: false, message: identified.error.message };
  return { ok: true, ctx: { db: deps.db, clock: deps.clock, ...identified.value } };
}

/** Words to type, set apart as code in a markdown reply (as the `code` span renders them). */
export const markdownCode = (text: string): string => renderText([code(text)]);

/** Sends a markdown reply. */
export async function say(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({ type: 'message', text, textFormat: 'markdown' });
}
