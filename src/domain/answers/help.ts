/** `spoc help`: what the person may do, by role, for every platform. */
import type { Ctx } from '../context';
import { presentHelp } from '../presenters/help';
import type { Presentation } from '../presenters/presentation';

export function helpAnswer(ctx: Ctx): Presentation {
  return presentHelp(ctx.actor.role);
}
