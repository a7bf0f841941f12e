/**
 * Builds the Bolt app for the configured mode — one workspace over HTTP, Socket Mode, or
 * multi-workspace OAuth — with the health routes and every listener registered.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  App,
  type Authorize,
  type Logger as BoltLogger,
  type CustomRoute,
  HTTPReceiver,
  SocketModeReceiver,
} from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackMode } from '../../config';
import type { Database } from '../../db/client';
import { ping } from '../../db/client';
import { withoutQueryTimeout, withQueryTimeout } from '../../db/deadline';
import { createSealer } from '../../db/encryption';
import { slackEnterpriseOf } from '../../db/queries/schools';
import type { Clock } from '../../domain/clock';
import type { Logger } from '../../log';
import { boltLogger } from './bolt-logger';
import { cleanSlackInput } from './clean-input';
import type { SlackClientFor } from './delivery';
import type { SlackDeps } from './deps';
import { REQUEST_QUERY_TIMEOUT_MS } from './guard';
import {
  botTokenFromInstallation,
  databaseInstallationStore,
  type SpocInstallationStore,
} from './installation-store';
import { registerFaultListeners } from './listeners/fault';
import { registerFaultDetails } from './listeners/fault-details';
import { registerHome } from './listeners/home';
import { registerImportExport } from './listeners/import-export';
import { registerIncidentActions } from './listeners/incident-actions';
import { registerKnownFixSuggestions } from './listeners/known-fix-suggestions';
import { registerKnownFixActions } from './listeners/known-fixes';
import { registerRegisterActions } from './listeners/register-actions';
import { registerReminderActions } from './listeners/reminder-actions';
import { registerReporterActions } from './listeners/reporter-actions';
import { registerSatisfactionActions } from './listeners/satisfaction';
import { registerSettingsActions } from './listeners/settings-command';
import { registerSpocCommand } from './listeners/spoc-command';
import { registerSupplyActions } from './listeners/supply-actions';
import { registerTicketReactions } from './listeners/ticket-reaction';
import { registerWorkItems } from './listeners/work-items';
import { classifySlackBody, workspaceOf } from './payload-shapes';
import { gateSlackRequests } from './request-gate';
import { answerUnknownRequests, ListenerIds } from './unknown-requests';
import {
  enterpriseRecorder,
  NOT_INSTALLED,
  type ServesInstalled,
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
  // Reading back what SPOC itself posted, when a send's outcome is unknown, so it is not posted
  // twice; and the message someone reacted to with the ticket emoji.
  'channels:history',
  'groups:history',
  'im:history',
  // A ticket from any message: the reaction that asks for it, and ✅ on the message once logged.
  'reactions:read',
  'reactions:write',
  // The service's hours in the SPOC channel's topic (public or private channel).
  'channels:write.topic',
  'groups:write.topic',
];

export interface SlackAppOptions {
  mode: SlackMode & { apiUrl?: string };
  database: Database;
  clock: Clock;
  log: Logger;
  kick: () => void;
  /** Extra Web API client options (tests pass `retryConfig`). */
  clientOptions?: WebClientOptions;
  /** Socket Mode's connection timings (tests shorten them). */
  socket?: SocketOptions;
  /** How long a request's work may take before it is acked empty and answered later (2 s). */
  ackBudgetMs?: number;
}

export interface SlackApp {
  app: App;
  /** A Web API client for a workspace, for messages sent outside a request. */
  clientFor: SlackClientFor;
  /**
   * Starts serving: over HTTP (every `/slack/events` post through the request gate), or in Socket
   * Mode an HTTP server for the health routes, with the socket connecting in the background (and
   * again with backoff whenever it cannot, or drops).
   */
  start(port: number, host: string): Promise<Server>;
  /** Stops taking requests and lets those under way finish, for at most `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * `/healthz` and `/readyz`. Ready means the database answers and, in Socket Mode, Slack's socket
 * is connected (`slack` says which it is).
 */
function healthRoutes(database: Database, socket?: () => SocketState): CustomRoute[] {
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
        const reachable = await ping(database);
        const slack = socket?.();
        const ok = reachable && (slack === undefined || slack === 'connected');
        send(res, ok ? 200 : 503, {
          ok,
          database: reachable ? 'reachable' : 'unreachable',
          ...(slack ? { slack } : {}),
        });
      },
    },
  ];
}

