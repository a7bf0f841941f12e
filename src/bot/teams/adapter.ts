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
}

/**
 * A `CloudAdapter` over `ConfigurationBotFrameworkAuthentication`. Outside local mode an app id is
 * always given: without one botbuilder skips inbound token checks entirely.
 */
export function createTeamsAdapter(
  credentials: TeamsCredentials | undefined,
  mode: TeamsAdapterOptions = {},
): TeamsAdapter {
  if (mode.local) {
    if (credentials?.appId)
      throw new Error('Teams local mode turns authentication off: it never runs with an app id');
    const auth = new ConfigurationBotFrameworkAuthentication({});
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
  const auth = new ConfigurationBotFrameworkAuthentication(options);
  const adapter = new SpocCloudAdapter(auth);
  return {
    adapter,
    appId: credentials.appId,
    // biome-ignore lint/suspicious/noExplicitAny: botbuilder's Activity type, checked by the caller
    authenticate: (activity, authHeader) => auth.authenticateRequest(activity as any, authHeader),
  };
}
