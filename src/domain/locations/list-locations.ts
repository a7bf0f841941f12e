import { type LocationRow, listActiveLocations } from '../../db/queries/locations';
import type { Ctx } from '../context';

/** The school's locations that can be chosen in a form, in name order. */
export async function listLocations(ctx: Ctx): Promise<LocationRow[]> {
  return listActiveLocations(ctx.db, ctx.actor.schoolId);
}
