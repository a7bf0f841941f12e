/**
 * A fake Slack Web API on loopback, reached through SLACK_API_URL the way a real deployment
 * reaches slack.com. It records every call and answers like Slack does for the methods SPOC uses,
 * including message metadata and channel history. It can be made slow: a post is stored at once
 * and answered late, as when Slack is slow or the connection drops before the answer arrives.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
}

export interface FakeMessage {
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface FakeSlack {
  /** Base URL to put in SLACK_API_URL. */
  apiUrl: string;
  calls: FakeCall[];
  /** Messages per channel (top level and thread), as Slack would hold them now. */
  messages: Map<string, FakeMessage[]>;
  /** Every answer waits this long (the work itself is done at once); 0 answers at once. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/** Keys whose form-encoded value is JSON, as the Web API client sends them. */
const JSON_ARGS = ['blocks', 'view', 'metadata'];

export interface FakeSlackOptions {
  /** The workspace the bot token belongs to, as `auth.test` says. */
  teamId?: string;
  /**
   * What `apps.connections.open` (Socket Mode) answers: this WebSocket URL, asked at each call;
   * with none, Slack's error for an app that cannot open a socket.
   */
  socketUrl?: string | (() => string | undefined);
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: FakeCall[] = [];
  const messages: FakeSlack['messages'] = new Map();
  let delayMs = 0;
  let seq = 100;
  // Real time, as Slack's are: a lookback bounded by time finds what was posted in this run.
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(seq++).padStart(6, '0')}`;

  function handle(method: string, args: Record<string, unknown>): object {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          team_id: options.teamId ?? 'T0FAKE0001',
          user_id: 'UBOT',
          bot_id: 'BBOT',
          team: 'Fake',
          user: 'spoc',
        };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { ok: true, view: { id: 'V0FAKE0001', ...(args.view as object) } };
      case 'chat.postMessage': {
        const channel = String(args.channel);
        const ts = nextTs();
        const list = messages.get(channel) ?? [];
        list.push({
          ts,
          text: String(args.text ?? ''),
          blocks: args.blocks,
          ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          ...(args.metadata ? { metadata: args.metadata as FakeMessage['metadata'] } : {}),
        });
        messages.set(channel, list);
        return { ok: true, channel, ts, message: { text: args.text } };
      }
      case 'chat.update': {
        const found = messages.get(String(args.channel))?.find((m) => m.ts === args.ts);
        if (!found) return { ok: false, error: 'message_not_found' };
        found.text = String(args.text ?? '');
        found.blocks = args.blocks;
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'chat.getPermalink':
        return { ok: true, permalink: `https://fake.slack.com/archives/${args.channel}/p${args.message_ts}` };
      // A DM is stored under the user's id, so the "opened" conversation is that id.
      case 'conversations.open':
        return { ok: true, channel: { id: String(args.users) } };
      case 'conversations.history': {
        const all = (messages.get(String(args.channel)) ?? []).filter(
          (m) => !m.thread_ts || m.thread_ts === m.ts,
        );
        return page(
          all.toReversed().filter((m) => inWindow(m.ts, args)),
          args,
        );
      }
      case 'conversations.replies': {
        const all = (messages.get(String(args.channel)) ?? []).filter(
          (m) => m.ts === args.ts || m.thread_ts === args.ts,
        );
        if (all.length === 0) return { ok: false, error: 'thread_not_found' };
        return page(
          all.filter((m) => inWindow(m.ts, args)),
          args,
        );
      }
      case 'conversations.setTopic':
        return {
          ok: true,
          channel: { id: String(args.channel), topic: { value: String(args.topic ?? '') } },
        };
      case 'apps.connections.open': {
        const url = typeof options.socketUrl === 'function' ? options.socketUrl() : options.socketUrl;
        return url ? { ok: true, url } : { ok: false, error: 'not_allowed_token_type' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const args: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
      for (const key of JSON_ARGS)
        if (typeof args[key] === 'string') args[key] = JSON.parse(args[key] as string);
      calls.push({ method, token: req.headers.authorization?.replace(/^Bearer /, ''), args });
      const body = JSON.stringify(handle(method, args));
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    messages,
    setDelay(ms) {
      delayMs = ms;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function inWindow(ts: string, args: Record<string, unknown>): boolean {
  const n = Number(ts);
  if (args.oldest !== undefined && n < Number(args.oldest)) return false;
  if (args.latest !== undefined && n > Number(args.latest)) return false;
  return true;
}

/** Slack's cursor paging; metadata only when asked for (`include_all_metadata`). */
function page(list: FakeMessage[], args: Record<string, unknown>): object {
  const start = args.cursor ? Number(args.cursor) : 0;
  const limit = args.limit ? Number(args.limit) : 100;
  const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
  const slice = list.slice(start, start + limit).map(({ metadata, ...m }) => ({
    type: 'message',
    bot_id: 'BBOT',
    ...m,
    ...(withMeta && metadata ? { metadata } : {}),
  }));
  const more = start + limit < list.length;
  return {
    ok: true,
    messages: slice,
    has_more: more,
    response_metadata: { next_cursor: more ? String(start + limit) : '' },
  };
}
