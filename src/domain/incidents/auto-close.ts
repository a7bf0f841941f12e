/**
 * A resolved incident closes itself after 5 school days unless the reporter answers.
 * "5 school days" is counted on the school-time clock: five school days' worth of school hours
 * after the moment it was resolved, skipping weekends, bank holidays and the school's holidays
 * (resolved Tuesday 10:00 → closes the next Tuesday 10:00, later if a holiday falls between).
 */
import type { Db } from '../../db/client';
import {
  type IncidentRow,
  insertIncidentEvent,
  lockIncident,
  updateIncident,
} from '../../db/queries/incidents';
import { enqueue } from '../../db/queries/outbox';
import { addSchoolMinutes, type SchoolCalendar, schoolDayMinutes } from '../school-time';
import { transition } from './state-machine';

export const AUTO_CLOSE_SCHOOL_DAYS = 5;
export const AUTO_CLOSE_NOTE = `Closed automatically: no reply for ${AUTO_CLOSE_SCHOOL_DAYS} school days`;

/** When a resolved incident closes itself if the reporter says nothing. */
export function autoCloseDueAt(cal: SchoolCalendar, resolvedAt: Date): Date {
  return addSchoolMinutes(cal, resolvedAt, AUTO_CLOSE_SCHOOL_DAYS * schoolDayMinutes(cal));
}

export interface AutoCloseInput {
  schoolId: string;
  incidentId: string;
  calendar: SchoolCalendar;
  now: Date;
}

/**
 * Closes one resolved incident whose reporter has not answered in time, through the state
 * machine, with its history event (no person: the system did it) and the card refresh, in one
 * transaction under the incident's row lock. Returns null when there is nothing to do — the
 * reporter answered, someone closed it, or another pass got there first — so passes may run
 * concurrently and repeatedly.
 */
export async function autoCloseIncident(db: Db, input: AutoCloseInput): Promise<IncidentRow | null> {
  const { schoolId, now } = input;
  return db.transaction(async (raw) => {
    const tx = raw as unknown as Db;
    const incident = await lockIncident(tx, schoolId, input.incidentId);
    if (incident?.status !== 'resolved' || !incident.resolvedAt) return null;
    if (autoCloseDueAt(input.calendar, incident.resolvedAt) > now) return null;
    const step = transition(incident.status, 'close');
    if (!step.ok) return null;
    const updated = await updateIncident(tx, schoolId, incident.id, {
      status: step.to,
      closedAt: now,
      lastActivityAt: now,
    });
    const event = await insertIncidentEvent(tx, {
      schoolId,
      incidentId: incident.id,
      actorId: null,
      kind: 'closed',
      fromStatus: incident.status,
      toStatus: step.to,
      data: { auto: true, note: AUTO_CLOSE_NOTE },
      createdAt: now,
    });
    await enqueue(
      tx,
      schoolId,
      [
        { type: 'incident.card', incidentId: incident.id },
        { type: 'incident.thread', incidentId: incident.id, eventId: event.id },
      ],
      now,
    );
    return updated;
  });
}
