/**
 * Delivers outbox messages to Slack: the incident card (posted once, then updated in place), its
 * thread, and DMs. Each message's model is loaded from the domain at send time (so a card that
 * waited out an outage shows the latest state) and rendered by the Slack views; this file reads
 * no table itself. Slack errors are sorted into "try later" and "never": rate limits honour
 * Retry-After.
 *
 * Each post carries Slack message metadata naming its outbox row (and a card its incident). When an
 * earlier attempt's outcome is unknown (it timed out, or the process died mid-send), the channel's
 * recent history is read first and a post found there is adopted instead of posted again.
 */
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Db } from '../../db/client';
import { createPhotoStore, type PhotoStore } from '../../db/photo-store';
import type { OutboxRow } from '../../db/queries/outbox';
import type { SchoolRow } from '../../db/queries/schools';
import type { Clock } from '../../domain/clock';
import { briefingThread, loadBriefingModel, recordBriefingPlace } from '../../domain/delivery/briefing';
import {
  type Loaded,
  loadCardModel,
  loadDeliverySchool,
  loadDiaryAnnouncementModel,
  loadNotifyModel,
  loadProviderEscalationModel,
  loadThreadModel,
  loadTicketSourceModel,
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
  type StatusMessagePlace,
  statusShown,
} from '../../domain/delivery/status-message';
import { isSlackChannelId } from '../../domain/incidents/escalate-incident';
import { type OutboxMessage, readOutboxMessage } from '../../domain/messages';
import { channelTopic } from '../../domain/presenters/service-hours';
import type { Reminder } from '../../domain/reminders/reminder';
import type { Logger } from '../../log';
import { type Deliverer, DeliveryRetry } from '../../worker/outbox-dispatcher';
import { slackPhotos } from './photos';
import { providerChannelView } from './views/escalation.view';
import { incidentCardView } from './views/incident-card.view';
import { incidentEventText } from './views/incident-event.view';
import { briefingView, reminderView } from './views/reminder.view';
import { reporterNoticeView, reporterStatusView, reporterStepView } from './views/reporter-notice.view';
import { ticketReplyView } from './views/ticket.view';
import { diaryAnnounceView } from './views/work-items.view';

/** A Web API client for a workspace, or undefined when SPOC holds no token for it. */
export type SlackClientFor = (teamId: string) => Promise<WebClient | undefined>;

const MINUTE = 60_000;
/** The bot lost access (removed from the channel, uninstalled): keep trying, slowly. */
const ACCESS_ERRORS = [
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'account_inactive',
  'team_access_not_granted',
  'missing_scope',
];
/** The `event_type` of the metadata on every message SPOC posts from its outbox. */
export const OUTBOX_EVENT = 'spoc_outbox';
/** How far back, and how many pages of 200, a lookup for an earlier post reads. */
const LOOKBACK_MARGIN_S = 5 * 60;
const LOOKUP_PAGES = 5;
/** The reaction that marks a message SPOC made an incident of. */
export const TICKET_DONE_EMOJI = 'white_check_mark';
/** A message that cannot be reacted to any more (deleted, or its conversation gone or left). */
const GONE_MESSAGE = [
  'message_not_found',
  'no_item_specified',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
];
/** A DM that can never arrive. */
const UNREACHABLE_PERSON = ['user_not_found', 'cannot_dm_bot', 'user_disabled', 'user_is_restricted'];

/** The model, or a permanent failure when what the message names is gone. */
function modelOf<T>(loaded: Loaded<T>): T {
  if (!loaded.found) throw new DeliveryRetry(loaded.missing, { permanent: true });
  return loaded.model;
}

