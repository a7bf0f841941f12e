/**
 * Who may read what of an incident. Staff (technicians, office, admin) see everything. The person
 * who reported the fault sees what is meant for them: what they did themselves and the steps they
 * are told about by DM, without staff-only detail — staff notes, what the SPOC wrote to or heard
 * from a provider, the provider's reference and deadlines, chases.
 *
 * Every surface that shows a reporter their incident goes through this one rule. It is a list of
 * what the reporter may see, not of what they may not: a new event kind or a new field in an
 * event's data stays staff-only until it is added here on purpose.
 */
import { can, type Role } from '../roles';
import type { Status } from './state-machine';

/** Who is looking: the incident's staff, or the person who reported it. */
export type Viewer = 'staff' | 'reporter';

/** How a person may look at an incident, or null when it is not theirs to see. */
export function viewerOf(
  person: { role: Role; personId: string },
  incident: { reporterId: string },
): Viewer | null {
  if (can(person.role, 'incident.viewAll')) return 'staff';
  return incident.reporterId === person.personId ? 'reporter' : null;
}

/**
 * What anyone in the school may know of a fault that is not theirs: its reference, where it
 * stands and who has it (the technician, else the provider working on it). Not what is wrong,
 * where, nor who reported it: the person who asks sees only this line.
 */
export interface PublicIncidentStatus {
  number: number;
  status: Status;
  /** The technician who has it, if anyone. */
  assignee: { name: string | null; slackUserId: string | null } | null;
  /** The provider working on it, if any. */
  providerName: string | null;
}

/** The public status of an incident of the asker's own school (see `PublicIncidentStatus`). */
export function publicStatusOf(incident: {
  number: number;
  status: Status;
  assigneeId: string | null;
  assigneeName: string | null;
  assigneeSlackId: string | null;
  providerName: string | null;
}): PublicIncidentStatus {
  return {
    number: incident.number,
    status: incident.status,
    assignee:
      incident.assigneeId === null
        ? null
        : { name: incident.assigneeName, slackUserId: incident.assigneeSlackId },
    providerName: incident.providerName,
  };
}

/** The part of a history event the rule reads. */
export interface HistoryEvent {
  kind: string;
  fromStatus: Status | null;
  data: Record<string, unknown>;
}

/** The data fields the reporter may see for an event, or null when the whole event is staff-only. */
type ReporterFields = (e: HistoryEvent) => readonly string[] | null;
const fields =
  (...keys: string[]): ReporterFields =>
  () =>
    keys;

/**
 * Per event kind, what the reporter sees. Kinds missing here (`provider_update`, what the provider
 * said; `chased`) are staff-only, as are staff notes (comments not by the reporter).
 */
const FOR_REPORTER: Readonly<Record<string, ReporterFields>> = {
  reported: fields('priority', 'impact', 'urgency', 'fromMessage'),
  // What they said themselves, in the form they filled in.
  details_added: fields(
    'summary',
    'description',
    'locationId',
    'assetId',
    'locationName',
    'assetTag',
    'impact',
    'urgency',
    'priority',
  ),
  triaged: fields('priority', 'impact', 'urgency', 'category'),
  claimed: fields('assignee'),
  assigned: fields('assignee', 'assigneeName', 'assigneeSlackId'),
  // Who has it, not what the SPOC wrote to them, nor their reference or when they must answer.
  forwarded: fields('provider'),
  escalated: fields('provider'),
  handed_back: fields('provider'),
  // The hold reason is on the card and in the reporter's DM.
  on_hold: fields('reason', 'note'),
  resumed: fields('reason', 'pausedMinutes', 'dayMinutes'),
  // The resolution is what the reporter is told in the "is it fixed?" DM.
  resolved: fields('resolution', 'category'),
  reopened: fields('resolution', 'note'),
  confirmed: fields('note'),
  // The reporter is told why only when it was closed without a fix; a note closing a fixed
  // incident is for the staff.
  closed: (e) => (e.fromStatus === 'resolved' ? ['auto'] : ['auto', 'note']),
  // Their report was a duplicate: which incident it was merged into.
  merged: fields('into'),
  // The reporter's own comments; a staff note is for the staff.
  comment: (e) => (e.data.byReporter === true ? ['note', 'link', 'byReporter'] : null),
  // What staff wrote to the reporter (Reply to the reporter): theirs to read.
  reply: fields('note', 'link'),
};

/** The event as the viewer may see it (staff-only fields removed), or null when it is staff-only. */
export function eventForViewer<E extends HistoryEvent>(viewer: Viewer, event: E): E | null {
  if (viewer === 'staff') return event;
  const keys = Object.hasOwn(FOR_REPORTER, event.kind) ? FOR_REPORTER[event.kind]?.(event) : null;
  if (!keys) return null;
  const data = Object.fromEntries(Object.entries(event.data).filter(([key]) => keys.includes(key)));
  return { ...event, data };
}

/** The history the viewer may see, oldest first as given. */
export function historyForViewer<E extends HistoryEvent>(viewer: Viewer, events: readonly E[]): E[] {
  return events.flatMap((e) => eventForViewer(viewer, e) ?? []);
}

/**
 * The incident's own fields as the viewer may see them. The provider's reference is for the SPOC
 * who deals with the provider (FITS: one point of contact), not for the reporter.
 */
export function incidentForViewer<I extends { providerRef: string | null }>(viewer: Viewer, incident: I): I {
  return viewer === 'staff' ? incident : { ...incident, providerRef: null };
}

/**
 * The escalation records (note sent to the provider, their reference, deadlines, chases) are
 * liaison detail: the reporter sees none of them; who has the fault shows on the incident itself.
 */
export function liaisonForViewer<L extends { openEscalation: unknown; escalations: readonly unknown[] }>(
  viewer: Viewer,
  live: L,
): L {
  return viewer === 'staff' ? live : { ...live, openEscalation: null, escalations: [] };
}
