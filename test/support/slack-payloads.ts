/**
 * Slack request payloads in the shapes Slack sends (field sets follow Slack's own samples: slash
 * command form fields, block_actions, view_submission, message_action, event_callback), signed the
 * way Slack signs them.
 */
import { randomBytes } from 'node:crypto';
import { type SignedRequest, sign as signWith } from '../../src/bot/playground/payloads';

export type { SignedRequest };

export const SIGNING_SECRET = 'test-signing-secret-8f2b1c';
export const BOT_TOKEN = 'xoxb-test-bot-token';
export const API_APP_ID = 'A0SPOC0001';

export interface Who {
  teamId: string;
  userId: string;
  userName?: string;
}

/** Signs as Slack does (one implementation, shared with the playground). */
export function sign(
  body: string,
  contentType: string,
  at = Math.floor(Date.now() / 1000),
  secret = SIGNING_SECRET,
): SignedRequest {
  return signWith(body, contentType, secret, at);
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

export function slashCommand(
  who: Who,
  command: string,
  text: string,
  channelId = 'C0GENERAL1',
  triggerId = '1337.42.abcdef',
) {
  return sign(
    form({
      token: 'legacy-verification-token',
      team_id: who.teamId,
      team_domain: 'hillside-primary',
      channel_id: channelId,
      channel_name: channelId.startsWith('D') ? 'directmessage' : 'ict-help',
      user_id: who.userId,
      user_name: who.userName ?? 'someone',
      command,
      text,
      api_app_id: API_APP_ID,
      is_enterprise_install: 'false',
      response_url: `https://hooks.slack.com/commands/${who.teamId}/1111/cmdresponse`,
      trigger_id: triggerId,
    }),
    FORM,
  );
}

function interactive(payload: object) {
  return sign(form({ payload: JSON.stringify(payload) }), FORM);
}

function userOf(who: Who) {
  return {
    id: who.userId,
    username: who.userName ?? 'someone',
    name: who.userName ?? 'someone',
    team_id: who.teamId,
  };
}

export const RESPONSE_URL_HOST = 'https://hooks.slack.com';
export const responsePath = (teamId: string) => `/actions/${teamId}/2222/actresponse`;

export function blockAction(
  who: Who,
  actionId: string,
  value: string,
  opts: { channelId?: string; messageTs?: string } = {},
) {
  const channelId = opts.channelId ?? 'C0SPOC0001';
  const ts = opts.messageTs ?? '1764494100.000100';
  return interactive({
    type: 'block_actions',
    user: userOf(who),
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: channelId, is_ephemeral: false },
    trigger_id: '2222.42.action',
    team: { id: who.teamId, domain: 'hillside-primary' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'ict-spoc' },
    message: { type: 'message', user: 'UBOT', ts, bot_id: 'BBOT', text: 'card', blocks: [] },
    state: { values: {} },
    response_url: `${RESPONSE_URL_HOST}${responsePath(who.teamId)}`,
    actions: [
      {
        action_id: actionId,
        block_id: 'incident_actions',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value,
        type: 'button',
        action_ts: '1764494160.123456',
      },
    ],
  });
}

/** A button pressed on the person's App Home (no message there, so no response_url), with its value if any. */
export function homeButton(who: Who, actionId: string, value?: string) {
  return interactive({
    type: 'block_actions',
    user: userOf(who),
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'V0HOME0001' },
    trigger_id: '3333.42.home',
    team: { id: who.teamId, domain: 'hillside-primary' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: 'V0HOME0001',
      type: 'home',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
    },
    actions: [
      {
        action_id: actionId,
        block_id: 'home',
        text: { type: 'plain_text', text: 'Report a fault' },
        ...(value === undefined ? {} : { value }),
        type: 'button',
        action_ts: '1764494160.2',
      },
    ],
  });
}

type StateValue =
  | string
  | { option: string }
  | { files: object[] }
  | { checked: string[] }
  | { user: string }
  | undefined;

/**
 * A submitted modal: `values` is block id → value (text inputs), { option } (selects, radios),
 * { files } (file inputs) or { checked } (checkboxes).
 */
