/**
 * Builds the Bolt app for the configured mode — one workspace over HTTP, Socket Mode, or
 * multi-workspace OAuth — with the health routes and every listener registered.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { App, type Authorize, type CustomRoute, HTTPReceiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackMode } from '../../config';
import type { Database } from '../../db/client';
import { ping } from '../../db/client';
import { withoutQueryTimeout, withQueryTimeout } from '../../db/deadline';
import { createSealer } from '../../db/encryption';
import type { Clock } from '../../domain/clock';
import type { Logger } from '../../log';
import { boltLogger } from './bolt-logger';
import { cleanSlackInput } from './clean-input';
import type { SlackClientFor } from './delivery';
import type { SlackDeps } from './deps';
import { REQUEST_QUERY_TIMEOUT_MS } from './guard';
import { botTokenFromInstallation, databaseInstallationStore } from './installation-store';
import { registerFaultListeners } from './listeners/fault';
import { registerHome } from './listeners/home';
import { registerImportExport } from './listeners/import-export';
import { registerIncidentActions } from './listeners/incident-actions';
import { registerRegisterActions } from './listeners/register-actions';
import { registerReminderActions } from './listeners/reminder-actions';
import { registerReporterActions } from './listeners/reporter-actions';
import { registerSettingsActions } from './listeners/settings-command';
import { registerSpocCommand } from './listeners/spoc-command';
import { registerSupplyActions } from './listeners/supply-actions';
import { registerWorkItems } from './listeners/work-items';
import { classifySlackBody, workspaceOf } from './payload-shapes';
import { gateSlackRequests } from './request-gate';
import { answerUnknownRequests, ListenerIds } from './unknown-requests';
import {
  NOT_INSTALLED,
  type ServesWorkspace,
  servesInstalled,
  servesTokenOwner,
  type TokenOwner,
  tokenOwner,
} from './workspaces';

/** Bot scopes the app asks for; kept in step with manifests/slack/manifest.yaml. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'im:write',
  'users:read',
  'files:read',
  'files:write',
  // Reading back what SPOC itself posted, when a send's outcome is unknown, so it is not posted twice.
  'channels:history',
  'groups:history',
  'im:history',
];

export interface SlackAppOptions {
  mode: SlackMode & { apiUrl?: string };
  database: Database;
  clock: Clock;
  log: Logger;
  kick: () => void;
  /** Extra Web API client options (tests pass `retryConfig`). */
  clientOptions?: WebClientOptions;
  /** Port for Socket Mode's own HTTP server (health routes, OAuth). */
  port?: number;
}

