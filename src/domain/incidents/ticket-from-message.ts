/**
 * A ticket from any message: someone reacts to a chat message with the school's ticket emoji
 * (🎫 `ticket` unless `/spoc settings` names another) and the message becomes an incident, its
 * author the reporter, the reactor recorded. It goes through `reportFault`, so the card, the
 * reporter's message (with "Add details") and the reply on the original message are written with
 * it, once: a message makes one incident however often, and by whomever, it is reacted to.
 */
import type { Db } from '../../db/client';
import { findIncidentBySource, type IncidentRow } from '../../db/queries/incidents';
import { findSchoolBySlackTeam } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { cleanText } from '../text';
import type { Urgency } from './priority';
import { DESCRIPTION_MAX, reportFault, SUMMARY_MAX } from './report-fault';

/** The emoji a school starts with: 🎫. */
export const DEFAULT_TICKET_EMOJI = 'ticket';

/**
 * How urgent a ticket is until someone says otherwise: a message says nothing about it, so it
 * waits its turn (P3 for one room) and the office triages it.
 */
export const TICKET_URGENCY: Urgency = 'this_week';

/** What a ticket is called when its message has no words (a photo, a file). */
export const WORDLESS_SUMMARY = 'A fault reported from a chat message (it has no text)';

/**
 * An emoji's name as Slack names a reaction: without colons and without a skin tone
 * (`thumbsup::skin-tone-2` is a thumbsup), lower case.
 */
export function emojiName(text: string): string {
  return text
    .trim()
    .replace(/^:+|:+$/g, '')
    .replace(/::skin-tone-\d$/, '')
    .toLowerCase();
}

/** Slack's emoji names: lower-case letters, digits, `_`, `-`, `+` (custom ones too), at most 100. */
export const EMOJI_NAME = /^[a-z0-9_+-]{1,100}$/;

/** Whether `reaction` is the school's ticket emoji. */
export function isTicketEmoji(schoolEmoji: string, reaction: string): boolean {
  return emojiName(reaction) === emojiName(schoolEmoji);
}

/**
 * Whether a reaction in a Slack workspace is its school's ticket emoji (the default for a
 * workspace SPOC has not met yet). Read before anything else, so every other reaction costs one
 * read and is otherwise ignored.
 */
export async function isTicketReaction(db: Db, slackTeamId: string, reaction: string): Promise<boolean> {
  const school = await findSchoolBySlackTeam(db, slackTeamId);
  return isTicketEmoji(school?.ticketEmoji ?? DEFAULT_TICKET_EMOJI, reaction);
}

/** The incident already made from a message of the actor's school, if there is one. */
export async function ticketOfMessage(
  ctx: Ctx,
  message: { channel: string; ts: string },
): Promise<IncidentRow | undefined> {
  return findIncidentBySource(ctx.db, ctx.actor.schoolId, message.channel, message.ts);
}

/** The message's first line, as its summary: one line, cut to the summary's limit. */
export function summaryOf(text: string): string {
  const firstLine =
    cleanText(text)
      .split('\n')
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .find((line) => line.length > 0) ?? '';
  if (firstLine.length < 3) return WORDLESS_SUMMARY;
  return firstLine.length <= SUMMARY_MAX ? firstLine : `${firstLine.slice(0, SUMMARY_MAX - 1)}…`;
}

/** The whole message, as the details; cut (and said so) past the details' limit. */
export function descriptionOf(text: string): string {
  const whole = cleanText(text).trim();
  if (whole.length <= DESCRIPTION_MAX) return whole;
  const cut = ' … (cut: the whole message is in the chat)';
  return `${whole.slice(0, DESCRIPTION_MAX - cut.length)}${cut}`;
}

export interface TicketFromMessageInput {
  /** The conversation the message is in (a Slack channel id). */
  channel: string;
  /** The message's id in it (Slack's ts): one incident a message. */
  ts: string;
  /** The thread it is a reply in, if it is one (the thread's parent ts). */
  threadTs?: string;
  /** The message's words, as plain text. */
  text: string;
  /**
   * Who wrote it, a person of the actor's school. Absent when nobody of the school did (an app's
   * or a bot's message, or someone of another organisation): then the reactor reports it.
   */
  authorId?: string;
}

export interface TicketFromMessageOutput {
  incident: IncidentRow;
  reference: string;
  /** True when the message had already been made an incident: nothing was changed. */
  duplicate: boolean;
}

/**
 * Makes an incident of a chat message, for the person who reacted to it (the actor), who must be
 * allowed to report. The summary is the message's first line, the details its whole text; the
 * urgency waits for the reporter's details or the office's triage.
 */
export async function ticketFromMessage(
  ctx: Ctx,
  input: TicketFromMessageInput,
): Promise<Result<TicketFromMessageOutput>> {
  if (!can(ctx.actor.role, 'incident.report')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.report']);
  const summary = summaryOf(input.text);
  const description = descriptionOf(input.text);
  return reportFault(ctx, {
    summary,
    // The first line alone says it all: no need to say it twice.
    description: description === summary ? '' : description,
    urgency: TICKET_URGENCY,
    source: {
      channel: input.channel,
      ts: input.ts,
      ...(input.threadTs && input.threadTs !== input.ts ? { threadTs: input.threadTs } : {}),
      reporterId: input.authorId ?? ctx.actor.personId,
    },
  });
}
