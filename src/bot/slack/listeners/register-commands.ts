import {
  ASSET_USAGE,
  assetAnswer,
  assetsAnswer,
  licencesAnswer,
  locationsAnswer,
} from '../../../domain/answers/registers';
import type { SlackMessage } from '../views/incident-card.view';
import { mrkdwn, renderMessage } from '../views/render';
import { usageView } from '../views/replies.view';
import type { Handler, SlackCtx } from './subcommand';

/** Shows a page of the location list. */
export async function locationsReply(ctx: SlackCtx, page: number): Promise<SlackMessage> {
  return renderMessage(await locationsAnswer(ctx, page));
}

/** `/spoc assets [location|type|text]`: a page of the asset register (see `assetsAnswer`). */
export async function assetsReply(ctx: SlackCtx, query: string, page: number): Promise<SlackMessage> {
  return renderMessage(await assetsAnswer(ctx, query, page), ctx.school.timezone);
}

/** `/spoc asset TAG` and an asset's View: the asset's page. */
export async function assetReply(ctx: SlackCtx, ref: string): Promise<SlackMessage> {
  return renderMessage(await assetAnswer(ctx, ref), ctx.school.timezone);
}

export async function licencesReply(ctx: SlackCtx): Promise<SlackMessage> {
  return renderMessage(await licencesAnswer(ctx), ctx.school.timezone);
}

export const REGISTER_SUBCOMMANDS: Record<string, Handler> = {
  locations: (ctx, args) => locationsReply(ctx, Math.max(1, Number(args[0]) || 1)),
  assets: (ctx, args) => assetsReply(ctx, args.join(' '), 1),
  asset: async (ctx, args) =>
    args[0] ? assetReply(ctx, args.join(' ')) : usageView(mrkdwn(ASSET_USAGE), ctx.actor.role),
  licences: (ctx) => licencesReply(ctx),
  licenses: (ctx) => licencesReply(ctx),
};
