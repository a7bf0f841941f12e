/**
 * Starts SPOC: database (migrated), the Slack app with its HTTP routes, the Teams app on
 * `POST /api/messages` of the same server, and the outbox dispatcher. `main.ts` calls this with
 * the parsed environment; tests call it the same way.
 * In playground mode (no credentials) the same app runs against the local playground: its page
 * and fake Web API listen on HOST:PORT, the Bolt app on a loopback port only the playground uses.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebClientOptions } from '@slack/web-api';
import { type Playground, startPlayground } from './bot/playground/playground';
import { createSlackApp, DRAIN_MS, type SocketOptions } from './bot/slack/app';
import { createSlackDeliverer, type SlackClientFor } from './bot/slack/delivery';
import { resealInstallations } from './bot/slack/installation-store';
import type { TeamsApp } from './bot/teams/app';
import type { Config, SlackMode } from './config';
import { type Database, openDatabase, ping } from './db/client';
import { createSealer, SealError } from './db/encryption';
import { createPhotoStore, photoStorageFor } from './db/photo-store';
import { findSchoolBySlackTeam } from './db/queries/schools';
import { type Clock, systemClock } from './domain/clock';
import { DEMO_TEAM_ID } from './domain/demo/demo-school';
import type { Logger } from './log';
import { OperatorError } from './operator-error';
import { createOutboxDispatcher, type OutboxDispatcher } from './worker/outbox-dispatcher';
import { deliverByPlatform } from './worker/platform-deliverer';
import { startReminderWorker } from './worker/reminder-worker';

export interface StartOptions {
  log: Logger;
  clock?: Clock;
  /** Extra Web API client options (tests: `retryConfig`). */
  slackClientOptions?: WebClientOptions;
  /** How often the outbox is polled besides the kicks after each command. */
  outboxIntervalMs?: number;
  /** Socket Mode's retry timings (tests shorten them). */
  slackSocket?: SocketOptions;
}

export interface RunningSpoc {
  /**
   * Base URL of the HTTP listener (Slack events, Teams' `/api/messages`, health; no Slack events
   * in Socket Mode; the playground's page in playground mode).
   */
  url: string;
  database: Database;
  /** The Teams app, when Teams credentials are set (its proactive sender, for the deliverer). */
  teams?: TeamsApp;
  /** The local playground, in playground mode. */
  playground?: Playground;
  dispatcher: OutboxDispatcher;
  stop(): Promise<void>;
}

