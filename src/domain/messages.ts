/**
 * Platform-neutral messages a command writes to the outbox in its own transaction. The platform
 * deliverer renders them from the current records when it sends them.
 */
import { z } from 'zod';
import { type Reminder, subjectOf } from './reminders/reminder';

/**
 * Steps a person is told about by DM. The reporter: reported, claimed, escalated, on_hold,
 * resolved (with "Fixed" / "Still broken"), closed, replied (staff wrote to them), merged (their
 * report was a duplicate, merged into another incident). The assignee: assigned (forwarded to
 * them), reopened (the reporter says it is still broken), commented (the reporter added
 * something). The on-call person: on_call (a P1 reported or triaged to P1 out of school time). A
 * follower (someone who said "Me too"): follower_fixed, or follower_closed when it is closed
 * without a fix; once each.
 */
export const NOTIFY_EVENTS = [
  'reported',
  'claimed',
  'resolved',
  'closed',
  'assigned',
  'escalated',
  'on_hold',
  'reopened',
  'commented',
  // Staff wrote to the reporter (Reply to the reporter).
  'replied',
  'on_call',
  'merged',
  'follower_fixed',
  'follower_closed',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export type OutboxMessage =
  /** Post the incident's card in the SPOC channel, or update it in place. */
  | { type: 'incident.card'; incidentId: string }
  /** Add one history event to the card's thread. */
  | { type: 'incident.thread'; incidentId: string; eventId: number }
  /**
   * Tell a person (usually the reporter) about their incident. `eventId` is the history event that
   * caused it (its note is the one told); rows written before it existed lack it.
   */
  | { type: 'person.notify'; personId: string; incidentId: string; event: NotifyEvent; eventId?: number }
  /**
   * A reminder for the SPOC channel, with buttons to act on it: in the thread of the day's briefing
   * when `briefing` names its day (YYYY-MM-DD), else a message of its own (a P1 SLA breach).
   */
  | { type: 'reminder'; reminder: Reminder; briefing?: string }
  /** Post the school's briefing for a day in the SPOC channel, or update it in place. */
  | { type: 'briefing'; day: string }
  /**
   * The escalation summary, posted in the provider's chat channel (e.g. Slack Connect); with
   * `chase`, the n-th chase for an answer.
   */
  | { type: 'provider.escalation'; incidentId: string; escalationId: string; chase?: number }
  /** Tell staff of a diary entry (planned downtime for a change) in a channel. */
  | { type: 'diary.announce'; diaryEntryId: string; channel: string }
  /** Show the photos given with the report in the card's thread. */
  | { type: 'incident.photos'; incidentId: string }
  /** Fetch SPOC's own copy of each photo of the incident not yet copied (posts nothing). */
  | { type: 'photos.copy'; incidentId: string }
  /**
   * Mark the chat message an incident was made from (a reaction on it): ✅ on it, and the
   * reference in its thread.
   */
  | { type: 'incident.source'; incidentId: string; threadTs?: string }
  /** Show the service's hours in the SPOC channel's topic (Slack; Teams has no topic a bot may set). */
  | { type: 'channel.topic' };

/** Messages with the same key are delivered strictly in order (a card before its thread). */
export function orderKeyOf(message: OutboxMessage): string {
  switch (message.type) {
    case 'incident.card':
    case 'incident.thread':
    case 'incident.photos':
      return `card:${message.incidentId}`;
    case 'photos.copy':
      // Its own key: a file host that is slow or down never holds back the card or its thread.
      return `photos:${message.incidentId}`;
    case 'person.notify':
      return `dm:${message.personId}`;
    case 'reminder':
      // A briefing's items follow it into its thread.
      return message.briefing ? `briefing:${message.briefing}` : `reminder:${subjectOf(message.reminder)}`;
    case 'briefing':
      return `briefing:${message.day}`;
    case 'provider.escalation':
      return `provider:${message.escalationId}`;
    case 'diary.announce':
      return `diary:${message.diaryEntryId}`;
    case 'incident.source':
      // Its own key: a message SPOC can no longer reach never holds up the card.
      return `source:${message.incidentId}`;
    case 'channel.topic':
      return 'topic';
  }
}

const OutboxMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('incident.card'), incidentId: z.string() }),
  z.object({ type: z.literal('incident.thread'), incidentId: z.string(), eventId: z.number() }),
  // Reminders are rendered from what the pass recorded; only their envelope is checked here.
  z.object({
    type: z.literal('reminder'),
    reminder: z.custom<Reminder>((v) => typeof v === 'object' && v !== null && 'kind' in v && 'key' in v),
    briefing: z.iso.date().optional(),
  }),
  z.object({ type: z.literal('briefing'), day: z.iso.date() }),
  z.object({
    type: z.literal('person.notify'),
    personId: z.string(),
    incidentId: z.string(),
    event: z.enum(NOTIFY_EVENTS),
    eventId: z.number().optional(),
  }),
  z.object({
    type: z.literal('provider.escalation'),
    incidentId: z.string(),
    escalationId: z.string(),
    chase: z.number().optional(),
  }),
  z.object({ type: z.literal('diary.announce'), diaryEntryId: z.string(), channel: z.string() }),
  z.object({ type: z.literal('incident.photos'), incidentId: z.string() }),
  z.object({ type: z.literal('photos.copy'), incidentId: z.string() }),
  z.object({ type: z.literal('incident.source'), incidentId: z.string(), threadTs: z.string().optional() }),
  z.object({ type: z.literal('channel.topic') }),
]) satisfies z.ZodType<OutboxMessage>;

/** An outbox row's message as stored, checked: every platform's deliverer reads it the same way. */
export function readOutboxMessage(
  stored: unknown,
): { ok: true; message: OutboxMessage } | { ok: false; reason: string } {
  const parsed = OutboxMessageSchema.safeParse(stored);
  return parsed.success
    ? { ok: true, message: parsed.data }
    : { ok: false, reason: `unknown message: ${parsed.error.message}` };
}
