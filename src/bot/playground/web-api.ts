/**
 * The playground's fake Slack Web API (`/api/<method>`): the app's WebClient reaches it through
 * SLACK_API_URL and it answers like Slack does — `{ ok: true, … }` or `{ ok: false, error }` —
 * recording what was sent into the workspace model. Only the methods SPOC uses are known; any
 * other is refused with `unknown_method` and reported on the page, so a new call is never lost
 * silently.
 */
import type { Logger } from '../../log';
import type { MessageMetadata, StoredChannel, StoredFile, StoredMessage, Workspace } from './workspace';

export type ApiArgs = Record<string, unknown>;
export type ApiReply = Record<string, unknown> & { ok: boolean };

/** Fields the WebClient sends JSON-encoded inside a form post. */
const JSON_FIELDS = ['blocks', 'view', 'attachments', 'files', 'metadata'];

/** Parses a Web API request body, form-encoded (the WebClient's way) or JSON. */
export function parseApiBody(raw: string, contentType: string | undefined): ApiArgs {
  let args: ApiArgs;
  if ((contentType ?? '').includes('application/json')) {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    args = parsed && typeof parsed === 'object' ? { ...(parsed as ApiArgs) } : {};
  } else {
    args = Object.fromEntries(new URLSearchParams(raw));
  }
  for (const key of JSON_FIELDS) {
    const value = args[key];
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        args[key] = JSON.parse(value);
      } catch {
        // Left as text: the method below refuses it as Slack would.
      }
    }
  }
  return args;
}

export interface WebApiContext {
  workspace: Workspace;
  botToken: string;
  /** Base URL of the playground (for permalinks and upload URLs). */
  baseUrl: string;
  log: Logger;
  /** A line the page shows in its activity log. */
  report(level: 'info' | 'warn' | 'error', text: string): void;
}

const fail = (error: string, extra: object = {}): ApiReply => ({ ok: false, error, ...extra });
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const bool = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;

/** Slack's limits that a real workspace would enforce: a view the app builds too big is refused. */
function checkBlocks(blocks: unknown, max: number): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'blocks must be an array';
  if (blocks.length > max) return `no more than ${max} items allowed [json-pointer:/blocks]`;
  for (const [i, b] of blocks.entries()) {
    if (!b || typeof b !== 'object' || typeof (b as { type?: unknown }).type !== 'string')
      return `missing required field: type [json-pointer:/blocks/${i}]`;
  }
  return undefined;
}

function checkView(view: unknown): { view?: Record<string, unknown>; problem?: string } {
  if (!view || typeof view !== 'object') return { problem: 'view is not a JSON object' };
  const v = view as Record<string, unknown>;
  if (v.type !== 'modal' && v.type !== 'home') return { problem: 'view type must be modal or home' };
  const blocks = checkBlocks(v.blocks, 100);
  if (blocks) return { problem: blocks };
  if (v.type === 'modal') {
    const title = (v.title as { text?: unknown } | undefined)?.text;
    if (typeof title !== 'string' || title.length === 0) return { problem: 'a modal needs a title' };
    if (title.length > 24)
      return { problem: 'must be less than 25 characters [json-pointer:/view/title/text]' };
  }
  if (typeof v.private_metadata === 'string' && v.private_metadata.length > 3000)
    return { problem: 'must be less than 3001 characters [json-pointer:/view/private_metadata]' };
  return { view: v };
}

/**
 * `chat.postMessage`'s `metadata`, as Slack takes it: an object with a string `event_type` and an
 * object `event_payload` (a JSON string in a form post, already parsed by parseApiBody).
 */
function checkMetadata(value: unknown): { metadata?: MessageMetadata; error?: string } {
  if (value === undefined || value === '') return {};
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { error: 'invalid_metadata_format' };
  const { event_type, event_payload } = value as Record<string, unknown>;
  if (typeof event_type !== 'string' || event_type === '') return { error: 'invalid_metadata_schema' };
  if (!event_payload || typeof event_payload !== 'object' || Array.isArray(event_payload))
    return { error: 'invalid_metadata_schema' };
  return { metadata: { event_type, event_payload: event_payload as Record<string, unknown> } };
}

