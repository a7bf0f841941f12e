/**
 * The App Home tab: rebuilt from the records whenever someone opens it or acts on it, and, for the
 * school's staff, published again after any change it shows (`../home-refresh.ts`: the outbox's
 * deliverer says when an incident's card or a reminder went out).
 */
import type { App } from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { homeInput } from '../../../domain/answers/home';
import { can } from '../../../domain/roles';
import type { ButtonArgs, HomeOpenedArgs, SlackDeps } from '../deps';
import { type HomeRefresher, homeRefresher } from '../home-refresh';
import { contextFor, slackWho } from '../identity';
import { md } from '../views/format';
import { homeView } from '../views/home.view';
import type { SlackCtx } from './subcommand';

/** Publishes the person's Home tab, with `notice` (the answer to what they just pressed) on top. */
export async function publishHome(
  client: WebClient,
  ctx: SlackCtx,
  slackUserId: string,
  notice?: KnownBlock[],
): Promise<void> {
  const home = await homeInput(ctx, Boolean(ctx.school.slackChannelId));
  await client.views.publish({ user_id: slackUserId, view: homeView({ ...home, notice }) });
}

/** Whether a press came from the App Home (a view of type home, with no message to answer under). */
export const pressedOnHome = (body: ButtonArgs['body']): boolean => body.view?.type === 'home';

/** A form opened from the App Home says so in its private_metadata (`home: true`). */
export const FromHome = z.object({ home: z.literal(true) });

/** The form, remembering it was opened from the App Home (so the home follows once it is saved). */
export function openedFromHome(view: ModalView): ModalView {
  let metadata: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(view.private_metadata || '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return view;
    metadata = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the form keeps what it had, and the home follows with the outbox instead.
    return view;
  }
  return { ...view, private_metadata: JSON.stringify({ ...metadata, home: true }) };
}

/** Slack's own error code (`ratelimited`, `invalid_auth`, …) or the client's; never a message or token. */
function errorCode(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; data?: { error?: unknown } };
  if (typeof e.data?.error === 'string') return e.data.error;
  return typeof e.code === 'string' ? e.code : 'unknown';
}

/**
 * Keeps the person's home current after changes, while they are staff of the school: their role
 * is read again at each refresh, and the home is published through the workspace's own client.
 */
export function watchHome(
  deps: SlackDeps,
  client: WebClient,
  ctx: SlackCtx,
  slackUserId: string,
  refresher: HomeRefresher = homeRefresher,
): void {
  const teamId = ctx.school.slackTeamId;
  if (!teamId || !can(ctx.actor.role, 'incident.viewAll')) return;
  const schoolId = ctx.school.id;
  refresher.watch(schoolId, slackUserId, async () => {
    try {
      const fresh = await contextFor(deps, { teamId, userId: slackUserId });
      if (fresh.school.id !== schoolId || !can(fresh.actor.role, 'incident.viewAll')) return false;
      const web = (await deps.clientFor?.(teamId)) ?? client;
      await publishHome(web, fresh, slackUserId);
      return true;
    } catch (error) {
      deps.log.warn(
        { schoolId, slackUserId, error: errorCode(error) },
        'could not refresh an App Home; it shows what it showed until the next change',
      );
      return true;
    }
  });
}

/**
 * The presser's home, published again after what they pressed on it changed something (Claim,
 * Resume, a form opened from it and saved), with `notice` on top if given. A failure is logged:
 * what they did is done, and the outbox's refresh follows.
 */
export async function republishPresserHome(
  deps: SlackDeps,
  args: { client: WebClient; body: { user: { id: string } } },
  notice?: KnownBlock[],
): Promise<void> {
  try {
    const ctx = await contextFor(deps, slackWho(args.body));
    await publishHome(args.client, ctx, args.body.user.id, notice);
    watchHome(deps, args.client, ctx, args.body.user.id);
  } catch (error) {
    deps.log.warn(
      { slackUserId: args.body.user.id, error: errorCode(error) },
      'could not publish the App Home again after a press on it',
    );
  }
}

/** A sentence on top of the home, as the answer to a press on it. */
export const homeNotice = (mrkdwnText: string): KnownBlock[] => [{ type: 'section', text: md(mrkdwnText) }];

export function registerHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body, client }: HomeOpenedArgs) => {
    if (event.tab !== 'home') return;
    const ctx = await contextFor(deps, { teamId: body.team_id, userId: event.user });
    await publishHome(client, ctx, event.user);
    watchHome(deps, client, ctx, event.user);
  });
}
