/**
 * `POST /api/messages` as Teams sends it: real activity shapes, Bot Framework tokens signed with a
 * test key whose OpenID metadata and keys are pinned, every connector call pinned, the network off.
 */
import nock from 'nock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { teamsConversations } from '../../../src/db/schema';
import {
  APP_ID,
  CHANNEL_ID,
  channelMessage,
  PERSONAL_CONVERSATION_ID,
  personalInstall,
  personalMessage,
  SERVICE_URL,
  TEACHER,
  TEAM_ID,
  TENANT_ID,
  teamInstall,
} from '../../support/teams-activities';
import { postActivity } from '../../support/teams-app';
import { BOT_ACCESS_TOKEN, channelToken, makeSigningKey, unsignedToken } from '../../support/teams-auth';
import { useTeamsSpoc } from '../../support/teams-harness';

const teams = useTeamsSpoc('spoc-test-key-1', { recordConnector: false });
const { key, token: valid } = teams;
/** A key of the same name the Bot Framework never published. */
const stranger = makeSigningKey('spoc-test-key-1');
const otherKid = makeSigningKey('not-published');

const rows = () => teams.t.spoc.database.db.select().from(teamsConversations);
const connector = nock('https://smba.trafficmanager.net');

/** Pins one post into a conversation; `sent()` gives its body and Authorization header. */
function pinPost(path: string) {
  const seen: { body?: Record<string, unknown>; auth?: string } = {};
  const scope = connector
    .post(path, (body) => {
      seen.body = body;
      return true;
    })
    .reply(function () {
      seen.auth = this.req.headers.authorization as string;
      return [200, { id: '1:reply-1' }];
    });
  return { scope, seen };
}

describe('POST /api/messages with a valid Bot Framework token', () => {
  beforeEach(async () => {
    await teams.t.spoc.database.db.delete(teamsConversations);
  });

  it('answers a personal "help" as a reply through the connector, and stores the reference', async () => {
    const post = pinPost(
      `/uk/v3/conversations/${encodeURIComponent(PERSONAL_CONVERSATION_ID)}/activities/1485983408511`,
    );
    const res = await postActivity(teams.t.spoc.url, personalMessage('help'), valid());
    expect(res.status).toBe(200);
    expect(post.scope.isDone()).toBe(true);
    expect(post.seen.auth).toBe(`Bearer ${BOT_ACCESS_TOKEN}`);
    expect(post.seen.body).toMatchObject({ type: 'message', replyToId: '1485983408511' });
    // Before any school has spoken to SPOC, the help is the first steps (a card).
    expect(JSON.stringify(post.seen.body)).toContain("I'm SPOC, your school's ICT helpdesk");
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      tenantId: TENANT_ID,
      conversationId: PERSONAL_CONVERSATION_ID,
      kind: 'personal',
      aadObjectId: TEACHER.aadObjectId,
      userId: TEACHER.id,
      installed: true,
      schoolId: null,
    });
    expect(stored[0]?.reference).toMatchObject({
      serviceUrl: SERVICE_URL,
      channelId: 'msteams',
      conversation: { id: PERSONAL_CONVERSATION_ID, tenantId: TENANT_ID },
      bot: { id: `28:${APP_ID}` },
    });
    expect(stored[0]?.reference).not.toHaveProperty('activityId');
  });

  it('answers anything it does not know with the help too', async () => {
    const post = pinPost(`/uk/v3/conversations/${encodeURIComponent(PERSONAL_CONVERSATION_ID)}/activities/2`);
    const res = await postActivity(teams.t.spoc.url, personalMessage('what can you do?', '2'), valid());
    expect(res.status).toBe(200);
    expect(JSON.stringify(post.seen.body)).toContain("I'm SPOC, your school's ICT helpdesk");
  });

  it('stores a channel once, by the channel (not the thread), with its team', async () => {
    for (const id of ['11', '12']) {
      pinPost(`/uk/v3/conversations/${encodeURIComponent(`${CHANNEL_ID};messageid=${id}`)}/activities/${id}`);
      const res = await postActivity(teams.t.spoc.url, channelMessage('help', id), valid());
      expect(res.status).toBe(200);
    }
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      conversationId: CHANNEL_ID,
      kind: 'channel',
      teamId: TEAM_ID,
      aadObjectId: null,
    });
    expect(stored[0]?.reference).toMatchObject({ conversation: { id: CHANNEL_ID } });
  });

  it('stores the reference on installationUpdate (personal and team), and marks a removal', async () => {
    expect((await postActivity(teams.t.spoc.url, personalInstall(), valid())).status).toBe(200);
    expect((await postActivity(teams.t.spoc.url, teamInstall(), valid())).status).toBe(200);
    let stored = await rows();
    expect(stored.map((r) => [r.kind, r.conversationId, r.installed]).sort()).toEqual([
      ['channel', TEAM_ID, true],
      ['personal', PERSONAL_CONVERSATION_ID, true],
    ]);
    expect((await postActivity(teams.t.spoc.url, personalInstall('remove'), valid())).status).toBe(200);
    stored = await rows();
    expect(stored.find((r) => r.kind === 'personal')?.installed).toBe(false);
  });
});

