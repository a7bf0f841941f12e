/**
 * The whole product as `npm start` runs it — config parsed from an environment, database migrated,
 * real Bolt app over HTTP, outbox dispatcher on its timer — with Slack replaced by a fake Web API
 * reached through SLACK_API_URL. On PGlite (a data directory) or on Postgres when DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/bot/slack/ids';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { textOf } from '../support/slack-app';
import {
  BOT_TOKEN,
  blockAction,
  SIGNING_SECRET,
  type SignedRequest,
  slashCommand,
  viewSubmission,
} from '../support/slack-payloads';

/** Everything SPOC logged during the flow, at LOG_LEVEL=debug, one JSON line each. */
const logLines: string[] = [];
let fake: FakeSlack;
let spoc: RunningSpoc;
let dataDir: string | undefined;
let pg: TestDatabase | undefined;

beforeAll(async () => {
  fake = await startFakeSlack({ teamId: team });
  const env: Record<string, string> = {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
  };
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'spoc-e2e-'));
    env.SPOC_DATA_DIR = dataDir;
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const log = createLogger(parsed.config.logLevel, {
    write: (line: string) => {
      logLines.push(line);
    },
  });
  spoc = await startSpoc(parsed.config, { log, outboxIntervalMs: 50 });
});

afterAll(async () => {
  await spoc?.stop();
  await pg?.destroy();
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function send(request: SignedRequest) {
  const res = await fetch(`${spoc.url}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const SPOC_CHANNEL = 'C0E2ESPOC1';
const team = 'T0E2E00001';
const admin = { teamId: team, userId: 'U0E2EADMIN', userName: 'head' };
const tech = { teamId: team, userId: 'U0E2ETECH1', userName: 'sam.tech' };
const teacher = { teamId: team, userId: 'U0E2ETEACH', userName: 'ms.patel' };

describe(`teacher → SPOC channel → technician → reporter, against a fake Slack (${onPostgres ? 'Postgres' : 'PGlite'})`, () => {
  it('runs the whole flow', async () => {
    expect((await send(slashCommand(admin, '/spoc', 'setup', SPOC_CHANNEL))).body.text).toContain(
      'is now the SPOC channel',
    );
    expect(
      (await send(slashCommand(admin, '/spoc', `role <@${tech.userId}|sam.tech> technician`))).body.text,
    ).toContain('is now *technician*');

    // Teacher: /fault opens the form through the fake Web API.
    expect((await send(slashCommand(teacher, '/fault', 'Laptop trolley will not charge'))).status).toBe(200);
    const opened = await until('views.open', () => fake.calls.find((c) => c.method === 'views.open'));
    expect(opened.token).toBe(BOT_TOKEN);
    const locations = (
      opened.args.view as {
        blocks: Array<{
          block_id: string;
          element: { options?: Array<{ value: string; text: { text: string } }> };
        }>;
      }
    ).blocks.find((b) => b.block_id === 'locationId')!.element.options!;
    const library = locations.find((o) => o.text.text === 'Library')!.value;

    const submitted = await send(
      viewSubmission(teacher, CALLBACK.faultModal, {
        summary: 'Laptop trolley will not charge',
        locationId: { option: library },
        urgency: { option: 'today' },
      }),
    );
    expect(submitted.body.response_action).toBe('update');
    expect(textOf(submitted.body.view)).toContain('INC-1');

    // The card lands in the SPOC channel, delivered by the outbox on its own.
    const card = await until('card', () => fake.messages.get(SPOC_CHANNEL)?.[0]);
    expect(card.text).toContain('INC-1');
    expect(textOf(card.blocks)).toContain('Library');
    const claimButton = (
      card.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>
    )
      .find((b) => b.type === 'actions')!
      .elements!.find((e) => e.action_id === ACTION.claim)!;
    await until('reporter confirmation', () => fake.messages.get(teacher.userId)?.[0]);

    // Technician claims; the card is updated in place and the reporter is told.
    expect(
      (
        await send(
          blockAction(tech, ACTION.claim, claimButton.value, { channelId: SPOC_CHANNEL, messageTs: card.ts }),
        )
      ).status,
    ).toBe(200);
    await until('claimed card', () => (textOf(card.blocks).includes('In progress') ? true : undefined));
    const claimedDm = await until('claimed DM', () => fake.messages.get(teacher.userId)?.[1]);
    expect(textOf(claimedDm.blocks)).toContain(`<@${tech.userId}> is now working on your fault`);

    // Resolve through the form; the reporter hears it is fixed.
    expect((await send(blockAction(tech, ACTION.resolve, claimButton.value))).status).toBe(200);
    const resolveForm = await until('resolve form', () =>
      fake.calls.find(
        (c) =>
          c.method === 'views.open' &&
          (c.args.view as { callback_id: string }).callback_id === CALLBACK.resolveModal,
      ),
    );
    const resolved = await send(
      viewSubmission(
        tech,
        CALLBACK.resolveModal,
        { resolution: 'Replaced the blown fuse in the trolley plug' },
        {
          privateMetadata: (resolveForm.args.view as { private_metadata: string }).private_metadata,
        },
      ),
    );
    expect(resolved.status).toBe(200);
    const fixedDm = await until('fixed DM', () => fake.messages.get(teacher.userId)?.[2]);
    expect(textOf(fixedDm.blocks)).toContain('has been fixed');
    expect(textOf(fixedDm.blocks)).toContain('Replaced the blown fuse');
    await until('resolved card', () => (textOf(card.blocks).includes('Resolved') ? true : undefined));
    const threadOf = () =>
      fake.messages
        .get(SPOC_CHANNEL)!
        .filter((m) => m.thread_ts === card.ts)
        .map((m) => m.text);
    const thread = await until('thread', () => (threadOf().length === 2 ? threadOf() : undefined));
    expect(thread).toEqual([expect.stringContaining('Claimed by'), expect.stringContaining('Resolved by')]);
  });

  it("logs no secret, no token and nobody's words, even at debug", () => {
    const all = logLines.join('');
    expect(all).toContain('fault reported');
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain(BOT_TOKEN);
    for (const words of ['Laptop trolley will not charge', 'Replaced the blown fuse']) {
      expect(all, words).not.toContain(words);
    }
  });
});
