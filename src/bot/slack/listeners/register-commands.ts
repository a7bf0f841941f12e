/** `/spoc locations|assets|asset|licences|providers|contracts|payments|diary`: the registers as private replies. */
import { endOfMonth, format, isValid, parseISO } from 'date-fns';
import { matchKey } from '../../../domain/imports/fields';
import { getAssetDetail, listAssetRegister } from '../../../domain/registers/assets';
import { listDiaryEntries } from '../../../domain/registers/diary';
import { listLicenceRegister } from '../../../domain/registers/licences';
import { listLocationsWithParents } from '../../../domain/registers/locations';
import { listPaymentRegister } from '../../../domain/registers/payments';
import { listContractRegister, listProviderRegister } from '../../../domain/registers/providers';
import { ASSET_TYPE_LABELS, ASSET_TYPES, type AssetType } from '../../../domain/registers/types';
import { can } from '../../../domain/roles';
import { schoolToday } from '../../../domain/school-time';
import type { SlackMessage } from '../views/incident-card.view';
import {
  assetDetailView,
  assetListView,
  licenceListView,
  locationListView,
} from '../views/registers/register-lists.view';
import {
  contractListView,
  diaryListView,
  paymentListView,
  providerListView,
} from '../views/registers/supply-lists.view';
import { noticeView, usageView } from '../views/replies.view';
import type { Handler, SlackCtx } from './subcommand';

/** Shows a page of the location list. */
export async function locationsReply(ctx: SlackCtx, page: number): Promise<SlackMessage> {
  const result = await listLocationsWithParents(ctx);
  if (!result.ok) return noticeView(result.error.message);
  return locationListView(result.value, page, can(ctx.actor.role, 'register.manage'));
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

export async function providersReply(ctx: SlackCtx, page: number): Promise<SlackMessage> {
  const result = await listProviderRegister(ctx);
  if (!result.ok) return noticeView(result.error.message);
  return providerListView(result.value, page, can(ctx.actor.role, 'register.manage'));
}

/** Contracts, soonest ending first, with the notice deadline flagged when it is near. */
export async function contractsReply(ctx: SlackCtx, page: number): Promise<SlackMessage> {
  const result = await listContractRegister(ctx);
  if (!result.ok) return noticeView(result.error.message);
  return contractListView(result.value, page, {
    today: schoolToday(ctx.clock.now(), ctx.school.timezone),
    canManage: can(ctx.actor.role, 'register.manage'),
  });
}

/** `/spoc payments [all]`: scheduled payments soonest due first (office work); `all` adds paid and cancelled. */
export async function paymentsReply(
  ctx: SlackCtx,
  all: boolean,
  page: number,
  notice?: string,
): Promise<SlackMessage> {
  const result = await listPaymentRegister(ctx, { includeDone: all });
  if (!result.ok) return noticeView(result.error.message);
  return paymentListView(result.value, page, {
    today: schoolToday(ctx.clock.now(), ctx.school.timezone),
    all,
    ...(notice ? { notice } : {}),
  });
}

/** `/spoc diary [YYYY-MM]`: one month of the diary, this month unless another is named. */
export async function diaryReply(ctx: SlackCtx, month: string, page: number): Promise<SlackMessage> {
  const from = `${month}-01`;
  const result = await listDiaryEntries(ctx, {
    from,
    to: format(endOfMonth(parseISO(from)), 'yyyy-MM-dd'),
  });
  if (!result.ok) return noticeView(result.error.message);
  return diaryListView(result.value, month, page, can(ctx.actor.role, 'register.manage'));
}

function diaryCommand(ctx: SlackCtx, args: string[]): Promise<SlackMessage> {
  const month = args[0] ?? schoolToday(ctx.clock.now(), ctx.school.timezone).slice(0, 7);
  if (!/^\d{4}-\d{2}$/.test(month) || !isValid(parseISO(`${month}-01`))) {
    return Promise.resolve(usageView('Usage: `/spoc diary` or `/spoc diary 2027-03`', ctx.actor.role));
  }
  return diaryReply(ctx, month, 1);
}

export const REGISTER_SUBCOMMANDS: Record<string, Handler> = {
  locations: (ctx, args) => locationsReply(ctx, Math.max(1, Number(args[0]) || 1)),
  assets: (ctx, args) => assetsReply(ctx, args.join(' '), 1),
  asset: async (ctx, args) =>
    args[0] ? assetReply(ctx, args.join(' ')) : usageView('Usage: `/spoc asset LAP-0042`', ctx.actor.role),
  licences: (ctx) => licencesReply(ctx),
  licenses: (ctx) => licencesReply(ctx),
  providers: (ctx, args) => providersReply(ctx, Math.max(1, Number(args[0]) || 1)),
  contracts: (ctx, args) => contractsReply(ctx, Math.max(1, Number(args[0]) || 1)),
  payments: (ctx, args) => paymentsReply(ctx, args[0]?.toLowerCase() === 'all', 1),
  diary: (ctx, args) => diaryCommand(ctx, args),
};
