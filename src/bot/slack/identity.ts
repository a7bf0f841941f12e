/**
 * Who is asking and from which workspace, read from any Slack payload (slash command, block
 * action, view submission, shortcut, event). Parsed with zod: a payload without them is refused.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Ctx } from '../../domain/context';
import { type Identified, identifySlackUser, type SlackNames } from '../../domain/schools/identify';
import type { SlackDeps } from './deps';

const Command = z.object({
  team_id: z.string().min(1),
  team_domain: z.string().optional(),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
});
const Interactive = z.object({
  team: z
    .object({ id: z.string().min(1), domain: z.string().optional() })
    .nullable()
    .optional(),
  enterprise: z
    .object({ id: z.string().min(1) })
    .nullable()
    .optional(),
  user: z.object({
    id: z.string().min(1),
    team_id: z.string().optional(),
    name: z.string().optional(),
    username: z.string().optional(),
  }),
});

export class UnidentifiedRequest extends Error {
  constructor() {
    super('Slack payload carries no team or user');
    this.name = 'UnidentifiedRequest';
  }
}

export interface SlackWho {
  teamId: string;
  teamName?: string;
  userId: string;
  userName?: string;
}

export function slackWho(body: unknown): SlackWho {
  const command = Command.safeParse(body);
  if (command.success) {
    const b = command.data;
    return { teamId: b.team_id, teamName: b.team_domain, userId: b.user_id, userName: b.user_name };
  }
  const interactive = Interactive.safeParse(body);
  if (interactive.success) {
    const b = interactive.data;
    const teamId = b.team?.id ?? b.user.team_id ?? b.enterprise?.id;
    if (teamId) {
      return {
        teamId,
        teamName: b.team?.domain,
        userId: b.user.id,
        userName: b.user.name ?? b.user.username,
      };
    }
  }
  throw new UnidentifiedRequest();
}

/**
 * Identifies the caller and builds the command context. A person or school first seen, or whose
 * name is over a day old, is named from Slack through the workspace's own Web API client (see
 * `identifySlackUser`); that never holds a request up past `SLACK_NAME_TIMEOUT_MS` nor fails it.
 */
export async function contextFor(deps: SlackDeps, who: SlackWho): Promise<Ctx & Identified> {
  const failures: NameFailure[] = [];
  const names = deps.clientFor ? slackNames(() => deps.clientFor?.(who.teamId), failures) : undefined;
  const identified = await identifySlackUser(deps.db, deps.clock, who, names);
  if (failures.length > 0) {
    deps.log.warn(
      { teamId: who.teamId, userId: who.userId, failures },
      'Slack did not give the names asked for; keeping the names SPOC has',
    );
  }
  return { db: deps.db, clock: deps.clock, ...identified };
}

/** How long a request waits for `users.info` or `team.info` before going on with the name it has. */
export const SLACK_NAME_TIMEOUT_MS = 1_500;

/** A failed name lookup, as logged: the method and Slack's error code, nothing more. */
interface NameFailure {
  method: 'users.info' | 'team.info';
  error: string;
}

const Profile = z.object({
  user: z.object({
    name: z.string().optional(),
    real_name: z.string().optional(),
    profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
  }),
});
const Team = z.object({ team: z.object({ name: z.string().optional() }) });

/** The first of `names` with anything in it, trimmed. */
const firstName = (...names: Array<string | undefined>) =>
  names.map((n) => n?.trim()).find((n): n is string => Boolean(n));

/**
 * Names from Slack's Web API: the person's display name, else real name, else handle
 * (`users.info`); the workspace's name (`team.info`). A failure or a late answer is recorded in
 * `failures` and answers undefined.
 */
function slackNames(
  client: () => Promise<WebClient | undefined> | undefined,
  failures: NameFailure[],
): SlackNames {
  let web: Promise<WebClient | undefined> | undefined;
  const ask = async <T>(method: NameFailure['method'], call: (c: WebClient) => Promise<T>) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('no answer in time'), { code: 'timeout' })),
        SLACK_NAME_TIMEOUT_MS,
      );
    });
    late.catch(() => {});
    try {
      web ??= Promise.resolve(client());
      const c = await Promise.race([web, late]);
      if (!c) return undefined;
      return await Promise.race([call(c), late]);
    } catch (error) {
      failures.push({ method, error: errorCode(error) });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    person: async (userId) => {
      const answer = await ask('users.info', (c) => c.users.info({ user: userId }));
      const parsed = Profile.safeParse(answer);
      if (!parsed.success) return undefined;
      const { user } = parsed.data;
      return firstName(user.profile?.display_name, user.profile?.real_name, user.real_name, user.name);
    },
    school: async (teamId) => {
      const answer = await ask('team.info', (c) => c.team.info({ team: teamId }));
      const parsed = Team.safeParse(answer);
      return parsed.success ? firstName(parsed.data.team.name) : undefined;
    },
  };
}

/** Slack's own error code (`missing_scope`, `ratelimited`, …) or the client's; never a message. */
function errorCode(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; data?: { error?: unknown } };
  if (typeof e.data?.error === 'string') return e.data.error;
  return typeof e.code === 'string' ? e.code : 'unknown';
}
