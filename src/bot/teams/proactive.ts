/**
 * Messages SPOC sends in Teams outside a request (cards, DMs, reminders), from a reference stored
 * in Postgres: any process can send, before or after a restart.
 */
import {
  type Activity,
  CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  TurnContext,
} from 'botbuilder';

/** The Bot Framework's token audience for calls to the channel (the connector). */
const CHANNEL_AUDIENCE = 'https://api.botframework.com';

export interface TeamsPost {
  /** The id of the message posted (to update or reply to it later). */
  activityId: string;
  /** The conversation it is in: for a new channel post, its thread (`19:…;messageid=…`). */
  conversationId: string;
  /** The reference of that conversation, to store for replies in the thread. */
  reference: Partial<ConversationReference>;
}

export interface TeamsSender {
  /** Sends into a stored conversation (a personal chat, a channel, a group chat). */
  sendTo(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<TeamsPost>;
  /** Starts a new post in a Teams channel (e.g. the SPOC channel) and says which message it is. */
  postToChannel(
    serviceUrl: string,
    teamsChannelId: string,
    activity: Partial<Activity>,
    options?: { tenantId?: string },
  ): Promise<TeamsPost>;
}

/** The message id of a channel thread's conversation id (`19:…@thread.tacv2;messageid=1234`). */
export function messageIdOf(conversationId: string): string | undefined {
  return /;messageid=([^;]+)/.exec(conversationId)?.[1];
}

export function createTeamsSender(adapter: CloudAdapter, appId: string): TeamsSender {
  if (!(adapter instanceof CloudAdapter)) throw new Error('a CloudAdapter is needed');
  return {
    async sendTo(reference, activity) {
      let sent: TeamsPost | undefined;
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        // botbuilder would make it a reply to the made-up id of its continuation activity
        // (`…/activities/<uuid>`): a new message goes to `…/activities`.
        context.onSendActivities(async (_context, activities, next) => {
          for (const a of activities) delete a.replyToId;
          return next();
        });
        const response = await context.sendActivity(activity);
        sent = {
          activityId: response?.id ?? '',
          conversationId: context.activity.conversation.id,
          reference: TurnContext.getConversationReference(context.activity),
        };
      });
      if (!sent) throw new Error('Teams send ran no turn');
      return sent;
    },
    async postToChannel(serviceUrl, teamsChannelId, activity, options = {}) {
      const parameters = {
        isGroup: true,
        channelData: {
          channel: { id: teamsChannelId },
          ...(options.tenantId ? { tenant: { id: options.tenantId } } : {}),
        },
        ...(options.tenantId ? { tenantId: options.tenantId } : {}),
        activity,
      } as ConversationParameters;
      let posted: TeamsPost | undefined;
      await adapter.createConversationAsync(
        appId,
        'msteams',
        serviceUrl,
        CHANNEL_AUDIENCE,
        parameters,
        async (context) => {
          // botbuilder hands the logic the new conversation's id only; in a channel Teams names the
          // post's thread `<channel>;messageid=<the post's id>`.
          const conversationId = context.activity.conversation.id;
          const reference = TurnContext.getConversationReference(context.activity);
          delete reference.activityId;
          posted = { activityId: messageIdOf(conversationId) ?? '', conversationId, reference };
        },
      );
      if (!posted) throw new Error('Teams post ran no turn');
      return posted;
    },
  };
}
