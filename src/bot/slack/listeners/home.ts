/** The App Home tab: rebuilt from the records whenever someone opens it or acts on it. */
import type { App } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { homeInput } from '../../../domain/answers/home';
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
  const home = await homeInput(ctx, Boolean(ctx.school.slackChannelId));
  await client.views.publish({ user_id: slackUserId, view: homeView({ ...home, notice }) });
}

export function registerHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body, client }: HomeOpenedArgs) => {
    if (event.tab !== 'home') return;
    const ctx = await contextFor(deps, { teamId: body.team_id, userId: event.user });
    await publishHome(client, ctx, event.user);
  });
}
