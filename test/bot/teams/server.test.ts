/**
 * Where `/api/messages` is served: with Teams alone, a server of its own with the health routes;
 * with Slack too, the same server as Slack's events. Requests under way when SPOC stops are
 * answered, with `Connection: close`.
 */
import { Agent, request } from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsConversations } from '../../../src/db/schema';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack';
import { BOT_TOKEN, SIGNING_SECRET, sign } from '../../support/slack-payloads';
import { APP_ID, personalInstall, SERVICE_URL } from '../../support/teams-activities';
import { postActivity, startTeamsSpoc, type TeamsSpoc } from '../../support/teams-app';
import { channelToken, makeSigningKey, pinBotFrameworkKeys } from '../../support/teams-auth';

const key = makeSigningKey('spoc-server-key');
beforeAll(() => {
  pinBotFrameworkKeys([key]);
});
afterAll(() => {
  nock.cleanAll();
});

/** Sends the head and half the body of an activity, then the rest when told: a request under way. */
function slowPost(baseUrl: string, body: string, token: string) {
  const url = new URL('/api/messages', baseUrl);
  let finish = () => {};
  const response = new Promise<{ status: number; connection?: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        // A client that keeps its connection open unless told otherwise, as the Bot Framework's does.
        agent: new Agent({ keepAlive: true }),
        headers: {
          connection: 'keep-alive',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
    finish = () => req.end(body.slice(10));
  });
  return { response, finish: () => finish() };
}

describe('Teams alone', () => {
  let t: TeamsSpoc;
  beforeAll(async () => {
    t = await startTeamsSpoc();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('serves /api/messages, /healthz and /readyz, and nothing else', async () => {
    expect((await postActivity(t.spoc.url, personalInstall())).status).toBe(401);
    expect((await fetch(`${t.spoc.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.spoc.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, database: 'reachable' });
    expect((await fetch(`${t.spoc.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('answers a request under way when it stops, with Connection: close, and stores its reference', async () => {
    const token = channelToken(key, { appId: APP_ID, serviceUrl: SERVICE_URL });
    const slow = slowPost(t.spoc.url, JSON.stringify(personalInstall()), token);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = t.spoc.stop();
    await new Promise((r) => setTimeout(r, 50));
    slow.finish();
    const answer = await slow.response;
    expect(answer).toEqual({ status: 200, connection: 'close' });
    await stopping;
    // Stored before the database closed: a new SPOC on the same data sees it.
    const again = await t.again();
    expect(await again.database.db.select().from(teamsConversations)).toHaveLength(1);
  });
});

describe('Slack and Teams together', () => {
  let fake: FakeSlack;
  let t: TeamsSpoc;
  beforeAll(async () => {
    fake = await startFakeSlack({ teamId: 'T0SPOCBOTH' });
    t = await startTeamsSpoc({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
    });
  });
  afterAll(async () => {
    await t?.destroy();
    await fake?.close();
  });

  it('serves both on one server: Slack events through Slack’s gate, activities through Teams’', async () => {
    const challenge = sign(
      JSON.stringify({ token: 'legacy', challenge: 'both-ok', type: 'url_verification' }),
      'application/json',
    );
    const slack = await fetch(`${t.spoc.url}/slack/events`, {
      method: 'POST',
      headers: challenge.headers,
      body: challenge.body,
    });
    expect(slack.status).toBe(200);
    expect(await slack.text()).toContain('both-ok');
    expect((await fetch(`${t.spoc.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(401);

    expect((await postActivity(t.spoc.url, personalInstall())).status).toBe(401);
    const token = channelToken(key, { appId: APP_ID, serviceUrl: SERVICE_URL });
    expect((await postActivity(t.spoc.url, personalInstall(), token)).status).toBe(200);
    expect(await t.spoc.database.db.select().from(teamsConversations)).toHaveLength(1);
    expect((await fetch(`${t.spoc.url}/readyz`)).status).toBe(200);
  });
});
