/** `spoc fixes`: the school's known fixes with their uses, for every platform. */
import type { Ctx } from '../context';
import { listKnownFixes } from '../known-fixes/known-fixes';
import { presentFixList } from '../presenters/known-fixes';
import { type Presentation, sentence } from '../presenters/presentation';
import { can } from '../roles';

/** A page of the known fixes, with `before` over it when given (what a press just did). */
export async function fixesAnswer(ctx: Ctx, page: number, before?: Presentation): Promise<Presentation> {
  const result = await listKnownFixes(ctx);
  if (!result.ok) return sentence(result.error.message);
  const list = presentFixList(result.value, page, can(ctx.actor.role, 'register.manage'));
  return before ? { ...list, sections: [...before.sections, ...list.sections] } : list;
}

/** The page of the list a fix is on (after a press on its row). */
export async function pageOfFix(ctx: Ctx, fixId: string, pageSize: number): Promise<number> {
  const all = await listKnownFixes(ctx);
  const at = all.ok ? all.value.findIndex((f) => f.id === fixId) : -1;
  return at < 0 ? 1 : Math.floor(at / pageSize) + 1;
}
