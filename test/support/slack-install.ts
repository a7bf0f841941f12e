/**
 * Installing SPOC the way Slack does it (the OAuth flow, as a browser and Slack drive it) and the
 * Events API envelopes that tell of an uninstall.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { expect } from 'vitest';
import { BOT_SCOPES, createSlackApp } from '../../src/bot/slack/app';
import { createSlackDeliverer } from '../../src/bot/slack/delivery';
import { databaseInstallationStore } from '../../src/bot/slack/installation-store';
import { createSealer } from '../../src/db/encryption';
import type { Clock } from '../../src/domain/clock';
import { createLogger } from '../../src/log';
import { createOutboxDispatcher } from '../../src/worker/outbox-dispatcher';
import type { TestDatabase } from './db';
import { uniqueId } from './factories';
import { pinAuthTest, SLACK, type SlackTestApp, settleTopic, TEST_ENCRYPTION_KEY } from './slack-app';
import { API_APP_ID, BOT_TOKEN, SIGNING_SECRET, type SignedRequest, sign } from './slack-payloads';
import { until } from './wait';

export const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** An Events API envelope as Slack sends it, signed. */
export function eventCallback(
  clock: Clock,
  teamId: string,
  event: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): SignedRequest {
  return sign(
    JSON.stringify({
      token: 'legacy-verification-token',
      team_id: teamId,
      api_app_id: API_APP_ID,
      event: { ...event, event_ts: `${seconds(clock.now())}.000100` },
      type: 'event_callback',
      event_id: uniqueId('Ev'),
      event_time: seconds(clock.now()),
      ...extra,
    }),
    'application/json',
  );
}

/**
 * The OAuth install as a browser and Slack drive it: `/slack/install` sets the state cookie and
 * sends the browser to Slack, Slack sends it back to `/slack/oauth_redirect` with a code, which
 * SPOC exchanges (`oauth.v2.access`, answered with `access`) and stores.
 */
export async function installThroughOAuth(
  testApp: Pick<SlackTestApp, 'url'>,
  access: Record<string, unknown>,
) {
  const started = await fetch(`${testApp.url}/slack/install`, { redirect: 'manual' });
  const state = new URL(started.headers.get('location') ?? '').searchParams.get('state');
  const cookie = started.headers.get('set-cookie')?.split(';')[0];
  if (!state || !cookie) throw new Error('the install did not start');
  const exchange = nock(SLACK)
    .post('/api/oauth.v2.access', (body) => body.code === 'c0de-from-slack')
    .reply(200, access);
  const back = await fetch(`${testApp.url}/slack/oauth_redirect?code=c0de-from-slack&state=${state}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  expect(exchange.isDone()).toBe(true);
  expect(back.status).toBe(200);
}

/** `oauth.v2.access` for a workspace install, as Slack answers it. */
export function workspaceAccess(teamId: string, token = BOT_TOKEN) {
  return {
    ok: true,
    app_id: API_APP_ID,
    authed_user: { id: 'U0INSTALLER' },
    scope: BOT_SCOPES.join(','),
    token_type: 'bot',
    access_token: token,
    bot_user_id: 'UBOT',
    team: { id: teamId, name: 'Hillside Primary' },
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** The test app (as `startSlackTestApp` makes it), logging at debug into `lines`. */
export interface LoggedSlackApp extends Omit<SlackTestApp, 'get' | 'close'> {
  lines: Array<Record<string, unknown>>;
  /** The first line logged with this message, once there is one (the app acks events before acting). */
  logged(msg: string): Promise<Record<string, unknown>>;
}

export async function startLoggedSlackApp(tdb: TestDatabase, clock: Clock): Promise<LoggedSlackApp> {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
  pinAuthTest();
  const slack = createSlackApp({
    mode: {
      kind: 'oauth',
      signingSecret: SIGNING_SECRET,
      clientId: '1111.2222',
      clientSecret: 'test-client-secret',
      stateSecret: 'test-state-secret',
      encryptionKeys: [TEST_ENCRYPTION_KEY],
    },
    database: tdb,
    clock,
    log,
    kick: () => {},
    clientOptions: { retryConfig: { retries: 0 } },
  });
  const server = (await slack.start(0, '127.0.0.1')) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = databaseInstallationStore(tdb.db, clock, createSealer([TEST_ENCRYPTION_KEY]));
  const dispatcher = createOutboxDispatcher({
    db: tdb.db,
    clock,
    log,
    deliverer: createSlackDeliverer({ db: tdb.db, clock, log, clientFor: slack.clientFor }),
  });
  return {
    url,
    lines,
    logged: (msg) => until(() => lines.find((l) => l.msg === msg), `the log line "${msg}"`),
    settleTopic: (teamId) => settleTopic(tdb, teamId),
    install: (teamId) =>
      store.storeInstallation({
        team: { id: teamId, name: 'Hillside Primary' },
        enterprise: undefined,
        user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
        bot: { id: 'BBOT', userId: 'UBOT', token: BOT_TOKEN, scopes: ['commands', 'chat:write'] },
        isEnterpriseInstall: false,
        authVersion: 'v2',
      }),
    async send(request, path = '/slack/events') {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text) };
    },
    dispatcher,
    async stop() {
      await slack.stop();
      nock.cleanAll();
    },
  };
}
