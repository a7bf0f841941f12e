/**
 * Which Slack workspaces this deployment serves. A signed request proves it came from Slack, not
 * that SPOC was installed where it came from: a user of another organisation in a shared channel,
 * or a crafted team id, must not create a school. With one bot token, SPOC serves the workspace
 * (or Enterprise Grid organisation, for an org-wide token) that `auth.test` names; with OAuth, the
 * workspaces that installed it.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Db } from '../../db/client';
import { hasInstallation } from '../../db/queries/slack-installations';
import type { Workspace } from './payload-shapes';

/** What `auth.test` says of a bot token. */
export interface TokenOwner {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
  botId?: string;
  botUserId?: string;
}

/**
 * `auth.test` for a bot token: asked once and remembered; a failure is forgotten so the next
 * request asks again (SPOC starts while Slack is unreachable and catches up).
 */
export function tokenOwner(token: string, clientOptions: WebClientOptions): () => Promise<TokenOwner> {
  let known: Promise<TokenOwner> | undefined;
  return () => {
    known ??= new WebClient(token, { ...clientOptions, retryConfig: { retries: 0 }, timeout: 5_000 }).auth
      .test()
      .then((r) => ({
        teamId: r.team_id || undefined,
        enterpriseId: r.enterprise_id || undefined,
        isEnterpriseInstall: r.is_enterprise_install === true,
        botId: r.bot_id as string | undefined,
        botUserId: r.user_id,
      }))
      .catch((error: unknown) => {
        known = undefined;
        throw error;
      });
    return known;
  };
}

/** Decides whether a request's workspace is one SPOC serves. */
export type ServesWorkspace = (workspace: Workspace) => Promise<boolean>;

/** One bot token: its own workspace, or every workspace of its organisation for an org-wide install. */
export function servesTokenOwner(owner: () => Promise<TokenOwner>): ServesWorkspace {
  return async ({ teamId, enterpriseId }) => {
    const me = await owner();
    if (teamId && teamId === me.teamId) return true;
    return Boolean(me.isEnterpriseInstall && enterpriseId && enterpriseId === me.enterpriseId);
  };
}

/** How long a workspace found installed is taken as installed without asking the database again. */
export const INSTALLED_CACHE_MS = 60_000;

/**
 * OAuth: the workspaces (or organisations) with an installation stored. A workspace found
 * installed is remembered for a minute, so a busy workspace's requests do not each wait on the
 * database before Slack's 3 seconds; one not found is asked again every time (a new install
 * counts at once).
 */
export function servesInstalled(db: Db, now: () => number = Date.now): ServesWorkspace {
  const installed = new Map<string, number>();
  const has = async (key: string) => {
    if ((installed.get(key) ?? 0) > now()) return true;
    if (!(await hasInstallation(db, key))) return false;
    installed.set(key, now() + INSTALLED_CACHE_MS);
    return true;
  };
  return async ({ teamId, enterpriseId }) => {
    if (teamId && (await has(`T:${teamId}`))) return true;
    return Boolean(enterpriseId && (await has(`E:${enterpriseId}`)));
  };
}

/** What a person in a workspace SPOC does not serve is told. */
export const NOT_INSTALLED =
  'SPOC is not installed for your workspace, so it cannot take requests from here. Ask your ICT lead or the workspace admin to install it.';