describe('POST /api/messages refuses, changing nothing', () => {
  beforeAll(async () => {
    await teams.t.spoc.database.db.delete(teamsConversations);
  });

  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['no Authorization', () => undefined],
    ['an unsigned token (alg none)', () => unsignedToken(key, { appId: APP_ID, serviceUrl: SERVICE_URL })],
    [
      'an expired token',
      () => channelToken(key, { appId: APP_ID, serviceUrl: SERVICE_URL, nbf: now - 7200, exp: now - 3600 }),
    ],
    ['a token for another app', () => channelToken(key, { appId: 'another-bot', serviceUrl: SERVICE_URL })],
    [
      'a token signed by a key it does not publish',
      () => channelToken(stranger, { appId: APP_ID, serviceUrl: SERVICE_URL }),
    ],
    [
      'a token naming an unknown key',
      () => channelToken(otherKid, { appId: APP_ID, serviceUrl: SERVICE_URL }),
    ],
    [
      'a token from another issuer',
      () => channelToken(key, { appId: APP_ID, serviceUrl: SERVICE_URL, issuer: 'https://sts.example.com' }),
    ],
    [
      'a token for another service URL',
      () => channelToken(key, { appId: APP_ID, serviceUrl: 'https://smba.example.com/' }),
    ],
  ])('401 with %s, nothing stored or sent', async (_name, token) => {
    // No connector call is pinned: a reply would fail the request with a 500, not a 401.
    const res = await postActivity(teams.t.spoc.url, personalMessage('help'), token());
    expect(res.status).toBe(401);
    expect(await rows()).toHaveLength(0);
  });

  it('413 for a body over 4 MB', async () => {
    const big = { ...personalMessage('help'), text: 'x'.repeat(4 * 1024 * 1024) };
    const res = await postActivity(teams.t.spoc.url, big, valid());
    expect(res.status).toBe(413);
    expect(await rows()).toHaveLength(0);
  });

  it('400 for a body that is not JSON, or not an activity', async () => {
    expect((await postActivity(teams.t.spoc.url, '{"type": "message",', valid())).status).toBe(400);
    expect((await postActivity(teams.t.spoc.url, '[1, 2]', valid())).status).toBe(400);
    expect((await postActivity(teams.t.spoc.url, { text: 'no type' }, valid())).status).toBe(400);
    expect(await rows()).toHaveLength(0);
  });

  it('405 for anything but POST', async () => {
    const res = await fetch(`${teams.t.spoc.url}/api/messages`);
    expect(res.status).toBe(405);
  });

  it('never logs the token', () => {
    const token = valid();
    expect(teams.t.logLines.join('\n')).not.toContain(token.split('.')[2]);
    expect(teams.t.logLines.join('\n')).not.toContain('test-app-password');
  });
});
