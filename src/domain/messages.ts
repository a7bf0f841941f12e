/**
 * Platform-neutral messages a command writes to the outbox in its own transaction. The platform
 * deliverer renders them from the current records when it sends them.
 */
import { type Reminder, subjectOf } from './reminders/reminder';

export type NotifyEvent = 'reported' | 'claimed' | 'resolved' | 'closed' | 'assigned';

export type OutboxMessage =
  /** Post the incident's card in the SPOC channel, or update it in place. */
  | { type: 'incident.card'; incidentId: string }
  /** Add one history event to the card's thread. */
  | { type: 'incident.thread'; incidentId: string; eventId: number }
  /** Tell a person (usually the reporter) about their incident. */
  | { type: 'person.notify'; personId: string; incidentId: string; event: NotifyEvent }
  /** A reminder for the SPOC channel, with buttons to act on it. */
  | { type: 'reminder'; reminder: Reminder };

/** Messages with the same key are delivered strictly in order (a card before its thread). */
export function orderKeyOf(message: OutboxMessage): string {
  switch (message.type) {
    case 'incident.card':
    case 'incident.thread':
      return `card:${message.incidentId}`;
    case 'person.notify':
      return `dm:${message.personId}`;
    case 'reminder':
      return `reminder:${subjectOf(message.reminder)}`;
  }
}
