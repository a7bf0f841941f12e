/**
 * Who is asking and from which workspace, read from any Slack payload (slash command, block
 * action, view submission, shortcut, event). Parsed with zod: a payload without them is refused.
 */
import { z } from 'zod';
import type { Ctx } from '../../domain/context';
import { type Identified, identifySlackUser } from '../../domain/schools/identify';
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

/** Identifies the caller and builds the command context. */
export async function contextFor(deps: SlackDeps, who: SlackWho): Promise<Ctx & Identified> {
  const identified = await identifySlackUser(deps.db, deps.clock, who);
  return { db: deps.db, clock: deps.clock, ...identified };
}
