import { locationsAnswer } from '../../../domain/answers/registers';
import { matchKey } from '../../../domain/imports/fields';
import { getAssetDetail, listAssetRegister } from '../../../domain/registers/assets';
import { listLicenceRegister } from '../../../domain/registers/licences';
import { listLocationsWithParents } from '../../../domain/registers/locations';
import { ASSET_TYPE_LABELS, ASSET_TYPES, type AssetType } from '../../../domain/registers/types';
import { can } from '../../../domain/roles';
import { schoolToday } from '../../../domain/school-time';
import type { SlackMessage } from '../views/incident-card.view';
import { assetDetailView, assetListView, licenceListView } from '../views/registers/register-lists.view';
import { renderMessage } from '../views/render';
import { noticeView, usageView } from '../views/replies.view';
import type { Handler, SlackCtx } from './subcommand';

/** Shows a page of the location list. */
export async function locationsReply(ctx: SlackCtx, page: number): Promise<SlackMessage> {
  return renderMessage(await locationsAnswer(ctx, page));
}

/**
 * `/spoc assets [location|type|text]`: a location's name lists what is there, a type lists that
 * type, anything else searches tags, makes, models, serials and notes.
 */
export async function assetsReply(ctx: SlackCtx, query: string, page: number): Promise<SlackMessage> {
  const q = query.trim();
  let filter: { locationId?: string; type?: AssetType; search?: string } = {};
  if (q) {
    const locations = await listLocationsWithParents(ctx);
    const place = locations.ok ? locations.value.find((l) => l.nameKey === q.toLowerCase()) : undefined;
    const type = ASSET_TYPES.find(
      (t) => matchKey(t) === matchKey(q) || matchKey(ASSET_TYPE_LABELS[t]) === matchKey(q),
    );
    filter = place ? { locationId: place.id } : type ? { type } : { search: q };
  }
  const result = await listAssetRegister(ctx, { ...filter, page, pageSize: 20 });
  if (!result.ok) return noticeView(result.error.message);
  return assetListView(result.value, q, can(ctx.actor.role, 'register.manage'));
}

export async function assetReply(ctx: SlackCtx, ref: string): Promise<SlackMessage> {
  const result = await getAssetDetail(ctx, { ref });
  if (!result.ok) return noticeView(result.error.message);
  return assetDetailView(result.value, {
    today: schoolToday(ctx.clock.now(), ctx.school.timezone),
    timezone: ctx.school.timezone,
    canManage: can(ctx.actor.role, 'register.manage'),
    canMove: can(ctx.actor.role, 'asset.move'),
  });
}

export async function licencesReply(ctx: SlackCtx): Promise<SlackMessage> {
  const result = await listLicenceRegister(ctx);
  if (!result.ok) return noticeView(result.error.message);
  return licenceListView(result.value, can(ctx.actor.role, 'register.manage'));
}

export const REGISTER_SUBCOMMANDS: Record<string, Handler> = {
  locations: (ctx, args) => locationsReply(ctx, Math.max(1, Number(args[0]) || 1)),
  assets: (ctx, args) => assetsReply(ctx, args.join(' '), 1),
  asset: async (ctx, args) =>
    args[0] ? assetReply(ctx, args.join(' ')) : usageView('Usage: `/spoc asset LAP-0042`', ctx.actor.role),
  licences: (ctx) => licencesReply(ctx),
  licenses: (ctx) => licencesReply(ctx),
};
