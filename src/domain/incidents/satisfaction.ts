/**
 * The satisfaction question: when the reporter presses Fixed, SPOC asks them once whether they are
 * happy with how the fault was dealt with (👍 / 👎), with an optional comment afterwards.
 *
 * - **Once per incident.** The question is asked by the press of Fixed that closes the fault (the
 *   reporter's `confirmed` event, which the state machine allows once), and stays on their status
 *   message until answered. The answer is kept once (`incident_ratings`, primary key school and
 *   incident, written under the incident's row lock): a second press, on either button or on Fixed
 *   again, is told it was answered and changes nothing.
 * - **Who had it.** The answer records the incident's assignee at that moment, for the office's
 *   figures per technician.
 * - **Never one person's rating to the technician.** The card's thread (which technicians read)
 *   is told only that the reporter answered; the history event carries no rating and no comment.
 *   The answers are read in the service report, per technician only by the office
 *   (`report.byPerson`).
 */

import type { Db } from '../../db/client';
import type { IncidentRow } from '../../db/queries/incidents';
import { insertIncidentEvent, lockIncident } from '../../db/queries/incidents';
import { enqueue } from '../../db/queries/outbox';
import {
  addRatingComment,
  confirmedBy,
  findRating,
  insertRating,
  type Rating,
} from '../../db/queries/ratings';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { refuseUnstorable } from '../registers/validate';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { NOT_FOUND_MESSAGE } from './change-incident';
import { formatReference } from './reference';

/** The longest comment kept with an answer. */
export const SATISFACTION_COMMENT_MAX = 500;

/** History event kinds: the answer (staff see only that it was given), and its comment added. */
export const SATISFACTION_EVENT = 'satisfaction';
export const SATISFACTION_COMMENT_EVENT = 'satisfaction_comment';

/**
 * Where the question stands for the person looking at their incident: `ask` (they pressed Fixed
 * and have not answered), `answered` (with their answer and whether it has a comment), or `none`
 * (not theirs, not closed by their Fixed).
 */
export type SatisfactionQuestion =
  | { state: 'ask' }
  | { state: 'answered'; rating: Rating; commented: boolean }
  | { state: 'none' };

/** The question for the incident's reporter, as it stands. */
export async function satisfactionQuestion(
  db: Db,
  schoolId: string,
  incident: Pick<IncidentRow, 'id' | 'reporterId' | 'status'>,
  personId: string,
): Promise<SatisfactionQuestion> {
  if (incident.reporterId !== personId || incident.status !== 'closed') return { state: 'none' };
  const rating = await findRating(db, schoolId, incident.id);
  if (rating) return { state: 'answered', rating: rating.rating, commented: rating.comment !== '' };
  return (await confirmedBy(db, schoolId, incident.id, personId)) ? { state: 'ask' } : { state: 'none' };
}

export interface RateIncidentInput {
  /** The incident the question was about (the button's value). */
  incidentId: string;
  /** 👍 (`up`) or 👎 (`down`). */
  rating: string;
}

export interface RateIncidentOutput {
  /** `recorded` now, or `already_answered` (the first answer stands). */
  outcome: 'recorded' | 'already_answered';
  incident: IncidentRow;
  /** The answer as kept (the first one, for a repeat). */
  rating: Rating;
  commented: boolean;
}

const isRating = (v: string): v is Rating => v === 'up' || v === 'down';

function mustBeReporter(ctx: Ctx, incident: IncidentRow): void {
  if (incident.reporterId !== ctx.actor.personId) {
    throw new DomainFailure({
      code: 'AUTH.FORBIDDEN',
      message: `Only the person who reported ${formatReference(incident.number)} can answer for it.`,
    });
  }
}

/**
 * The reporter answers the question. Recorded once, with who had the incident; the card's thread
 * is told (in the same transaction, through the outbox) that the reporter answered, not what.
 */
