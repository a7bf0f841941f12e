/**
 * The Bot Framework adapter, built from SPOC's Teams credentials. Every `botbuilder` import of
 * SPOC stays under `src/bot/teams/`, so a move to Microsoft's successor SDK stays local.
 */
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { TeamsCredentials } from '../../config';

export type AuthenticateRequestResult = Awaited<
  ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>
>;

/** How long one connector call may take, answer included (as Slack's Web API client). */
export const CONNECTOR_TIMEOUT_MS = 10_000;

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];

/** The parts of `@azure/core-rest-pipeline` used here (botbuilder's connector client is built on it). */
interface PipelineRequest {
  timeout: number;
  abortSignal?: AbortSignal;
}
interface PipelinePolicy {
  name: string;
  sendRequest(
    request: PipelineRequest,
    next: (request: PipelineRequest) => Promise<unknown>,
  ): Promise<unknown>;
}
interface Pipeline {
  removePolicy(options: { name: string }): unknown[];
  addPolicy(policy: PipelinePolicy): void;
  getOrderedPolicies(): Array<{ name: string }>;
}

/** The names `@azure/core-rest-pipeline` gives its retry policies (a client has `defaultRetryPolicy`). */
const RETRY_POLICIES = [
  'defaultRetryPolicy',
  'retryPolicy',
  'exponentialRetryPolicy',
  'systemErrorRetryPolicy',
  'throttlingRetryPolicy',
];

const TIMEOUT_POLICY = 'spocConnectorTimeout';

/**
 * A connector client that makes one attempt per call, bounded by `timeoutMs`. botbuilder gives no
 * option for either: its client (`ServiceClientContext` over `@azure/core-client`) always carries
 * the pipeline's default retry policy (3 retries, honouring Retry-After, and retrying dropped
 * connections with backoff), and no timeout. The outbox already retries every message with
 * backoff and keeps an unanswered send in doubt, so retrying inside a send only holds the
 * dispatcher (a 429 took four calls; a dropped connection was retried for more than 25 s).
 * The pipeline is private to botbuilder: if its shape changes this throws rather than send with
 * retries back on.
 */
export function withoutRetries(client: ConnectorClient, timeoutMs: number): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: Partial<Pipeline> } }).client?.pipeline;
  if (
    typeof pipeline?.removePolicy !== 'function' ||
    typeof pipeline.addPolicy !== 'function' ||
    typeof pipeline.getOrderedPolicies !== 'function'
  )
    throw new Error("botbuilder's connector client has changed: SPOC cannot turn its retries off");
  const p = pipeline as Pipeline;
  for (const name of RETRY_POLICIES) p.removePolicy({ name });
  const left = p.getOrderedPolicies().map((policy) => policy.name);
  if (left.some((name) => /retry/i.test(name)))
    throw new Error(`botbuilder's connector client still retries (${left.join(', ')})`);
  if (!left.includes(TIMEOUT_POLICY))
    p.addPolicy({
      name: TIMEOUT_POLICY,
      sendRequest(request, next) {
        // `timeout` alone ends when the headers arrive; the signal bounds the body as well.
        const deadline = AbortSignal.timeout(timeoutMs);
        request.timeout = timeoutMs;
        request.abortSignal = request.abortSignal
          ? AbortSignal.any([request.abortSignal, deadline])
          : deadline;
        return next(request);
      },
    });
  return client;
}

/** Connector factories that make clients without retries and with a timeout. */
function onceOnly(factory: ConnectorFactory, timeoutMs: number): ConnectorFactory {
  return {
    async create(serviceUrl: string, audience?: string) {
      return withoutRetries(await factory.create(serviceUrl, audience), timeoutMs);
    },
  };
}

/**
 * `ConfigurationBotFrameworkAuthentication` whose connector clients (proactive sends, and replies
 * made while handling a request) try each call once within `timeoutMs`.
 */
class SpocBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly timeoutMs: number,
  ) {
    super(options);
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return onceOnly(super.createConnectorFactory(claimsIdentity), this.timeoutMs);
  }

  override async authenticateRequest(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>
  ): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(...args);
    const factory = result.connectorFactory;
    return factory ? { ...result, connectorFactory: onceOnly(factory, this.timeoutMs) } : result;
  }
}

/** A `CloudAdapter` that runs an activity already authenticated (the token is checked first, apart). */
export class SpocCloudAdapter extends CloudAdapter {
  runAuthenticated(
    authenticated: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}

export interface TeamsAdapter {
  adapter: SpocCloudAdapter;
  /** Checks a request's `Authorization` header against the activity (Bot Framework JWT). */
  authenticate(activity: Record<string, unknown>, authHeader: string): Promise<AuthenticateRequestResult>;
  appId: string;
}

export interface TeamsAdapterOptions {
  /**
   * Local mode (SPOC_TEAMS_LOCAL=1, for Microsoft's Agents Playground on this machine): no app id,
   * so botbuilder checks no token and the connector calls carry none. The caller has made sure it
   * listens on 127.0.0.1 only; with credentials it is refused here.
   */
  local?: boolean;
  /** How long one connector call may take (tests shorten it); `CONNECTOR_TIMEOUT_MS` unless given. */
  connectorTimeoutMs?: number;
}

/**
 * A `CloudAdapter` over `ConfigurationBotFrameworkAuthentication`. Outside local mode an app id is
 * always given: without one botbuilder skips inbound token checks entirely.
 */
export function createTeamsAdapter(
  credentials: TeamsCredentials | undefined,
  mode: TeamsAdapterOptions = {},
): TeamsAdapter {
  const timeoutMs = mode.connectorTimeoutMs ?? CONNECTOR_TIMEOUT_MS;
  if (mode.local) {
    if (credentials?.appId)
      throw new Error('Teams local mode turns authentication off: it never runs with an app id');
    const auth = new SpocBotFrameworkAuthentication({}, timeoutMs);
    return {
      adapter: new SpocCloudAdapter(auth),
      appId: '',
      // biome-ignore lint/suspicious/noExplicitAny: botbuilder's Activity type, checked by the caller
      authenticate: (activity, authHeader) => auth.authenticateRequest(activity as any, authHeader),
    };
  }
  if (!credentials?.appId) throw new Error('Teams needs an app id: without one no token would be checked');
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: credentials.appId,
    MicrosoftAppType: credentials.appType,
    ...(credentials.appPassword ? { MicrosoftAppPassword: credentials.appPassword } : {}),
    ...(credentials.tenantId ? { MicrosoftAppTenantId: credentials.tenantId } : {}),
  };
  const auth = new SpocBotFrameworkAuthentication(options, timeoutMs);
  const adapter = new SpocCloudAdapter(auth);
  return {
    adapter,
    appId: credentials.appId,
    // biome-ignore lint/suspicious/noExplicitAny: botbuilder's Activity type, checked by the caller
    authenticate: (activity, authHeader) => auth.authenticateRequest(activity as any, authHeader),
  };
}
