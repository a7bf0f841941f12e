/**
 * Delivers outbox messages to Teams: the incident card (posted once into the school's SPOC
 * channel, then updated in place), its thread, personal notices, reminders and diary
 * announcements (a new post in the team's channel chosen on the diary form). Each message's
 * model is loaded from the domain at send time and rendered as an Adaptive Card by
 * `./render/adaptive-card`; the only tables read here are the stored conversation references.
 *
 * At least once. Slack posts carry metadata that a later attempt can look for; the Bot Framework
 * gives a bot no way to read a conversation's recent messages, so a send whose outcome is unknown
 * (a timeout, a dropped connection, a crash mid-send) cannot be checked. Such a row is sent again:
 * after a crash a Teams card, thread line or notice may appear twice (a card posted twice leaves
 * the first one stale; the second is the one kept up to date).
 */
import type { Activity, CloudAdapter, ConversationReference } from 'botbuilder';
import type { Db } from '../../db/client';
import type { OutboxRow } from '../../db/queries/outbox';
import type { SchoolRow } from '../../db/queries/schools';
import {
  findPersonalTeamsConversation,
  findTeamChannel,
  findTeamsConversation,
} from '../../db/queries/teams-conversations';
import type { Clock } from '../../domain/clock';
import { briefingThread, loadBriefingModel, recordBriefingPlace } from '../../domain/delivery/briefing';
import { recordReminderPosted } from '../../domain/delivery/posted-reminder';
import {
  type Loaded,
  loadCardModel,
  loadCardReaders,
  loadDeliverySchool,
  loadDiaryAnnouncementModel,
  loadNotifyModel,
  loadThreadModel,
  type NotifyModel,
  type ReporterStatus,
  recordCardPosted,
  reminderModel,
} from '../../domain/delivery/read-models';
import {
  carriesAnswer,
  loadReporterStatus,
  recordStatusMessagePlace,
  recordStatusMessageShown,
  statusShown,
} from '../../domain/delivery/status-message';
import { type OutboxMessage, readOutboxMessage } from '../../domain/messages';
import { presentBriefing } from '../../domain/presenters/briefing';
import { presentDiaryAnnouncement } from '../../domain/presenters/diary-announcement';
import { presentIncidentCard } from '../../domain/presenters/incident-card';
import { eventLine } from '../../domain/presenters/incident-event';
import { presentNotice, presentStatusMessage, presentStatusStep } from '../../domain/presenters/notices';
import type { Rich, Section } from '../../domain/presenters/presentation';
import { presentReminder } from '../../domain/presenters/reminder';
import type { Reminder } from '../../domain/reminders/reminder';
import type { Logger } from '../../log';
import { type Deliverer, DeliveryRetry } from '../../worker/outbox-dispatcher';
import type { TeamsSender } from './proactive';
import { withReminderIds } from './reminder-actions';
import { cardMessage, escapeMarkdown, renderText } from './render/adaptive-card';

type Reference = Partial<ConversationReference>;

/** A text section's words, for a step's line sent as a plain message. */
const textOf = (section: Section): Rich => (section.kind === 'text' ? section.text : []);

/** Proactive sends, and replacing a message already posted (the card, in place). */
export interface TeamsDeliverySender extends TeamsSender {
  /** `PUT …/v3/conversations/{conversation}/activities/{activityId}`. */
  update(reference: Reference, activityId: string, activity: Partial<Activity>): Promise<void>;
}

/** The app's sender, able to update a posted message too (botbuilder's `updateActivity`). */
export function withUpdates(sender: TeamsSender, adapter: CloudAdapter, appId: string): TeamsDeliverySender {
  return {
    ...sender,
    async update(reference, activityId, activity) {
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        await context.updateActivity({
          ...activity,
          id: activityId,
          conversation: context.activity.conversation,
        });
      });
    },
  };
}

const MINUTE = 60_000;
/** Why a notice waits: Teams cannot open a chat with someone who has not got the app. */
export const NO_PERSONAL_CHAT = 'no Teams chat with this person yet (SPOC is not installed for them)';
/** What the SPOC channel is told, once, when a notice waits for that. */
const noChatLine = (name: string) =>
  `I can't message **${escapeMarkdown(name)}** in Teams yet: SPOC is not installed for them. ` +
  'Ask them to open SPOC in Teams (Apps → SPOC) once; what I have for them waits until then.';

