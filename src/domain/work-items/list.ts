/** Changes and problems at a glance, and one in full: what the SPOC reads to "monitor progress". */
import {
  type DiaryEntryRow,
  getWorkItemDetail,
  getWorkItemDetailByNumber,
  type LinkedIncident,
  listLinkedIncidents,
  listWorkItemDetails,
  listWorkItemDiary,
  listWorkItemUpdates,
  type WorkItemDetail,
  type WorkItemUpdateDetail,
} from '../../db/queries/work-items';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { schoolToday } from '../school-time';
import { WORK_NOT_FOUND } from './errors';
import { isOverdue } from './progress';
import {
  formatWorkItemReference,
  parseWorkItemReference,
  type WorkItemKind,
  type WorkListFilter,
} from './types';

/** A work item as lists show it. */
export interface WorkItemSummary extends WorkItemDetail {
  reference: string;
  /** Past its target date and not yet implemented. */
  overdue: boolean;
}

/** The school's timezone decides what "today" is for the overdue flag. */
export interface WorkClock {
  timezone: string;
}

function summarise(items: WorkItemDetail[], today: string): WorkItemSummary[] {
  return items.map((i) => ({
    ...i,
    reference: formatWorkItemReference(i.kind, i.number),
    overdue: isOverdue(i, today),
  }));
}

export interface ListWorkItemsOutput {
  filter: WorkListFilter;
  items: WorkItemSummary[];
}

/** `open` (default): changes and problems not closed; `changes` / `problems`: open ones of that kind; `all`: everything. */
export async function listWorkItems(
  ctx: Ctx,
  input: { filter?: WorkListFilter } & WorkClock,
): Promise<Result<ListWorkItemsOutput>> {
  if (!can(ctx.actor.role, 'work.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.view']);
  const filter = input.filter ?? 'open';
  const kind: WorkItemKind | undefined =
    filter === 'changes' ? 'change' : filter === 'problems' ? 'problem' : undefined;
  const items = await listWorkItemDetails(ctx.db, ctx.actor.schoolId, { kind, openOnly: filter !== 'all' });
  return ok({ filter, items: summarise(items, schoolToday(ctx.clock.now(), input.timezone)) });
}

export interface WorkItemFull {
  item: WorkItemSummary;
  updates: WorkItemUpdateDetail[];
  incidents: LinkedIncident[];
  /** Diary entries tied to it (planned downtime for a change). */
  diary: DiaryEntryRow[];
}

/**
 * One change or problem with its progress updates, linked incidents and diary entries. `ref` is
 * `CHG-3` / `PRB-2`, an id, or a bare number read as `kind`.
 */
export async function getWorkItemFull(
  ctx: Ctx,
  input: { ref: string; kind?: WorkItemKind } & WorkClock,
): Promise<Result<WorkItemFull>> {
  if (!can(ctx.actor.role, 'work.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.view']);
  const { schoolId } = ctx.actor;
  const bare = /^\s*#?(\d{1,9})\s*$/.exec(input.ref)?.[1];
  const parsed =
    parseWorkItemReference(input.ref) ??
    (bare && input.kind ? { kind: input.kind, number: Number(bare) } : null);
  let item: WorkItemDetail | undefined;
  if (parsed) item = await getWorkItemDetailByNumber(ctx.db, schoolId, parsed.kind, parsed.number);
  else if (isUuid(input.ref)) item = await getWorkItemDetail(ctx.db, schoolId, input.ref);
  if (!item) return fail('REGISTER.NOT_FOUND', WORK_NOT_FOUND);
  const [updates, incidents, diary] = await Promise.all([
    listWorkItemUpdates(ctx.db, schoolId, item.id),
    listLinkedIncidents(ctx.db, schoolId, item.id),
    listWorkItemDiary(ctx.db, schoolId, item.id),
  ]);
  const [summary] = summarise([item], schoolToday(ctx.clock.now(), input.timezone));
  return ok({ item: summary as WorkItemSummary, updates, incidents, diary });
}

/** Open changes, for the diary form's "Change" drop-down. Empty for anyone who may not see them. */
export async function openChanges(ctx: Ctx): Promise<WorkItemDetail[]> {
  if (!can(ctx.actor.role, 'work.view')) return [];
  return listWorkItemDetails(ctx.db, ctx.actor.schoolId, { kind: 'change', openOnly: true });
}

/** Open changes and problems for the App Home, overdue first then soonest target. */
export async function workProgress(ctx: Ctx, clock: WorkClock): Promise<Result<WorkItemSummary[]>> {
  if (!can(ctx.actor.role, 'work.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.view']);
  const items = await listWorkItemDetails(ctx.db, ctx.actor.schoolId, { openOnly: true });
  const summaries = summarise(items, schoolToday(ctx.clock.now(), clock.timezone));
  return ok([...summaries.filter((i) => i.overdue), ...summaries.filter((i) => !i.overdue)]);
}
