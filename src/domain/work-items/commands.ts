/**
 * Changes and problems: open one, edit it, and post dated progress. Office and
 * admin open, edit and close them; technicians post progress. Every change records who, what,
 * when and from → to in work_item_updates, in the same transaction.
 */

import type { Db } from '../../db/client';
import { lockSchool } from '../../db/queries/schools';
import {
  allocateWorkItemNumber,
  findUpdateBySubmission,
  getWorkItem,
  insertWorkItem,
  insertWorkItemUpdate,
  type LinkedIncident,
  listLinkedIncidents,
  lockWorkItem,
  updateWorkItem,
  type WorkItemRow,
  type WorkItemUpdateRow,
} from '../../db/queries/work-items';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { isOpen } from '../incidents/state-machine';
import { type PersonRef, personOf } from '../people';
import { checkDate, checkText, fieldsOf } from '../registers/validate';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { notFound, WORK_NOT_FOUND } from './errors';
import { linkIncidentsIn, parseIncidentRefs } from './links';
import { nextProgress } from './progress';
import {
  formatWorkItemReference,
  isDone,
  WORK_ITEM_KINDS,
  type WorkItemKind,
  type WorkItemStatus,
} from './types';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 3000;
export const NOTE_MAX = 2000;

/**
 * Who owns the work: a technician or office member, as a Slack user of the school's workspace or
 * a SPOC person id of the school (Teams' list of staff).
 */
export type OwnerInput = PersonRef;

export interface WorkItemFields {
  title: string;
  description: string;
  /** Null: nobody owns it yet. */
  owner: OwnerInput | null;
  /** `YYYY-MM-DD`, or null for no target. */
  targetDate: string | null;
}

export interface CreateWorkItemInput extends WorkItemFields {
  kind: WorkItemKind;
  /** Defaults to proposed. */
  status?: WorkItemStatus;
  /** Defaults to 0 (100 once implemented). */
  percentDone?: number;
  /** Incidents to link straight away: `INC-7` references (or ids) of the same school. */
  incidents?: string[];
  /** Idempotency key of the form submission (the Slack view id): a double submit finds the first. */
  submissionKey?: string;
}

export interface WorkItemOutput {
  item: WorkItemRow;
  reference: string;
}

function checkFields(input: WorkItemFields): Record<string, string> {
  return fieldsOf({
    title:
      checkText(input.title, 'The title', TITLE_MAX, true) ??
      (input.title.trim().length < 3 ? 'Say in a few words what it is.' : undefined),
    description: checkText(input.description, 'The description', DESCRIPTION_MAX),
    targetDate: checkDate(input.targetDate, 'The target date'),
  });
}

/** The owner as a person of the school, who must be able to work on it. */
async function ownerOf(tx: Db, ctx: Ctx, owner: OwnerInput | null): Promise<string | null> {
  if (!owner) return null;
  const notListed = new DomainFailure({
    code: 'VALIDATION',
    message: 'Choose the owner from the list.',
    fields: { owner: 'Choose the owner from the list.' },
  });
  if ('slackUserId' in owner && !/^[UW][A-Z0-9]+$/.test(owner.slackUserId)) throw notListed;
  const person = await personOf(tx, ctx.actor.schoolId, owner, ctx.clock.now());
  if (!person) throw notListed;
  if (!can(person.role, 'work.update')) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: `${person.displayName || 'That person'} is not a technician: give them a role first.`,
      // Plain words: the field's message is shown as plain text on every platform.
      fields: { owner: 'Choose a technician or office member from the list.' },
    });
  }
  return person.id;
}