export function viewSubmission(
  who: Who,
  callbackId: string,
  values: Record<string, StateValue>,
  opts: { viewId?: string; privateMetadata?: string } = {},
) {
  const state: Record<string, Record<string, object>> = {};
  for (const [block, v] of Object.entries(values)) {
    if (v === undefined) state[block] = { value: { type: 'plain_text_input', value: null } };
    else if (typeof v === 'string') state[block] = { value: { type: 'plain_text_input', value: v } };
    else if ('files' in v) state[block] = { value: { type: 'file_input', files: v.files } };
    else if ('user' in v) state[block] = { value: { type: 'users_select', selected_user: v.user } };
    else if ('checked' in v)
      state[block] = {
        value: {
          type: 'checkboxes',
          selected_options: v.checked.map((c) => ({ text: { type: 'plain_text', text: c }, value: c })),
        },
      };
    else
      state[block] = {
        value: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: v.option }, value: v.option },
        },
      };
  }
  // Slack gives every modal it opens its own id; a test repeats a submission by passing the same one.
  const viewId = opts.viewId ?? `V0MODAL${randomBytes(4).toString('hex').toUpperCase()}`;
  return interactive({
    type: 'view_submission',
    team: { id: who.teamId, domain: 'hillside-primary' },
    user: userOf(who),
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    trigger_id: '4444.42.submit',
    view: {
      id: viewId,
      team_id: who.teamId,
      type: 'modal',
      blocks: [],
      private_metadata: opts.privateMetadata ?? '',
      callback_id: callbackId,
      state: { values: state },
      hash: '1764494160.abcdef',
      title: { type: 'plain_text', text: 'Form', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: API_APP_ID,
      external_id: '',
      app_installed_team_id: who.teamId,
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

export function messageShortcut(who: Who, callbackId: string, text: string) {
  return interactive({
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: '1764494160.3',
    team: { id: who.teamId, domain: 'hillside-primary' },
    user: { id: who.userId, name: who.userName ?? 'someone' },
    channel: { id: 'C0STAFF001', name: 'staffroom' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: '5555.42.shortcut',
    response_url: `${RESPONSE_URL_HOST}/app/${who.teamId}/5555/shortcut`,
    message_ts: '1764494000.000200',
    message: { type: 'message', user: 'U0OTHER001', ts: '1764494000.000200', text, team: who.teamId },
  });
}

export function appHomeOpened(who: Who) {
  return sign(
    JSON.stringify({
      token: 'legacy-verification-token',
      team_id: who.teamId,
      api_app_id: API_APP_ID,
      event: {
        type: 'app_home_opened',
        user: who.userId,
        channel: 'D0HOME0001',
        tab: 'home',
        event_ts: '1764494160.4',
      },
      type: 'event_callback',
      event_id: 'Ev0HOME0001',
      event_time: 1764494160,
      authorizations: [
        {
          enterprise_id: null,
          team_id: who.teamId,
          user_id: 'UBOT',
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    }),
    'application/json',
  );
}

/** A select changed inside an open modal (dispatch_action), as block_actions with the view. */
export function viewSelect(
  who: Who,
  actionId: string,
  blockId: string,
  selected: string,
  view: { id: string; hash: string; privateMetadata: string; callbackId: string },
) {
  return interactive({
    type: 'block_actions',
    user: userOf(who),
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: view.id },
    trigger_id: '6666.42.select',
    team: { id: who.teamId, domain: 'hillside-primary' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: view.id,
      team_id: who.teamId,
      type: 'modal',
      blocks: [],
      private_metadata: view.privateMetadata,
      callback_id: view.callbackId,
      state: {
        values: {
          [blockId]: {
            [actionId]: {
              type: 'static_select',
              selected_option: { text: { type: 'plain_text', text: 'x' }, value: selected },
            },
          },
        },
      },
      hash: view.hash,
      root_view_id: view.id,
      app_id: API_APP_ID,
    },
    actions: [
      {
        type: 'static_select',
        action_id: actionId,
        block_id: blockId,
        selected_option: { text: { type: 'plain_text', text: 'x', emoji: true }, value: selected },
        action_ts: '1764494170.1',
      },
    ],
  });
}

/** What Slack asks an external select for as the person types. */
export function blockSuggestion(who: Who, actionId: string, blockId: string, value: string) {
  return interactive({
    type: 'block_suggestion',
    user: userOf(who),
    container: { type: 'view', view_id: 'V0MODAL0001' },
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    action_id: actionId,
    block_id: blockId,
    value,
    team: { id: who.teamId, domain: 'hillside-primary' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: 'V0MODAL0001',
      type: 'modal',
      callback_id: 'spoc_fault_report',
      private_metadata: '',
      state: { values: {} },
    },
  });
}

/**
 * `reaction_added` as the Events API sends it (event_callback): `who` reacted with `reaction` to
 * the message `item` (its channel and ts) written by `itemUser` (absent for an app's message).
 */
export function reactionAdded(
  who: Who,
  reaction: string,
  item: { channel: string; ts: string; channelType?: string },
  itemUser?: string,
) {
  return sign(
    JSON.stringify({
      token: 'legacy-verification-token',
      team_id: who.teamId,
      context_team_id: who.teamId,
      context_enterprise_id: null,
      api_app_id: API_APP_ID,
      event: {
        type: 'reaction_added',
        user: who.userId,
        reaction,
        ...(itemUser ? { item_user: itemUser } : {}),
        item: {
          type: 'message',
          channel: item.channel,
          ts: item.ts,
          ...(item.channelType ? { channel_type: item.channelType } : {}),
        },
        event_ts: '1764494170.000100',
      },
      type: 'event_callback',
      event_id: `Ev0${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: 1764494170,
      authorizations: [
        {
          enterprise_id: null,
          team_id: who.teamId,
          user_id: 'UBOT',
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: '4-eyJldCI6InJlYWN0aW9uX2FkZGVkIn0',
    }),
    'application/json',
  );
}
