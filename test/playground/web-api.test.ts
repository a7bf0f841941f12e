/**
 * The playground's fake Web API keeps what SPOC needs to find a message again after a send whose
 * outcome it did not learn: `chat.postMessage` keeps the message's `metadata`, and
 * `conversations.history`, `conversations.replies` and `conversations.open` answer in Slack's
 * shapes (newest first; a thread oldest first; metadata only with `include_all_metadata`; a DM's
 * id the same whether opened or posted to by user id). Driven with Slack's own WebClient against
 * the running playground, as the app reaches it through SLACK_API_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiBody } from '../../src/bot/playground/web-api';
import { parseConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';

const PATEL = 'U0PLAYTEACH';
const STAFF = 'C0PLAYSTAF';

let spoc: RunningSpoc;
let dataDir: string | undefined;
let pg: TestDatabase | undefined;
let slack: WebClient;

interface Listed {
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  thread_ts?: string;
  reply_count?: number;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}
interface Page {
  ok: boolean;
  messages: Listed[];
  has_more: boolean;
  response_metadata: { next_cursor: string };
}

beforeAll(async () => {
  const env: Record<string, string> = { PORT: '0', SPOC_WORKER: 'off' };
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'spoc-playground-api-'));
    env.SPOC_DATA_DIR = dataDir;
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  spoc = await startSpoc(parsed.config, { log: silentLogger });
  const mode = spoc.playground!.slackMode;
  slack = new WebClient(mode.botToken, { slackApiUrl: mode.apiUrl, retryConfig: { retries: 0 } });
}, 60_000);

afterAll(async () => {
  await spoc?.stop();
  await pg?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A channel of its own for each test (the playground makes a C… channel when first named). */
let channels = 0;
async function freshChannel(): Promise<string> {
  const id = `C0APITEST${++channels}`;
  await slack.chat.postMessage({ channel: id, text: 'channel opened' });
  return id;
}

const tag = (outboxId: string) => ({ event_type: 'spoc_outbox', event_payload: { outbox_id: outboxId } });

