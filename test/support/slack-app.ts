/**
 * The real Bolt app (HTTP receiver, request gate, signature checks and all) on an ephemeral
 * loopback port, with the Slack Web API pinned by nock. Tests send signed requests and read what
 * the app sent Slack. It runs as a multi-workspace (OAuth) app, since tests make many schools:
 * each test workspace is installed first (`install`, which `slackSchool` does), exactly as a
 * real workspace must be before SPOC serves it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import nock from 'nock';
import { createSlackApp } from '../../src/bot/slack/app';
import { createSlackDeliverer } from '../../src/bot/slack/delivery';
import { databaseInstallationStore } from '../../src/bot/slack/installation-store';
import { createSealer } from '../../src/db/encryption';
import type { Clock } from '../../src/domain/clock';
import { silentLogger } from '../../src/log';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/worker/outbox-dispatcher';
import type { TestDatabase } from './db';
import { uniqueId } from './factories';
import {
  BOT_TOKEN,
  RESPONSE_URL_HOST,
  SIGNING_SECRET,
  type SignedRequest,
  slashCommand,
  type Who,
} from './slack-payloads';

export const SLACK = 'https://slack.com';

/** `auth.test`, which the app calls once to learn its bot ids. */
export function pinAuthTest(): void {
  nock(SLACK)
    .persist()
    .post('/api/auth.test')
    .matchHeader('authorization', `Bearer ${BOT_TOKEN}`)
    .reply(200, {
      ok: true,
      url: 'https://hillside.slack.com/',
      team: 'Hillside',
      user: 'spoc',
      team_id: 'T0ANY',
      user_id: 'UBOT',
      bot_id: 'BBOT',
    });
}

/** Fails the test if a pinned call was never made; leaves only `auth.test` pinned. */
export function assertAllCallsMade(): void {
  const pending = nock.pendingMocks().filter((m) => !m.includes('auth.test'));
  nock.cleanAll();
  pinAuthTest();
  if (pending.length > 0) throw new Error(`Slack calls pinned but never made: ${pending.join(', ')}`);
}

export interface Response {
  status: number;
  text: string;
  json(): Record<string, unknown>;
}

/** The key the test app seals its installations with. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7);

export interface SlackTestApp {
  url: string;
  /** Installs SPOC in a workspace (stores its installation, bot token BOT_TOKEN). */
  install(teamId: string): Promise<void>;
  send(request: SignedRequest, path?: string): Promise<Response>;
  get(path: string): Promise<Response>;
  dispatcher: OutboxDispatcher;
  /**
   * Takes the workspace's channel-topic messages (queued by `/spoc setup`) out of the outbox, as
   * if the topic were set long ago: for tests about the other messages, which count them.
   */
  settleTopic(teamId: string): Promise<void>;
  stop(): Promise<void>;
  /** Stops serving, leaving the pinned Slack calls in place (for a second app within one test). */
  close(): Promise<void>;
}

/**
 * Takes a workspace's channel-topic messages out of the outbox, as if the topic were set long ago
 * (`settleTopic`): tests about other messages count the outbox's rows and what it sends.
 */
export async function settleTopic(tdb: TestDatabase, teamId: string): Promise<void> {
  await tdb.db.execute(sql`
    delete from outbox
    where message->>'type' = 'channel.topic'
      and school_id in (select id from schools where slack_team_id = ${teamId})`);
}

