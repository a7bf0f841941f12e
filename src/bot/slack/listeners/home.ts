/** The App Home tab: rebuilt from the records whenever someone opens it or acts on it. */
import type { App } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { listIncidents } from '../../../domain/incidents/list-incidents';
import { listMyReports } from '../../../domain/incidents/reporter-response';
import { registerHealth } from '../../../domain/registers/register-health';
import { can } from '../../../domain/roles';
import { workProgress } from '../../../domain/work-items/list';
import type { HomeOpenedArgs, SlackDeps } from '../deps';
import { contextFor } from '../identity';
import { homeView } from '../views/home.view';
import type { SlackCtx } from './subcommand';

/** Publishes the person's Home tab, with `notice` (the answer to what they just pressed) on top. */
export async function publishHome(
  client: WebClient,
  ctx: SlackCtx,
  slackUserId: string,
  notice?: KnownBlock[],
): Promise<void> {
  const staff = can(ctx.actor.role, 'incident.viewAll');
  const mine = await listMyReports(ctx);
  const queue = staff ? await listIncidents(ctx, { filter: 'open', limit: 20 }) : undefined;
  const work = can(ctx.actor.role, 'work.view')
    ? await workProgress(ctx, { timezone: ctx.school.timezone })
    : undefined;
  const health = can(ctx.actor.role, 'register.manage') ? await registerHealth(ctx) : undefined;
  await client.views.publish({
    user_id: slackUserId,
    view: homeView({
      role: ctx.actor.role,
      schoolName: ctx.school.name,
      hasSpocChannel: Boolean(ctx.school.slackChannelId),
      timezone: ctx.school.timezone,
      myReports: mine.ok ? mine.value : { open: [], closed: [] },
      queue: queue?.ok ? queue.value.incidents : [],
      work: work?.ok ? work.value : undefined,
      health: health?.ok ? health.value : undefined,
      notice,
    }),
  });
}

export function registerHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body, client }: HomeOpenedArgs) => {
    if (event.tab !== 'home') return;
    const ctx = await contextFor(deps, { teamId: body.team_id, userId: event.user });
    await publishHome(client, ctx, event.user);
  });
}