/** A message timestamp in microseconds, for ordering and ranges; undefined when it is not one. */
function tsMicros(ts: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts.trim());
  if (!m) return undefined;
  return BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

/**
 * The `oldest`/`latest`/`inclusive` window of conversations.history and .replies: messages after
 * `oldest` and before `latest`, the ends included only with `inclusive`.
 */
function timeWindow(args: ApiArgs): ((ts: string) => boolean) | { error: string } {
  const bound = (name: 'oldest' | 'latest') => {
    const raw = str(args[name]);
    if (raw === undefined || raw === '') return { value: undefined };
    const value = tsMicros(raw);
    return value === undefined ? { error: `invalid_ts_${name}` } : { value };
  };
  const oldest = bound('oldest');
  const latest = bound('latest');
  if ('error' in oldest) return { error: oldest.error as string };
  if ('error' in latest) return { error: latest.error as string };
  const inclusive = bool(args.inclusive);
  return (ts) => {
    const t = tsMicros(ts) ?? 0n;
    if (oldest.value !== undefined && (inclusive ? t < oldest.value : t <= oldest.value)) return false;
    if (latest.value !== undefined && (inclusive ? t > latest.value : t >= latest.value)) return false;
    return true;
  };
}

/** Slack's page cursors are opaque base64; the playground's say where the next page starts. */
const cursorFor = (ts: string) => Buffer.from(`next_ts:${ts}`).toString('base64');
function cursorStart(args: ApiArgs): { ts?: string; error?: string } {
  const cursor = str(args.cursor);
  if (!cursor) return {};
  const m = /^next_ts:(\d+\.\d{6})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m ? { ts: m[1] } : { error: 'invalid_cursor' };
}

/** One page of `list` (already in the order Slack returns it) from the cursor, `limit` long. */
function page(
  args: ApiArgs,
  list: StoredMessage[],
  max: number,
): { messages: StoredMessage[]; next?: string } | { error: string } {
  const start = cursorStart(args);
  if (start.error) return { error: start.error };
  let from = 0;
  if (start.ts !== undefined) {
    from = list.findIndex((m) => m.ts === start.ts);
    if (from < 0) return { error: 'invalid_cursor' };
  }
  const asked = Number(str(args.limit));
  const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, max) : Math.min(100, max);
  const messages = list.slice(from, from + limit);
  const next = list[from + limit];
  return next ? { messages, next: next.ts } : { messages };
}

interface MessageOutOptions {
  /** Only with `include_all_metadata` (history, replies) or for the app's own post. */
  metadata?: boolean;
  /** The conversation, to say how many replies a thread's parent has. */
  channel?: StoredChannel;
}

function messageOut(
  ws: Workspace,
  m: StoredMessage,
  options: MessageOutOptions = {},
): Record<string, unknown> {
  const replies = options.channel
    ? options.channel.messages.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts)
    : [];
  const isReply = m.thread_ts !== undefined && m.thread_ts !== m.ts;
  return {
    type: 'message',
    ...(isReply && m.reply_broadcast ? { subtype: 'thread_broadcast' } : {}),
    user: m.user,
    ...(m.bot_id ? { bot_id: m.bot_id, app_id: ws.identity.appId } : {}),
    ts: m.ts,
    text: m.text,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(replies.length > 0
      ? {
          thread_ts: m.ts,
          reply_count: replies.length,
          reply_users_count: new Set(replies.map((r) => r.user)).size,
          latest_reply: replies.at(-1)!.ts,
          reply_users: [...new Set(replies.map((r) => r.user))],
        }
      : {}),
    ...(options.metadata && m.metadata ? { metadata: m.metadata } : {}),
    ...(m.reactions?.length
      ? { reactions: m.reactions.map((r) => ({ name: r.name, users: r.users, count: r.users.length })) }
      : {}),
    team: ws.identity.teamId,
  };
}

