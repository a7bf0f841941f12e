/**
 * A ticket from any message: reacting with the school's ticket emoji (🎫 unless `/spoc settings`
 * names another) to a message in a channel SPOC is in makes that message an incident, its author
 * the reporter, the reactor recorded (`ticketFromMessage`). Slack sends `reaction_added` for every
 * reaction SPOC can see, so anything but the ticket emoji is dropped after one read, silently.
 *
 * Ignored, silently: a reaction in a DM with SPOC (`/fault` is there), on SPOC's own messages (its
 * cards and notices are already incidents or about them), SPOC's own reactions (Bolt drops them),
 * and a message already made an incident (whoever reacts, whenever). Refused, and the reactor told
 * privately why: someone who is not a person of this workspace (of another organisation in a
 * shared channel, or a deactivated account); a bot or an app is not told.
 */
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../../../db/unavailable';
import {
  isTicketReaction,
  ticketFromMessage,
  ticketOfMessage,
} from '../../../domain/incidents/ticket-from-message';
import { errorRef } from '../../../log';
import type { SlackDeps } from '../deps';
import { contextFor } from '../identity';
import { plainFromSlack } from '../views/format';
import { apologyText } from '../views/replies.view';

const ReactionAdded = z.object({
  type: z.literal('reaction_added'),
  user: z.string().min(1),
  reaction: z.string().min(1),
  item_user: z.string().optional(),
  item: z.object({
    type: z.literal('message'),
    channel: z.string().min(1),
    ts: z.string().min(1),
    channel_type: z.string().optional(),
  }),
});
type Reaction = z.infer<typeof ReactionAdded>;

/** What the reactor is told when they are not someone SPOC takes reports from here. */
export const NOT_A_MEMBER =
  'Only people of this school’s Slack workspace can make a ticket from a message here, so I did not log it.';
/** What the reactor is told when SPOC cannot read the message it was asked to log. */
export const CANNOT_READ =
  'I can’t read that message, so I did not log it. Use the message’s ⋯ menu → Report ICT fault instead.';

/** What the reactor is told when the database did not answer. */
export const TRY_AGAIN =
  'I could not log that message just now. Take your reaction off and add it again in a minute.';

const Member = z.object({
  user: z.object({
    id: z.string(),
    team_id: z.string().optional(),
    is_bot: z.boolean().optional(),
    deleted: z.boolean().optional(),
    is_stranger: z.boolean().optional(),
    enterprise_user: z.object({ enterprise_id: z.string().optional() }).optional(),
  }),
});

/**
 * Whether a Slack user is a person of the workspace (or of its Grid organisation): `bot` for a
 * bot or an app, `stranger` for anyone of another organisation or a deactivated account.
 */
async function membershipOf(
  client: WebClient,
  userId: string,
  workspace: { teamId: string; enterpriseId?: string },
): Promise<'member' | 'bot' | 'stranger'> {
  const parsed = Member.safeParse(await client.users.info({ user: userId }));
  if (!parsed.success) return 'stranger';
  const { user } = parsed.data;
  if (user.is_bot || userId === 'USLACKBOT') return 'bot';
  if (user.deleted || user.is_stranger) return 'stranger';
  const ours =
    user.team_id === workspace.teamId ||
    (workspace.enterpriseId !== undefined && user.enterprise_user?.enterprise_id === workspace.enterpriseId);
  return ours ? 'member' : 'stranger';
}

const HistoryMessage = z.object({
  ts: z.string(),
  text: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  thread_ts: z.string().optional(),
  team: z.string().optional(),
  user_team: z.string().optional(),
});
type HistoryMessage = z.infer<typeof HistoryMessage>;

/** Slack errors that mean SPOC may not read the conversation. */
const UNREADABLE = [
  'not_in_channel',
  'channel_not_found',
  'missing_scope',
  'thread_not_found',
  'is_archived',
];

/**
 * The message reacted to: from the channel's history (latest = oldest = its ts, inclusive, one),
 * else, for a reply in a thread (which the history does not list), from its thread. Undefined
 * when Slack will not show it.
 */
