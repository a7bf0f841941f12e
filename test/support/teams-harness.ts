/**
 * One test file's SPOC on Teams, driven through `POST /api/messages`: the Bot Framework's keys and
 * the bot's token pinned, the connector pinned and recorded, SPOC started before the file's tests
 * and stopped after them; activities signed as the channel signs them. And what a test reads on
 * the cards SPOC sends: the card of a call, a field, and the message right under a field.
 */
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import {
  APP_ID,
  cardSubmit,
  PERSONAL_CONVERSATION_ID,
  personalMessage,
  SERVICE_URL,
} from './teams-activities';
import { postActivity, startTeamsSpoc, type TeamsSpoc } from './teams-app';
import {
  channelToken,
  makeSigningKey,
  pinBotFrameworkKeys,
  pinBotToken,
  type SigningKey,
} from './teams-auth';
import { type ConnectorCall, pinRecordingConnector, type TeamMember } from './teams-connector';
import { until } from './wait';

export interface TeamsHarness {
  /** SPOC as started for this file (from `beforeAll` on). */
  readonly t: TeamsSpoc;
  /**
   * Every connector call since the current test began, oldest first (the one array, all file
   * long); always empty where the file pins the connector itself.
   */
  readonly calls: ConnectorCall[];
  /** The key the Bot Framework publishes for this file. */
  readonly key: SigningKey;
  /** SPOC's database. */
  db(): TeamsSpoc['spoc']['database']['db'];
  /** A token as the channel signs it, with the key this file publishes. */
  token(): string;
  /** Signs and POSTs `activity` to `/api/messages`, expecting 200; gives the answer. */
  post(activity: Record<string, unknown>): Promise<{ status: number; text: string }>;
  /**
   * A fault reported as the teacher reports it: `text` in the personal chat, then the form it
   * brings submitted with `fields` (`ids`: the two activities' ids). Gives the outbox's post of
   * the incident card into the channel.
   */
  reportFault(text: string, fields: Record<string, unknown>, ids: [string, string]): Promise<ConnectorCall>;
}

/**
 * Registers this file's hooks: before all, the Bot Framework publishes a key named `keyId` and
 * the bot's token is pinned, then SPOC starts; before each test the recorded calls are forgotten;
 * after all, SPOC stops and every pin goes. The connector is pinned at once, so that `calls` is one
 * array for the whole file; a member lookup answers with `members` (as `pinRecordingConnector`).
 * With `recordConnector: false` the file pins the connector itself.
 */
export function useTeamsSpoc(
  keyId: string,
  options: { members?: TeamMember[]; recordConnector?: boolean } = {},
): TeamsHarness {
  const key = makeSigningKey(keyId);
  const calls = options.recordConnector === false ? [] : pinRecordingConnector(options.members).calls;
  let t: TeamsSpoc | undefined;
  const started = (): TeamsSpoc => {
    if (!t) throw new Error('SPOC is not started yet (useTeamsSpoc starts it in beforeAll)');
    return t;
  };
  const token = () => channelToken(key, { appId: APP_ID, serviceUrl: SERVICE_URL });

  beforeAll(async () => {
    pinBotFrameworkKeys([key]);
    pinBotToken();
    t = await startTeamsSpoc();
  });
  afterAll(async () => {
    await t?.destroy();
    nock.cleanAll();
  });
  beforeEach(() => {
    calls.splice(0);
  });

  const post = async (activity: Record<string, unknown>) => {
    const res = await postActivity(started().spoc.url, activity, token());
    expect(res.status).toBe(200);
    return res;
  };

  return {
    get t() {
      return started();
    },
    calls,
    key,
    db: () => started().spoc.database.db,
    token,
    post,
    async reportFault(text, fields, [messageId, submitId]) {
      await post(personalMessage(text, messageId));
      const form = cardOf(
        calls.find((c) => c.method === 'POST' && c.path.includes(PERSONAL_CONVERSATION_ID)),
      );
      const data = form.actions?.find((a) => (a.data as { verb?: string }).verb === 'fault.submit')?.data;
      const formId = (data as { formId?: string } | undefined)?.formId ?? '';
      await post(cardSubmit({ verb: 'fault.submit', formId, ...fields }, '1:r', submitId));
      return until(() => calls.find((c) => c.method === 'CREATE'), 'incident card posted');
    },
  };
}

/** An Adaptive Card as SPOC sends it: its body elements and its actions. */
export type Card = { body: Record<string, unknown>[]; actions?: Record<string, unknown>[] };

/** The card a connector call carries (a reply, a message or an update in place). */
export const cardOf = (call: ConnectorCall | undefined): Card =>
  (call?.body.attachments as { content: Card }[] | undefined)?.[0]?.content as Card;

/** The card of a new post (`POST /v3/conversations` carries its activity). */
export const postedCard = (call: ConnectorCall): Card =>
  cardOf({ ...call, body: (call.body.activity ?? {}) as Record<string, unknown> });

/** The field with this id. */
export const input = (card: Card, id: string) => card.body.find((b) => b.id === id);

/** What the card says right under a field, in the attention colour (after any hint). */
export const under = (card: Card, id: string) => {
  let i = card.body.findIndex((b) => b.id === id) + 1;
  while (card.body[i]?.type === 'TextBlock' && card.body[i]?.isSubtle) i++;
  const next = card.body[i];
  return next?.type === 'TextBlock' && next.color === 'attention' ? next.text : undefined;
};
