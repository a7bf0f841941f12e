/**
 * What SPOC answers when someone asks for changes and problems (`/spoc changes [filter] [page]`,
 * `/spoc problems`, `/spoc change CHG-3`, `/spoc problem PRB-2` in Slack; the same words after
 * `spoc` in Teams): the words read, the domain's query, then its presenter, decided once for every
 * platform. Words SPOC cannot read are answered with the usage, which each platform shows its own
 * way (Slack with the help under it).
 */
import type { Ctx } from '../context';
import { code, type Presentation, type Rich, sentence } from '../presenters/presentation';
import { presentWorkDetail, presentWorkList } from '../presenters/work-items';
import { can } from '../roles';
import { getWorkItemFull, listWorkItems } from '../work-items/list';
import { WORK_LIST_FILTERS, type WorkItemKind, type WorkListFilter } from '../work-items/types';

/** A context that knows the school's time zone (what "overdue" is measured by). */
type SchoolCtx = Ctx & { school: { timezone: string } };

/** Words SPOC could not read, and how to say them. */
export interface Usage {
  usage: Rich;
}

export const isUsage = (a: Presentation | Usage): a is Usage => 'usage' in a;

export const CHANGES_USAGE: Rich = [
  'Usage: ',
  { command: 'spoc changes [open|changes|problems|all]' },
  ' — or ',
  { command: 'spoc change CHG-3' },
  ', ',
  { command: 'spoc problem PRB-2' },
];

/** A page of the changes and problems the filter picks, as the person may see them. */
export async function workListAnswer(
  ctx: SchoolCtx,
  filter: WorkListFilter,
  page: number,
): Promise<Presentation> {
  const result = await listWorkItems(ctx, { filter, timezone: ctx.school.timezone });
  if (!result.ok) return sentence(result.error.message);
  return presentWorkList(result.value, page, { canManage: can(ctx.actor.role, 'work.manage') });
}

/** One change or problem in full (`ref`: `CHG-3`, an id, or a bare number read as `kind`). */
export async function workItemAnswer(
  ctx: SchoolCtx,
  ref: string,
  kind?: WorkItemKind,
): Promise<Presentation> {
  const result = await getWorkItemFull(ctx, { ref, kind, timezone: ctx.school.timezone });
  if (!result.ok) return sentence(result.error.message);
  return presentWorkDetail(result.value, {
    canUpdate: can(ctx.actor.role, 'work.update'),
    canManage: can(ctx.actor.role, 'work.manage'),
  });
}

/** `changes [filter] [page]`, or `problems [page]` (`fixed`: the filter its word names). */
export async function changesCommandAnswer(
  ctx: SchoolCtx,
  args: readonly string[],
  fixed?: WorkListFilter,
): Promise<Presentation | Usage> {
  const words = [...args];
  let filter: WorkListFilter = fixed ?? 'open';
  const first = words[0]?.toLowerCase();
  if (!fixed && first && !/^\d+$/.test(first)) {
    if (!(WORK_LIST_FILTERS as readonly string[]).includes(first)) {
      return { usage: ["I don't know the list ", code(first.slice(0, 30)), '. ', ...CHANGES_USAGE] };
    }
    filter = first as WorkListFilter;
    words.shift();
  }
  const page = words[0] ? Number(words[0]) : 1;
  if (!Number.isInteger(page) || page < 1 || words.length > 1) return { usage: CHANGES_USAGE };
  return workListAnswer(ctx, filter, page);
}

/** `change CHG-3` or `problem PRB-2`. */
export async function workDetailCommandAnswer(
  ctx: SchoolCtx,
  args: readonly string[],
  kind: WorkItemKind,
): Promise<Presentation | Usage> {
  if (args.length !== 1 || !args[0]) {
    return { usage: ['Usage: ', { command: `spoc ${kind} ${kind === 'change' ? 'CHG-3' : 'PRB-2'}` }] };
  }
  return workItemAnswer(ctx, args[0], kind);
}
