/**
 * FITS change and problem management as work items: a change implements a new
 * design; a problem is the root cause behind repeated incidents. Both are tracked the same way —
 * owner, status, percent done, target date, linked incidents and dated progress updates.
 */

export const WORK_ITEM_KINDS = ['change', 'problem'] as const;
export type WorkItemKind = (typeof WORK_ITEM_KINDS)[number];

export const WORK_ITEM_STATUSES = [
  'proposed',
  'approved',
  'in_progress',
  'implemented',
  'reviewed',
  'closed',
] as const;
export type WorkItemStatus = (typeof WORK_ITEM_STATUSES)[number];

export const WORK_ITEM_KIND_LABELS: Record<WorkItemKind, string> = {
  change: 'Change',
  problem: 'Problem',
};

export const WORK_ITEM_STATUS_LABELS: Record<WorkItemStatus, string> = {
  proposed: 'Proposed',
  approved: 'Approved',
  in_progress: 'In progress',
  implemented: 'Implemented',
  reviewed: 'Reviewed',
  closed: 'Closed',
};

/** CHG-3, PRB-12: changes and problems are numbered separately in each school. */
export const WORK_ITEM_PREFIX: Record<WorkItemKind, string> = { change: 'CHG', problem: 'PRB' };

export function formatWorkItemReference(kind: WorkItemKind, number: number): string {
  return `${WORK_ITEM_PREFIX[kind]}-${number}`;
}

/** `CHG-3` / `prb 12` / `PRB12` → kind and number; null when it is not a work item reference. */
export function parseWorkItemReference(text: string): { kind: WorkItemKind; number: number } | null {
  const match = /^\s*(CHG|PRB)[-\s]?(\d{1,9})\s*$/i.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const kind = match[1].toUpperCase() === 'CHG' ? 'change' : 'problem';
  return { kind, number: Number(match[2]) };
}

/** A change or problem counts as open until it is closed. */
export const OPEN_WORK_STATUSES: readonly WorkItemStatus[] = WORK_ITEM_STATUSES.filter((s) => s !== 'closed');

/** From this status on the work is done: its percent is 100, and a problem's incidents can be resolved. */
export const DONE_FROM: WorkItemStatus = 'implemented';

export function isDone(status: WorkItemStatus): boolean {
  return WORK_ITEM_STATUSES.indexOf(status) >= WORK_ITEM_STATUSES.indexOf(DONE_FROM);
}

/** `/spoc changes <filter>`: open work (default), open changes, open problems, or everything. */
export const WORK_LIST_FILTERS = ['open', 'changes', 'problems', 'all'] as const;
export type WorkListFilter = (typeof WORK_LIST_FILTERS)[number];