async function readMessage(
  client: WebClient,
  channel: string,
  ts: string,
): Promise<HistoryMessage | undefined> {
  const pick = (messages: unknown[] | undefined) =>
    (messages ?? []).map((m) => HistoryMessage.safeParse(m)).find((m) => m.success && m.data.ts === ts)?.data;
  try {
    const range = { channel, latest: ts, oldest: ts, inclusive: true, limit: 1 };
    const history = await client.conversations.history(range);
    return pick(history.messages) ?? pick((await client.conversations.replies({ ...range, ts })).messages);
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code && UNREADABLE.includes(code)) return undefined;
    throw error;
  }
}

/** The message's author, when they are a person of this workspace (not a bot, an app or a stranger). */
function authorOf(message: HistoryMessage, reaction: Reaction, teamId: string): string | undefined {
  if (message.bot_id || message.subtype === 'bot_message') return undefined;
  const author = message.user ?? reaction.item_user;
  const team = message.user_team ?? message.team;
  return author && (!team || team === teamId) ? author : undefined;
}

export function registerTicketReactions(app: App, deps: SlackDeps): void {
  app.event('reaction_added', async ({ event, body, context, client }) => {
    const parsed = ReactionAdded.safeParse(event);
    const teamId = context.teamId ?? (body as { team_id?: string }).team_id;
    if (!parsed.success || !teamId) return;
    const reaction = parsed.data;
    const { channel, ts } = reaction.item;
    // One read for every reaction SPOC sees; all but the school's ticket emoji end here.
    if (!(await isTicketReaction(deps.db, teamId, reaction.reaction))) return;
    if (reaction.item.channel_type === 'im' || channel.startsWith('D')) return;
    if (reaction.item_user !== undefined && reaction.item_user === context.botUserId) return;

    const tell = async (text: string) => {
      try {
        await client.chat.postEphemeral({ channel, user: reaction.user, text });
      } catch (error) {
        deps.log.warn({ teamId, err: String(error) }, 'could not tell the reactor why no ticket was made');
      }
    };
    try {
      const membership = await membershipOf(client, reaction.user, {
        teamId,
        enterpriseId: context.enterpriseId,
      });
      if (membership !== 'member') {
        deps.log.info({ teamId, membership }, 'ticket reaction by someone who may not report: ignored');
        if (membership === 'stranger') await tell(NOT_A_MEMBER);
        return;
      }
      const reactor = await contextFor(deps, { teamId, userId: reaction.user });
      // Already an incident: nothing changes, and nothing is said (the message shows its ✅).
      if (await ticketOfMessage(reactor, { channel, ts })) return;
      const message = await readMessage(client, channel, ts);
      if (!message) return await tell(CANNOT_READ);
      const authorUserId = authorOf(message, reaction, teamId);
      const author =
        authorUserId && authorUserId !== reaction.user
          ? await contextFor(deps, { teamId, userId: authorUserId })
          : undefined;
      const result = await ticketFromMessage(reactor, {
        channel,
        ts,
        threadTs: message.thread_ts,
        text: plainFromSlack(message.text ?? ''),
        authorId: authorUserId ? (author?.actor.personId ?? reactor.actor.personId) : undefined,
      });
      if (!result.ok) return await tell(result.error.message);
      if (result.value.duplicate) return;
      deps.log.info(
        { schoolId: reactor.actor.schoolId, incidentId: result.value.incident.id },
        'ticket made from a message',
      );
      deps.kick();
    } catch (error) {
      // Slack does not send an event again once it is acknowledged: the reactor is asked to.
      if (isDatabaseUnavailable(error)) {
        deps.log.warn({ teamId }, 'the database did not answer: a ticket reaction was not logged');
        return await tell(TRY_AGAIN);
      }
      const ref = errorRef();
      deps.log.error({ err: error, ref, teamId }, 'ticket from a reaction failed');
      await tell(apologyText(ref));
    }
  });
}
