/**
 * Proactive sends, from references in Postgres: a reference stored by one SPOC is used by the
 * next (a restart, or another process) to send into that conversation, and a new post goes into
 * a channel with its message id returned. Every connector call is pinned.
 */
import nock from 'nock';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  findPersonalTeamsConversation,
  findTeamsConversation,
} from '../../../src/db/queries/teams-conversations';
import {
  CHANNEL_ID,
  PERSONAL_CONVERSATION_ID,
  personalInstall,
  SERVICE_URL,
  TEACHER,
  TENANT_ID,
  teamInstall,
} from '../../support/teams-activities';
import { postActivity, type TeamsSpoc } from '../../support/teams-app';
import { BOT_ACCESS_TOKEN } from '../../support/teams-auth';
import { useTeamsSpoc } from '../../support/teams-harness';

const teams = useTeamsSpoc('spoc-proactive-key', { recordConnector: false });
/** The SPOC of the moment (the first one is stopped by the restart test). */
let running: TeamsSpoc['spoc'];

beforeAll(() => {
  running = teams.t.spoc;
});

describe('proactive sends', () => {
  it('a reference stored before a restart is used after it to send into the personal chat', async () => {
    const token = teams.token();
    expect((await postActivity(teams.t.spoc.url, personalInstall(), token)).status).toBe(200);
    await teams.t.spoc.stop();

    const next = await teams.t.again();
    running = next;
    const stored = await findPersonalTeamsConversation(next.database.db, TENANT_ID, TEACHER.aadObjectId);
    expect(stored?.conversationId).toBe(PERSONAL_CONVERSATION_ID);

    const seen: { body?: Record<string, unknown>; auth?: string } = {};
    const post = nock('https://smba.trafficmanager.net')
      .post(`/uk/v3/conversations/${encodeURIComponent(PERSONAL_CONVERSATION_ID)}/activities`, (body) => {
        seen.body = body;
        return true;
      })
      .reply(function () {
        seen.auth = this.req.headers.authorization as string;
        return [201, { id: '1:proactive-1' }];
      });
    const sent = await next.teams?.sender.sendTo(stored?.reference ?? {}, {
      type: 'message',
      text: 'INC-1 was claimed by Sam.',
    });
    expect(post.isDone()).toBe(true);
    expect(sent?.activityId).toBe('1:proactive-1');
    expect(seen.auth).toBe(`Bearer ${BOT_ACCESS_TOKEN}`);
    expect(seen.body).toMatchObject({
      type: 'message',
      text: 'INC-1 was claimed by Sam.',
      conversation: { id: PERSONAL_CONVERSATION_ID },
    });
    // A new message, not a reply to whatever activity the reference was stored from.
    expect(seen.body?.replyToId).toBeUndefined();
  });

  it('posts a new message into a channel and says its message id', async () => {
    const token = teams.token();
    const spoc = running;
    expect((await postActivity(spoc.url, teamInstall(), token)).status).toBe(200);
    const channel = await findTeamsConversation(
      spoc.database.db,
      '19:d9f2fa1b0b6e4c4b8c0a1d1e2f3a4b5c@thread.tacv2',
    );
    expect(channel?.kind).toBe('channel');

    let created: Record<string, unknown> | undefined;
    const post = nock('https://smba.trafficmanager.net')
      .post('/uk/v3/conversations', (body) => {
        created = body;
        return true;
      })
      .reply(201, { id: `${CHANNEL_ID};messageid=1700000000001`, activityId: '1700000000001' });
    const posted = await spoc.teams?.sender.postToChannel(
      SERVICE_URL,
      CHANNEL_ID,
      { type: 'message', text: 'New fault INC-2: projector in Room 4' },
      { tenantId: TENANT_ID },
    );
    expect(post.isDone()).toBe(true);
    expect(created).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: CHANNEL_ID }, tenant: { id: TENANT_ID } },
      activity: { type: 'message', text: 'New fault INC-2: projector in Room 4' },
    });
    expect(posted).toMatchObject({
      activityId: '1700000000001',
      conversationId: `${CHANNEL_ID};messageid=1700000000001`,
    });
    expect(posted?.reference.conversation?.id).toBe(`${CHANNEL_ID};messageid=1700000000001`);
  });
});