/** Serves only the health routes (Socket Mode's HTTP server); anything else is 404. */
function serveRoutes(routes: CustomRoute[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find(
      (r) => r.path === path && [r.method].flat().some((m) => m.toUpperCase() === req.method),
    );
    if (route) return void route.handler(Object.assign(req, { params: {} }), res);
    res.writeHead(404).end();
  };
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
  const logger = boltLogger(log);
  const clientOptions: WebClientOptions = {
    ...(mode.apiUrl ? { slackApiUrl: mode.apiUrl } : {}),
    // Through pino, also for the clients made before Bolt's App sets it (auth.test at start).
    logger,
    ...options.clientOptions,
  };
  const common = { logger, clientOptions, convoStore: false as const };
  let app: App;
  let receiver: HTTPReceiver | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  let socket: SocketConnection | undefined;
  let health: CustomRoute[] = [];
  let tokenFor: (teamId: string) => Promise<string | undefined>;
  const enterprises = enterpriseRecorder(database.db, clock, log);
  let serves: ServesWorkspace;
  let installations: { store: SpocInstallationStore; serves: ServesInstalled } | undefined;
  if (mode.kind === 'oauth') {
    const sealer = createSealer(mode.encryptionKeys);
    const store = databaseInstallationStore(database.db, clock, sealer);
    receiver = new HTTPReceiver({
      logger,
      signingSecret: mode.signingSecret,
      customRoutes: healthRoutes(database),
      clientId: mode.clientId,
      clientSecret: mode.clientSecret,
      stateSecret: mode.stateSecret,
      scopes: BOT_SCOPES,
      installationStore: store,
      installerOptions: { directInstall: true, clientOptions },
    });
    app = new App({ ...common, receiver });
    tokenFor = (teamId) =>
      botTokenFromInstallation(database.db, sealer, teamId, enterprises.enterpriseOf(teamId));
    const installed = servesInstalled(database.db);
    serves = installed;
    installations = { store, serves: installed };
  } else {
    // Learned at start, not on the first request; a failure is asked again when a request needs it.
    const owner = tokenOwner(mode.botToken, clientOptions);
    owner().catch((error: unknown) =>
      log.warn({ err: error }, 'Slack did not say whose bot token this is (auth.test); will ask again'),
    );
    serves = servesTokenOwner(owner);
    // A school of another workspace (from before SPOC checked) never gets this workspace's token;
    // one of the organisation an org-wide token is for does.
    tokenFor = async (teamId) => {
      if (await serves({ teamId, enterpriseId: teamId })) return mode.botToken;
      const enterpriseId = enterprises.enterpriseOf(teamId) ?? (await slackEnterpriseOf(database.db, teamId));
      return enterpriseId && (await serves({ teamId, enterpriseId })) ? mode.botToken : undefined;
    };
    if (mode.kind === 'socket') {
      // Built here, not by Bolt, so that `apps.connections.open` honours SLACK_API_URL like every
      // other call, and so that SPOC (`keepSocketConnected`), not the client, decides when to
      // connect again: one try per call, bounded, then SPOC's own capped backoff.
      // Its Web API client logs through `socketLog` (the client's own logger), not Bolt's.
      const socketLog = socketLogger(log);
      const { logger: _bolt, ...webOptions } = clientOptions;
      socketReceiver = new SocketModeReceiver({
        appToken: mode.appToken,
        logger: socketLog,
        autoReconnectEnabled: false,
        installerOptions: {
          clientOptions: { ...webOptions, retryConfig: { retries: 0 }, timeout: 10_000 },
        },
      });
      health = healthRoutes(database, () => socket?.state() ?? 'connecting');
      app = new App({
        ...common,
        socketMode: true,
        receiver: socketReceiver,
        authorize: singleTokenAuthorize(mode.botToken, owner),
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
  // A Grid workspace's organisation, stored on its school: before the listener when the school
  // exists, after it when this request made it.
  app.use(async ({ context, next }) => {
    const who = { teamId: context.teamId, enterpriseId: context.enterpriseId };
    await enterprises.record(who);
    await next();
    await enterprises.record(who);
  });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled Slack error');
  });
  const listenerIds = ListenerIds.recordOn(app);
  app.use(answerUnknownRequests(listenerIds, log));

  // The outbox woken by a request works on its own time, not within the request's bound.
  const kick = () => withoutQueryTimeout(options.kick);
  const deps: SlackDeps = {
    db: database.db,
    clock,
    log,
    kick,
    ackBudgetMs: options.ackBudgetMs,
    clientFor: (teamId) => clientFor(teamId),
  };
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
  registerSatisfactionActions(app, deps);
  registerSettingsActions(app, deps);
  registerTicketReactions(app, deps);
  registerFaultDetails(app, deps);
  registerKnownFixActions(app, deps);
  registerKnownFixSuggestions(app, deps);
  if (installations) registerUninstall(app, installations, log);

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
  // Answers not yet sent: when draining starts, they too ask their client to close the connection.
  const unanswered = new Set<ServerResponse>();
  // While draining, every answer asks its client to close the connection.
  const drainable =
    (handle: (req: IncomingMessage, res: ServerResponse) => void) =>
    (req: IncomingMessage, res: ServerResponse) => {
      if (draining) res.setHeader('connection', 'close');
      else {
        unanswered.add(res);
        res.once('close', () => unanswered.delete(res));
      }
      handle(req, res);
    };
  return {
    app,
    clientFor,
    async start(port, host) {
      if (socketReceiver) {
        // Health first, then the socket in the background: an unreachable Slack holds up nothing.
        server = await listen(createServer(drainable(serveRoutes(health))), port, host);
        socket = keepSocketConnected(socketReceiver.client, log, options.socket);
        return server;
      }
      if (!receiver) throw new Error('no receiver to start');
      const gated = gateSlackRequests(receiver.requestListener, {
        signingSecret: signingSecretOf(mode),
        serves,
        log,
      });
      // Every database call made for a request (an installation looked up, a listener's work)
      // is bounded, so the person is answered in time even if the database stalls.
      server = await listen(
        createServer(
          drainable((req, res) => withQueryTimeout(REQUEST_QUERY_TIMEOUT_MS, () => gated(req, res))),
        ),
        port,
        host,
      );
      return server;
    },
    async stop(graceMs = DRAIN_MS) {
      // The socket first (no new Slack requests), bounded so that a silent peer never holds SIGTERM.
      await socket?.stop(SOCKET_STOP_MS);
      socket = undefined;
      const closing = server;
      server = undefined;
      if (!closing) return;
      // Stop accepting; idle keep-alive connections go now, busy ones once their answer is sent
      // (with `Connection: close`); whatever is still open after the grace period is cut.
      draining = true;
      for (const res of unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
      unanswered.clear();
      const cut = setTimeout(() => closing.closeAllConnections(), graceMs);
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeIdleConnections();
      });
      clearTimeout(cut);
    },
  };
}

/** Events that say SPOC was uninstalled from a workspace, or its tokens revoked. */
const UNINSTALL_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

/**
 * `app_uninstalled`, and `tokens_revoked` naming the bot: the installation is deleted and its
 * schools are marked uninstalled (nothing else of theirs), so their messages wait until SPOC is
 * installed again. A `tokens_revoked` for people's tokens alone changes nothing (SPOC keeps none).
 * Bolt skips authorizing these two events. Slack sends both, in either order: the second finds
 * the installation gone, so the request gate answers it with nothing done, which is all there is
 * left to do (the delete and the mark are one transaction).
 */
function registerUninstall(
  app: App,
  installations: { store: SpocInstallationStore; serves: ServesInstalled },
  log: Logger,
): void {
  for (const type of UNINSTALL_EVENTS) {
    app.event(type, async ({ body, event, context }) => {
      if (event.type === 'tokens_revoked' && (event.tokens.bot ?? []).length === 0)
        return log.debug({ event: type }, 'Slack: people’s tokens revoked, not the bot’s; nothing to do');
      const eventTime = (body as { event_time?: unknown }).event_time;
      const outcome = await installations.store.uninstalled({
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: context.isEnterpriseInstall === true,
        at: typeof eventTime === 'number' ? new Date(eventTime * 1000) : undefined,
      });
      installations.serves.forget(outcome.key);
      const fields = { event: type, installation: outcome.key, schools: outcome.schools };
      if (outcome.stale) log.info(fields, 'Slack: an uninstall older than the installation stored; ignored');
      else if (outcome.deleted || outcome.schools > 0)
        log.info(fields, 'Slack: SPOC uninstalled; its schools’ messages wait until it is installed again');
      else log.debug(fields, 'Slack: an uninstall already recorded');
    });
  }
}

/** How long requests under way may take to finish when SPOC stops (Slack waits 3 s for each). */
export const DRAIN_MS = 5_000;

function signingSecretOf(mode: SlackMode): string {
  if (mode.kind === 'socket' || !mode.signingSecret)
    throw new Error('an HTTP Slack app needs its signing secret');
  return mode.signingSecret;
}

async function listen(server: Server, port: number, host: string): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** Where Slack's socket stands, as `/readyz` says it. */
export type SocketState = 'connecting' | 'connected' | 'stopped';

export interface SocketConnection {
  state(): SocketState;
  /** No more tries (any timer cleared), then the socket closed, waiting at most `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface SocketOptions {
  /** The wait before try `n + 1` after `n` failures in a row (default: 1 s, 2 s, 4 s … 60 s). */
  retryDelayMs?: (failures: number) => number;
  /** A try that has not heard Slack's `hello` in this long is given up (default 30 s). */
  helloTimeoutMs?: number;
}

/** How long stopping waits for the socket to close. */
export const SOCKET_STOP_MS = 2_000;

/** 1 s, 2 s, 4 s … doubling after each failure in a row, never more than a minute. */
export function socketRetryDelayMs(failures: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, failures - 1));
}

