/**
 * Starts SPOC: database (migrated), the Slack app with its HTTP routes, and the outbox
 * dispatcher. `main.ts` calls this with the parsed environment; tests call it the same way.
 * In playground mode (no credentials) the same app runs against the local playground: its page
 * and fake Web API listen on HOST:PORT, the Bolt app on a loopback port only the playground uses.
 */

import type { AddressInfo } from 'node:net';
import type { WebClientOptions } from '@slack/web-api';
import { type Playground, startPlayground } from './bot/playground/playground';
import { createSlackApp, type SocketOptions } from './bot/slack/app';
import { createSlackDeliverer, type SlackClientFor } from './bot/slack/delivery';
import { resealInstallations } from './bot/slack/installation-store';
import type { Config, SlackMode } from './config';
import { type Database, openDatabase } from './db/client';
import { createSealer, SealError } from './db/encryption';
import { findSchoolBySlackTeam } from './db/queries/schools';
import { type Clock, systemClock } from './domain/clock';
import { DEMO_TEAM_ID } from './domain/demo/demo-school';
import type { Logger } from './log';
import { OperatorError } from './operator-error';
import { createOutboxDispatcher, type OutboxDispatcher } from './worker/outbox-dispatcher';
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
   * Base URL of the HTTP listener (Slack events, health; only health in Socket Mode; the
   * playground's page in playground mode).
   */
  url: string;
  database: Database;
  /** The local playground, in playground mode. */
  playground?: Playground;
  dispatcher: OutboxDispatcher;
  stop(): Promise<void>;
}

export async function startSpoc(config: Config, options: StartOptions): Promise<RunningSpoc> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  if (!config.slack && !config.playground) throw new Error('startSpoc needs Slack credentials');
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
  let mode: SlackMode & { apiUrl?: string };
  if (config.slack) mode = config.slack;
  else {
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
  const slack = createSlackApp({
    mode,
    database,
    clock,
    log,
    kick: () => dispatcher?.kick(),
    clientOptions: options.slackClientOptions,
    socket: options.slackSocket,
  });
  // The playground's pretend Slack serves its demo team only: another school's messages wait for
  // a real Slack (never marked sent), and the reminder worker leaves other schools alone.
  const onlyTeam = playground?.workspace.identity.teamId;
  // And the other way round: a real Slack never gets the demo school's messages (a database first
  // used by the playground, then given credentials). They wait, as for a workspace with no token.
  const clientFor: SlackClientFor = onlyTeam
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
    deliverer: createSlackDeliverer({ db: database.db, clock, log, clientFor }),
  });

  let url: string;
  if (playground) {
    // Only the playground talks to the app, over loopback, signed with the secret made up at start.
    const server = await slack.start(0, '127.0.0.1');
    const address = server.address() as AddressInfo;
    playground.connect({
      eventsUrl: `http://127.0.0.1:${address.port}/slack/events`,
      kick: () => dispatcher?.kick(),
    });
    url = playground.url;
  } else {
    // In Socket Mode this serves the health routes while the socket connects in the background.
    const server = await slack.start(config.port, config.host);
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
    async stop() {
      await reminders?.stop();
      await slack.stop();
      await dispatcher?.stop();
      // After the dispatcher: what it was delivering lands in the workspace before it is saved.
      await playground?.close();
      await database.close();
    },
  };
}
