/**
 * Merging a duplicate into the incident it repeats (`spoc incident INC-14 merge INC-13`): the
 * duplicate is closed with `merged_into_id` set, its reporter and followers follow the target
 * instead, both cards say so, each gets a history event, and the duplicate's reporter is told it
 * was merged and that they will hear when the target is fixed. Office and admin (triage).
 */
import { incidentNumberOf, lockIncidentPair, moveFollowers, repointMerged } from '../../db/queries/followers';
import {
  getIncidentDetailByNumber,
  type IncidentRow,
  insertIncidentEvent,
  updateIncident,
} from '../../db/queries/incidents';
import { enqueue } from '../../db/queries/outbox';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import type { OutboxMessage } from '../messages';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { type Change, NOT_FOUND_MESSAGE, releaseWork } from './change-incident';
import { formatReference, parseReference } from './reference';
import { transition } from './state-machine';

export interface MergeIncidentInput {
  /** The duplicate: a reference (`INC-14`) or an incident id of the actor's school. */
  duplicate: string;
  /** The incident it repeats, which stays open: a reference or an id. */
  into: string;
}

export interface MergeIncidentOutput {
  duplicate: IncidentRow;
  target: IncidentRow;
  /** It was already merged into that incident: nothing changed. */
  already: boolean;
  /** How many people now follow the target because of this merge. */
  moved: number;
}

/** Why a merge is refused, beside the field that names the target (`into`). */
const refuse = (message: string, field: 'duplicate' | 'into' = 'into'): never => {
  throw new DomainFailure({ code: 'VALIDATION', message, fields: { [field]: message } });
};

async function idOf(ctx: Ctx, ref: string): Promise<string | undefined> {
  const trimmed = ref.trim();
  if (isUuid(trimmed)) return trimmed;
  const number = parseReference(trimmed);
  if (number === null) return undefined;
  return (await getIncidentDetailByNumber(ctx.db, ctx.actor.schoolId, number))?.id;
}

export async function mergeIncident(
  ctx: Ctx,
  input: MergeIncidentInput,
): Promise<Result<MergeIncidentOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'incident.triage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.triage']);
  const duplicateId = await idOf(ctx, input.duplicate);
  if (!duplicateId) return fail('INCIDENT.NOT_FOUND', NOT_FOUND_MESSAGE);
  const into = input.into.trim();
  if (!into)
    return fail('VALIDATION', 'Say which incident it repeats, e.g. INC-13.', {
      into: 'Say which incident it repeats, e.g. INC-13.',
    });
  // Another school's reference is simply not found here: every lookup is within the actor's school.
  const intoId = await idOf(ctx, into);
  if (!intoId)
    return fail('VALIDATION', `${into} is not an incident of your school.`, {
      into: `${into} is not an incident of your school.`,
    });
  if (intoId === duplicateId) {
    const message = 'An incident cannot be merged into itself: name the incident it repeats.';
    return fail('VALIDATION', message, { into: message });
  }
  return inTransaction(ctx.db, async (tx) => {
    const rows = await lockIncidentPair(tx, actor.schoolId, [duplicateId, intoId]);
    const duplicate = rows.find((r) => r.id === duplicateId);
    const target = rows.find((r) => r.id === intoId);
    if (!duplicate || !target)
      throw new DomainFailure({ code: 'INCIDENT.NOT_FOUND', message: NOT_FOUND_MESSAGE });
    const dupRef = formatReference(duplicate.number);
    const targetRef = formatReference(target.number);
    // A repeat of the same merge (a double submit) changes nothing and says what was done.
    if (duplicate.mergedIntoId === target.id) return { duplicate, target, already: true, moved: 0 };
    if (duplicate.mergedIntoId) {
      const other = await incidentNumberOf(tx, actor.schoolId, duplicate.mergedIntoId);
      refuse(
        `${dupRef} is already merged into ${other ? formatReference(other) : 'another incident'}.`,
        'duplicate',
      );
    }
    if (duplicate.status === 'closed')
      refuse(`${dupRef} is closed already, so there is nothing to merge.`, 'duplicate');
    if (target.mergedIntoId) {
      const final = await incidentNumberOf(tx, actor.schoolId, target.mergedIntoId);
      refuse(
        `${targetRef} was itself merged into ${final ? formatReference(final) : 'another incident'}: merge into that one instead.`,
      );
    }
    if (target.status === 'closed') refuse(`${targetRef} is closed: merge into an open incident.`);
    if (target.status === 'resolved')
      refuse(
        `${targetRef} is already fixed, waiting for its reporter to confirm: merge into an open incident.`,
      );
    const step = transition(duplicate.status, 'close');
    if (!step.ok) throw new DomainFailure(step.error);

    const now = clock.now();
    const change: Change = { values: {}, kind: 'merged', data: { into: targetRef, intoId: target.id } };
    // The duplicate leaves work as a close does: any hold ends and any escalation is closed.
    await releaseWork(tx, duplicate, change, now);
    const closed = await updateIncident(tx, actor.schoolId, duplicate.id, {
      ...change.values,
      status: 'closed',
      closedAt: now,
      mergedIntoId: target.id,
      lastActivityAt: now,
    });
    const moved = await moveFollowers(tx, actor.schoolId, duplicate, target, [duplicate.reporterId], now);
    await repointMerged(tx, actor.schoolId, duplicate.id, target.id);
    const dupEvent = await insertIncidentEvent(tx, {
      schoolId: actor.schoolId,
      incidentId: duplicate.id,
      actorId: actor.personId,
      kind: 'merged',
      fromStatus: duplicate.status,
      toStatus: 'closed',
      data: change.data,
      createdAt: now,
    });
    const targetEvent = await insertIncidentEvent(tx, {
      schoolId: actor.schoolId,
      incidentId: target.id,
      actorId: actor.personId,
      kind: 'merged_in',
      fromStatus: target.status,
      toStatus: target.status,
      data: { from: dupRef, fromId: duplicate.id, followersAdded: moved.length },
      createdAt: now,
    });
    const messages: OutboxMessage[] = [
      { type: 'incident.card', incidentId: duplicate.id },
      { type: 'incident.thread', incidentId: duplicate.id, eventId: dupEvent.id },
      { type: 'incident.card', incidentId: target.id },
      { type: 'incident.thread', incidentId: target.id, eventId: targetEvent.id },
    ];
    // The duplicate's reporter hears it was merged, on their status message, and will hear when
    // the target is fixed (they follow it now) — unless they are the target's reporter too.
    if (duplicate.reporterId !== actor.personId) {
      messages.push({
        type: 'person.notify',
        personId: duplicate.reporterId,
        incidentId: duplicate.id,
        event: 'merged',
        eventId: dupEvent.id,
      });
    }
    await enqueue(tx, actor.schoolId, messages, now);
    // The target's own work is not moved on by a duplicate, so its staleness clock is left alone.
    return { duplicate: closed, target, already: false, moved: moved.length };
  });
}