export async function startSlackTestApp(
  tdb: TestDatabase,
  clock: Clock,
  options: { ackBudgetMs?: number } = {},
): Promise<SlackTestApp> {
  const log = silentLogger;
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
    ackBudgetMs: options.ackBudgetMs,
  });
  const server = (await slack.start(0, '127.0.0.1')) as Server;
  const store = databaseInstallationStore(tdb.db, clock, createSealer([TEST_ENCRYPTION_KEY]));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dispatcher = createOutboxDispatcher({
    db: tdb.db,
    clock,
    log,
    deliverer: createSlackDeliverer({ db: tdb.db, clock, log, clientFor: slack.clientFor }),
  });
  const wrap = async (res: globalThis.Response): Promise<Response> => {
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };
  return {
    url,
    install: (teamId) =>
      store.storeInstallation({
        team: { id: teamId, name: 'Hillside Primary' },
        enterprise: undefined,
        user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
        bot: { id: 'BBOT', userId: 'UBOT', token: BOT_TOKEN, scopes: ['commands', 'chat:write'] },
        isEnterpriseInstall: false,
        authVersion: 'v2',
      }),
    send: async (request, path = '/slack/events') =>
      wrap(await fetch(`${url}${path}`, { method: 'POST', headers: request.headers, body: request.body })),
    get: async (path) => wrap(await fetch(`${url}${path}`)),
    dispatcher,
    settleTopic: (teamId) => settleTopic(tdb, teamId),
    async stop() {
      await slack.stop();
      nock.cleanAll();
    },
    close: () => slack.stop(),
  };
}

/** A recorded Web API call: form fields, with the JSON-in-form ones (blocks, view) parsed. */
export type ApiArgs = Record<string, unknown> & {
  /** Order in which the app made this call, across all pinned methods. */
  seq?: number;
  blocks?: Array<Record<string, unknown>>;
  view?: Record<string, unknown>;
};

function parseArgs(body: unknown): ApiArgs {
  const fields: Record<string, unknown> =
    typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : { ...(body as object) };
  for (const key of ['blocks', 'view', 'attachments']) {
    if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key] as string);
  }
  return fields as ApiArgs;
}

let callSeq = 0;

/**
 * Pins one Web API call: records its arguments and answers with `reply` (an object, or a
 * [status, body, headers] triple). Returns the recorded calls and the nock scope.
 */
export function expectApi(
  method: string,
  reply: object | [number, object, Record<string, string>?] = { ok: true },
  options: { times?: number; match?: (args: ApiArgs) => boolean } = {},
): { calls: ApiArgs[]; scope: nock.Scope } {
  const calls: ApiArgs[] = [];
  const scope = nock(SLACK)
    .post(`/api/${method}`, (body) => options.match?.(parseArgs(body)) ?? true)
    .matchHeader('authorization', `Bearer ${BOT_TOKEN}`)
    .times(options.times ?? 1)
    .reply((_uri, body) => {
      calls.push({ ...parseArgs(body), seq: ++callSeq });
      if (Array.isArray(reply)) return [reply[0], reply[1], reply[2] ?? {}];
      return [200, reply];
    });
  return { calls, scope };
}

/** Pins a POST to a response_url and records the JSON sent. */
export function expectResponseUrl(path: string): {
  calls: Array<Record<string, unknown>>;
  scope: nock.Scope;
} {
  const calls: Array<Record<string, unknown>> = [];
  const scope = nock(RESPONSE_URL_HOST)
    .post(path)
    .reply((_uri, body) => {
      calls.push(body as Record<string, unknown>);
      return [200, 'ok'];
    });
  return { calls, scope };
}

/** Every string in a Block Kit payload, for assertions that do not depend on layout. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(textOf).join('\n');
  return '';
}

/**
 * A school set up the way a real one is, through Slack: an admin runs `/spoc setup` in the
 * channel and gives an office member and a technician their roles. The teacher has no role yet.
 */
export async function slackSchool(app: SlackTestApp, channel = 'C0SPOC0010') {
  const teamId = uniqueId('T');
  const who = (name: string): Who => ({ teamId, userId: uniqueId('U'), userName: name });
  const admin = who('head');
  const office = who('mrs.office');
  const tech = who('sam.tech');
  const teacher = who('ms.patel');
  await app.install(teamId);
  const setup = await app.send(slashCommand(admin, '/spoc', 'setup', channel));
  if (!setup.text.includes('is now the SPOC channel')) throw new Error(`setup failed: ${setup.text}`);
  await app.settleTopic(teamId);
  await app.send(slashCommand(admin, '/spoc', `role <@${office.userId}> office`));
  await app.send(slashCommand(admin, '/spoc', `role <@${tech.userId}> technician`));
  return { teamId, channel, admin, office, tech, teacher };
}