/** Opens a change or a problem with the next CHG-n / PRB-n number, linking any incidents named. */
export async function createWorkItem(ctx: Ctx, input: CreateWorkItemInput): Promise<Result<WorkItemOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'work.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.manage']);
  const fields = checkFields(input);
  if (!WORK_ITEM_KINDS.includes(input.kind)) fields.kind = 'Choose change or problem.';
  const start = nextProgress(
    { status: 'proposed', percentDone: 0 },
    { status: input.status, percentDone: input.percentDone },
  );
  if (!start.ok) Object.assign(fields, start.fields);
  const refs = parseIncidentRefs(input.incidents ?? []);
  if (refs.bad.length) fields.incidents = `${refs.bad.join(', ')}: not an incident reference (use INC-7).`;
  if (Object.keys(fields).length > 0 || !start.ok)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  const kind = input.kind;

  return inTransaction(ctx.db, async (tx) => {
    // The school lock queues concurrent creations: numbers without gaps, one item per submission.
    await lockSchool(tx, actor.schoolId);
    if (input.submissionKey) {
      const first = await findUpdateBySubmission(tx, actor.schoolId, input.submissionKey);
      const item = first && (await getWorkItem(tx, actor.schoolId, first.workItemId));
      if (item) return { item, reference: formatWorkItemReference(item.kind, item.number) };
    }
    const ownerId = await ownerOf(tx, ctx, input.owner);
    const now = clock.now();
    const number = await allocateWorkItemNumber(tx, actor.schoolId, kind);
    const item = await insertWorkItem(tx, {
      schoolId: actor.schoolId,
      kind,
      number,
      title: input.title.trim(),
      description: input.description.trim(),
      ownerId,
      status: start.next.status,
      percentDone: start.next.percentDone,
      targetDate: input.targetDate,
      createdBy: actor.personId,
      createdAt: now,
      updatedAt: now,
      closedAt: start.next.status === 'closed' ? now : null,
    });
    await insertWorkItemUpdate(tx, {
      schoolId: actor.schoolId,
      workItemId: item.id,
      actorId: actor.personId,
      kind: 'created',
      data: {
        status: { from: null, to: item.status },
        percentDone: { from: null, to: item.percentDone },
        ...(ownerId ? { ownerId: { from: null, to: ownerId } } : {}),
        ...(item.targetDate ? { targetDate: { from: null, to: item.targetDate } } : {}),
        ...(input.submissionKey ? { submissionKey: input.submissionKey } : {}),
      },
      createdAt: now,
    });
    await linkIncidentsIn(tx, ctx, item, refs, now);
    return { item, reference: formatWorkItemReference(kind, number) };
  });
}

export interface EditWorkItemInput extends WorkItemFields {
  workItemId: string;
}

export interface EditOutput extends WorkItemOutput {
  /** The fields that changed; empty when the form was saved as it was. */
  changed: string[];
}

/** Edits the title, description, owner and target date (progress is posted as updates). */
export async function editWorkItem(ctx: Ctx, input: EditWorkItemInput): Promise<Result<EditOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'work.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.manage']);
  if (!isUuid(input.workItemId)) return fail('REGISTER.NOT_FOUND', WORK_NOT_FOUND);
  const fields = checkFields(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    const item = await lockWorkItem(tx, actor.schoolId, input.workItemId);
    if (!item) throw notFound();
    const ownerId = await ownerOf(tx, ctx, input.owner);
    const next = {
      title: input.title.trim(),
      description: input.description.trim(),
      ownerId,
      targetDate: input.targetDate,
    };
    const data: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(next) as Array<keyof typeof next>) {
      if (item[key] !== next[key]) data[key] = { from: item[key], to: next[key] };
    }
    const changed = Object.keys(data);
    const reference = formatWorkItemReference(item.kind, item.number);
    if (changed.length === 0) return { item, reference, changed };
    const now = clock.now();
    const updated = await updateWorkItem(tx, actor.schoolId, item.id, { ...next, updatedAt: now });
    await insertWorkItemUpdate(tx, {
      schoolId: actor.schoolId,
      workItemId: item.id,
      actorId: actor.personId,
      kind: 'edited',
      data,
      createdAt: now,
    });
    return { item: updated, reference, changed };
  });
}

