/**
 * Builds the Bolt app for the configured mode — one workspace over HTTP, Socket Mode, or
 * multi-workspace OAuth — with the health routes and every listener registered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type Authorize, type CustomRoute } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackMode } from '../../config';
import type { Database } from '../../db/client';
import { ping } from '../../db/client';
import type { Clock } from '../../domain/clock';
import type { Logger } from '../../log';
import { boltLogger } from './bolt-logger';
import type { SlackClientFor } from './delivery';
import type { SlackDeps } from './deps';
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

/** Bot scopes the app asks for; kept in step with manifests/slack/manifest.yaml. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'im:write',
  'users:read',
  'files:read',
  'files:write',
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

/**
 * Authorize for a single bot token: `auth.test` once, lazily, then remembered. Nothing is called
 * at start, so the app boots even while Slack is unreachable.
 */
function singleTokenAuthorize(token: string, clientOptions: WebClientOptions): Authorize<boolean> {
  let known: Promise<{ botId?: string; botUserId?: string; teamId?: string }> | undefined;
  return async () => {
    known ??= new WebClient(token, { ...clientOptions, retryConfig: { retries: 0 }, timeout: 5_000 }).auth
      .test()
      .then((r) => ({ botId: r.bot_id as string | undefined, botUserId: r.user_id, teamId: r.team_id }))
      .catch((error) => {
        known = undefined;
        throw error;
      });
    const who = await known;
    return { botToken: token, botId: who.botId, botUserId: who.botUserId, teamId: who.teamId };
  };
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { mode, database, clock, log } = options;
  const clientOptions: WebClientOptions = {
    ...(mode.apiUrl ? { slackApiUrl: mode.apiUrl } : {}),
    ...options.clientOptions,
  };
  const common = {
    logger: boltLogger(log),
    clientOptions,
    convoStore: false as const,
    customRoutes: healthRoutes(database),
  };
  let app: App;
  let tokenFor: (teamId: string) => Promise<string | undefined>;
  if (mode.kind === 'oauth') {
    app = new App({
      ...common,
      signingSecret: mode.signingSecret,
      clientId: mode.clientId,
      clientSecret: mode.clientSecret,
      stateSecret: mode.stateSecret,
      scopes: BOT_SCOPES,
      installationStore: databaseInstallationStore(database.db, clock),
      installerOptions: { directInstall: true },
    });
    tokenFor = (teamId) => botTokenFromInstallation(database.db, teamId);
  } else if (mode.kind === 'socket') {
    app = new App({
      ...common,
      socketMode: true,
      appToken: mode.appToken,
      authorize: singleTokenAuthorize(mode.botToken, clientOptions),
      installerOptions: { port: options.port ?? 3000 },
    });
    tokenFor = async () => mode.botToken;
  } else {
    app = new App({
      ...common,
      signingSecret: mode.signingSecret,
      authorize: singleTokenAuthorize(mode.botToken, clientOptions),
    });
    tokenFor = async () => mode.botToken;
  }

  // Slack re-sends a request it thinks timed out; the first delivery is already being handled.
  app.use(async ({ context, next }) => {
    if (context.retryReason === 'http_timeout') return;
    await next();
  });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled Slack error');
  });

  const deps: SlackDeps = { db: database.db, clock, log, kick: options.kick };
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
  return { app, clientFor };
}
