/**
 * Slack request payloads in the shapes Slack sends them (slash command form posts, block_actions,
 * view_submission, view_closed, block_suggestion, message_action, app_home_opened), signed the way
 * Slack signs them (v0 HMAC-SHA256 over `v0:timestamp:body`). The playground relays what a person
 * does on its page through these; the tests build their requests with the same `sign`.
 */
import { createHmac } from 'node:crypto';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Signs a request body as Slack does, with the timestamp in seconds. */
export function sign(
  body: string,
  contentType: string,
  secret: string,
  at = Math.floor(Date.now() / 1000),
): SignedRequest {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${at}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(at),
      'x-slack-signature': signature,
    },
  };
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

/** Who is acting, in which workspace, and how this app is known to Slack. */
export interface Actor {
  teamId: string;
  teamDomain: string;
  userId: string;
  userName: string;
  apiAppId: string;
}

/** An unsigned request: the body and its content type. */
export interface Unsigned {
  body: string;
  contentType: string;
}

const VERIFICATION_TOKEN = 'playground-verification-token';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const interactive = (payload: object): Unsigned => ({
  body: form({ payload: JSON.stringify(payload) }),
  contentType: FORM,
});

function userOf(a: Actor) {
  return { id: a.userId, username: a.userName, name: a.userName, team_id: a.teamId };
}

function teamOf(a: Actor) {
  return { id: a.teamId, domain: a.teamDomain };
}

/** Seconds since the epoch with microseconds, as Slack writes action_ts. */
export function actionTs(at = Date.now()): string {
  return `${Math.floor(at / 1000)}.${String((at % 1000) * 1000).padStart(6, '0')}`;
}

export function slashCommandPayload(
  a: Actor,
  p: {
    command: string;
    text: string;
    channelId: string;
    channelName: string;
    triggerId: string;
    responseUrl: string;
  },
): Unsigned {
  return {
    body: form({
      token: VERIFICATION_TOKEN,
      team_id: a.teamId,
      team_domain: a.teamDomain,
      channel_id: p.channelId,
      channel_name: p.channelName,
      user_id: a.userId,
      user_name: a.userName,
      command: p.command,
      text: p.text,
      api_app_id: a.apiAppId,
      is_enterprise_install: 'false',
      response_url: p.responseUrl,
      trigger_id: p.triggerId,
    }),
    contentType: FORM,
  };
}

/** A view as Slack hands it back in interaction payloads. */
export type SlackViewPayload = Record<string, unknown> & { id: string; type: string };

export type BlockActionsContainer =
  | {
      type: 'message';
      channelId: string;
      channelName: string;
      messageTs: string;
      threadTs?: string;
      isEphemeral: boolean;
      /** The message as Slack holds it (absent for ephemeral messages). */
      message?: Record<string, unknown>;
      responseUrl: string;
    }
  | { type: 'view'; view: SlackViewPayload };

export function blockActionsPayload(
  a: Actor,
  p: {
    container: BlockActionsContainer;
    action: Record<string, unknown>;
    triggerId: string;
    state?: Record<string, unknown>;
  },
): Unsigned {
  const c = p.container;
  const common = {
    type: 'block_actions',
    user: userOf(a),
    api_app_id: a.apiAppId,
    token: VERIFICATION_TOKEN,
    trigger_id: p.triggerId,
    team: teamOf(a),
    enterprise: null,
    is_enterprise_install: false,
    actions: [{ ...p.action, action_ts: actionTs() }],
  };
  if (c.type === 'view') {
    return interactive({
      ...common,
      container: { type: 'view', view_id: c.view.id },
      view: c.view,
    });
  }
  return interactive({
    ...common,
    container: {
      type: 'message',
      message_ts: c.messageTs,
      ...(c.threadTs ? { thread_ts: c.threadTs } : {}),
      channel_id: c.channelId,
      is_ephemeral: c.isEphemeral,
    },
    channel: { id: c.channelId, name: c.channelName },
    ...(c.message ? { message: c.message } : {}),
    state: { values: p.state ?? {} },
    response_url: c.responseUrl,
  });
}

