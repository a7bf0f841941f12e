/**
 * The environment, parsed once at start. This is the only module that reads
 * `process.env`; everything else is handed a `Config`.
 */
import { z } from 'zod';
import { parseKey } from './db/encryption';

const optional = z
  .string()
  .transform((v) => v.trim())
  .pipe(z.string())
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const EnvSchema = z.object({
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  SPOC_DATA_DIR: optional,
  PORT: optional.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, 'must be a port number (0–65535)')
      .transform(Number)
      .pipe(z.number().max(65535, 'must be a port number (0–65535)'))
      .optional(),
  ),
  HOST: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional.pipe(z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional()),
  SLACK_APP_TOKEN: optional.pipe(
    z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
  ),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  SLACK_API_URL: optional.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  TEAMS_APP_ID: optional,
  TEAMS_APP_PASSWORD: optional,
  TEAMS_APP_TENANT_ID: optional,
  TEAMS_APP_TYPE: optional.pipe(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  SPOC_TEAMS_LOCAL: optional.pipe(z.enum(['0', '1'], { error: "must be '1' (on) or '0'" }).optional()),
  SPOC_ENCRYPTION_KEY: optional.pipe(
    z
      .string()
      .transform((v) => v.split(',').map(parseKey))
      .refine((keys) => keys.every(Boolean), {
        error:
          'must be a 32-byte key in base64 (44 characters) or hex (64), or during a rotation "NEW,OLD" (see README, Security)',
      })
      .transform((keys) => keys.filter((k): k is Buffer => k !== undefined))
      .optional(),
  ),
  SPOC_WORKER: optional.pipe(z.enum(['on', 'off'], { error: "must be 'on' or 'off'" }).optional()),
  LOG_LEVEL: optional.pipe(
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  ),
});

/** Rules across variables, checked on the raw values so they are reported alongside field problems. */
function crossCheck(raw: Record<string, string | undefined>): string[] {
  const env = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v?.trim() || undefined])) as Record<
    string,
    string | undefined
  >;
  const problems: string[] = [];
  const oauth = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
  const oauthCount = oauth.filter(Boolean).length;
  if (oauthCount > 0 && oauthCount < 3) {
    for (const key of ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const) {
      if (!env[key]) problems.push(`${key} is required for multi-workspace (OAuth) installs`);
    }
  }
  const anySlack = env.SLACK_BOT_TOKEN || env.SLACK_APP_TOKEN || oauthCount > 0;
  if (anySlack && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    problems.push('SLACK_SIGNING_SECRET is required to check requests from Slack over HTTP');
  }
  if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
    problems.push('SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN (Socket Mode)');
  }
  if (env.SLACK_SIGNING_SECRET && !env.SLACK_BOT_TOKEN && oauthCount === 0) {
    problems.push(
      'SLACK_BOT_TOKEN is required with SLACK_SIGNING_SECRET (or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET)',
    );
  }
  if (oauthCount === 3 && !env.SPOC_ENCRYPTION_KEY) {
    problems.push(
      'SPOC_ENCRYPTION_KEY is required for multi-workspace (OAuth) installs: it encrypts the stored bot tokens (README, Security)',
    );
  }
  if (env.SLACK_APP_TOKEN && oauthCount > 0) {
    problems.push('SLACK_APP_TOKEN Socket Mode serves one workspace: unset it for OAuth installs');
  }
  problems.push(...teamsProblems(env));
  problems.push(...teamsLocalProblems(env, Boolean(anySlack)));
  return problems;
}

/**
 * Local Teams mode answers `/api/messages` with no Bot Framework token at all, for Microsoft's
 * Agents Playground on this machine: so only on loopback, never with a Teams app id, never beside
 * Slack credentials, and only on the embedded database.
 */
function teamsLocalProblems(env: Record<string, string | undefined>, anySlack: boolean): string[] {
  if (env.SPOC_TEAMS_LOCAL !== '1') return [];
  const problems: string[] = [];
  const off = 'SPOC_TEAMS_LOCAL=1 turns Bot Framework authentication off';
  if (env.TEAMS_APP_ID) problems.push(`${off}, so it is refused when TEAMS_APP_ID is set: unset one of them`);
  if (env.HOST && env.HOST !== '127.0.0.1')
    problems.push(
      `${off}, so it listens on 127.0.0.1 only, never HOST=${env.HOST}: unset HOST (or set it to 127.0.0.1)`,
    );
  if (env.DATABASE_URL)
    problems.push(`${off}, so it runs on the embedded database (SPOC_DATA_DIR) only: unset DATABASE_URL`);
  if (anySlack) problems.push(`${off}, so it runs on its own: unset the SLACK_* credentials`);
  return problems;
}

