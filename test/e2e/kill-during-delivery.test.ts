/**
 * SPOC killed with SIGKILL while its outbox is mid-send, three times over, against a slow fake
 * Slack that stores each post at once and answers late (so every kill leaves a post whose answer
 * never came). After the last restart every fault has exactly one card in the SPOC channel and its
 * reporter exactly one DM: none lost, none twice.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { OUTBOX_EVENT } from '../../src/bot/slack/delivery';
import { CALLBACK } from '../../src/bot/slack/ids';
import { type Database, openDatabase } from '../../src/db/client';
import { incidents, outbox } from '../../src/db/schema';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { type SignedRequest, slashCommand, viewSubmission } from '../support/slack-payloads';
import { startSpocProcess } from '../support/spoc-process';

const TEAM = 'T0KILL0001';
const SPOC = 'C0KILLSPOC';
const ROUNDS = 3;
const PER_ROUND = 5;

const dataDir = mkdtempSync(join(tmpdir(), 'spoc-kill-'));
let pg: TestDatabase | undefined;
let child: ChildProcess | undefined;
let fake: FakeSlack | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  await fake?.close();
  await pg?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start() {
  const spoc = await startSpocProcess(['node', '--import', 'tsx', 'src/main.ts'], {
    apiUrl: fake!.apiUrl,
    ...(pg?.url ? { databaseUrl: pg.url } : { dataDir }),
  });
  child = spoc.child;
  const exited = new Promise<void>((resolve) => spoc.child.once('exit', () => resolve()));
  const send = async (req: SignedRequest) => {
    const res = await fetch(`${spoc.url}/slack/events`, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
    });
    return { status: res.status, text: await res.text() };
  };
  return { ...spoc, exited, send };
}

async function waitFor(what: string, probe: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const postsSoFar = () => fake!.calls.filter((c) => c.method === 'chat.postMessage').length;

it(`sends each card and DM exactly once across ${ROUNDS} kills mid-send (${onPostgres ? 'Postgres' : 'PGlite'})`, async () => {
  fake = await startFakeSlack({ teamId: TEAM });
  if (onPostgres) pg = await createTestDatabase();
  const reporters: string[] = [];

  for (let round = 0; round < ROUNDS; round++) {
    fake.setDelay(0);
    const spoc = await start();
    if (round === 0) {
      const admin = { teamId: TEAM, userId: 'U0KILLADMN', userName: 'head' };
      const setup = await spoc.send(slashCommand(admin, '/spoc', 'setup', SPOC));
      expect(setup.text, spoc.output()).toContain('is now the SPOC channel');
    }
    // Slack turns slow: each post is stored at once but answered only after 700 ms.
    fake.setDelay(700);
    const before = postsSoFar();
    for (let i = 0; i < PER_ROUND; i++) {
      const who = { teamId: TEAM, userId: `U0KILL${round}X${i}`, userName: `teacher${round}${i}` };
      const res = await spoc.send(
        viewSubmission(who, CALLBACK.faultModal, {
          summary: `Board ${round}-${i} is blank`,
          urgency: { option: 'today' },
        }),
      );
      expect(res.text, spoc.output()).toContain('INC-');
      reporters.push(who.userId);
    }
    // A post has just reached Slack and its answer is still 700 ms away: kill now.
    await waitFor('posts under way', () => postsSoFar() >= before + 2);
    spoc.child.kill('SIGKILL');
    await spoc.exited;
  }

  fake.setDelay(0);
  const last = await start();
  const total = ROUNDS * PER_ROUND;
  const cards = () => (fake!.messages.get(SPOC) ?? []).filter((m) => !m.thread_ts);
  const lookups = () => fake!.calls.filter((c) => c.method === 'conversations.history').length;
  // Each kill left at least the message in hand in doubt; its lease runs out (15 s) and the new
  // process looks for it before sending it again.
  await waitFor(
    'every card and DM, and the messages left in doubt looked for',
    () =>
      cards().length >= total &&
      reporters.every((u) => (fake!.messages.get(u) ?? []).length >= 1) &&
      lookups() >= ROUNDS,
    60_000,
  );
  // Anything that would be sent twice has had time to be.
  await new Promise((r) => setTimeout(r, 3_000));
  last.child.kill('SIGTERM');
  await last.exited;

  const byIncident = new Map<unknown, number>();
  for (const card of cards()) {
    expect(card.metadata?.event_type).toBe(OUTBOX_EVENT);
    const id = card.metadata?.event_payload.incident_id;
    byIncident.set(id, (byIncident.get(id) ?? 0) + 1);
  }
  expect(byIncident.size).toBe(total);
  expect([...byIncident.values()].filter((n) => n !== 1)).toEqual([]);
  for (const user of reporters) expect(fake.messages.get(user), user).toHaveLength(1);

  const database: Database = pg ?? (await openDatabase({ dataDir }));
  try {
    const rows = await database.db.select({ status: outbox.status }).from(outbox);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const stored = await database.db.select({ ts: incidents.cardTs }).from(incidents);
    expect(stored.map((r) => r.ts).sort()).toEqual(
      cards()
        .map((m) => m.ts)
        .sort(),
    );
  } finally {
    if (!pg) await database.close();
  }
}, 180_000);
