/**
 * A database first used by the playground, then given real Slack credentials: the real school's
 * messages go to Slack as usual, and the demo school's never do (they wait, as for a workspace
 * SPOC holds no token for).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import { findSchoolBySlackTeam } from '../../src/db/queries/schools';
import { outbox } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import { DEMO_CHANNEL_ID, DEMO_TEAM_ID } from '../../src/domain/demo/demo-school';
import { seedDemo } from '../../src/domain/demo/seed-demo';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { identifySlackUser } from '../../src/domain/schools/identify';
import { setupSchool } from '../../src/domain/schools/setup-school';
import { silentLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/slack-payloads';
import { must } from '../support/wait';

const REAL_TEAM = 'T0REALSCH1';
const REAL_CHANNEL = 'C0REALSPOC';
const dataDir = mkdtempSync(join(tmpdir(), 'spoc-demo-real-'));
let fake: FakeSlack;
let spoc: RunningSpoc | undefined;

beforeAll(async () => {
  // The playground's life: the demo school seeded. Then a real school joins the same database.
  const database = await openDatabase({ dataDir });
  await database.migrate();
  // In the past, so that everything written is already due when the server starts.
  const clock = fixedClock('2026-11-20T09:15:00Z');
  await seedDemo(database.db, clock);
  const head = await identifySlackUser(database.db, clock, { teamId: REAL_TEAM, userId: 'U0REALHEAD' });
  const ctx = { db: database.db, clock, actor: head.actor };
  must(await setupSchool(ctx, { slackChannelId: REAL_CHANNEL }));
  must(await reportFault(ctx, { summary: 'Office printer offline', urgency: 'today' }));
  await database.close();
  fake = await startFakeSlack({ teamId: REAL_TEAM });
});

afterAll(async () => {
  await spoc?.stop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it("sends the real school's card to Slack and none of the demo school's messages", async () => {
  const parsed = parseConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    SPOC_DATA_DIR: dataDir,
    SPOC_WORKER: 'off',
    PORT: '0',
    HOST: '127.0.0.1',
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  spoc = await startSpoc(parsed.config, { log: silentLogger, outboxIntervalMs: 50 });
  const running = spoc;
  await expect.poll(() => fake.messages.get(REAL_CHANNEL)?.length ?? 0, { timeout: 10_000 }).toBe(1);
  expect(fake.messages.get(REAL_CHANNEL)?.[0]?.text).toContain('Office printer offline');
  // A few more dispatcher rounds: still nothing for the demo school.
  for (let i = 0; i < 3; i++) await running.dispatcher.runOnce();
  expect(fake.messages.has(DEMO_CHANNEL_ID)).toBe(false);
  expect(fake.calls.filter((c) => JSON.stringify(c.args).includes(DEMO_CHANNEL_ID))).toEqual([]);
  const demo = await findSchoolBySlackTeam(running.database.db, DEMO_TEAM_ID);
  const waiting = await running.database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.schoolId, demo?.id ?? ''), eq(outbox.status, 'pending')));
  expect(waiting.length).toBeGreaterThan(20);
}, 60_000);
