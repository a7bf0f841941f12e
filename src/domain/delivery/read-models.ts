/**
 * What each outbox message shows, read from the database at send time so a message that waited
 * out an outage shows the latest state: one loader per message kind, each returning a plain,
 * platform-neutral model or `missing` (what it names is gone, so the message can never be sent).
 * Platform deliverers render these through the presenters and never query the database
 * themselves.
 */
import type { Db } from '../../db/client';
import {
  type EscalationSummaryData,
  type IncidentLive,
  loadEscalationSummary,
  loadIncidentLive,
} from '../../db/queries/escalations';
import { listFollowers, mergedInto } from '../../db/queries/followers';
import {
  getIncidentDetail,
  getIncidentEvent,
  type IncidentDetail,
  type IncidentEventDetail,
  listIncidentEvents,
  setIncidentCard,
} from '../../db/queries/incidents';
import { getPerson, type PersonRow, teamsUserIdsWithRoles } from '../../db/queries/people';
import { getSchool, type SchoolRow } from '../../db/queries/schools';
import { findStoredStatusMessage, type StoredStatusMessage } from '../../db/queries/status-messages';
import { type DiaryAnnouncement, getDiaryAnnouncement } from '../../db/queries/work-items';
import { HOLD_REASON_TEXT } from '../incidents/hold-incident';
import { eventForViewer, viewerOf } from '../incidents/visibility';
import type { NotifyEvent, OutboxMessage } from '../messages';
import type { CardDuplicates } from '../presenters/card-duplicates';
import { CARD_ACTION_PERMISSION } from '../presenters/incident-card';
import { REPORTER_STEPS, type StatusIncident } from '../presenters/notices';
import type { Reminder } from '../reminders/reminder';
import { can, ROLES, type Role } from '../roles';
import { withOutOfHours } from './out-of-hours';

/** A model, or why there is none: what the message names no longer exists (never worth a retry). */
export type Loaded<T> = { found: true; model: T } | { found: false; missing: string };

const found = <T>(model: T): Loaded<T> => ({ found: true, model });
const missing = <T>(what: string): Loaded<T> => ({ found: false, missing: what });

/** The school a message is for: where it goes (its workspace, its SPOC channel) and its time zone. */
export async function loadDeliverySchool(db: Db, schoolId: string): Promise<SchoolRow | undefined> {
  return getSchool(db, schoolId);
}

export interface CardModel {
  incident: IncidentDetail;
  /**
   * Where it stands now: time left in school time, the escalation open, who else it affects and
   * the duplicates merged into it. Absent without a school clock.
   */
  live: (IncidentLive & { duplicates?: CardDuplicates }) | undefined;
}

/** The incident card, as of `now`. */
export async function loadCardModel(
  db: Db,
  schoolId: string,
  incidentId: string,
  now: Date,
): Promise<Loaded<CardModel>> {
  const incident = await getIncidentDetail(db, schoolId, incidentId);
  if (!incident) return missing('incident not found');
  const [live, followers, mergedFrom] = await Promise.all([
    loadIncidentLive(db, schoolId, incidentId, now),
    listFollowers(db, schoolId, incidentId),
    mergedInto(db, schoolId, incidentId),
  ]);
  return found({ incident, live: live && { ...live, duplicates: { followers, mergedFrom } } });
}

/** The most readers a card can name for refresh on view: Teams shows at most 60 their own card. */
export const MAX_CARD_READERS = 60;

/** The roles that may take at least one of the incident card's actions (the staff, not teachers). */
export const CARD_READER_ROLES: readonly Role[] = ROLES.filter((role) =>
  Object.values(CARD_ACTION_PERMISSION).some((permission) => can(role, permission)),
);

/**
 * Who the incident card asks Teams to refresh for on view, so each sees their own actions on a
 * card that may have gone stale: the Teams ids of the school's people whose role may take any of
 * the card's actions, most recently seen first, at most `MAX_CARD_READERS`. Only people whose
 * Teams id SPOC has seen (in their personal chat with it) can be named.
 */
export async function loadCardReaders(db: Db, schoolId: string): Promise<string[]> {
  return teamsUserIdsWithRoles(db, schoolId, CARD_READER_ROLES, MAX_CARD_READERS);
}

/** Records where the card was posted, so later changes update it in place. */
export async function recordCardPosted(
  db: Db,
  schoolId: string,
  incidentId: string,
  channel: string,
  ts: string,
): Promise<void> {
  await setIncidentCard(db, schoolId, incidentId, channel, ts);
}

export interface ThreadModel {
  incident: IncidentDetail;
  event: IncidentEventDetail;
  /**
   * Shown to the whole channel, not only in the thread: "still broken" matters to everyone (a
   * fault forwarded to a provider has no named person to tell).
   */
  toWholeChannel: boolean;
}

/** One history event for the card's thread. */
export async function loadThreadModel(
  db: Db,
  schoolId: string,
  incidentId: string,
  eventId: number,
): Promise<Loaded<ThreadModel>> {
  const incident = await getIncidentDetail(db, schoolId, incidentId);
  const event = await getIncidentEvent(db, schoolId, eventId);
  if (!incident || !event) return missing('incident or event not found');
  return found({ incident, event, toWholeChannel: event.kind === 'reopened' });
}

