/**
 * A fake Slack Web API on loopback, reached through SLACK_API_URL the way a real deployment
 * reaches slack.com. It records every call and answers like Slack does for the methods SPOC uses.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
}

export interface FakeSlack {
  /** Base URL to put in SLACK_API_URL. */
  apiUrl: string;
  calls: FakeCall[];
  /** Messages per channel (top level and thread), as Slack would hold them now. */
  messages: Map<string, Array<{ ts: string; thread_ts?: string; text: string; blocks?: unknown }>>;
  close(): Promise<void>;
}

/** `teamId`: the workspace the bot token belongs to, as `auth.test` says. */
export async function startFakeSlack(options: { teamId?: string } = {}): Promise<FakeSlack> {
  const calls: FakeCall[] = [];
  const messages: FakeSlack['messages'] = new Map();
  let seq = 100;
  const nextTs = () => `1764494${String(seq++).padStart(3, '0')}.000100`;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const args: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
      for (const key of ['blocks', 'view'])
        if (typeof args[key] === 'string') args[key] = JSON.parse(args[key] as string);
      calls.push({ method, token: req.headers.authorization?.replace(/^Bearer /, ''), args });
      const reply = (body: object) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      switch (method) {
        case 'auth.test':
          return reply({
            ok: true,
            team_id: options.teamId ?? 'T0FAKE0001',
            user_id: 'UBOT',
            bot_id: 'BBOT',
            team: 'Fake',
            user: 'spoc',
          });
        case 'views.open':
        case 'views.publish':
        case 'views.update':
          return reply({ ok: true, view: { id: 'V0FAKE0001', ...(args.view as object) } });
        case 'chat.postMessage': {
          const channel = String(args.channel);
          const ts = nextTs();
          const list = messages.get(channel) ?? [];
          list.push({
            ts,
            text: String(args.text ?? ''),
            blocks: args.blocks,
            ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          });
          messages.set(channel, list);
          return reply({ ok: true, channel, ts, message: { text: args.text } });
        }
        case 'chat.update': {
          const found = messages.get(String(args.channel))?.find((m) => m.ts === args.ts);
          if (!found) return reply({ ok: false, error: 'message_not_found' });
          found.text = String(args.text ?? '');
          found.blocks = args.blocks;
          return reply({ ok: true, channel: args.channel, ts: args.ts });
        }
        default:
          return reply({ ok: false, error: 'unknown_method' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