export function createSlackDeliverer(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  clientFor: SlackClientFor;
  /** Where copies of reported photos are kept (in the database unless said). */
  photos?: PhotoStore;
}): Deliverer {
  const { db, clock, log } = deps;
  const later = (ms: number) => new Date(clock.now().getTime() + ms);
  const photos = slackPhotos({
    db,
    clock,
    log,
    store: deps.photos ?? createPhotoStore({ kind: 'database' }),
  });

  async function card(
    client: WebClient,
    row: OutboxRow,
    school: SchoolRow,
    incidentId: string,
  ): Promise<void> {
    // Time left is shown in school time as of now; the open escalation says who has it.
    const { incident, live } = modelOf(await loadCardModel(db, school.id, incidentId, clock.now()));
    const message = incidentCardView(incident, school.timezone, live);
    if (incident.cardTs && incident.cardChannel) {
      try {
        await client.chat.update({ channel: incident.cardChannel, ts: incident.cardTs, ...message });
        await syncStatus(client, school, incidentId);
        return;
      } catch (error) {
        // Someone deleted the card: post a fresh one rather than lose it.
        if (platformError(error) !== 'message_not_found') throw error;
        log.warn({ schoolId: school.id, incidentId }, 'incident card was deleted; posting it again');
      }
    }
    if (!school.slackChannelId)
      throw new DeliveryRetry('no SPOC channel yet (/spoc setup)', { at: later(10 * MINUTE), waiting: true });
    // A card is found again by its incident, whichever of its messages posted it.
    const posted = await postOnce(
      client,
      row,
      { channel: school.slackChannelId, ...message, unfurl_links: false },
      { incident_id: incidentId },
      (payload) => payload.incident_id === incidentId,
    );
    await recordCardPosted(db, school.id, incidentId, posted.channel, posted.ts);
    await syncStatus(client, school, incidentId);
  }

  /**
   * The reporter's status DM brought up to date with the card, so a change that tells them nothing
   * (auto-close, resume, triage, reassign) still shows there. Best effort: the card is delivered,
   * and the next change tries again.
   */
  async function syncStatus(client: WebClient, school: SchoolRow, incidentId: string): Promise<void> {
    try {
      // Nothing when it already shows the fault as it stands (or shows a press's answer to that).
      const status = await loadReporterStatus(db, school.id, incidentId, school.timezone);
      if (!status) return;
      await client.chat.update({
        channel: status.place.channel,
        ts: status.place.postedId,
        ...reporterStatusView(status.incident, school.timezone),
      });
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
        { schoolId: school.id, incidentId, slackError: platformError(error) },
        "could not bring the reporter's status message up to date with the card",
      );
    }
  }

  /**
   * Posts once. When an earlier attempt may have posted already, looks for it first (by the
   * metadata every post carries) and returns that message instead.
   */
  async function postOnce(
    client: WebClient,
    row: OutboxRow,
    args: ChatPostMessageArguments & { channel: string },
    payload: Record<string, string | number> = {},
    matches: (payload: Record<string, unknown>) => boolean = (p) => Number(p.outbox_id) === row.id,
  ): Promise<{ channel: string; ts: string }> {
    if (row.inDoubt) {
      const earlier = await findPosted(client, row, args.channel, args.thread_ts, matches);
      if (earlier) {
        log.info(
          { schoolId: row.schoolId, outboxId: row.id },
          'an earlier attempt had posted this message; not posting it again',
        );
        return earlier;
      }
    }
    const posted = await client.chat.postMessage({
      ...args,
      metadata: { event_type: OUTBOX_EVENT, event_payload: { outbox_id: row.id, ...payload } },
    } as ChatPostMessageArguments);
    if (!posted.ts) throw new Error('chat.postMessage returned no ts');
    return { channel: posted.channel ?? args.channel, ts: posted.ts };
  }

  /**
   * The message an earlier attempt posted, from the channel's (or thread's) recent history: no
   * further back than the outbox row itself, at most a few pages. When Slack will not show the
   * history (a workspace installed before SPOC asked to read it), the message is posted, and
   * that is logged.
   */
  async function findPosted(
    client: WebClient,
    row: OutboxRow,
    channel: string,
    threadTs: string | undefined,
    matches: (payload: Record<string, unknown>) => boolean,
  ): Promise<{ channel: string; ts: string } | undefined> {
    try {
      let target = channel;
      // A DM is posted to the person; its history is read from the conversation with them.
      if (/^[UW][A-Z0-9]+$/.test(channel)) {
        const opened = await client.conversations.open({ users: channel });
        if (!opened.channel?.id) return undefined;
        target = opened.channel.id;
      }
      const oldest = String(Math.floor(row.createdAt.getTime() / 1000) - LOOKBACK_MARGIN_S);
      let cursor: string | undefined;
      for (let page = 0; page < LOOKUP_PAGES; page++) {
        const paging = { channel: target, oldest, limit: 200, include_all_metadata: true, cursor };
        const res = threadTs
          ? await client.conversations.replies({ ...paging, ts: threadTs })
          : await client.conversations.history(paging);
        for (const m of res.messages ?? []) {
          const meta = m.metadata as
            | { event_type?: string; event_payload?: Record<string, unknown> }
            | undefined;
          if (m.ts && meta?.event_type === OUTBOX_EVENT && meta.event_payload && matches(meta.event_payload))
            return { channel: target, ts: m.ts };
        }
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!res.has_more || !cursor) break;
      }
      return undefined;
    } catch (error) {
      const code = platformError(error);
      // Slack answered "no": reading is not possible, so the message is sent rather than held.
      if (code) {
        log.warn(
          { schoolId: row.schoolId, outboxId: row.id, slackError: code },
          'could not read the channel to check for an earlier post; posting (it may appear twice)',
        );
        return undefined;
      }
      // No answer: still in doubt, so try again later rather than risk a second post.
      throw error;
    }
  }

  async function thread(
    client: WebClient,
    row: OutboxRow,
    school: SchoolRow,
    incidentId: string,
    eventId: number,
  ): Promise<void> {
    const { incident, event, toWholeChannel } = modelOf(
      await loadThreadModel(db, school.id, incidentId, eventId),
    );
    if (!incident.cardTs || !incident.cardChannel)
      throw new DeliveryRetry('card not posted yet', { at: later(MINUTE), waiting: true });
    const text = incidentEventText(event);
    await postOnce(client, row, {
      channel: incident.cardChannel,
      thread_ts: incident.cardTs,
      text,
      reply_broadcast: toWholeChannel,
      unfurl_links: false,
    });
  }

  async function remind(
    client: WebClient,
    row: OutboxRow,
    school: SchoolRow,
    reminder: Reminder,
    briefingDay?: string,
  ): Promise<void> {
    if (!school.slackChannelId) {
      throw new DeliveryRetry('no SPOC channel yet (/spoc setup)', { at: later(10 * MINUTE), waiting: true });
    }
    const message = reminderView(modelOf(reminderModel(reminder)), school.timezone);
    // In the day's briefing's thread; on its own if that briefing could not be posted.
    const thread = briefingDay ? await briefingThread(db, school.id, briefingDay) : null;
    await postOnce(client, row, {
      channel: thread?.channel ?? school.slackChannelId,
      ...(thread ? { thread_ts: thread.postedId } : {}),
      ...message,
      unfurl_links: false,
    });
  }

  /** The day's briefing: posted once, then updated in place as later passes add to it. */
  async function brief(client: WebClient, row: OutboxRow, school: SchoolRow, day: string): Promise<void> {
    const { model, posted } = modelOf(await loadBriefingModel(db, school.id, day));
    const message = briefingView(model, school.timezone);
    if (posted) {
      try {
        await client.chat.update({ channel: posted.channel, ts: posted.postedId, ...message });
        return;
      } catch (error) {
        // Someone deleted it: post it again rather than lose what it says.
        if (platformError(error) !== 'message_not_found') throw error;
        log.warn({ schoolId: school.id, day }, 'the briefing was deleted; posting it again');
      }
    }
    if (!school.slackChannelId)
      throw new DeliveryRetry('no SPOC channel yet (/spoc setup)', { at: later(10 * MINUTE), waiting: true });
    // Found again by its day, whichever of the day's briefing messages posted it.
    const place = await postOnce(
      client,
      row,
      { channel: school.slackChannelId, ...message, unfurl_links: false },
      { briefing_day: day },
      (payload) => payload.briefing_day === day,
    );
    await recordBriefingPlace(db, school.id, day, { channel: place.channel, postedId: place.ts });
  }

  async function notify(
    client: WebClient,
    row: OutboxRow,
    school: SchoolRow,
    m: Extract<OutboxMessage, { type: 'person.notify' }>,
  ) {
    const model = modelOf(await loadNotifyModel(db, school.id, m));
    const { person, incident, note } = model;
    if (!person.slackUserId) throw new DeliveryRetry('person or incident not found', { permanent: true });
    try {
      if (model.status) {
        await statusStep(client, row, school, { ...model, slackUserId: person.slackUserId }, model.status);
        return;
      }
      const message = reporterNoticeView(m.event, incident, note);
      // Someone given an incident gets a link straight to its card.
      if ((m.event === 'assigned' || m.event === 'on_call') && incident.cardChannel && incident.cardTs) {
        const link = await permalink(client, incident.cardChannel, incident.cardTs, school.id);
        if (link)
          message.blocks.push({
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `<${link}|Open the card>` }],
          });
      }
      await postOnce(client, row, { channel: person.slackUserId, ...message, unfurl_links: false });
    } catch (error) {
      const code = platformError(error);
      if (code && UNREACHABLE_PERSON.includes(code))
        throw new DeliveryRetry(`cannot DM: ${code}`, { permanent: true });
      throw error;
    }
  }

  /**
   * A step of the reporter's own fault: their one status DM about it shows where it stands now
   * (posted at the first step, updated in place after; posted afresh if it was deleted), and the
   * step's own line goes in its thread. A thread reply tells nobody, so a step that asks
   * something of them, or ends the fault without a fix (`alert`), is also sent to the DM
   * (`reply_broadcast`). Each post is made once: a status DM is found again by its incident, a
   * thread line by its outbox row; an update is the same however often it is made.
   */
  async function statusStep(
    client: WebClient,
    row: OutboxRow,
    school: SchoolRow,
    model: NotifyModel & { slackUserId: string },
    status: ReporterStatus,
  ): Promise<void> {
    const { person, incident, event, note } = model;
    const message = reporterStatusView(incident, school.timezone);
    const shown = statusShown(incident, school.timezone);
    let place: StatusMessagePlace | null = status.place;
    // Still carrying a press's answer to the fault as it stands (a step delivered after the press,
    // about the state the press already shows): the step only adds its line to the thread.
    if (place && !carriesAnswer(status.place?.shown, shown)) {
      try {
        await client.chat.update({ channel: place.channel, ts: place.postedId, ...message });
        await recordStatusMessageShown(db, school.id, incident.id, person.id, shown, clock.now());
      } catch (error) {
        if (platformError(error) !== 'message_not_found') throw error;
        log.warn(
          { schoolId: school.id, incidentId: incident.id },
          "the reporter's status message was deleted; posting it again",
        );
        place = null;
      }
    }
    if (!place) {
      const posted = await postOnce(
        client,
        row,
        { channel: model.slackUserId, ...message, unfurl_links: false },
        { status_of: incident.id },
        (payload) => payload.status_of === incident.id,
      );
      place = { channel: posted.channel, postedId: posted.ts };
      await recordStatusMessagePlace(db, school.id, incident.id, person.id, { ...place, shown }, clock.now());
    }
    // The status message itself says it was reported.
    if (event === 'reported') return;
    await postOnce(
      client,
      row,
      {
        channel: place.channel,
        thread_ts: place.postedId,
        ...reporterStepView(event, incident, note),
        reply_broadcast: status.alert,
        unfurl_links: false,
      },
      { step_of: incident.id },
      // Not the status message, which heads the thread and may carry this row's id too.
      (payload) => Number(payload.outbox_id) === row.id && payload.step_of === incident.id,
    );
  }

  /**
   * The service's hours in the SPOC channel's topic, as the settings say now. Setting the same
   * topic again changes nothing, so a repeat is harmless. A workspace installed before SPOC asked
   * for the topic scopes cannot have it set: said once in the log, and not tried again.
   */
  async function topic(client: WebClient, school: SchoolRow): Promise<void> {
    if (!school.slackChannelId)
      throw new DeliveryRetry('no SPOC channel yet (/spoc setup)', { at: later(10 * MINUTE), waiting: true });
    try {
      await client.conversations.setTopic({
        channel: school.slackChannelId,
        topic: channelTopic(school, '/fault'),
      });
    } catch (error) {
      if (platformError(error) !== 'missing_scope') throw error;
      log.warn(
        { schoolId: school.id },
        "SPOC may not set the SPOC channel's topic (reinstall it to grant channels:write.topic)",
      );
      throw new DeliveryRetry('Slack: missing_scope for the channel topic', { permanent: true });
    }
  }

  /** A diary entry (planned downtime for a change) told to staff in the channel chosen. */
  async function announce(
    client: WebClient,
    row: OutboxRow,
    school: SchoolRow,
    diaryEntryId: string,
    channel: string,
  ) {
    const announcement = modelOf(await loadDiaryAnnouncementModel(db, school.id, diaryEntryId));
    await postOnce(client, row, { channel, ...diaryAnnounceView(announcement), unfurl_links: false });
  }

  /**
   * The chat message an incident was made from (a ticket by reaction): a ✅ on it (already there
   * is as good), and the reference in its thread, posted once. A message deleted meanwhile, or in
   * a conversation SPOC has left, cannot be marked: that is not worth retrying.
   */
  async function markSource(
    client: WebClient,
    row: OutboxRow,
    school: SchoolRow,
    m: Extract<OutboxMessage, { type: 'incident.source' }>,
  ): Promise<void> {
    const { incident, channel, ts } = modelOf(await loadTicketSourceModel(db, school.id, m.incidentId));
    try {
      await client.reactions.add({ channel, timestamp: ts, name: TICKET_DONE_EMOJI });
    } catch (error) {
      const code = platformError(error);
      if (code && GONE_MESSAGE.includes(code))
        throw new DeliveryRetry(`the message cannot be marked: ${code}`, { permanent: true });
      if (code !== 'already_reacted') throw error;
    }
    try {
      await postOnce(client, row, {
        channel,
        // A reply goes in its thread (a reply's own ts makes no thread of its own).
        thread_ts: m.threadTs ?? ts,
        ...ticketReplyView(incident),
        unfurl_links: false,
      });
    } catch (error) {
      const code = platformError(error);
      if (code === 'thread_not_found' || code === 'message_not_found')
        throw new DeliveryRetry(`the message's thread is gone: ${code}`, { permanent: true });
      throw error;
    }
  }

  /** The card's permalink, or undefined when Slack will not give one (the DM goes without it). */
  async function permalink(client: WebClient, channel: string, ts: string, schoolId: string) {
    try {
      const res = await client.chat.getPermalink({ channel, message_ts: ts });
      return res.permalink;
    } catch (error) {
      log.warn({ schoolId, slackError: platformError(error) }, 'no permalink for the incident card');
      return undefined;
    }
  }

  /** The escalation summary (or a chase) in the provider's own chat channel. */
  async function toProvider(
    client: WebClient,
    row: OutboxRow,
    school: SchoolRow,
    m: Extract<OutboxMessage, { type: 'provider.escalation' }>,
  ): Promise<void> {
    const { summary, chase } = modelOf(await loadProviderEscalationModel(db, school.id, m));
    const channel = summary.provider.chatChannel.trim();
    if (!isSlackChannelId(channel))
      throw new DeliveryRetry('the provider has no chat channel any more', { permanent: true });
    const message = providerChannelView(summary, chase);
    await postOnce(client, row, { channel, ...message, unfurl_links: false });
  }

  return {
    async deliver(row: OutboxRow): Promise<void> {
      const read = readOutboxMessage(row.message);
      if (!read.ok) throw new DeliveryRetry(read.reason, { permanent: true });
      const school = await loadDeliverySchool(db, row.schoolId);
      if (!school?.slackTeamId) throw new DeliveryRetry('school has no Slack workspace', { permanent: true });
      // Uninstalled (or its token revoked): the message waits, uncounted, until SPOC is installed
      // there again, which wakes it; looked at again daily all the same.
      if (school.slackUninstalledAt)
        throw new DeliveryRetry('SPOC is uninstalled from this workspace', {
          at: later(24 * 60 * MINUTE),
          waiting: true,
        });
      const client = await deps.clientFor(school.slackTeamId);
      if (!client)
        throw new DeliveryRetry('no Slack token for this workspace', {
          at: later(30 * MINUTE),
          waiting: true,
        });
      const m = read.message;
      try {
        if (m.type === 'incident.card') await card(client, row, school, m.incidentId);
        else if (m.type === 'incident.thread') await thread(client, row, school, m.incidentId, m.eventId);
        else if (m.type === 'reminder') await remind(client, row, school, m.reminder, m.briefing);
        else if (m.type === 'briefing') await brief(client, row, school, m.day);
        else if (m.type === 'provider.escalation') await toProvider(client, row, school, m);
        else if (m.type === 'diary.announce') await announce(client, row, school, m.diaryEntryId, m.channel);
        else if (m.type === 'incident.photos')
          await photos.thread(client, school, m.incidentId, (args) => postOnce(client, row, args));
        else if (m.type === 'photos.copy') await photos.copy(client, school, m.incidentId);
        else if (m.type === 'incident.source') await markSource(client, row, school, m);
        else if (m.type === 'channel.topic') await topic(client, school);
        else await notify(client, row, school, m);
      } catch (error) {
        throw classify(error, later, log, school.id);
      }
    },
  };
}

function platformError(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  return e?.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
}

/** Turns a Web API failure into when (or whether) to try again. */
function classify(error: unknown, later: (ms: number) => Date, log: Logger, schoolId: string): Error {
  if (error instanceof DeliveryRetry) return error;
  const e = error as { code?: string; retryAfter?: number; message?: string };
  if (e?.code === 'slack_webapi_rate_limited_error') {
    // A rate limit is Slack saying "not yet", not a failed attempt.
    return new DeliveryRetry(`rate limited for ${e.retryAfter}s`, {
      at: later(Math.max(e.retryAfter ?? 1, 1) * 1000),
      waiting: true,
    });
  }
  const code = platformError(error);
  if (code && ACCESS_ERRORS.includes(code)) {
    log.warn(
      { schoolId, slackError: code },
      'Slack refused access; the SPOC channel or install needs attention',
    );
    return new DeliveryRetry(`Slack: ${code}`, { at: later(30 * MINUTE), waiting: true });
  }
  if (code) {
    return new DeliveryRetry(`Slack: ${code}`, {
      permanent: code === 'invalid_blocks' || code === 'msg_too_long',
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