function modelOf<T>(loaded: Loaded<T>): T {
  if (!loaded.found) throw new DeliveryRetry(loaded.missing, { permanent: true });
  return loaded.model;
}

/** The HTTP status of a connector failure, if it got an answer. */
export function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  const status = e?.statusCode ?? e?.response?.status ?? e?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Retry-After (seconds, or an HTTP date) of a connector failure, in milliseconds. */
function retryAfterMs(error: unknown, now: Date): number | undefined {
  const headers = (error as { response?: { headers?: unknown } })?.response?.headers as
    | { get?: (name: string) => string | undefined | null }
    | Record<string, string>
    | undefined;
  if (!headers) return undefined;
  const raw =
    typeof headers.get === 'function'
      ? headers.get('retry-after')
      : (headers as Record<string, string>)['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(seconds, 1) * 1000;
  const at = Date.parse(String(raw));
  return Number.isFinite(at) ? Math.max(at - now.getTime(), 1000) : undefined;
}

export function createTeamsDeliverer(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  sender: TeamsDeliverySender;
}): Deliverer {
  const { db, clock, log, sender } = deps;
  const later = (ms: number) => new Date(clock.now().getTime() + ms);

  /** The SPOC channel: its id and the stored reference (for its service URL). */
  async function spocChannel(school: SchoolRow): Promise<{ channelId: string; reference: Reference }> {
    const channelId = school.teamsChannelId;
    const stored = channelId ? await findTeamsConversation(db, channelId) : undefined;
    if (!channelId || !stored?.installed || !(stored.reference as Reference).serviceUrl)
      throw new DeliveryRetry('no SPOC channel yet (spoc setup)', { at: later(10 * MINUTE), waiting: true });
    return { channelId, reference: stored.reference as Reference };
  }

  /** The reference of a conversation inside the SPOC channel (the card's thread). */
  const inConversation = (reference: Reference, conversationId: string): Reference => ({
    ...reference,
    conversation: {
      ...(reference.conversation as ConversationReference['conversation']),
      id: conversationId,
    },
  });

  async function card(row: OutboxRow, school: SchoolRow, incidentId: string): Promise<void> {
    const { incident, live } = modelOf(await loadCardModel(db, school.id, incidentId, clock.now()));
    // Everyone sees every action on the card itself; the staff named here get their own on view.
    const message = cardMessage(presentIncidentCard(incident, live), {
      timezone: school.timezone,
      refresh: { data: { value: incident.id }, userIds: await loadCardReaders(db, school.id) },
    });
    const { channelId, reference } = await spocChannel(school);
    if (incident.cardChannel && incident.cardTs) {
      try {
        await sender.update(inConversation(reference, incident.cardChannel), incident.cardTs, message);
        await syncStatus(school, incidentId);
        return;
      } catch (error) {
        // Someone deleted the card: post a fresh one rather than lose it.
        if (statusOf(error) !== 404) throw error;
        log.warn({ schoolId: school.id, incidentId }, 'incident card was deleted; posting it again');
      }
    }
    if (row.inDoubt)
      log.warn(
        { schoolId: school.id, outboxId: row.id, incidentId },
        'an earlier attempt may have posted this card; Teams cannot be checked, so posting (it may appear twice)',
      );
    const posted = await sender.postToChannel(String(reference.serviceUrl), channelId, message, {
      tenantId: school.teamsTenantId ?? undefined,
    });
    // A Teams card's "channel" is its thread's conversation id, its "ts" the message id.
    await recordCardPosted(db, school.id, incidentId, posted.conversationId, posted.activityId);
    await syncStatus(school, incidentId);
  }

  /**
   * The reporter's status card brought up to date with the incident card, so a change that tells
   * them nothing (auto-close, resume, triage, reassign) still shows there. Best effort: the card
   * is delivered, and the next change tries again.
   */
  async function syncStatus(school: SchoolRow, incidentId: string): Promise<void> {
    try {
      const timezone = school.timezone;
      // Nothing when it already shows the fault as it stands (or shows a press's answer to that).
      const status = await loadReporterStatus(db, school.id, incidentId, timezone);
      if (!status?.reporter.teamsUserId || !school.teamsTenantId) return;
      const chat = await findPersonalTeamsConversation(db, school.teamsTenantId, status.reporter.teamsUserId);
      if (!chat) return;
      await sender.update(
        chat.reference as Reference,
        status.place.postedId,
        cardMessage(presentStatusMessage(status.incident, timezone), { timezone }),
      );
      await recordStatusMessageShown(
        db,
        school.id,
        incidentId,
        status.incident.reporterId,
        status.shown,
        clock.now(),
      );
    } catch (error) {
      log.warn(
        { schoolId: school.id, incidentId, teamsStatus: statusOf(error) },
        "could not bring the reporter's status card up to date with the incident card",
      );
    }
  }

  async function thread(row: OutboxRow, school: SchoolRow, incidentId: string, eventId: number) {
    const { incident, event } = modelOf(await loadThreadModel(db, school.id, incidentId, eventId));
    if (!incident.cardTs || !incident.cardChannel)
      throw new DeliveryRetry('card not posted yet', { at: later(MINUTE), waiting: true });
    const { reference } = await spocChannel(school);
    warnIfInDoubt(row);
    await sender.sendTo(inConversation(reference, incident.cardChannel), {
      type: 'message',
      textFormat: 'markdown',
      text: renderText(eventLine(event), school.timezone),
    });
  }

  async function remind(row: OutboxRow, school: SchoolRow, reminder: Reminder, briefingDay?: string) {
    const { channelId, reference } = await spocChannel(school);
    warnIfInDoubt(row);
    // Its buttons carry this message's id: a press shows the reminder again from this row.
    const message = withReminderIds(
      cardMessage(presentReminder(modelOf(reminderModel(reminder))), { timezone: school.timezone }),
      row.id,
    );
    // A reply in the day's briefing's thread; a post of its own if that briefing could not be posted.
    const thread = briefingDay ? await briefingThread(db, school.id, briefingDay) : null;
    const posted = thread
      ? await sender.sendTo(inConversation(reference, thread.channel), message)
      : await sender.postToChannel(String(reference.serviceUrl), channelId, message, {
          tenantId: school.teamsTenantId ?? undefined,
        });
    // Kept so that Renewed or Reassign, whose dialog does not name the message, can replace it.
    // It is posted: a failure to record that is logged, not retried (that would post it twice).
    try {
      await recordReminderPosted(db, school.id, row.id, posted.activityId);
    } catch (error) {
      log.warn(
        {
          schoolId: school.id,
          outboxId: row.id,
          err: error instanceof Error ? error.message : String(error),
        },
        'reminder posted, but its message id could not be recorded; its dialogs will not update it',
      );
    }
  }

  /** The day's briefing: a post of its own in the SPOC channel, then replaced as passes add to it. */
  async function brief(row: OutboxRow, school: SchoolRow, day: string): Promise<void> {
    const { model, posted } = modelOf(await loadBriefingModel(db, school.id, day));
    const message = cardMessage(presentBriefing(model), { timezone: school.timezone });
    const { channelId, reference } = await spocChannel(school);
    if (posted) {
      try {
        await sender.update(inConversation(reference, posted.channel), posted.postedId, message);
        return;
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        log.warn({ schoolId: school.id, day }, 'the briefing was deleted; posting it again');
      }
    }
    warnIfInDoubt(row);
    const place = await sender.postToChannel(String(reference.serviceUrl), channelId, message, {
      tenantId: school.teamsTenantId ?? undefined,
    });
    // Its "channel" is its thread's conversation id, where its items are replies.
    await recordBriefingPlace(db, school.id, day, {
      channel: place.conversationId,
      postedId: place.activityId,
    });
  }

  async function notify(
    row: OutboxRow,
    school: SchoolRow,
    m: Extract<OutboxMessage, { type: 'person.notify' }>,
  ): Promise<void> {
    const model = modelOf(await loadNotifyModel(db, school.id, m));
    const { person, incident, note } = model;
    // A person of a Teams school is known by their Entra object id.
    if (!person.teamsUserId) throw new DeliveryRetry('person has no Teams identity', { permanent: true });
    const chat = school.teamsTenantId
      ? await findPersonalTeamsConversation(db, school.teamsTenantId, person.teamsUserId)
      : undefined;
    if (!chat) {
      // Told once per wait: a row already waiting for this reason has told the SPOC channel.
      if (row.lastError !== NO_PERSONAL_CHAT)
        await tellSpoc(school, incident, noChatLine(person.displayName));
      throw new DeliveryRetry(NO_PERSONAL_CHAT, { at: later(30 * MINUTE), waiting: true });
    }
    const reference = chat.reference as Reference;
    if (model.status) return statusStep(row, school, model, model.status, reference);
    warnIfInDoubt(row);
    await sender.sendTo(
      reference,
      cardMessage(presentNotice(m.event, incident, note), { timezone: school.timezone }),
    );
  }

  /**
   * A step of the reporter's own fault: their one status card about it in the personal chat shows
   * where it stands now (sent at the first step, updated in place after; sent afresh if it was
   * deleted). A personal chat has no threads, so each later step's line is a short message of its
   * own under it, which tells them. At least once, as every Teams send: a status card whose send
   * was cut short before it was recorded may be sent twice (the second is the one kept up to date).
   */
  async function statusStep(
    row: OutboxRow,
    school: SchoolRow,
    model: NotifyModel,
    status: ReporterStatus,
    reference: Reference,
  ): Promise<void> {
    const { person, incident, event, note } = model;
    const timezone = school.timezone;
    const card = cardMessage(presentStatusMessage(incident, timezone), { timezone });
    const shown = statusShown(incident, timezone);
    // Still carrying a press's answer to the fault as it stands (a step delivered after the press,
    // about the state the press already shows): the step only adds its line under it.
    let updated = carriesAnswer(status.place?.shown, shown);
    if (status.place && !updated) {
      try {
        await sender.update(reference, status.place.postedId, card);
        await recordStatusMessageShown(db, school.id, incident.id, person.id, shown, clock.now());
        updated = true;
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        log.warn(
          { schoolId: school.id, incidentId: incident.id },
          "the reporter's status card was deleted; sending it again",
        );
      }
    }
    if (!updated) {
      warnIfInDoubt(row);
      const posted = await sender.sendTo(reference, card);
      if (posted.activityId)
        await recordStatusMessagePlace(
          db,
          school.id,
          incident.id,
          person.id,
          { channel: posted.conversationId, postedId: posted.activityId, shown },
          clock.now(),
        );
      else
        log.warn(
          { schoolId: school.id, incidentId: incident.id },
          'Teams gave no id for the status card; the next step sends a new one',
        );
    }
    // The status card itself says it was reported.
    if (event === 'reported') return;
    warnIfInDoubt(row);
    await sender.sendTo(reference, {
      type: 'message',
      textFormat: 'markdown',
      text: renderText(presentStatusStep(event, incident, note).sections.flatMap(textOf), timezone),
    });
  }

  /**
   * A diary entry told to staff: a new post in the channel chosen on the form, one of the school's
   * own team's channels SPOC knows (checked again here), with that channel's stored service URL.
   */
  async function announce(row: OutboxRow, school: SchoolRow, diaryEntryId: string, channelId: string) {
    const announcement = modelOf(await loadDiaryAnnouncementModel(db, school.id, diaryEntryId));
    const team =
      school.teamsTenantId && school.teamsTeamId
        ? { tenantId: school.teamsTenantId, teamId: school.teamsTeamId }
        : undefined;
    const stored = team ? await findTeamChannel(db, team, channelId) : undefined;
    const serviceUrl = (stored?.reference as Reference | undefined)?.serviceUrl;
    if (!serviceUrl)
      throw new DeliveryRetry("the diary announcement's channel is not one of the school's team's channels", {
        permanent: true,
      });
    warnIfInDoubt(row);
    await sender.postToChannel(
      serviceUrl,
      channelId,
      cardMessage(presentDiaryAnnouncement(announcement), { timezone: school.timezone }),
      { tenantId: school.teamsTenantId ?? undefined },
    );
  }

  /** A line for the SPOC channel: in the card's thread when there is one, else a post of its own. */
  async function tellSpoc(
    school: SchoolRow,
    incident: { cardChannel: string | null; cardTs: string | null },
    text: string,
  ): Promise<void> {
    const { channelId, reference } = await spocChannel(school);
    const activity: Partial<Activity> = { type: 'message', textFormat: 'markdown', text };
    if (incident.cardChannel && incident.cardTs)
      await sender.sendTo(inConversation(reference, incident.cardChannel), activity);
    else
      await sender.postToChannel(String(reference.serviceUrl), channelId, activity, {
        tenantId: school.teamsTenantId ?? undefined,
      });
  }

  function warnIfInDoubt(row: OutboxRow): void {
    if (row.inDoubt)
      log.warn(
        { schoolId: row.schoolId, outboxId: row.id },
        'an earlier attempt may have sent this message; Teams cannot be checked, so sending (it may appear twice)',
      );
  }

  /** Turns a connector failure into when (or whether) to try again. */
  function classify(error: unknown, schoolId: string): Error {
    if (error instanceof DeliveryRetry) return error;
    const status = statusOf(error);
    // No answer (a timeout, a dropped connection): in doubt, as it is.
    if (status === undefined) return error instanceof Error ? error : new Error(String(error));
    const after = retryAfterMs(error, clock.now());
    if (status === 429)
      return new DeliveryRetry('Teams: rate limited (429)', {
        at: later(after ?? 5_000),
        waiting: true,
      });
    if (status >= 500)
      return new DeliveryRetry(`Teams: ${status}`, after === undefined ? {} : { at: later(after) });
    if (status === 401 || status === 403 || status === 404) {
      log.warn(
        { schoolId, teamsStatus: status },
        'Teams refused the conversation; SPOC may have been removed from the team or the chat',
      );
      return new DeliveryRetry(`Teams: ${status}`, { at: later(30 * MINUTE), waiting: true });
    }
    return new DeliveryRetry(`Teams: ${status}`, { permanent: true });
  }

  return {
    async deliver(row: OutboxRow): Promise<void> {
      const read = readOutboxMessage(row.message);
      if (!read.ok) throw new DeliveryRetry(read.reason, { permanent: true });
      const school = await loadDeliverySchool(db, row.schoolId);
      if (!school?.teamsTenantId) throw new DeliveryRetry('school has no Teams tenant', { permanent: true });
      const m = read.message;
      try {
        if (m.type === 'incident.card') await card(row, school, m.incidentId);
        else if (m.type === 'incident.thread') await thread(row, school, m.incidentId, m.eventId);
        else if (m.type === 'reminder') await remind(row, school, m.reminder, m.briefing);
        else if (m.type === 'briefing') await brief(row, school, m.day);
        else if (m.type === 'person.notify') await notify(row, school, m);
        else if (m.type === 'diary.announce') await announce(row, school, m.diaryEntryId, m.channel);
        // Photos come with a report through Slack's file input; a Teams card has none to show.
        else if (m.type === 'incident.photos' || m.type === 'photos.copy')
          throw new DeliveryRetry('photos are Slack files; a Teams school has none to show or copy', {
            permanent: true,
          });
        // Tickets by reaction come only from Slack messages (docs/teams.md says why).
        else if (m.type === 'incident.source')
          throw new DeliveryRetry('a ticket by reaction marks a Slack message; none in Teams', {
            permanent: true,
          });
        // A Teams channel has no topic a bot may set: its hours are in the setup answer instead.
        else if (m.type === 'channel.topic') return;
        // A provider's chat channel is a Slack channel, chosen in Slack; a Teams school's
        // escalation goes by email.
        else
          throw new DeliveryRetry('a provider chat channel is a Slack channel; not sent in Teams', {
            permanent: true,
          });
      } catch (error) {
        throw classify(error, school.id);
      }
    },
  };
}
