/**
 * botbuilder's connector client makes one call per send, within a timeout: the outbox does the
 * retrying (with backoff, honouring Retry-After, keeping an unanswered send in doubt), so a 429,
 * a 503 or a dropped connection reaches the deliverer after a single connector call, and a
 * connector that never answers is given up at the timeout. Every connector call is pinned and
 * counted; the outbox row is read back after one dispatcher pass.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTOR_TIMEOUT_MS, createTeamsAdapter } from '../../../src/bot/teams/adapter';
import { createTeamsDeliverer, withUpdates } from '../../../src/bot/teams/delivery';
import { createTeamsSender } from '../../../src/bot/teams/proactive';
import { saveTeamsConversation } from '../../../src/db/queries/teams-conversations';
import { outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { actorOf, identifyTeamsUser } from '../../../src/domain/schools/identify';
import { setupSchool } from '../../../src/domain/schools/setup-school';
import { createLogger } from '../../../src/log';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../../src/worker/outbox-dispatcher';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0 } from '../../support/factories';
import { APP_ID, BOT, SERVICE_URL } from '../../support/teams-activities';
import { APP_PASSWORD } from '../../support/teams-app';
import { pinBotToken } from '../../support/teams-auth';

const CONNECTOR = 'https://smba.trafficmanager.net';
/** Short, so the test of a connector that never answers is quick; the default is 10 s. */
const TIMEOUT_MS = 400;
const clock = fixedClock(T0);
const at = (ms: number) => new Date(clock.now().getTime() + ms);
const log = createLogger('error', { write: () => undefined });
let database: TestDatabase;
let dispatcher: OutboxDispatcher;

beforeAll(async () => {
  pinBotToken();
  database = await createTestDatabase();
  const { adapter } = createTeamsAdapter(
    { appId: APP_ID, appPassword: APP_PASSWORD, appType: 'MultiTenant' },
    { connectorTimeoutMs: TIMEOUT_MS },
  );
  const sender = withUpdates(createTeamsSender(adapter, APP_ID), adapter, APP_ID);
  const deliverer = createTeamsDeliverer({ db: database.db, clock, log, sender });
  dispatcher = createOutboxDispatcher({ db: database.db, clock, log, deliverer, maxPerPass: 1 });
});
afterEach(() => {
  // Only the connector's pins: the bot's token stays pinned for the file.
  for (const pending of nock.pendingMocks())
    if (pending.includes('smba.trafficmanager.net')) throw new Error(`unused pin: ${pending}`);
});
afterAll(async () => {
  await database?.destroy();
  nock.cleanAll();
});

const hex = () => randomBytes(8).toString('hex');

/**
 * A Teams school with its SPOC channel stored and one fault reported: its incident card is the
 * only outbox row due (anything else the report wrote is put off), and its id is returned.
 */
async function cardDue(): Promise<number> {
  const db = database.db;
  const tenantId = randomUUID();
  const teamId = `19:${hex()}@thread.tacv2`;
  const channelId = `19:${hex()}@thread.tacv2`;
  const found = await identifyTeamsUser(db, clock, {
    tenantId,
    teamId,
    aadObjectId: randomUUID(),
    userId: `29:${hex()}`,
    userName: 'Ada Admin',
  });
  if (!found.ok) throw new Error(found.error.message);
  const ctx: Ctx = { db, clock, actor: actorOf(found.value.person) };
  const setup = await setupSchool(ctx, { teamsChannelId: channelId });
  if (!setup.ok) throw new Error(setup.error.message);
  await saveTeamsConversation(
    db,
    {
      tenantId,
      teamId,
      conversationId: channelId,
      kind: 'channel',
      reference: {
        serviceUrl: SERVICE_URL,
        channelId: 'msteams',
        bot: BOT,
        conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId },
      },
    },
    clock.now(),
  );
  const report = await reportFault(ctx, { summary: 'Projector dead in Room 4', urgency: 'lesson_stopped' });
  if (!report.ok) throw new Error(report.error.message);
  const schoolId = found.value.school.id;
  const rows = await db.select().from(outbox).where(eq(outbox.schoolId, schoolId));
  const card = rows.find((r) => r.message.type === 'incident.card' && r.status === 'pending');
  if (!card) throw new Error('no incident card in the outbox');
  // Every other due row (this school's and earlier tests') waits, so the pass takes the card.
  await db
    .update(outbox)
    .set({ nextAttemptAt: at(24 * 60 * 60_000) })
    .where(and(ne(outbox.id, card.id), eq(outbox.status, 'pending')));
  return card.id;
}