export async function rateIncident(ctx: Ctx, input: RateIncidentInput): Promise<Result<RateIncidentOutput>> {
  const { actor } = ctx;
  if (!can(actor.role, 'incident.report')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.report']);
  if (!isUuid(input.incidentId)) return fail('INCIDENT.NOT_FOUND', NOT_FOUND_MESSAGE);
  const rating = input.rating;
  if (!isRating(rating)) return fail('VALIDATION', 'Answer with 👍 or 👎.');
  return inTransaction(ctx.db, async (tx) => {
    const incident = await lockIncident(tx, actor.schoolId, input.incidentId);
    if (!incident) throw new DomainFailure({ code: 'INCIDENT.NOT_FOUND', message: NOT_FOUND_MESSAGE });
    mustBeReporter(ctx, incident);
    const question = await satisfactionQuestion(tx, actor.schoolId, incident, actor.personId);
    if (question.state === 'answered')
      return {
        outcome: 'already_answered',
        incident,
        rating: question.rating,
        commented: question.commented,
      };
    if (question.state === 'none') {
      throw new DomainFailure({
        code: 'INCIDENT.ILLEGAL_TRANSITION',
        message: `There is nothing to answer about ${formatReference(incident.number)}: I ask once you have pressed Fixed.`,
      });
    }
    const now = ctx.clock.now();
    const row = await insertRating(tx, {
      schoolId: actor.schoolId,
      incidentId: incident.id,
      personId: actor.personId,
      rating,
      assigneeId: incident.assigneeId,
      createdAt: now,
    });
    // Held by the row lock, so never taken meanwhile; should it be, the first answer stands.
    if (!row) {
      const kept = await findRating(tx, actor.schoolId, incident.id);
      return {
        outcome: 'already_answered',
        incident,
        rating: kept?.rating ?? rating,
        commented: Boolean(kept?.comment),
      };
    }
    const event = await insertIncidentEvent(tx, {
      schoolId: actor.schoolId,
      incidentId: incident.id,
      actorId: actor.personId,
      kind: SATISFACTION_EVENT,
      fromStatus: incident.status,
      toStatus: incident.status,
      // Nothing of the answer: the history and the thread are read by technicians.
      data: {},
      createdAt: now,
    });
    await enqueue(
      tx,
      actor.schoolId,
      [{ type: 'incident.thread', incidentId: incident.id, eventId: event.id }],
      now,
    );
    return { outcome: 'recorded', incident, rating: row.rating, commented: false };
  });
}

export interface SatisfactionCommentInput {
  incidentId: string;
  /** The reporter's words about how it was dealt with, for the office. */
  comment: string;
}

export interface SatisfactionCommentOutput {
  incident: IncidentRow;
  rating: Rating;
}

/**
 * The reporter adds a comment to their answer, once. Refused beside the field when empty, too
 * long, or when the answer already has one; a repeat of the same words is accepted and changes
 * nothing. The history notes that a comment was added, not what it says.
 */
export async function commentOnSatisfaction(
  ctx: Ctx,
  input: SatisfactionCommentInput,
): Promise<Result<SatisfactionCommentOutput>> {
  const { actor } = ctx;
  if (!can(actor.role, 'incident.report')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.report']);
  const unstorable = refuseUnstorable({ comment: input.comment });
  if (unstorable) return unstorable;
  const comment = input.comment?.trim() ?? '';
  if (!comment)
    return fail('VALIDATION', 'Please check the highlighted fields.', {
      comment: 'Write a comment, or press Cancel: the comment is optional.',
    });
  if (comment.length > SATISFACTION_COMMENT_MAX)
    return fail('VALIDATION', 'Please check the highlighted fields.', {
      comment: `Keep it under ${SATISFACTION_COMMENT_MAX} characters (this is ${comment.length}).`,
    });
  if (!isUuid(input.incidentId)) return fail('INCIDENT.NOT_FOUND', NOT_FOUND_MESSAGE);
  return inTransaction(ctx.db, async (tx) => {
    const incident = await lockIncident(tx, actor.schoolId, input.incidentId);
    if (!incident) throw new DomainFailure({ code: 'INCIDENT.NOT_FOUND', message: NOT_FOUND_MESSAGE });
    mustBeReporter(ctx, incident);
    const rating = await findRating(tx, actor.schoolId, incident.id);
    if (!rating) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'Answer 👍 or 👎 first, then add a comment.',
        fields: { comment: 'Answer 👍 or 👎 first, then add a comment.' },
      });
    }
    if (rating.comment === comment) return { incident, rating: rating.rating };
    if (rating.comment) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'You have already added a comment to your answer.',
        fields: { comment: 'You have already added a comment to your answer — thank you.' },
      });
    }
    const now = ctx.clock.now();
    await addRatingComment(tx, actor.schoolId, incident.id, comment);
    await insertIncidentEvent(tx, {
      schoolId: actor.schoolId,
      incidentId: incident.id,
      actorId: actor.personId,
      kind: SATISFACTION_COMMENT_EVENT,
      fromStatus: incident.status,
      toStatus: incident.status,
      data: {},
      createdAt: now,
    });
    return { incident, rating: rating.rating };
  });
}
