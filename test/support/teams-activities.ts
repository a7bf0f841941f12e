/**
 * Teams activities in the shapes Teams sends them (after Microsoft's documented examples of a
 * personal message, a channel message with an @mention, and installationUpdate), with the ids
 * a test needs.
 */
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const APP_ID = '00000000-0000-0000-0000-00000000b07a';
export const SERVICE_URL = 'https://smba.trafficmanager.net/uk/';
export const BOT = { id: `28:${APP_ID}`, name: 'SPOC' };
export const TEACHER = {
  id: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw',
  name: 'Megan Bowen',
  aadObjectId: '6b5e4d3c-2a19-4f8e-9d7c-1b2a3c4d5e6f',
};
export const PERSONAL_CONVERSATION_ID =
  'a:17I0kl8EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2IaydGElSo10tVr4C7Fc6GtieTJX663WuJCc1uA83n4CSrHSgGBj5XNYLcVlJAs2ZX8DbYBPck201w-';
export const TEAM_ID = '19:d9f2fa1b0b6e4c4b8c0a1d1e2f3a4b5c@thread.tacv2';
export const CHANNEL_ID = '19:3a4b5c6d7e8f4a1b9c2d3e4f5a6b7c8d@thread.tacv2';

/** A teacher's message in the bot's personal chat. */
export function personalMessage(text: string, id = '1485983408511'): Record<string, unknown> {
  return {
    type: 'message',
    id,
    timestamp: '2025-01-15T09:10:07.437Z',
    localTimestamp: '2025-01-15T09:10:07.437+00:00',
    serviceUrl: SERVICE_URL,
    channelId: 'msteams',
    from: TEACHER,
    conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: PERSONAL_CONVERSATION_ID },
    recipient: BOT,
    textFormat: 'plain',
    text,
    attachments: [],
    entities: [
      { locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London', type: 'clientInfo' },
    ],
    channelData: { tenant: { id: TENANT_ID } },
    locale: 'en-GB',
    localTimezone: 'Europe/London',
  };
}

/** A second member of the school's team. */
export const COLLEAGUE = {
  id: '29:1bSnHZ7Js2STWrgk6ScEErLk1Lp2zQuD5H2qQ960rtvstKp8tKLl-3r8b6DoW0QxZimuTxk_kupZ1DBMpvIQQUAZL-PNj0EORDvRZXy8kvWk',
  name: 'Adele Vance',
  aadObjectId: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
};

/** A person mentioned in a message, as Teams gives it: their Teams id and name only. */
export function mentionOf(who: { id: string; name: string }): Record<string, unknown> {
  return { type: 'mention', mentioned: { id: who.id, name: who.name }, text: `<at>${who.name}</at>` };
}

/**
 * A message in a team's channel, @mentioning the bot (a new post: its own thread), from `from`
 * (the teacher unless given), with any other mentions given.
 */
export function channelMessage(
  text: string,
  id = '1481567603816',
  from: Record<string, unknown> = TEACHER,
  mentions: Record<string, unknown>[] = [],
): Record<string, unknown> {
  return {
    type: 'message',
    id,
    timestamp: '2025-01-15T09:12:00.000Z',
    serviceUrl: SERVICE_URL,
    channelId: 'msteams',
    from,
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT_ID,
      id: `${CHANNEL_ID};messageid=${id}`,
    },
    recipient: BOT,
    textFormat: 'plain',
    text: `<at>SPOC</at> ${text}`,
    entities: [{ type: 'mention', mentioned: BOT, text: '<at>SPOC</at>' }, ...mentions],
    channelData: {
      teamsChannelId: CHANNEL_ID,
      teamsTeamId: TEAM_ID,
      channel: { id: CHANNEL_ID },
      team: { id: TEAM_ID },
      tenant: { id: TENANT_ID },
    },
    locale: 'en-GB',
  };
}

/** The app installed for a person (personal scope). */
export function personalInstall(action: 'add' | 'remove' = 'add'): Record<string, unknown> {
  return {
    type: 'installationUpdate',
    id: 'f:5f1e7b3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
    timestamp: '2025-01-15T09:00:00.000Z',
    action,
    serviceUrl: SERVICE_URL,
    channelId: 'msteams',
    from: TEACHER,
    conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: PERSONAL_CONVERSATION_ID },
    recipient: BOT,
    entities: [{ locale: 'en-GB', platform: 'Web', type: 'clientInfo' }],
    channelData: { tenant: { id: TENANT_ID }, source: { name: 'message' } },
    locale: 'en-GB',
  };
}

/** The app added to a team: Teams says so in the team's General channel (whose id is the team's). */
export function teamInstall(): Record<string, unknown> {
  return {
    type: 'installationUpdate',
    id: 'f:8a7b6c5d-4e3f-4a1b-9c2d-3e4f5a6b7c8d',
    timestamp: '2025-01-15T09:00:00.000Z',
    action: 'add',
    serviceUrl: SERVICE_URL,
    channelId: 'msteams',
    from: TEACHER,
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT_ID, id: TEAM_ID },
    recipient: BOT,
    channelData: {
      settings: { selectedChannel: { id: TEAM_ID } },
      channel: { id: TEAM_ID },
      team: { id: TEAM_ID },
      tenant: { id: TENANT_ID },
      source: { name: 'message' },
    },
    locale: 'en-GB',
  };
}

/**
 * An Adaptive Card's `Action.Submit` pressed in the personal chat: a message with no text, the
 * card's data and inputs in `value`, and `replyToId` naming the card's message.
 */
export function cardSubmit(
  value: Record<string, unknown>,
  replyToId: string,
  id = 'f:submit-1',
): Record<string, unknown> {
  const { text: _text, textFormat: _format, ...message } = personalMessage('', id);
  return { ...message, replyToId, value };
}

/** A message action invoked on a message in the team's channel (`composeExtension/…`). */
export function messageActionInvoke(
  name: 'composeExtension/fetchTask' | 'composeExtension/submitAction',
  value: Record<string, unknown>,
  id = 'f:invoke-1',
): Record<string, unknown> {
  const { text: _text, textFormat: _format, entities: _entities, ...message } = channelMessage('', id);
  return { ...message, type: 'invoke', name, value: { commandContext: 'message', ...value } };
}

/**
 * A dialog invoke (`task/fetch` when a card button opens it, `task/submit` when its form is sent)
 * from a card in the team's SPOC channel, as Teams sends it; from the colleague unless given.
 */
export function taskInvoke(
  name: 'task/fetch' | 'task/submit',
  data: Record<string, unknown>,
  id: string,
  from: Record<string, unknown> = COLLEAGUE,
): Record<string, unknown> {
  const { text: _t, textFormat: _f, entities: _e, ...message } = channelMessage('', id, from);
  return { ...message, type: 'invoke', name, value: { data, context: { theme: 'default' } } };
}

/**
 * A press on a card's Universal Action (`Action.Execute`) in the team's SPOC channel, as Teams
 * sends it: an `adaptiveCard/action` invoke with the verb and the button's data.
 */
export function cardAction(
  verb: string,
  data: Record<string, unknown>,
  id: string,
  from: Record<string, unknown> = COLLEAGUE,
  /** The id of the message whose card was pressed, as Teams names it in `replyToId`. */
  replyToId?: string,
): Record<string, unknown> {
  const { text: _t, textFormat: _f, entities: _e, ...message } = channelMessage('', replyToId ?? id, from);
  return {
    ...message,
    id,
    ...(replyToId ? { replyToId } : {}),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
