/**
 * Out of hours and on call. A fault reported outside school time is seen when the office next
 * opens; the report records that moment, so the reporter is told it. A P1 reported (or triaged to
 * P1) outside school time is told at once to the school's on-call person, if it names one, and
 * only once per incident: the history event that told them records it (`data.onCallTold`).
 */
import type { Db } from '../../db/client';
import { onCallAlreadyTold } from '../../db/queries/out-of-hours';
import { getPerson } from '../../db/queries/people';
import { loadSchoolClock } from '../../db/queries/schools';
import { can, type Role } from '../roles';
import { nextOpening, type SchoolCalendar } from '../school-time';
import type { Priority } from './priority';

/** What decides whether the on-call person is told of an incident now. */
export interface OnCallFacts {
  priority: Priority;
  /** When the office next opens, or null in school time. */
  opensAt: Date | null;
  /** The school's on-call person, as they are now; null when the school names nobody. */
  onCall: { personId: string; role: Role } | null;
  /** Who reported or triaged it: nobody needs telling of what they did themselves. */
  actorId: string;
  reporterId: string;
  /** An earlier step already told them. */
  alreadyTold: boolean;
}

/**
 * The person to tell at once, or null: only a P1, only out of school time, only someone who is
 * still staff (may claim it), never the person who reported or triaged it, and only once.
 */
export function onCallToTell(f: OnCallFacts): string | null {
  if (f.priority !== 'P1' || f.opensAt === null || f.onCall === null || f.alreadyTold) return null;
  if (!can(f.onCall.role, 'incident.claim')) return null;
  if (f.onCall.personId === f.actorId || f.onCall.personId === f.reporterId) return null;
  return f.onCall.personId;
}

/** Out-of-hours facts of a school at a moment: when it next opens and who is on call. */
export interface OutOfHoursNow {
  opensAt: Date | null;
  onCall: { personId: string; role: Role } | null;
}

/**
 * The next opening, or null when there is none to tell: in school time, or a calendar whose
 * holidays leave no school day within a year (the clock refuses it). A report is never lost
 * over what it would say about the hours.
 */
function openingOrNull(calendar: SchoolCalendar, now: Date): Date | null {
  try {
    return nextOpening(calendar, now);
  } catch {
    return null;
  }
}

/** Reads the school's calendar and on-call person, inside the caller's transaction. */
export async function outOfHoursAt(tx: Db, schoolId: string, now: Date): Promise<OutOfHoursNow> {
  const clock = await loadSchoolClock(tx, schoolId);
  if (!clock) throw new Error(`school ${schoolId} not found`);
  const opensAt = openingOrNull(clock.calendar, now);
  const onCallId = clock.school.onCallPersonId;
  const person = opensAt && onCallId ? await getPerson(tx, schoolId, onCallId) : undefined;
  return { opensAt, onCall: person ? { personId: person.id, role: person.role } : null };
}

/**
 * When the office next opens (null in school time) and whom to tell at once of a change that
 * leaves the incident at `priority` (a report, a triage): the on-call person, or null. Read in the
 * change's transaction, under the incident's lock, so two triages at once tell them once.
 */
export async function onCallForChange(
  tx: Db,
  schoolId: string,
  change: { incidentId: string | null; priority: Priority; actorId: string; reporterId: string; now: Date },
): Promise<{ tell: string | null; opensAt: Date | null }> {
  const { opensAt, onCall } = await outOfHoursAt(tx, schoolId, change.now);
  const alreadyTold =
    change.incidentId !== null && change.priority === 'P1' && onCall !== null && opensAt !== null
      ? await onCallAlreadyTold(tx, schoolId, change.incidentId)
      : false;
  const tell = onCallToTell({
    priority: change.priority,
    opensAt,
    onCall,
    actorId: change.actorId,
    reporterId: change.reporterId,
    alreadyTold,
  });
  return { tell, opensAt };
}