describe('chat.postMessage with metadata', () => {
  it('keeps it on the message (sent JSON-encoded in a form post, as the WebClient does)', async () => {
    const channel = await freshChannel();
    const posted = await slack.chat.postMessage({ channel, text: 'card', metadata: tag('o-1') });
    expect(posted.message?.metadata).toEqual(tag('o-1'));
    const stored = spoc.playground!.workspace.findMessage(channel, posted.ts!);
    expect(stored?.metadata).toEqual(tag('o-1'));
  });

  it('takes it as an object in a JSON body too', () => {
    const args = parseApiBody(
      JSON.stringify({ channel: 'C1', text: 'x', metadata: tag('o-2') }),
      'application/json; charset=utf-8',
    );
    expect(args.metadata).toEqual(tag('o-2'));
    const form = parseApiBody(
      new URLSearchParams({ channel: 'C1', text: 'x', metadata: JSON.stringify(tag('o-3')) }).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(form.metadata).toEqual(tag('o-3'));
  });

  it('refuses metadata without an event type or payload, as Slack does, and posts nothing', async () => {
    const channel = await freshChannel();
    const before = spoc.playground!.workspace.channels.get(channel)!.messages.length;
    await expect(
      slack.chat.postMessage({
        channel,
        text: 'x',
        metadata: { event_payload: {} } as unknown as ReturnType<typeof tag>,
      }),
    ).rejects.toMatchObject({ data: { ok: false, error: 'invalid_metadata_schema' } });
    await expect(
      slack.apiCall('chat.postMessage', { channel, text: 'x', metadata: 'not json' }),
    ).rejects.toMatchObject({ data: { error: 'invalid_metadata_format' } });
    expect(spoc.playground!.workspace.channels.get(channel)!.messages).toHaveLength(before);
  });
});

describe('conversations.history', () => {
  it('lists top-level messages newest first, with metadata only when include_all_metadata is set', async () => {
    const channel = await freshChannel();
    const first = await slack.chat.postMessage({ channel, text: 'first', metadata: tag('o-a') });
    await slack.chat.postMessage({
      channel,
      text: 'in the thread',
      thread_ts: first.ts!,
      metadata: tag('o-b'),
    });
    const last = await slack.chat.postMessage({ channel, text: 'last' });

    const plain = (await slack.conversations.history({ channel })) as unknown as Page;
    expect(plain.ok).toBe(true);
    expect(plain.messages.map((m) => m.text)).toEqual(['last', 'first', 'channel opened']);
    expect(plain.messages.some((m) => 'metadata' in m)).toBe(false);
    expect(plain.has_more).toBe(false);
    expect(plain.response_metadata.next_cursor).toBe('');
    // The thread's parent says so; the bot's messages carry its user and bot id.
    expect(plain.messages[1]).toMatchObject({
      type: 'message',
      ts: first.ts,
      thread_ts: first.ts,
      reply_count: 1,
      user: 'U0PLAYBOT',
      bot_id: 'B0PLAYBOT',
    });
    expect(plain.messages[0]!.ts).toBe(last.ts);
    expect(plain.messages[0]).not.toHaveProperty('reply_count');

    const withMetadata = (await slack.conversations.history({
      channel,
      include_all_metadata: true,
    })) as unknown as Page;
    expect(withMetadata.messages[1]!.metadata).toEqual(tag('o-a'));
    expect(withMetadata.messages[0]).not.toHaveProperty('metadata');
  });

  it('pages with limit and cursor, and keeps to oldest and latest (their ends only when inclusive)', async () => {
    const channel = await freshChannel();
    const ts: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) ts.push((await slack.chat.postMessage({ channel, text: `m${n}` })).ts!);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = (await slack.conversations.history({
        channel,
        oldest: ts[0],
        limit: 2,
        ...(cursor ? { cursor } : {}),
      })) as unknown as Page;
      pages++;
      seen.push(...page.messages.map((m) => m.text));
      expect(page.has_more).toBe(page.response_metadata.next_cursor !== '');
      cursor = page.response_metadata.next_cursor || undefined;
    } while (cursor);
    expect(seen).toEqual(['m5', 'm4', 'm3', 'm2']);
    expect(pages).toBe(2);

    const inclusive = (await slack.conversations.history({
      channel,
      oldest: ts[1],
      latest: ts[3],
      inclusive: true,
    })) as unknown as Page;
    expect(inclusive.messages.map((m) => m.text)).toEqual(['m4', 'm3', 'm2']);
    const exclusive = (await slack.conversations.history({
      channel,
      oldest: ts[1],
      latest: ts[3],
    })) as unknown as Page;
    expect(exclusive.messages.map((m) => m.text)).toEqual(['m3']);

    await expect(slack.conversations.history({ channel, cursor: 'bm9wZQ==' })).rejects.toMatchObject({
      data: { error: 'invalid_cursor' },
    });
    await expect(slack.conversations.history({ channel: 'C0NOSUCH' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });

  it('finds a DM by the id conversations.open gives, posted to by the person’s user id', async () => {
    const opened = (await slack.conversations.open({ users: PATEL })) as unknown as {
      ok: boolean;
      channel: { id: string };
    };
    expect(opened.ok).toBe(true);
    const posted = await slack.chat.postMessage({
      channel: PATEL,
      text: 'your fault is logged',
      metadata: tag('o-dm'),
    });
    expect(posted.channel).toBe(opened.channel.id);

    const history = (await slack.conversations.history({
      channel: opened.channel.id,
      include_all_metadata: true,
      limit: 5,
    })) as unknown as Page;
    expect(history.messages[0]).toMatchObject({ ts: posted.ts, metadata: tag('o-dm') });
  });
});

describe('conversations.replies', () => {
  it('gives the parent, then its replies oldest first, with metadata only when asked', async () => {
    const parent = await slack.chat.postMessage({ channel: STAFF, text: 'parent', metadata: tag('o-p') });
    await slack.chat.postMessage({ channel: STAFF, text: 'elsewhere' });
    await slack.chat.postMessage({
      channel: STAFF,
      text: 'r1',
      thread_ts: parent.ts!,
      metadata: tag('o-r1'),
    });
    const r2 = await slack.chat.postMessage({ channel: STAFF, text: 'r2', thread_ts: parent.ts! });

    const thread = (await slack.conversations.replies({ channel: STAFF, ts: parent.ts! })) as unknown as Page;
    expect(thread.messages.map((m) => m.text)).toEqual(['parent', 'r1', 'r2']);
    expect(thread.messages[0]).toMatchObject({ ts: parent.ts, thread_ts: parent.ts, reply_count: 2 });
    expect(thread.messages[2]).toMatchObject({ ts: r2.ts, thread_ts: parent.ts });
    expect(thread.messages.some((m) => 'metadata' in m)).toBe(false);

    const tagged = (await slack.conversations.replies({
      channel: STAFF,
      ts: parent.ts!,
      include_all_metadata: true,
    })) as unknown as Page;
    expect(tagged.messages.map((m) => m.metadata?.event_payload.outbox_id)).toEqual([
      'o-p',
      'o-r1',
      undefined,
    ]);

    const firstTwo = (await slack.conversations.replies({
      channel: STAFF,
      ts: parent.ts!,
      limit: 2,
    })) as unknown as Page;
    expect(firstTwo.messages.map((m) => m.text)).toEqual(['parent', 'r1']);
    expect(firstTwo.has_more).toBe(true);
    const rest = (await slack.conversations.replies({
      channel: STAFF,
      ts: parent.ts!,
      cursor: firstTwo.response_metadata.next_cursor,
    })) as unknown as Page;
    expect(rest.messages.map((m) => m.text)).toEqual(['r2']);

    const since = (await slack.conversations.replies({
      channel: STAFF,
      ts: parent.ts!,
      oldest: r2.ts!,
      inclusive: true,
    })) as unknown as Page;
    expect(since.messages.map((m) => m.text)).toEqual(['r2']);

    await expect(slack.conversations.replies({ channel: STAFF, ts: '1.000001' })).rejects.toMatchObject({
      data: { error: 'thread_not_found' },
    });
  });
});
