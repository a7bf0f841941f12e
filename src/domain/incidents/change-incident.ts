/**
 * The one path every change to an existing incident takes: check the role, lock the row (so
 * concurrent changes queue and the first wins), run the state machine, write the change, its
 * history event and the messages it causes — all in one transaction.
 */
import type { Db } from '../../db/client';
import { returnOpenEscalations } from '../../db/queries/escalations';
import {
  type IncidentEventRow,
  type IncidentInsert,
  type IncidentRow,
  insertIncidentEvent,
  lockIncident,
  updateIncident,
} from '../../db/queries/incidents';
import { enqueue } from '../../db/queries/outbox';
import { loadSchoolClock } from '../../db/queries/schools';
import type { Actor, Ctx } from '../context';
import { isUuid } from '../ids';
import type { NotifyEvent, OutboxMessage } from '../messages';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN, type Permission } from '../roles';
import { inTransaction } from '../transaction';
import { followerNotices } from './follower-notices';
import { endHold } from './sla';
import { type Action, type Status, transition } from './state-machine';

export interface Change {
  values: Partial<IncidentInsert>;
  /** History event kind, e.g. `claimed`. */
  kind: string;
  /** What changed (from → to) and any note, for the history and the card thread. */
  data: Record<string, unknown>;
  /** Tell the reporter, when it matters to them. */
  notifyReporter?: NotifyEvent;
  /** Tell someone else (a technician given the incident). */
  notifyPerson?: { personId: string; event: NotifyEvent };
}

export interface ChangeSpec {
  incidentId: string;
  permission: Permission;
  action: Action;
  /**
   * Runs on the locked row before the state machine. Return `'unchanged'` when the change is
   * already in place (a double click), or throw a DomainFailure.
   */
  precheck?: (incident: IncidentRow, tx: Db) => Promise<'unchanged' | undefined>;
  build: (incident: IncidentRow, to: Status, now: Date) => Change;
}

export interface ChangeOutput {
  incident: IncidentRow;
  /** Null when nothing changed because it was already so. */
  event: IncidentEventRow | null;
}

export const NOT_FOUND_MESSAGE = "I couldn't find that incident in your school.";

export async function changeIncident(ctx: Ctx, spec: ChangeSpec): Promise<Result<ChangeOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, spec.permission)) return fail('AUTH.FORBIDDEN', FORBIDDEN[spec.permission]);
  if (!isUuid(spec.incidentId)) return fail('INCIDENT.NOT_FOUND', NOT_FOUND_MESSAGE);
  return inTransaction(ctx.db, async (tx) => {
    const incident = await lockIncident(tx, actor.schoolId, spec.incidentId);
    if (!incident) throw new DomainFailure({ code: 'INCIDENT.NOT_FOUND', message: NOT_FOUND_MESSAGE });
    if ((await spec.precheck?.(incident, tx)) === 'unchanged') return { incident, event: null };
    const step = transition(incident.status, spec.action);
    if (!step.ok) throw new DomainFailure(step.error);
    const now = clock.now();
    const change = spec.build(incident, step.to, now);
    if (step.to === 'resolved' || step.to === 'closed') await releaseWork(tx, incident, change, now);
    const updated = await updateIncident(tx, actor.schoolId, incident.id, {
      ...change.values,
      status: step.to,
      lastActivityAt: now,
    });
    const event = await insertIncidentEvent(tx, {
      schoolId: actor.schoolId,
      incidentId: incident.id,
      actorId: actor.personId,
      kind: change.kind,
      fromStatus: incident.status,
      toStatus: step.to,
      data: change.data,
      createdAt: now,
    });
    const messages = messagesFor(updated, event, change, actor);
    // Whoever said "Me too" hears it is fixed (or closed without a fix), once each.
    if (step.to === 'resolved')
      messages.push(...(await followerNotices(tx, updated, event, 'fixed', actor, now)));
    else if (step.to === 'closed' && incident.status !== 'resolved')
      messages.push(...(await followerNotices(tx, updated, event, 'closed', actor, now)));
    await enqueue(tx, actor.schoolId, messages, now);
    return { incident: updated, event };
  });
}

/**
 * An incident leaving work (resolved or closed) is no longer on hold and no longer with a
 * provider: the time held so far is added to its paused total (so a reopened incident's SLA clock
 * runs again) and any open escalation is closed (so nobody is reminded to chase it).
 */
export async function releaseWork(tx: Db, incident: IncidentRow, change: Change, now: Date): Promise<void> {
  if (incident.onHoldSince) {
    const clock = await loadSchoolClock(tx, incident.schoolId);
    if (!clock) throw new Error(`school ${incident.schoolId} not found`);
    const held = endHold(clock.calendar, incident, now);
    change.values = { ...change.values, ...held.values };
    change.data = { ...change.data, pausedMinutes: held.heldMinutes };
  }
  const returned = await returnOpenEscalations(tx, incident.schoolId, incident.id, now);
  if (returned.length > 0) change.data = { ...change.data, escalationsClosed: returned.map((e) => e.id) };
}

function messagesFor(
  incident: IncidentRow,
  event: IncidentEventRow,
  change: Change,
  actor: Actor,
): OutboxMessage[] {
  const messages: OutboxMessage[] = [
    { type: 'incident.card', incidentId: incident.id },
    { type: 'incident.thread', incidentId: incident.id, eventId: event.id },
  ];
  // Nobody needs a DM about what they just did themselves.
  if (change.notifyReporter && incident.reporterId !== actor.personId) {
    messages.push({
      type: 'person.notify',
      personId: incident.reporterId,
      incidentId: incident.id,
      event: change.notifyReporter,
      eventId: event.id,
    });
  }
  if (change.notifyPerson && change.notifyPerson.personId !== actor.personId) {
    messages.push({
      type: 'person.notify',
      incidentId: incident.id,
      ...change.notifyPerson,
      eventId: event.id,
    });
  }
  return messages;
}