export function fileOut(ctx: WebApiContext, f: StoredFile): Record<string, unknown> {
  const url = `${ctx.baseUrl}/play/files/${f.id}/${encodeURIComponent(f.name)}`;
  return {
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.name,
    title: f.title,
    mimetype: f.mimetype,
    filetype: f.filetype,
    pretty_type: f.filetype.toUpperCase(),
    user: f.user,
    size: f.size,
    mode: 'hosted',
    is_external: false,
    is_public: false,
    url_private: url,
    url_private_download: `${url}?download=1`,
    permalink: url,
  };
}

/** Answers one Web API call. */
export function callWebApi(
  ctx: WebApiContext,
  method: string,
  args: ApiArgs,
  token: string | undefined,
): ApiReply {
  const ws = ctx.workspace;
  const bot = ws.identity;
  if (!token) return fail('not_authed');
  if (token !== ctx.botToken) return fail('invalid_auth');

  const asBot = (channel: StoredChannel, fields: Omit<StoredMessage, 'ts' | 'user'>) =>
    ws.post(channel, { user: bot.botUserId, bot_id: bot.botId, ...fields });

  switch (method) {
    case 'api.test':
      return { ok: true, args };
    case 'auth.test':
      return {
        ok: true,
        url: `${ctx.baseUrl}/`,
        team: bot.teamName,
        user: 'spoc',
        team_id: bot.teamId,
        user_id: bot.botUserId,
        bot_id: bot.botId,
        is_enterprise_install: false,
      };
    case 'chat.postMessage': {
      const channel = ws.resolveChannel(str(args.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      const text = str(args.text) ?? '';
      if (!text && !args.blocks) return fail('no_text');
      const problem = checkBlocks(args.blocks, 50);
      if (problem) return fail('invalid_blocks', { errors: [problem] });
      const { metadata, error: metadataError } = checkMetadata(args.metadata);
      if (metadataError) return fail(metadataError);
      const threadTs = str(args.thread_ts);
      if (threadTs && !ws.findMessage(channel.id, threadTs)) return fail('thread_not_found');
      const posted = asBot(channel, {
        text,
        ...(args.blocks ? { blocks: args.blocks as unknown[] } : {}),
        ...(threadTs ? { thread_ts: threadTs, reply_broadcast: bool(args.reply_broadcast) } : {}),
        ...(metadata ? { metadata } : {}),
      });
      return {
        ok: true,
        channel: channel.id,
        ts: posted.ts,
        message: messageOut(ws, posted, { metadata: true }),
      };
    }
    case 'chat.update': {
      const channelId = ws.resolveChannel(str(args.channel) ?? '')?.id ?? '';
      const ts = str(args.ts) ?? '';
      const found = ws.findMessage(channelId, ts);
      if (!found) return fail('message_not_found');
      if (found.user !== bot.botUserId) return fail('cant_update_message');
      const problem = checkBlocks(args.blocks, 50);
      if (problem) return fail('invalid_blocks', { errors: [problem] });
      const updated = ws.update(channelId, ts, {
        text: str(args.text) ?? found.text,
        blocks:
          (args.blocks as unknown[] | undefined) ?? (args.text !== undefined ? undefined : found.blocks),
      });
      return {
        ok: true,
        channel: channelId,
        ts,
        text: updated?.text,
        message: updated && messageOut(ws, updated),
      };
    }
    case 'chat.delete': {
      const channelId = ws.resolveChannel(str(args.channel) ?? '')?.id ?? '';
      const ts = str(args.ts) ?? '';
      return ws.remove(channelId, ts) ? { ok: true, channel: channelId, ts } : fail('message_not_found');
    }
    case 'chat.postEphemeral': {
      const channel = ws.resolveChannel(str(args.channel) ?? '');
      const user = str(args.user);
      if (!channel) return fail('channel_not_found');
      if (!user) return fail('user_not_found');
      const posted = ws.postEphemeral(user, {
        channel: channel.id,
        text: str(args.text) ?? '',
        ...(args.blocks ? { blocks: args.blocks as unknown[] } : {}),
        ...(str(args.thread_ts) ? { thread_ts: str(args.thread_ts) } : {}),
      });
      return { ok: true, message_ts: posted.ts };
    }
    case 'reactions.add': {
      const channelId = ws.resolveChannel(str(args.channel) ?? '')?.id ?? '';
      const name = str(args.name);
      if (!name) return fail('invalid_name');
      const added = ws.react(channelId, str(args.timestamp) ?? '', bot.botUserId, name);
      if (added === 'missing') return fail('message_not_found');
      return added === 'already' ? fail('already_reacted') : { ok: true };
    }
    case 'chat.getPermalink': {
      const channelId = str(args.channel) ?? '';
      const ts = str(args.message_ts) ?? '';
      if (!ws.findMessage(channelId, ts)) return fail('message_not_found');
      return {
        ok: true,
        channel: channelId,
        permalink: `${ctx.baseUrl}/#msg=${channelId}/${ts}`,
      };
    }
    case 'conversations.open': {
      const users = (str(args.users) ?? '').split(',').filter(Boolean);
      const [user] = users;
      if (!user || users.length > 1)
        return fail(users.length > 1 ? 'not_supported' : 'users_list_not_supplied');
      const dm = ws.dmOf(user);
      return { ok: true, channel: { id: dm.id } };
    }
    case 'conversations.history': {
      // Top-level messages (and replies also sent to the channel), newest first.
      const channel = ws.channels.get(str(args.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      const within = timeWindow(args);
      if (typeof within !== 'function') return fail(within.error);
      const topLevel = channel.messages
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast)
        .filter((m) => within(m.ts))
        .reverse();
      const found = page(args, topLevel, 999);
      if ('error' in found) return fail(found.error);
      const metadata = bool(args.include_all_metadata);
      return {
        ok: true,
        messages: found.messages.map((m) => messageOut(ws, m, { metadata, channel })),
        has_more: found.next !== undefined,
        pin_count: 0,
        response_metadata: { next_cursor: found.next ? cursorFor(found.next) : '' },
      };
    }
    case 'conversations.replies': {
      // The thread's parent, then its replies oldest first (a reply's ts: that reply alone).
      const channel = ws.channels.get(str(args.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      const ts = str(args.ts) ?? '';
      const parent = ws.findMessage(channel.id, ts);
      if (!parent) return fail('thread_not_found');
      const within = timeWindow(args);
      if (typeof within !== 'function') return fail(within.error);
      const isReply = parent.thread_ts !== undefined && parent.thread_ts !== parent.ts;
      const thread = isReply
        ? [parent]
        : [parent, ...channel.messages.filter((m) => m.thread_ts === ts && m.ts !== ts)].filter((m) =>
            within(m.ts),
          );
      const found = page(args, thread, 1000);
      if ('error' in found) return fail(found.error);
      const metadata = bool(args.include_all_metadata);
      return {
        ok: true,
        messages: found.messages.map((m) => messageOut(ws, m, { metadata, channel })),
        has_more: found.next !== undefined,
        response_metadata: { next_cursor: found.next ? cursorFor(found.next) : '' },
      };
    }
    case 'conversations.info': {
      const channel = ws.channels.get(str(args.channel) ?? '');
      if (!channel) return fail('channel_not_found');
      return {
        ok: true,
        channel: {
          id: channel.id,
          name: channel.name,
          is_channel: channel.kind === 'channel',
          is_im: channel.kind === 'im',
        },
      };
    }
    case 'conversations.setTopic': {
      const channel = ws.channels.get(str(args.channel) ?? '');
      if (channel?.kind !== 'channel') return fail('channel_not_found');
      const topic = str(args.topic) ?? '';
      if (topic.length > 250) return fail('too_long');
      channel.topic = topic;
      return { ok: true, channel: { id: channel.id, name: channel.name, topic: { value: topic } } };
    }
    case 'team.info': {
      const team = str(args.team);
      if (team && team !== bot.teamId) return fail('team_not_found');
      return { ok: true, team: { id: bot.teamId, name: bot.teamName, domain: bot.teamDomain } };
    }
    case 'users.info': {
      const id = str(args.user) ?? '';
      const person = ws.people.find((p) => p.id === id);
      if (!person && id !== bot.botUserId) return fail('user_not_found');
      const name = ws.nameOf(id);
      return {
        ok: true,
        user: {
          id,
          team_id: bot.teamId,
          name,
          real_name: name,
          is_bot: id === bot.botUserId,
          tz: 'Europe/London',
          profile: { real_name: name, display_name: name },
        },
      };
    }
    case 'views.open':
    case 'views.push': {
      const triggerId = str(args.trigger_id);
      const user = triggerId ? ws.triggers.get(triggerId) : undefined;
      if (!user) return fail('invalid_trigger_id');
      const { view, problem } = checkView(args.view);
      if (!view)
        return fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${problem}`] } });
      if (method === 'views.push' && ws.stackOf(user).length >= 3) return fail('push_limit_reached');
      const stored = method === 'views.open' ? ws.openModal(user, view) : ws.pushModal(user, view);
      return { ok: true, view: ws.viewPayload(stored) };
    }
    case 'views.update': {
      const stored = ws.findView({ viewId: str(args.view_id), externalId: str(args.external_id) });
      if (!stored) return fail('not_found');
      const hash = str(args.hash);
      if (hash && hash !== stored.hash) return fail('hash_conflict');
      const { view, problem } = checkView(args.view);
      if (!view)
        return fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${problem}`] } });
      return { ok: true, view: ws.viewPayload(ws.replaceView(stored, view)) };
    }
    case 'views.publish': {
      const user = str(args.user_id);
      if (!user) return fail('invalid_arguments');
      const { view, problem } = checkView(args.view);
      if (view?.type !== 'home')
        return fail('invalid_arguments', {
          response_metadata: { messages: [`[ERROR] ${problem ?? 'not a home view'}`] },
        });
      const hash = str(args.hash);
      const existing = ws.homes.get(user);
      if (hash && existing && hash !== existing.hash) return fail('hash_conflict');
      return { ok: true, view: ws.viewPayload(ws.publishHome(user, view)) };
    }
    case 'files.getUploadURLExternal': {
      const filename = str(args.filename);
      const length = Number(args.length);
      if (!filename) return fail('invalid_arguments');
      if (!Number.isFinite(length) || length < 0) return fail('invalid_arguments');
      const file = ws.newFile(filename, length, bot.botUserId);
      return { ok: true, upload_url: `${ctx.baseUrl}/play/upload/${file.id}`, file_id: file.id };
    }
    case 'files.completeUploadExternal': {
      const files = Array.isArray(args.files) ? (args.files as Array<{ id?: string; title?: string }>) : [];
      if (files.length === 0) return fail('invalid_arguments');
      const stored: StoredFile[] = [];
      for (const f of files) {
        const file = f.id ? ws.files.get(f.id) : undefined;
        if (!file?.uploaded) return fail('file_not_found');
        if (f.title) file.title = f.title;
        stored.push(file);
      }
      const channelRef = str(args.channel_id) ?? str(args.channels);
      if (channelRef) {
        const channel = ws.resolveChannel(channelRef);
        if (!channel) return fail('channel_not_found');
        const threadTs = str(args.thread_ts);
        asBot(channel, {
          text: str(args.initial_comment) ?? '',
          files: stored.map((f) => f.id),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
      }
      return { ok: true, files: stored.map((f) => fileOut(ctx, f)) };
    }
    case 'files.info': {
      const file = ws.files.get(str(args.file) ?? '');
      if (!file) return fail('file_not_found');
      return { ok: true, file: fileOut(ctx, file) };
    }
    default:
      ctx.report('warn', `The app called a Web API method the playground does not know: ${method}`);
      ctx.log.warn({ method }, 'playground: unknown Web API method');
      return fail('unknown_method');
  }
}
