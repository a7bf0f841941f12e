import type { Ctx } from '../context';
import { refuseUnstorable } from '../registers/validate';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { type ChangeOutput, changeIncident } from './change-incident';
import { alreadySubmitted, submissionData } from './submission';

export interface CommentOnIncidentInput {
  incidentId: string;
  /** What the person wants to add, in their own words. */
  note: string;
  /** An optional link (a photo of the fault, say): http or https only. */
  link?: string;
  /** The form submission this comes from (the Slack view id): a retried submit is recorded once. */
  submissionKey?: string;
}

export const NOTE_MAX = 3000;
export const LINK_MAX = 2000;

/** A link people may add to an incident: http(s) with a host, nothing else (no javascript:, no mailto:). */
export function checkLink(raw: string | undefined): { link?: string } | { error: string } {
  const link = raw?.trim() ?? '';
  if (!link) return {};
  if (link.length > LINK_MAX) return { error: `Keep the link under ${LINK_MAX} characters.` };
  try {
    const url = new URL(link);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.'))
      return { link: url.toString() };
  } catch {
    // fall through to the error
  }
  return { error: 'That is not a web link: paste one that starts with https://' };
}

/** The words and link of a note, reply or comment, checked; `empty` is said when there are no words. */
function checkWords(
  input: { note: string; link?: string },
  empty: string,
): Result<{ note: string; link: { link?: string } }> {
  const unstorable = refuseUnstorable({ note: input.note, link: input.link });
  if (unstorable) return unstorable;
  const note = input.note?.trim() ?? '';
  const fields: Record<string, string> = {};
  if (note.length === 0) fields.note = empty;
  else if (note.length > NOTE_MAX) fields.note = `Keep it under ${NOTE_MAX} characters.`;
  const link = checkLink(input.link);
  if ('error' in link) fields.link = link.error;
  if ('error' in link || Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return { ok: true, value: { note, link } };
}

/**
 * Staff write to the person who reported the fault (Reply to the reporter): it is told to them by
 * DM (on their status message) and kept in the history, where the reporter may read it, unlike a
 * staff note. While the incident takes notes (not once closed, as the state machine says).
 */
export async function replyToReporter(
  ctx: Ctx,
  input: Omit<CommentOnIncidentInput, 'link'> & { link?: string },
): Promise<Result<ChangeOutput>> {
  const checked = checkWords(input, 'Write what you want to tell them.');
  if (!checked.ok) return checked;
  const { note, link } = checked.value;
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.note',
    action: 'note',
    precheck: async (incident, tx) => {
      if (await alreadySubmitted(tx, incident, input.submissionKey)) return 'unchanged';
      if (incident.reporterId === ctx.actor.personId)
        throw new DomainFailure({
          code: 'VALIDATION',
          message: 'You reported this fault yourself: add a staff note instead.',
        });
      return undefined;
    },
    build: () => ({
      values: {},
      kind: 'reply',
      data: {
        note,
        ...(link.link ? { link: link.link } : {}),
        ...submissionData(input.submissionKey),
      },
      notifyReporter: 'replied',
    }),
  });
}

/**
 * Adds a note to an incident's history without moving it. Staff (technicians, office, admin) may
 * note any incident of their school; a teacher may comment on a fault they reported while it is
 * not closed. When the reporter comments, whoever has the incident is told by DM; staff notes go
 * to the card's thread only.
 */
export async function commentOnIncident(
  ctx: Ctx,
  input: CommentOnIncidentInput,
): Promise<Result<ChangeOutput>> {
  const { actor } = ctx;
  const checked = checkWords(input, 'Write something to add.');
  if (!checked.ok) return checked;
  const { note, link } = checked.value;
  const staff = can(actor.role, 'incident.note');
  if (!staff && !can(actor.role, 'incident.report'))
    return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.note']);
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: staff ? 'incident.note' : 'incident.report',
    action: 'note',
    precheck: async (incident, tx) => {
      if (!staff && incident.reporterId !== actor.personId) {
        throw new DomainFailure({
          code: 'AUTH.FORBIDDEN',
          message: 'You can only add to faults you reported yourself.',
        });
      }
      if (await alreadySubmitted(tx, incident, input.submissionKey)) return 'unchanged';
      if (!staff && incident.status === 'closed') {
        throw new DomainFailure({
          code: 'INCIDENT.ILLEGAL_TRANSITION',
          message:
            // Plain words: the message is shown as plain text on every platform (COMMENT_CLOSED,
            // in the presenters, names each platform's fault command where a message can).
            'That fault is closed, so it cannot take comments any more. If it is broken again, report it as a new fault.',
        });
      }
      return undefined;
    },
    build: (incident) => {
      const byReporter = incident.reporterId === actor.personId;
      const assignee = incident.assigneeId;
      return {
        values: {},
        kind: 'comment',
        data: {
          note,
          ...(link.link ? { link: link.link } : {}),
          byReporter,
          ...submissionData(input.submissionKey),
        },
        // The reporter added something: whoever has it should know. (changeIncident skips a DM to oneself.)
        ...(byReporter && assignee
          ? { notifyPerson: { personId: assignee, event: 'commented' as const } }
          : {}),
      };
    },
  });
}
