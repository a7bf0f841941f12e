/**
 * What SPOC answers when someone asks for a register (`/spoc locations` in Slack, `spoc locations`
 * in Teams): the domain's query, then its presenter, decided once for every platform. Each
 * platform only renders the presentation; a refusal is the domain's own sentence.
 */
import type { Ctx } from '../context';
import { type Presentation, sentence } from '../presenters/presentation';
import { presentLocationList } from '../presenters/registers/locations';
import { listLocationsWithParents } from '../registers/locations';
import { can } from '../roles';

/** A page of the locations as the person may see them, with `before` over it when given. */
export async function locationsAnswer(ctx: Ctx, page: number, before?: Presentation): Promise<Presentation> {
  const result = await listLocationsWithParents(ctx);
  if (!result.ok) return sentence(result.error.message);
  const list = presentLocationList(result.value, page, can(ctx.actor.role, 'register.manage'));
  return before ? { ...list, sections: [...before.sections, ...list.sections] } : list;
}