export interface PostProgressInput {
  workItemId: string;
  /** What happened, in a sentence or two. */
  note: string;
  /** A new status, if it moved (forward freely, or back one step). */
  status?: WorkItemStatus;
  /** A new percent done, 0–100. */
  percentDone?: number;
  /** Idempotency key of the form submission: a double submit records one update. */
  submissionKey?: string;
}

export interface ProgressOutput extends WorkItemOutput {
  update: WorkItemUpdateRow;
  /**
   * A problem that has just been implemented or closed: its linked incidents still open, to offer
   * resolving them together. Empty otherwise.
   */
  openIncidents: LinkedIncident[];
}

/** A dated progress update: a note, and optionally a new status and percent done. */
export async function postProgress(ctx: Ctx, input: PostProgressInput): Promise<Result<ProgressOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'work.update')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.update']);
  if (!isUuid(input.workItemId)) return fail('REGISTER.NOT_FOUND', WORK_NOT_FOUND);
  const note = input.note.trim();
  const noteProblem = checkText(note, 'The update', NOTE_MAX, true);
  if (noteProblem) return fail('VALIDATION', 'Please say what has happened.', { note: noteProblem });
  return inTransaction(ctx.db, async (tx) => {
    const item = await lockWorkItem(tx, actor.schoolId, input.workItemId);
    if (!item) throw notFound();
    const reference = formatWorkItemReference(item.kind, item.number);
    if (input.submissionKey) {
      const first = await findUpdateBySubmission(tx, actor.schoolId, input.submissionKey, item.id);
      if (first) return { item, reference, update: first, openIncidents: [] };
    }
    const step = nextProgress(item, { status: input.status, percentDone: input.percentDone });
    if (!step.ok) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'Please check the highlighted fields.',
        fields: step.fields,
      });
    }
    const { status, percentDone } = step.next;
    // Closing (and reopening) a change or problem is the SPOC's call.
    if (
      (status === 'closed' || item.status === 'closed') &&
      status !== item.status &&
      !can(actor.role, 'work.manage')
    ) {
      throw new DomainFailure({
        code: 'AUTH.FORBIDDEN',
        message: FORBIDDEN['work.manage'],
        fields: { status: 'Only office staff (the SPOC) can close or reopen it.' },
      });
    }
    const now = clock.now();
    const data: Record<string, unknown> = {};
    if (status !== item.status) data.status = { from: item.status, to: status };
    if (percentDone !== item.percentDone) data.percentDone = { from: item.percentDone, to: percentDone };
    if (input.submissionKey) data.submissionKey = input.submissionKey;
    const updated = await updateWorkItem(tx, actor.schoolId, item.id, {
      status,
      percentDone,
      updatedAt: now,
      closedAt: status === 'closed' ? (item.closedAt ?? now) : null,
    });
    const update = await insertWorkItemUpdate(tx, {
      schoolId: actor.schoolId,
      workItemId: item.id,
      actorId: actor.personId,
      kind: 'progress',
      note,
      data,
      createdAt: now,
    });
    const justDone = item.kind === 'problem' && isDone(status) && !isDone(item.status);
    const openIncidents = justDone
      ? (await listLinkedIncidents(tx, actor.schoolId, item.id)).filter((i) => isOpen(i.status))
      : [];
    return { item: updated, reference, update, openIncidents };
  });
}

/** Reads a work item for a form (no change), checking it belongs to the school. */
export async function workItemFor(ctx: Ctx, workItemId: string): Promise<Result<WorkItemRow>> {
  if (!can(ctx.actor.role, 'work.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.view']);
  const item = isUuid(workItemId) ? await getWorkItem(ctx.db, ctx.actor.schoolId, workItemId) : undefined;
  return item ? ok(item) : fail('REGISTER.NOT_FOUND', WORK_NOT_FOUND);
}
