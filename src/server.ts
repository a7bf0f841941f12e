/**
 * Starts SPOC: database (migrated), the Slack app with its HTTP routes, and the outbox
 * dispatcher. `main.ts` calls this with the parsed environment; tests call it the same way.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebClientOptions } from '@slack/web-api';
import { createSlackApp } from './bot/slack/app';
import { createSlackDeliverer } from './bot/slack/delivery';
import type { Config } from './config';
import { type Database, openDatabase } from './db/client';
import { type Clock, systemClock } from './domain/clock';
import type { Logger } from './log';
import { createOutboxDispatcher, type OutboxDispatcher } from './worker/outbox-dispatcher';
import { startReminderWorker } from './worker/reminder-worker';

export interface StartOptions {
  log: Logger;
  clock?: Clock;
  /** Extra Web API client options (tests: `retryConfig`). */
  slackClientOptions?: WebClientOptions;
  /** How often the outbox is polled besides the kicks after each command. */
  outboxIntervalMs?: number;
}

export interface RunningSpoc {
  /** Base URL of the HTTP listener (Slack events, health). */
  url: string;
  database: Database;
  dispatcher: OutboxDispatcher;
  stop(): Promise<void>;
}

export async function startSpoc(config: Config, options: StartOptions): Promise<RunningSpoc> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  if (!config.slack) throw new Error('startSpoc needs Slack credentials');
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  log.info({ database: database.kind }, 'database ready');

  let dispatcher: OutboxDispatcher | undefined;
  const slack = createSlackApp({
    mode: config.slack,
    database,
    clock,
    log,
    kick: () => dispatcher?.kick(),
    clientOptions: options.slackClientOptions,
    port: config.port,
  });
  dispatcher = createOutboxDispatcher({
    db: database.db,
    clock,
    log: log.child({ component: 'outbox' }),
    deliverer: createSlackDeliverer({ db: database.db, clock, log, clientFor: slack.clientFor }),
  });

  let url: string;
  if (config.slack.kind === 'socket') {
    await slack.app.start();
    url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  } else {
    const server = (await slack.app.start({ port: config.port, host: config.host })) as Server;
    const address = server.address() as AddressInfo;
    url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
  }
  dispatcher.start(options.outboxIntervalMs);
  dispatcher.kick();
  const reminders = config.worker
    ? startReminderWorker({ db: database.db, clock, log, kick: () => dispatcher?.kick() })
    : undefined;
  log.info(
    { worker: config.worker },
    config.worker ? 'reminder worker running' : 'reminder worker off (SPOC_WORKER=off)',
  );

  return {
    url,
    database,
    dispatcher,
    async stop() {
      await reminders?.stop();
      await slack.app.stop();
      await dispatcher?.stop();
      await database.close();
    },
  };
}