export async function startSpoc(config: Config, options: StartOptions): Promise<RunningSpoc> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  if (!config.slack && !config.teams && !config.playground && !config.teamsLocal)
    throw new Error('startSpoc needs Slack or Teams credentials, or the playground');
  if (config.teamsLocal) {
    checkTeamsLocal(config);
    log.warn(
      { teamsLocal: true, host: config.host },
      "TEAMS LOCAL MODE: Bot Framework authentication is OFF, every request to /api/messages is answered unsigned. Allowed only because SPOC_TEAMS_LOCAL=1, SPOC listens on 127.0.0.1 alone, TEAMS_APP_ID is unset and the database is the embedded one: for Microsoft's Agents Playground on this machine, never a deployment",
    );
  }
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  log.info({ database: database.kind }, 'database ready');
  if (config.slack?.kind === 'oauth') {
    // Installations stored before tokens were sealed, or sealed with a key being rotated out.
    try {
      const sealed = await resealInstallations(database.db, createSealer(config.slack.encryptionKeys), clock);
      if (sealed.resealed > 0) log.info(sealed, 'Slack installations sealed with the current key');
    } catch (error) {
      await database.close();
      if (error instanceof SealError)
        throw new OperatorError(
          `${error.message}: add that key after the current one in SPOC_ENCRYPTION_KEY.`,
        );
      throw error;
    }
  }

  let playground: Playground | undefined;
  let mode: (SlackMode & { apiUrl?: string }) | undefined = config.slack ?? undefined;
  if (config.playground) {
    try {
      playground = await startPlayground({
        host: config.host,
        port: config.port,
        database,
        clock,
        log: log.child({ component: 'playground' }),
        dataDir: 'dataDir' in config.database ? config.database.dataDir : undefined,
      });
    } catch (error) {
      await database.close();
      throw error;
    }
    mode = playground.slackMode;
  }

  let dispatcher: OutboxDispatcher | undefined;
  const slack = mode
    ? createSlackApp({
        mode,
        database,
        clock,
        log,
        kick: () => dispatcher?.kick(),
        clientOptions: options.slackClientOptions,
        socket: options.slackSocket,
      })
    : undefined;
  // botbuilder (about 50 MiB resident) is loaded only when Teams is served.
  const teamsModules =
    config.teams || config.teamsLocal
      ? await Promise.all([import('./bot/teams/app'), import('./bot/teams/delivery')])
      : undefined;
  const teams = !teamsModules
    ? undefined
    : config.teams
      ? teamsModules[0].createTeamsApp({
          database,
          clock,
          log,
          credentials: config.teams,
          kick: () => dispatcher?.kick(),
        })
      : teamsModules[0].createTeamsApp({ database, clock, log, local: true, kick: () => dispatcher?.kick() });
  // The playground's pretend Slack serves its demo team only: another school's messages wait for
  // a real Slack (never marked sent), and the reminder worker leaves other schools alone.
  const onlyTeam = playground?.workspace.identity.teamId;
  // And the other way round: a real Slack never gets the demo school's messages (a database first
  // used by the playground, then given credentials). They wait, as for a workspace with no token.
  // With Teams only, every Slack school's messages wait, as for a workspace with no token.
  const clientFor: SlackClientFor = !slack
    ? async () => undefined
    : onlyTeam
      ? async (teamId) => (teamId === onlyTeam ? slack.clientFor(teamId) : undefined)
      : async (teamId) => (teamId === DEMO_TEAM_ID ? undefined : slack.clientFor(teamId));
  if (!playground && (await findSchoolBySlackTeam(database.db, DEMO_TEAM_ID))) {
    log.warn(
      { teamId: DEMO_TEAM_ID },
      "this database holds the playground's demo school: its messages are not sent to Slack (give the playground its own SPOC_DATA_DIR)",
    );
  }
  dispatcher = createOutboxDispatcher({
    db: database.db,
    clock,
    log: log.child({ component: 'outbox' }),
    // Slack asks for about one message a second to a channel; Teams (whose 429s are honoured as
    // they come) and the playground's own fake Slack ask for no pace.
    paceMs: config.slack && !config.playground ? 1_000 : 0,
    // Each school's messages through its own platform: Slack's workspace or Teams' tenant.
    deliverer: deliverByPlatform({
      db: database.db,
      clock,
      slack: createSlackDeliverer({
        db: database.db,
        clock,
        log,
        clientFor,
        photos: createPhotoStore(photoStorageFor(config)),
      }),
      teams:
        teams &&
        teamsModules?.[1].createTeamsDeliverer({
          db: database.db,
          clock,
          log,
          sender: teamsModules[1].withUpdates(teams.sender, teams.adapter, config.teams?.appId ?? ''),
        }),
    }),
  });

  let url: string;
  let server: Server;
  let teamsOnly: Server | undefined;
  if (playground && slack) {
    // Only the playground talks to the app, over loopback, signed with the secret made up at start.
    server = await slack.start(0, '127.0.0.1');
    const address = server.address() as AddressInfo;
    playground.connect({
      eventsUrl: `http://127.0.0.1:${address.port}/slack/events`,
      kick: () => dispatcher?.kick(),
    });
    url = playground.url;
  } else {
    try {
      if (slack) {
        // In Socket Mode this serves the health routes while the socket connects in the background.
        server = await slack.start(config.port, config.host);
        if (teams) routeTeamsRequests(server, teams);
      } else if (teams) {
        server = teamsOnly = await listen(
          createServer(teamsOnlyListener(teams, database)),
          config.port,
          config.host,
        );
      } else {
        throw new Error('no platform to serve');
      }
    } catch (error) {
      await slack?.stop();
      await database.close();
      throw error;
    }
    const address = server.address() as AddressInfo;
    url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
  }
  dispatcher.start(options.outboxIntervalMs);
  dispatcher.kick();
  const reminders = config.worker
    ? startReminderWorker({
        db: database.db,
        clock,
        log,
        kick: () => dispatcher?.kick(),
        onlySlackTeam: onlyTeam,
        elect: (key, fn) => database.exclusive(key, fn),
      })
    : undefined;
  log.info(
    { worker: config.worker },
    config.worker ? 'reminder worker running' : 'reminder worker off (SPOC_WORKER=off)',
  );

  return {
    url,
    database,
    dispatcher,
    playground,
    teams,
    async stop() {
      await reminders?.stop();
      // Teams requests under way are answered with `Connection: close`, like Slack's; the
      // server's close (Slack's stop, or ours with Teams only) waits for them.
      teams?.drain();
      await slack?.stop();
      if (teamsOnly) await closeServer(teamsOnly, DRAIN_MS);
      await dispatcher?.stop();
      // After the dispatcher: what it was delivering lands in the workspace before it is saved.
      await playground?.close();
      await database.close();
    },
  };
}

/**
 * Local Teams mode answers `/api/messages` with no token at all: allowed only on 127.0.0.1, with
 * no credentials of any kind, on the embedded database (parseConfig says so first; a Config made
 * by hand is checked here too). Said loudly at start.
 */
function checkTeamsLocal(config: Config): void {
  const refuse = (why: string) =>
    new OperatorError(`SPOC_TEAMS_LOCAL=1 turns Bot Framework authentication off, so ${why}.`);
  if (config.teams) throw refuse('it is refused when TEAMS_APP_ID is set: unset one of them');
  if (config.host !== '127.0.0.1')
    throw refuse(`it listens on 127.0.0.1 only, never ${config.host}: unset HOST`);
  if (config.slack || config.playground) throw refuse('it runs on its own: unset the SLACK_* credentials');
  if (!('dataDir' in config.database))
    throw refuse('it runs on the embedded database (SPOC_DATA_DIR) only: unset DATABASE_URL');
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://localhost').pathname;
}

/**
 * Slack and Teams on one server: `/api/messages` goes to Teams, everything else to the Slack
 * app's own listener (its request gate, Bolt, the health routes) as before.
 */
function routeTeamsRequests(server: Server, teams: TeamsApp): void {
  const slackListeners = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (pathOf(req) === teams.path) return teams.handle(req, res);
    for (const listener of slackListeners) listener.call(server, req, res);
  });
}

/** Teams alone: `/api/messages`, `/healthz` and `/readyz` (ready when the database answers). */
function teamsOnlyListener(teams: TeamsApp, database: Database) {
  const send = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    if (path === teams.path) return teams.handle(req, res);
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, { ok: true });
    if (req.method === 'GET' && path === '/readyz') {
      void ping(database).then((reachable) =>
        send(res, reachable ? 200 : 503, {
          ok: reachable,
          database: reachable ? 'reachable' : 'unreachable',
        }),
      );
      return;
    }
    res.writeHead(404).end();
  };
}

async function listen(server: Server, port: number, host: string): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** As Slack's stop: no new connections, idle ones closed now, busy ones once answered, the rest cut after the grace. */
async function closeServer(server: Server, graceMs: number): Promise<void> {
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearTimeout(cut);
}