/** The Teams rules, in the words an operator reads (README, "Environment variables"). */
function teamsProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const type = env.TEAMS_APP_TYPE ?? 'MultiTenant';
  if (!env.TEAMS_APP_ID) {
    for (const key of ['TEAMS_APP_PASSWORD', 'TEAMS_APP_TENANT_ID', 'TEAMS_APP_TYPE'] as const)
      if (env[key]) problems.push(`TEAMS_APP_ID is required with ${key}`);
    return problems;
  }
  if (type === 'UserAssignedMSI') {
    if (env.TEAMS_APP_PASSWORD)
      problems.push(
        'TEAMS_APP_PASSWORD must be unset when TEAMS_APP_TYPE is UserAssignedMSI (the managed identity signs in)',
      );
  } else if (!env.TEAMS_APP_PASSWORD) {
    problems.push(
      `TEAMS_APP_PASSWORD is required with TEAMS_APP_ID (a ${type} app), or set TEAMS_APP_TYPE=UserAssignedMSI`,
    );
  }
  if ((type === 'SingleTenant' || type === 'UserAssignedMSI') && !env.TEAMS_APP_TENANT_ID) {
    problems.push(`TEAMS_APP_TENANT_ID is required when TEAMS_APP_TYPE is ${type}`);
  }
  return problems;
}

export type TeamsAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

/** The bot's Microsoft app registration (Azure Bot), as `ConfigurationBotFrameworkAuthentication` takes it. */
export interface TeamsCredentials {
  appId: string;
  /** Unset for a user-assigned managed identity. */
  appPassword?: string;
  tenantId?: string;
  appType: TeamsAppType;
}

export type SlackMode =
  | { kind: 'http'; signingSecret: string; botToken: string }
  | { kind: 'socket'; appToken: string; botToken: string; signingSecret?: string }
  | {
      kind: 'oauth';
      signingSecret: string;
      clientId: string;
      clientSecret: string;
      stateSecret: string;
      /** Keys that seal stored installations: the first seals, all open (several during a rotation). */
      encryptionKeys: Buffer[];
    };

export interface Config {
  database: { url: string } | { dataDir: string };
  port: number;
  host: string;
  slack: (SlackMode & { apiUrl?: string }) | null;
  /** Bot Framework credentials: `POST /api/messages` is served (alongside Slack when both are set). */
  teams: TeamsCredentials | null;
  /**
   * SPOC_TEAMS_LOCAL=1: `/api/messages` with no Bot Framework authentication, for Microsoft's
   * Agents Playground on this machine. Only on 127.0.0.1, with no credentials, on the embedded
   * database (parseConfig refuses anything else, and startSpoc checks again).
   */
  teamsLocal?: true;
  /**
   * No Slack and no Teams credentials: run the local playground (a fake Slack workspace in a
   * page on HOST:PORT) instead of refusing to start.
   */
  playground: boolean;
  worker: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** SPOC_ENCRYPTION_KEY: the current key first, then any older ones still to be rotated out. */
  encryptionKeys?: Buffer[];
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Parses an environment; lists every problem with the variable's name. */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`);
  problems.push(...crossCheck(env));
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const e = parsed.data;
  let slack: Config['slack'] = null;
  if (e.SLACK_APP_TOKEN && e.SLACK_BOT_TOKEN) {
    slack = {
      kind: 'socket',
      appToken: e.SLACK_APP_TOKEN,
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
    };
  } else if (
    e.SLACK_CLIENT_ID &&
    e.SLACK_CLIENT_SECRET &&
    e.SLACK_STATE_SECRET &&
    e.SLACK_SIGNING_SECRET &&
    e.SPOC_ENCRYPTION_KEY
  ) {
    slack = {
      kind: 'oauth',
      encryptionKeys: e.SPOC_ENCRYPTION_KEY,
      signingSecret: e.SLACK_SIGNING_SECRET,
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
      stateSecret: e.SLACK_STATE_SECRET,
    };
  } else if (e.SLACK_SIGNING_SECRET && e.SLACK_BOT_TOKEN) {
    slack = { kind: 'http', signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN };
  }
  if (slack && e.SLACK_API_URL)
    slack.apiUrl = e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`;
  const teams: TeamsCredentials | null = e.TEAMS_APP_ID
    ? {
        appId: e.TEAMS_APP_ID,
        appType: e.TEAMS_APP_TYPE ?? 'MultiTenant',
        ...(e.TEAMS_APP_PASSWORD ? { appPassword: e.TEAMS_APP_PASSWORD } : {}),
        ...(e.TEAMS_APP_TENANT_ID ? { tenantId: e.TEAMS_APP_TENANT_ID } : {}),
      }
    : null;
  const teamsLocal = e.SPOC_TEAMS_LOCAL === '1';
  const playground = !slack && !teams && !teamsLocal;
  return {
    ok: true,
    config: {
      database: e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: e.SPOC_DATA_DIR ?? './data' },
      port: e.PORT ?? 3000,
      // The playground is for the person at this machine: loopback unless HOST says otherwise.
      host: e.HOST ?? (playground || teamsLocal ? '127.0.0.1' : '0.0.0.0'),
      slack,
      teams,
      ...(teamsLocal ? { teamsLocal: true as const } : {}),
      playground,
      worker: e.SPOC_WORKER !== 'off',
      encryptionKeys: e.SPOC_ENCRYPTION_KEY,
      logLevel: e.LOG_LEVEL ?? 'info',
    },
  };
}