async function rowOf(id: number) {
  const [row] = await database.db.select().from(outbox).where(sql`${outbox.id} = ${id}`);
  if (!row) throw new Error(`outbox row ${id} is gone`);
  return row;
}

/** Pins `POST /v3/conversations` (a new channel post) for any number of calls, counting them. */
function pinChannelPosts(reply: (scope: nock.Interceptor) => nock.Scope): { calls: () => number } {
  let calls = 0;
  const interceptor = nock(CONNECTOR)
    .persist()
    .post('/uk/v3/conversations', () => {
      calls++;
      return true;
    });
  reply(interceptor);
  return {
    calls: () => {
      nock.removeInterceptor(interceptor);
      return calls;
    },
  };
}

/** One dispatcher pass, timed. */
async function pass(): Promise<{ ms: number; retried: number }> {
  const started = performance.now();
  const counts = await dispatcher.runOnce();
  return { ms: performance.now() - started, retried: counts.retried };
}

describe('connector calls are made once; the outbox retries', () => {
  it('a 429 reaches the deliverer after one call, and the row waits until its Retry-After', async () => {
    const id = await cardDue();
    const pinned = pinChannelPosts((i) =>
      i.reply(429, { error: { code: 'TooManyRequests' } }, { 'Retry-After': '7' }),
    );
    const { ms, retried } = await pass();
    expect(pinned.calls()).toBe(1);
    expect(retried).toBe(1);
    expect(ms).toBeLessThan(3_000);
    const row = await rowOf(id);
    expect(row.status).toBe('pending');
    expect(row.nextAttemptAt).toEqual(at(7_000));
    expect(row.lastError).toContain('429');
    // A 429 is an answer: nothing was posted.
    expect(row.inDoubt).toBe(false);
  });

  it('a 503 reaches the deliverer after one call, and the row backs off', async () => {
    const id = await cardDue();
    const pinned = pinChannelPosts((i) => i.reply(503, { error: { code: 'ServiceUnavailable' } }));
    const { ms, retried } = await pass();
    expect(pinned.calls()).toBe(1);
    expect(retried).toBe(1);
    expect(ms).toBeLessThan(3_000);
    const row = await rowOf(id);
    expect(row.nextAttemptAt).toEqual(at(5_000));
    expect(row.lastError).toBe('Teams: 503');
    expect(row.inDoubt).toBe(false);
  });

  it('a dropped connection reaches the deliverer after one call, and the row stays in doubt', async () => {
    const id = await cardDue();
    const pinned = pinChannelPosts((i) =>
      i.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    );
    const { ms } = await pass();
    expect(pinned.calls()).toBe(1);
    expect(ms).toBeLessThan(3_000);
    const row = await rowOf(id);
    expect(row.status).toBe('pending');
    expect(row.inDoubt).toBe(true);
    expect(row.nextAttemptAt).toEqual(at(5_000));
  });

  it('a connector that never answers is given up at the timeout, and the row stays in doubt', async () => {
    expect(CONNECTOR_TIMEOUT_MS).toBe(10_000);
    const id = await cardDue();
    const pinned = pinChannelPosts((i) => i.delay(60_000).reply(201, { id: '19:never' }));
    const { ms } = await pass();
    expect(pinned.calls()).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + 2_000);
    const row = await rowOf(id);
    expect(row.status).toBe('pending');
    expect(row.inDoubt).toBe(true);
    expect(row.lastError).toMatch(/abort/i);
  });
});
