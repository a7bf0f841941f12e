/** The App Home tab: rebuilt from the records whenever someone opens it. */
import type { App } from '@slack/bolt';
import { listIncidents } from '../../../domain/incidents/list-incidents';
import { registerHealth } from '../../../domain/registers/register-health';
import { can } from '../../../domain/roles';
import type { HomeOpenedArgs, SlackDeps } from '../deps';
import { contextFor } from '../identity';
import { homeView } from '../views/home.view';

export function registerHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body, client }: HomeOpenedArgs) => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    const ctx = await contextFor(deps, { teamId, userId: event.user });
    const staff = can(ctx.actor.role, 'incident.viewAll');
    const mine = await listIncidents(ctx, { filter: 'reported', limit: 15 });
    const queue = staff ? await listIncidents(ctx, { filter: 'open', limit: 20 }) : undefined;
    const health = can(ctx.actor.role, 'register.manage') ? await registerHealth(ctx) : undefined;
    await client.views.publish({
      user_id: event.user,
      view: homeView({
        role: ctx.actor.role,
        schoolName: ctx.school.name,
        hasSpocChannel: Boolean(ctx.school.slackChannelId),
        myReports: mine.ok ? mine.value.incidents : [],
        queue: queue?.ok ? queue.value.incidents : [],
        health: health?.ok ? health.value : undefined,
      }),
    });
  });
}
