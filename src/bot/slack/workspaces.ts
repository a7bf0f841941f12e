/**
 * Which Slack workspaces this deployment serves. A signed request proves it came from Slack, not
 * that SPOC was installed where it came from: a user of another organisation in a shared channel,
 * or a crafted team id, must not create a school. With one bot token, SPOC serves the workspace
 * (or Enterprise Grid organisation, for an org-wide token) that `auth.test` names; with OAuth, the
 * workspaces that installed it.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Db } from '../../db/client';
import { wakeSchool } from '../../db/queries/outbox';
import { recordSlackEnterprise } from '../../db/queries/schools';
import { hasInstallation } from '../../db/queries/slack-installations';
import type { Clock } from '../../domain/clock';
import type { Logger } from '../../log';
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

/** The workspaces SPOC serves with OAuth, and how to forget one uninstalled. */
export interface ServesInstalled extends ServesWorkspace {
  /** Forgets that these installations (`T:…`, `E:…`) were found: the next request asks the database. */
  forget(...keys: string[]): void;
}

/**
 * OAuth: the workspaces (or organisations) with an installation stored. A workspace found
 * installed is remembered for a minute, so a busy workspace's requests do not each wait on the
 * database before Slack's 3 seconds; one not found is asked again every time (a new install
 * counts at once). A workspace of an Enterprise Grid organisation with no installation of its own
 * is served by its organisation's (an org-wide install).
 */
export function servesInstalled(db: Db, now: () => number = Date.now): ServesInstalled {
  const installed = new Map<string, number>();
  const known = (key: string | undefined) => key !== undefined && (installed.get(key) ?? 0) > now();
  const has = async (key: string | undefined) => {
    if (key === undefined || !(await hasInstallation(db, key))) return false;
    installed.set(key, now() + INSTALLED_CACHE_MS);
    return true;
  };
  const serves = async ({ teamId, enterpriseId }: Workspace) => {
    const team = teamId ? `T:${teamId}` : undefined;
    const org = enterpriseId ? `E:${enterpriseId}` : undefined;
    return known(team) || known(org) || (await has(team)) || has(org);
  };
  return Object.assign(serves, {
    forget: (...keys: string[]) => {
      for (const key of keys) installed.delete(key);
    },
  });
}

/** The Enterprise Grid organisations of the workspaces SPOC hears from. */
export interface EnterpriseRecorder {
  /**
   * Notes a request's workspace and organisation, and stores the organisation on its school (once
   * per process a workspace, when its school exists).
   */
  record(workspace: Workspace): Promise<void>;
  /** The organisation of a workspace heard from by this process, without asking the database. */
  enterpriseOf(teamId: string): string | undefined;
}

/**
 * Stores the Enterprise Grid organisation of each workspace SPOC hears from, so that the outbox,
 * which knows only the school's workspace, finds the organisation's install for it. When it is
 * stored now, the school's waiting messages are made due: they may have waited for want of a
 * token. Never fails a request (a failure is logged and tried again on the workspace's next
 * request).
 */
export function enterpriseRecorder(db: Db, clock: Clock, log: Logger): EnterpriseRecorder {
  const seen = new Map<string, string>();
  const stored = new Set<string>();
  return {
    enterpriseOf: (teamId) => seen.get(teamId),
    async record({ teamId, enterpriseId }) {
      if (!teamId || !enterpriseId || teamId === enterpriseId) return;
      if (seen.get(teamId) !== enterpriseId) {
        seen.set(teamId, enterpriseId);
        stored.delete(teamId);
      }
      if (stored.has(teamId)) return;
      try {
        const done = await recordSlackEnterprise(db, teamId, enterpriseId);
        if (done.stored) {
          await wakeSchool(db, done.stored, clock.now());
          log.info(
            { teamId, enterpriseId },
            'Slack: recorded the Enterprise Grid organisation of a workspace',
          );
        }
        if (done.found) stored.add(teamId);
      } catch (error) {
        log.warn(
          { err: error, teamId, enterpriseId },
          'Slack: could not record a workspace’s Grid organisation',
        );
      }
    },
  };
}

/** What a person in a workspace SPOC does not serve is told. */
export const NOT_INSTALLED =
  'SPOC is not installed for your workspace, so it cannot take requests from here. Ask your ICT lead or the workspace admin to install it.';
