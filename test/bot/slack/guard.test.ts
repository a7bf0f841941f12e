import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SlackDeps } from '../../../src/bot/slack/deps';
import { guard, replyWithinBudget, submitWithinBudget } from '../../../src/bot/slack/guard';
import { fixedClock } from '../../../src/domain/clock';
import { silentLogger } from '../../../src/log';

const deps = {
  db: {} as SlackDeps['db'],
  clock: fixedClock('2026-11-30T09:00:00Z'),
  log: silentLogger,
  kick: () => {},
  ackBudgetMs: 1000,
} satisfies SlackDeps;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('replyWithinBudget', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('puts a quick answer in the ack itself', async () => {
    const ack = vi.fn(async () => {});
    const later = vi.fn(async () => {});
    await replyWithinBudget(deps, ack, later, async () => 'answer');
    expect(ack).toHaveBeenCalledWith('answer');
    expect(later).not.toHaveBeenCalled();
  });

  it('acks empty when the budget runs out, then answers later', async () => {
    const work = deferred<string>();
    const ack = vi.fn(async (_reply?: string) => {});
    const later = vi.fn(async (_reply: string) => {});
    const done = replyWithinBudget(deps, ack, later, () => work.promise);
    await vi.advanceTimersByTimeAsync(999);
    expect(ack).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(ack).toHaveBeenCalledWith();
    expect(later).not.toHaveBeenCalled();
    work.resolve('slow answer');
    await done;
    expect(later).toHaveBeenCalledWith('slow answer');
  });

  it('lets a failure after the ack reach the error handler', async () => {
    const work = deferred<string>();
    const ack = vi.fn(async () => {});
    const done = replyWithinBudget(
      deps,
      ack,
      async () => {},
      () => work.promise,
    );
    await vi.advanceTimersByTimeAsync(1000);
    work.reject(new Error('database down'));
    await expect(done).rejects.toThrow('database down');
    expect(ack).toHaveBeenCalledTimes(1);
  });
});

describe('submitWithinBudget', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const late = { text: 'Send this email', blocks: [{ type: 'section' }] };
  const reply = { response_action: 'update' as const, view: { type: 'modal' }, late };

  it('shows the next view in the ack, without its DM copy', async () => {
    const ack = vi.fn(async (_r?: unknown) => {});
    const postMessage = vi.fn(async () => ({ ok: true }));
    const client = { chat: { postMessage } } as unknown as WebClient;
    await submitWithinBudget(deps, { ack, client, body: { user: { id: 'U1' } } }, async () => reply);
    expect(ack).toHaveBeenCalledWith({ response_action: 'update', view: { type: 'modal' } });
    expect(postMessage).not.toHaveBeenCalled();
  });

  it('past the budget the form has closed: the next view comes by DM', async () => {
    const work = deferred<typeof reply>();
    const ack = vi.fn(async (_r?: unknown) => {});
    const postMessage = vi.fn(async (_m: unknown) => ({ ok: true }));
    const client = { chat: { postMessage } } as unknown as WebClient;
    const done = submitWithinBudget(deps, { ack, client, body: { user: { id: 'U1' } } }, () => work.promise);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ack).toHaveBeenCalledWith();
    work.resolve(reply);
    await done;
    expect(postMessage).toHaveBeenCalledWith({ channel: 'U1', ...late });
  });
});

describe('guard', () => {
  const client = { chat: { postMessage: vi.fn(async () => ({ ok: true })) } } as unknown as WebClient;

  it('answers a failed slash command in its ack, with a reference', async () => {
    const ack = vi.fn(async (_r?: unknown) => {});
    const listener = guard(deps, async () => {
      throw new Error('boom');
    });
    await listener({ ack, body: { command: '/spoc' }, client } as never);
    expect(ack).toHaveBeenCalledTimes(1);
    expect(ack.mock.calls[0]?.[0]).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^Sorry — something went wrong \(ref E-[0-9A-F]{8}\)/),
    });
  });

  it('after the ack, apologises through response_url', async () => {
    const ack = vi.fn(async () => {});
    const respond = vi.fn(async (_m: unknown) => ({}));
    const listener = guard(deps, async (args: { ack: () => Promise<void> }) => {
      await args.ack();
      throw new Error('boom');
    });
    await listener({
      ack,
      respond,
      body: { type: 'block_actions', response_url: 'https://hooks.slack.com/x', user: { id: 'U1' } },
      client,
    } as never);
    expect(ack).toHaveBeenCalledTimes(1);
    expect(respond.mock.calls[0]?.[0]).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: expect.stringContaining('ref E-'),
    });
  });

  it('with no response_url, apologises by DM', async () => {
    const listener = guard(deps, async (args: { ack: () => Promise<void> }) => {
      await args.ack();
      throw new Error('boom');
    });
    await listener({
      ack: async () => {},
      body: { type: 'view_submission', user: { id: 'U9' } },
      client,
    } as never);
    expect(client.chat.postMessage).toHaveBeenCalledWith({
      channel: 'U9',
      text: expect.stringContaining('ref E-'),
    });
  });
});
