/**
 * How a change or problem moves on, as pure rules: the status goes forward freely and may go back
 * one step (a review that finds more to do); "done" and "100%" go together — from implemented on
 * the work is 100% done, and posting 100% on unfinished work marks it implemented.
 */
import { isDone, WORK_ITEM_STATUS_LABELS, WORK_ITEM_STATUSES, type WorkItemStatus } from './types';

export interface WorkState {
  status: WorkItemStatus;
  percentDone: number;
}

export interface ProgressChange {
  /** The new status, if one was chosen. */
  status?: WorkItemStatus;
  /** The new percent done (0–100), if one was given. */
  percentDone?: number;
}

export type ProgressOutcome =
  | { ok: true; next: WorkState }
  | { ok: false; fields: Partial<Record<'status' | 'percentDone', string>> };

const indexOf = (s: WorkItemStatus) => WORK_ITEM_STATUSES.indexOf(s);

export function checkPercent(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > 100) return 'Give a whole number from 0 to 100.';
  return undefined;
}

/** Where a change of status and/or percent leads, or what is wrong with it (by field). */
export function nextProgress(current: WorkState, change: ProgressChange): ProgressOutcome {
  const percentProblem = checkPercent(change.percentDone);
  if (percentProblem) return { ok: false, fields: { percentDone: percentProblem } };
  if (change.status !== undefined && !WORK_ITEM_STATUSES.includes(change.status)) {
    return { ok: false, fields: { status: 'Choose a status from the list.' } };
  }
  let status = change.status ?? current.status;
  if (indexOf(status) < indexOf(current.status) - 1) {
    const back = WORK_ITEM_STATUSES[indexOf(current.status) - 1];
    return {
      ok: false,
      fields: {
        status: `It can only go back one step, to ${back ? WORK_ITEM_STATUS_LABELS[back] : 'the previous status'}.`,
      },
    };
  }
  let percentDone = change.percentDone ?? current.percentDone;
  if (isDone(status)) {
    if (change.percentDone !== undefined && change.percentDone < 100) {
      return {
        ok: false,
        fields: {
          percentDone: `${WORK_ITEM_STATUS_LABELS[status]} means done: leave the percent empty or choose an earlier status.`,
        },
      };
    }
    percentDone = 100;
  } else if (percentDone === 100) {
    if (change.status === undefined && change.percentDone === 100) {
      // 100% on unfinished work: it has been implemented.
      status = 'implemented';
    } else if (change.percentDone === 100) {
      return {
        ok: false,
        fields: { percentDone: '100% means implemented: choose Implemented or give a lower percent.' },
      };
    } else {
      return {
        ok: false,
        fields: { percentDone: 'It is no longer done: say how far along it is (under 100%).' },
      };
    }
  }
  return { ok: true, next: { status, percentDone } };
}

/** The target date has passed and the work is not done yet. `today` is the school's date. */
export function isOverdue(
  item: { status: WorkItemStatus; targetDate: string | null },
  today: string,
): boolean {
  return item.targetDate !== null && item.targetDate < today && !isDone(item.status);
}