type SocketClient = SocketModeReceiver['client'];

/**
 * Keeps Socket Mode connected, in the background: tries at once, and after a failure (Slack or
 * its socket unreachable, `apps.connections.open` refused, no `hello`) or a dropped socket tries
 * again with a capped backoff. The client's own reconnecting is off (`autoReconnectEnabled:
 * false`): its waits grow without limit, and its `start()` never settles while it retries.
 * One log line per try, per failure (with the wait) and per connection; no secrets in them.
 */
export function keepSocketConnected(
  client: SocketClient,
  log: Logger,
  options: SocketOptions = {},
): SocketConnection {
  const retryDelayMs = options.retryDelayMs ?? socketRetryDelayMs;
  const helloTimeoutMs = options.helloTimeoutMs ?? 30_000;
  const slog = log.child({ component: 'slack-socket' });
  let state: SocketState = 'connecting';
  let stopped = false;
  let trying = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let lastError: string | undefined;

  const later = (ms: number) => {
    if (stopped || trying || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void attempt();
    }, ms);
  };

  async function attempt(): Promise<void> {
    if (stopped) return;
    trying = true;
    state = 'connecting';
    lastError = undefined;
    if (failures === 0) slog.info('connecting to Slack (Socket Mode)');
    else slog.debug({ attempt: failures + 1 }, 'connecting to Slack (Socket Mode)');
    // A socket that opens but never says hello is closed, which ends this try.
    const noHello = setTimeout(() => {
      lastError = `no hello from Slack within ${helloTimeoutMs / 1000} s`;
      void client.disconnect().catch(() => {});
    }, helloTimeoutMs);
    try {
      await client.start();
    } catch (error) {
      trying = false;
      if (stopped) return;
      failures += 1;
      const wait = retryDelayMs(failures);
      slog.warn(
        { attempt: failures, retryInMs: wait, reason: reasonOf(error) ?? lastError },
        `could not connect to Slack (Socket Mode): retrying in ${formatSeconds(wait)}`,
      );
      later(wait);
      return;
    } finally {
      clearTimeout(noHello);
    }
    trying = false;
    // Stopped while this try was under way: it must not stay open.
    if (stopped) await client.disconnect().catch(() => {});
  }

  client.on('connected', () => {
    if (stopped) return;
    state = 'connected';
    slog.info(
      failures > 0 ? { afterFailures: failures } : {},
      'connected to Slack (Socket Mode): receiving requests',
    );
    failures = 0;
  });
  // A failed try ends in `start()` rejecting; a socket that was connected and drops ends here.
  client.on('disconnected', () => {
    if (stopped || trying) return;
    state = 'connecting';
    slog.warn('the Slack socket closed: connecting again');
    later(0);
  });
  client.on('error', (error: unknown) => {
    lastError = reasonOf(error);
  });

  void attempt();
  return {
    state: () => state,
    async stop(timeoutMs = SOCKET_STOP_MS) {
      stopped = true;
      state = 'stopped';
      clearTimeout(retry);
      retry = undefined;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        client.disconnect().catch(() => {}),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

/**
 * A failure in a few words: the messages down its chain of causes (e.g. "A request error
 * occurred: fetch failed: connect ECONNREFUSED 127.0.0.1:443"), never its request (the token).
 */
function reasonOf(error: unknown): string | undefined {
  const messages: string[] = [];
  let at: unknown = error;
  for (let depth = 0; at instanceof Error && depth < 5; depth++) {
    const last = messages.at(-1);
    if (at.message && !last?.includes(at.message)) messages.push(at.message);
    const next = at as { cause?: unknown; original?: unknown };
    at = next.cause ?? next.original;
  }
  if (messages.length > 0) return messages.join(': ');
  // A WebSocket that could not be opened says no more than that.
  return error instanceof Error ? 'the WebSocket connection failed' : undefined;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/**
 * The Socket Mode client's logger: its lines about failing to connect are debug, as SPOC logs each
 * failure once itself (`keepSocketConnected`); everything else keeps its level.
 */
const CONNECTION_NOISE =
  /^(Failed to retrieve a new WSS URL|apps\.connections\.open did not return|http request failed|WebSocket error|A ping wasn't received|A pong wasn't received|Peer did not complete)/;
function socketLogger(log: Logger): BoltLogger {
  const base = boltLogger(log);
  const quiet =
    (level: (...msg: unknown[]) => void) =>
    (...msg: unknown[]) =>
      (CONNECTION_NOISE.test(msg.map(String).join(' ')) ? base.debug : level)(...msg);
  return { ...base, info: quiet(base.info), warn: quiet(base.warn), error: quiet(base.error) };
}