export function viewSubmissionPayload(a: Actor, p: { view: SlackViewPayload; triggerId: string }): Unsigned {
  return interactive({
    type: 'view_submission',
    team: teamOf(a),
    user: userOf(a),
    api_app_id: a.apiAppId,
    token: VERIFICATION_TOKEN,
    trigger_id: p.triggerId,
    view: p.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

export function viewClosedPayload(a: Actor, p: { view: SlackViewPayload; isCleared: boolean }): Unsigned {
  return interactive({
    type: 'view_closed',
    team: teamOf(a),
    user: userOf(a),
    api_app_id: a.apiAppId,
    token: VERIFICATION_TOKEN,
    view: p.view,
    is_cleared: p.isCleared,
    is_enterprise_install: false,
    enterprise: null,
  });
}

export function blockSuggestionPayload(
  a: Actor,
  p: { actionId: string; blockId: string; value: string; view?: SlackViewPayload; channelId?: string },
): Unsigned {
  return interactive({
    type: 'block_suggestion',
    user: userOf(a),
    container: p.view
      ? { type: 'view', view_id: p.view.id }
      : { type: 'message', channel_id: p.channelId, is_ephemeral: false },
    api_app_id: a.apiAppId,
    token: VERIFICATION_TOKEN,
    action_id: p.actionId,
    block_id: p.blockId,
    value: p.value,
    team: teamOf(a),
    enterprise: null,
    is_enterprise_install: false,
    ...(p.view ? { view: p.view } : {}),
  });
}

export function messageActionPayload(
  a: Actor,
  p: {
    callbackId: string;
    channelId: string;
    channelName: string;
    message: Record<string, unknown> & { ts: string };
    triggerId: string;
    responseUrl: string;
  },
): Unsigned {
  return interactive({
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: actionTs(),
    team: teamOf(a),
    user: { id: a.userId, name: a.userName },
    channel: { id: p.channelId, name: p.channelName },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: p.callbackId,
    trigger_id: p.triggerId,
    response_url: p.responseUrl,
    message_ts: p.message.ts,
    message: p.message,
  });
}

/** An Events API `event_callback` carrying `event`, as Slack posts it to the app. */
function eventCallback(
  a: Actor,
  p: { botUserId: string; eventId: string },
  now: number,
  event: Record<string, unknown>,
): Unsigned {
  return {
    body: JSON.stringify({
      token: VERIFICATION_TOKEN,
      team_id: a.teamId,
      api_app_id: a.apiAppId,
      event: { ...event, event_ts: actionTs(now) },
      type: 'event_callback',
      event_id: p.eventId,
      event_time: Math.floor(now / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: a.teamId,
          user_id: p.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    }),
    contentType: JSON_TYPE,
  };
}

export function appHomeOpenedPayload(
  a: Actor,
  p: { botUserId: string; channelId: string; eventId: string; view?: SlackViewPayload },
): Unsigned {
  return eventCallback(a, p, Date.now(), {
    type: 'app_home_opened',
    user: a.userId,
    channel: p.channelId,
    tab: 'home',
    ...(p.view ? { view: p.view } : {}),
  });
}

/**
 * `reaction_added`: the person reacted with `reaction` to a message (`itemUser` wrote it; absent
 * for an app's message). SPOC makes a ticket of a message reacted to with the school's ticket emoji.
 */
export function reactionAddedPayload(
  a: Actor,
  p: {
    botUserId: string;
    channelId: string;
    ts: string;
    reaction: string;
    itemUser?: string;
    eventId: string;
  },
): Unsigned {
  return eventCallback(a, p, Date.now(), {
    type: 'reaction_added',
    user: a.userId,
    reaction: p.reaction,
    ...(p.itemUser ? { item_user: p.itemUser } : {}),
    item: { type: 'message', channel: p.channelId, ts: p.ts },
  });
}
