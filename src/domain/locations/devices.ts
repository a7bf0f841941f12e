/**
 * The devices at a location, as the fault form offers them to whoever reports a fault (no
 * register permission needed, as with `assetsForFaultForm`): searched by tag, make, model, serial
 * or notes, a page at a time, for a type-ahead; and whether the school has more than a plain
 * list could show. Disposed devices are never offered. Always within the person's school.
 */

import type { AssetRow } from '../../db/queries/assets';
import { listAssets } from '../../db/queries/assets';
import type { Ctx } from '../context';
import { isUuid } from '../ids';

/** Devices at `locationId` matching `query` (all of them for no text), tag order, from `skip`. */
export async function searchDevicesAt(
  ctx: Ctx,
  input: { locationId: string; query: string; skip: number; top: number },
): Promise<AssetRow[]> {
  if (!isUuid(input.locationId) || input.top <= 0) return [];
  const { rows } = await listAssets(ctx.db, ctx.actor.schoolId, {
    locationId: input.locationId,
    search: input.query.trim() || undefined,
    since: ctx.clock.now(),
    limit: input.top,
    offset: Math.max(input.skip, 0),
  });
  return rows.map(({ locationName: _name, recentIncidents: _recent, ...asset }) => asset);
}

/** True when the school has more devices in use than `max`. */
export async function hasMoreDevicesThan(ctx: Ctx, max: number): Promise<boolean> {
  const { total } = await listAssets(ctx.db, ctx.actor.schoolId, {
    since: ctx.clock.now(),
    limit: 0,
    offset: 0,
  });
  return total > max;
}