export interface SlackApp {
  app: App;
  /** A Web API client for a workspace, for messages sent outside a request. */
  clientFor: SlackClientFor;
  /**
   * Starts serving: over HTTP (every `/slack/events` post through the request gate), or Socket
   * Mode's connection plus its small HTTP server for the health routes.
   */
  start(port: number, host: string): Promise<Server | undefined>;
  /** Stops taking requests and lets those under way finish, for at most `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

function healthRoutes(database: Database): CustomRoute[] {
  const send = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => send(res, 200, { ok: true }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        const ok = await ping(database);
        send(res, ok ? 200 : 503, { ok, database: ok ? 'reachable' : 'unreachable' });
      },
    },
  ];
}

/** Authorize for a single bot token: who the token is, from `auth.test` (asked once). */
function singleTokenAuthorize(token: string, owner: () => Promise<TokenOwner>): Authorize<boolean> {
  return async () => {
    const who = await owner();
    return {
      botToken: token,
      botId: who.botId,
      botUserId: who.botUserId,
      teamId: who.teamId,
      enterpriseId: who.enterpriseId,
    };
  };
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { mode, database, clock, log } = options;
  const clientOptions: WebClientOptions = {
    ...(mode.apiUrl ? { slackApiUrl: mode.apiUrl } : {}),
    ...options.clientOptions,
  };
  const logger = boltLogger(log);
  const common = { logger, clientOptions, convoStore: false as const };
  let app: App;
  let receiver: HTTPReceiver | undefined;
  let tokenFor: (teamId: string) => Promise<string | undefined>;
  let serves: ServesWorkspace;
  if (mode.kind === 'oauth') {
    const sealer = createSealer(mode.encryptionKeys);
    receiver = new HTTPReceiver({
      logger,
      signingSecret: mode.signingSecret,
      customRoutes: healthRoutes(database),
      clientId: mode.clientId,
      clientSecret: mode.clientSecret,
      stateSecret: mode.stateSecret,
      scopes: BOT_SCOPES,
      installationStore: databaseInstallationStore(database.db, clock, sealer),
      installerOptions: { directInstall: true, clientOptions },
    });
    app = new App({ ...common, receiver });
    tokenFor = (teamId) => botTokenFromInstallation(database.db, sealer, teamId);
    serves = servesInstalled(database.db);
  } else {
    // Learned at start, not on the first request; a failure is asked again when a request needs it.
    const owner = tokenOwner(mode.botToken, clientOptions);
    owner().catch((error: unknown) =>
      log.warn({ err: error }, 'Slack did not say whose bot token this is (auth.test); will ask again'),
    );
    serves = servesTokenOwner(owner);
    // A school of another workspace (from before SPOC checked) never gets this workspace's token.
    tokenFor = async (teamId) =>
      (await serves({ teamId, enterpriseId: teamId })) ? mode.botToken : undefined;
    if (mode.kind === 'socket') {
      app = new App({
        ...common,
        socketMode: true,
        appToken: mode.appToken,
        authorize: singleTokenAuthorize(mode.botToken, owner),
        customRoutes: healthRoutes(database),
        installerOptions: { port: options.port ?? 3000 },
      });
      // No request gate on a socket: the workspace check runs as the first middleware instead.
      app.use(async ({ body, next, ...args }) => {
        const parsed = classifySlackBody(body);
        const who = parsed ? workspaceOf(parsed) : undefined;
        if (who && (await serves(who))) return next();
        log.info({ ...who }, 'Slack request SPOC does not answer (shape or workspace): nothing done');
        const ack = 'ack' in args ? (args.ack as (r?: unknown) => Promise<void>) : undefined;
        await ack?.(
          parsed?.kind === 'command' ? { response_type: 'ephemeral', text: NOT_INSTALLED } : undefined,
        );
      });
    } else {
      receiver = new HTTPReceiver({
        logger,
        signingSecret: mode.signingSecret,
        customRoutes: healthRoutes(database),
      });
      app = new App({ ...common, receiver, authorize: singleTokenAuthorize(mode.botToken, owner) });
    }
  }

  // Slack re-sends a request it thinks timed out; the first delivery is already being handled.
  app.use(async ({ context, next }) => {
    if (context.retryReason === 'http_timeout') return;
    await next();
  });
  app.use(cleanSlackInput);
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled Slack error');
  });
  const listenerIds = ListenerIds.recordOn(app);
  app.use(answerUnknownRequests(listenerIds, log));

  // The outbox woken by a request works on its own time, not within the request's bound.
  const kick = () => withoutQueryTimeout(options.kick);
  const deps: SlackDeps = { db: database.db, clock, log, kick };
  registerFaultListeners(app, deps);
  registerIncidentActions(app, deps);
  registerRegisterActions(app, deps);
  registerSupplyActions(app, deps);
  registerWorkItems(app, deps);
  registerImportExport(app, deps);
  registerReminderActions(app, deps);
  registerSpocCommand(app, deps);
  registerHome(app, deps);
  registerReporterActions(app, deps);
  registerSettingsActions(app, deps);

  // Clients for outbox delivery: no hidden retries (the outbox retries, honouring Retry-After).
  const clients = new Map<string, WebClient>();
  const clientFor: SlackClientFor = async (teamId) => {
    const token = await tokenFor(teamId);
    if (!token) return undefined;
    let client = clients.get(token);
    if (!client) {
      // The timeout stays well inside the outbox lease, so a slow call never outlives its lease.
      client = new WebClient(token, {
        ...clientOptions,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: 10_000,
      });
      clients.set(token, client);
    }
    return client;
  };
  let server: Server | undefined;
  let draining = false;
  return {
    app,
    clientFor,
    async start(port, host) {
      if (!receiver) {
        await app.start();
        return undefined;
      }
      const gated = gateSlackRequests(receiver.requestListener, {
        signingSecret: signingSecretOf(mode),
        serves,
        log,
      });
      server = createServer((req, res) => {
        // While draining, every answer asks its client to close the connection.
        if (draining) res.setHeader('connection', 'close');
        // Every database call made for a request (an installation looked up, a listener's work)
        // is bounded, so the person is answered in time even if the database stalls.
        withQueryTimeout(REQUEST_QUERY_TIMEOUT_MS, () => gated(req, res));
      });
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, host, () => resolve());
      });
      return server;
    },
    async stop(graceMs = DRAIN_MS) {
      if (!receiver) {
        await app.stop();
        return;
      }
      const closing = server;
      server = undefined;
      if (!closing) return;
      // Stop accepting; idle keep-alive connections go now, busy ones once their answer is sent
      // (with `Connection: close`); whatever is still open after the grace period is cut.
      draining = true;
      const cut = setTimeout(() => closing.closeAllConnections(), graceMs);
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeIdleConnections();
      });
      clearTimeout(cut);
    },
  };
}

/** How long requests under way may take to finish when SPOC stops (Slack waits 3 s for each). */
export const DRAIN_MS = 5_000;

function signingSecretOf(mode: SlackMode): string {
  if (mode.kind === 'socket' || !mode.signingSecret)
    throw new Error('an HTTP Slack app needs its signing secret');
  return mode.signingSecret;
}
