/**
 * The one path every change to an existing incident takes: check the role, lock the row (so
 * concurrent changes queue and the first wins), run the state machine, write the change, its
 * history event and the messages it causes — all in one transaction.
 */
import type { Db } from '../../db/client';
import {
  type IncidentEventRow,
  type IncidentInsert,
  type IncidentRow,
  insertIncidentEvent,
  lockIncident,
  updateIncident,
} from '../../db/queries/incidents';
import { enqueue } from '../../db/queries/outbox';
import type { Actor, Ctx } from '../context';
import { isUuid } from '../ids';
import type { NotifyEvent, OutboxMessage } from '../messages';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN, type Permission } from '../roles';
import { inTransaction } from '../transaction';
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
    await enqueue(tx, actor.schoolId, messagesFor(updated, event, change, actor), now);
    return { incident: updated, event };
  });
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
    });
  }
  if (change.notifyPerson && change.notifyPerson.personId !== actor.personId) {
    messages.push({ type: 'person.notify', incidentId: incident.id, ...change.notifyPerson });
  }
  return messages;
}
