/**
 * What SPOC answers when someone asks for a register (`/spoc locations` in Slack, `spoc locations`
 * in Teams): the domain's query, then its presenter, decided once for every platform. Each
 * platform only renders the presentation; a refusal is the domain's own sentence.
 */
import type { Ctx } from '../context';
import { matchKey } from '../imports/fields';
import { type Presentation, type Rich, sentence } from '../presenters/presentation';
import { ASSETS_PAGE, presentAssetDetail, presentAssetList } from '../presenters/registers/assets';
import { presentLicenceList } from '../presenters/registers/licences';
import { presentLocationList } from '../presenters/registers/locations';
import { getAssetDetail, listAssetRegister } from '../registers/assets';
import { listLicenceRegister } from '../registers/licences';
import { listLocationsWithParents } from '../registers/locations';
import { ASSET_TYPE_LABELS, ASSET_TYPES, type AssetType } from '../registers/types';
import { can } from '../roles';
import { schoolToday } from '../school-time';

/** A page of the locations as the person may see them, with `before` over it when given. */
export async function locationsAnswer(ctx: Ctx, page: number, before?: Presentation): Promise<Presentation> {
  const result = await listLocationsWithParents(ctx);
  if (!result.ok) return sentence(result.error.message);
  const list = presentLocationList(result.value, page, can(ctx.actor.role, 'register.manage'));
  return before ? { ...list, sections: [...before.sections, ...list.sections] } : list;
}

/**
 * A page of the asset register (`assets [location|type|text]`): a location's name lists what is
 * there, a type lists that type, anything else searches tags, makes, models, serials and notes.
 */
export async function assetsAnswer(ctx: Ctx, query: string, page: number): Promise<Presentation> {
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
  const result = await listAssetRegister(ctx, { ...filter, page, pageSize: ASSETS_PAGE });
  if (!result.ok) return sentence(result.error.message);
  return presentAssetList(result.value, q, can(ctx.actor.role, 'register.manage'));
}

/** How `asset` is said, when it is said without a tag. */
export const ASSET_USAGE: Rich = ['Usage: ', { command: 'spoc asset LAP-0042' }];

/** One asset by tag or id (`asset TAG`): its page, or the usage when no tag is given. */
export async function assetAnswer(
  ctx: Ctx & { school: { timezone: string } },
  ref: string,
): Promise<Presentation> {
  if (!ref.trim()) return sentence(ASSET_USAGE);
  const result = await getAssetDetail(ctx, { ref: ref.trim() });
  if (!result.ok) return sentence(result.error.message);
  return presentAssetDetail(result.value, {
    today: schoolToday(ctx.clock.now(), ctx.school.timezone),
    canManage: can(ctx.actor.role, 'register.manage'),
    canMove: can(ctx.actor.role, 'asset.move'),
  });
}

/** The licence list (`licences`), key references only for office staff. */
export async function licencesAnswer(ctx: Ctx): Promise<Presentation> {
  const result = await listLicenceRegister(ctx);
  if (!result.ok) return sentence(result.error.message);
  return presentLicenceList(result.value, can(ctx.actor.role, 'register.manage'));
}