export interface NotifyModel {
  person: PersonRow;
  /** With what its report recorded about school time, for the reporter's status message. */
  incident: StatusIncident;
  event: NotifyEvent;
  /**
   * The words of the event that caused it (a closing note, a comment, with any link on its own
   * line), only as this person may read them: a staff note never reaches a reporter.
   */
  note: string | undefined;
  /**
   * Present when this is a step of the reporter's own fault (`REPORTER_STEPS`): it is told on
   * their one status message about it, updated in place, with the step's line under it, rather
   * than in a message of its own. Absent for everyone else (the assignee), told in a message each.
   */
  status?: ReporterStatus;
}

export interface ReporterStatus {
  /** Where the status message was posted and what it shows, or null before its first step is delivered. */
  place: StoredStatusMessage | null;
  /**
   * The step asks something of the reporter (the fix to check; a hold waiting for them) or ends
   * the fault without a fix, so it is shown in their chat, not only in the status message's
   * thread, where Slack would not tell them.
   */
  alert: boolean;
}

/** What a person is told about an incident at one step. */
export async function loadNotifyModel(
  db: Db,
  schoolId: string,
  m: Extract<OutboxMessage, { type: 'person.notify' }>,
): Promise<Loaded<NotifyModel>> {
  const person = await getPerson(db, schoolId, m.personId);
  const incident = await getIncidentDetail(db, schoolId, m.incidentId);
  if (!person || !incident) return missing('person or incident not found');
  let note: string | undefined;
  if (m.event === 'closed' || m.event === 'commented' || m.event === 'replied') {
    const kind = m.event === 'closed' ? 'closed' : m.event === 'replied' ? 'reply' : 'comment';
    // The event that caused this message; rows written before messages named it fall back to the latest.
    const named = m.eventId === undefined ? undefined : await getIncidentEvent(db, schoolId, m.eventId);
    const told =
      named && named.incidentId === incident.id && named.kind === kind
        ? named
        : (await listIncidentEvents(db, schoolId, incident.id)).findLast((e) => e.kind === kind);
    // Only what this person may read of it.
    const viewer = viewerOf({ role: person.role, personId: person.id }, incident);
    const shown = told && viewer ? eventForViewer(viewer, told) : null;
    note = typeof shown?.data.note === 'string' ? shown.data.note : undefined;
    if (note && typeof shown?.data.link === 'string') note = `${note}\n${shown.data.link}`;
  }
  if (person.id !== incident.reporterId || !REPORTER_STEPS.includes(m.event))
    return found({ person, incident, event: m.event, note });
  const place = (await findStoredStatusMessage(db, schoolId, incident.id, person.id)) ?? null;
  const status = await withOutOfHours(db, schoolId, incident);
  // Words written to them (a reply) are shown in their chat too, like a step that asks something of them.
  const alert =
    m.event === 'resolved' ||
    m.event === 'closed' ||
    m.event === 'replied' ||
    m.event === 'merged' ||
    (m.event === 'on_hold' && (await waitsForReporter(db, schoolId, incident, m.eventId)));
  return found({ person, incident: status, event: m.event, note, status: { place, alert } });
}

/** Whether a hold waits for the person who reported it (its event's reason, else its words). */
async function waitsForReporter(
  db: Db,
  schoolId: string,
  incident: IncidentDetail,
  eventId: number | undefined,
): Promise<boolean> {
  const event = eventId === undefined ? undefined : await getIncidentEvent(db, schoolId, eventId);
  if (event && event.incidentId === incident.id && event.kind === 'on_hold')
    return event.data.reason === 'user';
  return incident.holdReason?.startsWith(HOLD_REASON_TEXT.user) ?? false;
}

export interface ProviderEscalationModel {
  summary: EscalationSummaryData;
  /** The n-th chase, or absent for the escalation itself. */
  chase: number | undefined;
}

/** The escalation summary (or a chase) for the provider's own chat channel. */
export async function loadProviderEscalationModel(
  db: Db,
  schoolId: string,
  m: Extract<OutboxMessage, { type: 'provider.escalation' }>,
): Promise<Loaded<ProviderEscalationModel>> {
  const summary = await loadEscalationSummary(db, schoolId, m.escalationId);
  if (!summary) return missing('escalation not found');
  return found({ summary, chase: m.chase });
}

/** A diary entry (planned downtime for a change) told to staff. */
export async function loadDiaryAnnouncementModel(
  db: Db,
  schoolId: string,
  diaryEntryId: string,
): Promise<Loaded<DiaryAnnouncement>> {
  const announcement = await getDiaryAnnouncement(db, schoolId, diaryEntryId);
  return announcement ? found(announcement) : missing('diary entry not found');
}

export interface TicketSourceModel {
  incident: IncidentDetail;
  /** The chat message the incident was made from. */
  channel: string;
  ts: string;
}

/** The chat message an incident was made from (a ticket by reaction), to mark it done. */
export async function loadTicketSourceModel(
  db: Db,
  schoolId: string,
  incidentId: string,
): Promise<Loaded<TicketSourceModel>> {
  const incident = await getIncidentDetail(db, schoolId, incidentId);
  if (!incident?.sourceChannel || !incident.sourceTs) return missing('incident or its message not found');
  return found({ incident, channel: incident.sourceChannel, ts: incident.sourceTs });
}

/** A reminder is shown as the pass recorded it: nothing to read. */
export function reminderModel(reminder: Reminder): Loaded<Reminder> {
  return found(reminder);
}
