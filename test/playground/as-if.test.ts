/**
 * The playground's "as if": a reminder pass whose rules run as if at a later moment. What it posts
 * appears at once in the demo school's channel, and everything it records carries the real
 * (frozen) clock, never the moment it pretends: a later real pass about the same subjects is not
 * held back behind it, and nothing stored says a time still to come.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { findSchoolBySlackTeam } from '../../src/db/queries/schools';
import { incidentEvents, incidents, outbox, sentReminders } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import { DEMO_CHANNEL_ID, DEMO_TEAM_ID } from '../../src/domain/demo/demo-school';
import { silentLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';
import { until } from '../support/wait';

const HEAD = 'U0PLAYHEAD';
/** Monday 1 March 2027, 09:30 in London (GMT): school time. The clock stays here. */
const NOW = new Date('2027-03-01T09:30:00Z');
/** Nine days on, in school time: the pass "as if" then. */
const AS_IF = '2027-03-10T10:00';

let spoc: RunningSpoc;
let dataDir: string | undefined;
let pg: TestDatabase | undefined;
const clock = fixedClock(NOW);

beforeAll(async () => {
  const env: Record<string, string> = { PORT: '0', SPOC_WORKER: 'off' };
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'spoc-playground-as-if-'));
    env.SPOC_DATA_DIR = dataDir;
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  spoc = await startSpoc(parsed.config, { log: silentLogger, clock, outboxIntervalMs: 50 });
}, 60_000);

afterAll(async () => {
  await spoc?.stop();
  await pg?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function act(kind: string, fields: object = {}) {
  const res = await fetch(`${spoc.url}/play/act`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as: HEAD, kind, ...fields }),
  });
  return (await res.json()) as { ok: boolean; message: string; schoolTime?: boolean };
}

const db = () => spoc.database.db;
const channelMessages = () => spoc.playground!.workspace.channels.get(DEMO_CHANNEL_ID)?.messages.length ?? 0;

/** The pass's rows: the day's briefing and each reminder (in its thread, or a P1 breach alone). */
async function reminderRows(schoolId: string) {
  const rows = await db().select().from(outbox).where(eq(outbox.schoolId, schoolId)).orderBy(outbox.id);
  return rows.filter((r) => r.message.type === 'reminder' || r.message.type === 'briefing');
}

/** Waits until the outbox has nothing pending (every message delivered to the playground). */
async function drained(schoolId: string, what: string, timeoutMs = 10_000) {
  return until(
    async () => {
      const rows = await db().select().from(outbox).where(eq(outbox.schoolId, schoolId));
      return rows.every((r) => r.status === 'sent') ? rows : undefined;
    },
    what,
    timeoutMs,
  );
}

it('posts at once, holds nothing back, and records nothing later than the real clock', async () => {
  expect(await act('seed')).toMatchObject({ ok: true });
  const school = (await findSchoolBySlackTeam(db(), DEMO_TEAM_ID))!;
  // The seeded school's cards are delivered first, so what follows is the pass's alone.
  await drained(school.id, 'the seeded messages to be delivered');
  const before = channelMessages();
  const remindersBefore = (await reminderRows(school.id)).length;

  const asIf = await act('reminders', { at: AS_IF });
  expect(asIf).toMatchObject({ ok: true, schoolTime: true });
  expect(asIf.message).toContain(
    'This was a real pass as if it were Wednesday, 10 March 2027 at 10:00: the reminders it posted appear now and are recorded as sent (they will not come again).',
  );
  // A closing date is a record too: what would close by then is named, and left for its time.
  const later = /by then INC-(\d+) would close automatically/.exec(asIf.message);
  expect(later).not.toBeNull();
  const [stillResolved] = await db()
    .select()
    .from(incidents)
    .where(and(eq(incidents.schoolId, school.id), eq(incidents.number, Number(later![1]))));
  expect(stillResolved).toMatchObject({ status: 'resolved', closedAt: null });
  const posted = Number(/^(\d+) reminders? posted/.exec(asIf.message)?.[1]);
  expect(posted).toBeGreaterThan(0);
  const queued = (await reminderRows(school.id)).slice(remindersBefore);
  // One briefing; the week ahead and the diary are in it only, each other reminder is its own message.
  expect(queued.filter((r) => r.message.type === 'briefing')).toHaveLength(1);
  const own = queued.filter((r) => r.message.type === 'reminder').length;
  expect(own).toBeGreaterThan(0);
  expect(own).toBeLessThan(posted);

  // At once: delivered to the demo channel while the clock has not moved; the channel gains the
  // briefing (and any P1 breach standing alone), the rest go in its thread.
  await drained(school.id, 'the "as if" reminders to be delivered', 5000);
  const channel = spoc.playground!.workspace.channels.get(DEMO_CHANNEL_ID)!.messages.slice(before);
  const topLevel = channel.filter((m) => !m.thread_ts);
  expect(topLevel.filter((m) => m.text.startsWith('Briefing for Wed 10 Mar 2027'))).toHaveLength(1);
  expect(channel.length).toBe(1 + own);
  expect(clock.now()).toEqual(NOW);

  // A real pass a quarter of an hour later: today's reminders (some about subjects the "as if" pass
  // also posted about) are not queued behind anything still to come: all are delivered at once.
  clock.advance(15 * 60_000);
  const realRemindersBefore = (await reminderRows(school.id)).length;
  const real = await act('reminders');
  expect(real).toMatchObject({ ok: true, schoolTime: true });
  const realPosted = (await reminderRows(school.id)).slice(realRemindersBefore);
  expect(realPosted.length).toBeGreaterThan(0);
  await drained(school.id, 'the real pass’s reminders to be delivered', 5000);

  // Nothing stored is later than the real clock.
  const latest = clock.now().getTime();
  const rows = await db().select().from(outbox).where(eq(outbox.schoolId, school.id));
  for (const r of rows) {
    expect(r.createdAt.getTime()).toBeLessThanOrEqual(latest);
    expect(r.nextAttemptAt.getTime()).toBeLessThanOrEqual(latest);
    expect(r.sentAt!.getTime()).toBeLessThanOrEqual(latest);
  }
  const sent = await db().select().from(sentReminders).where(eq(sentReminders.schoolId, school.id));
  expect(sent.length).toBeGreaterThanOrEqual(posted);
  for (const s of sent) expect(s.createdAt.getTime()).toBeLessThanOrEqual(latest);
  const closed = await db()
    .select()
    .from(incidents)
    .where(and(eq(incidents.schoolId, school.id), eq(incidents.status, 'closed')));
  for (const i of closed) {
    expect(i.closedAt!.getTime()).toBeLessThanOrEqual(latest);
    expect(i.lastActivityAt.getTime()).toBeLessThanOrEqual(latest);
  }
  const events = await db().select().from(incidentEvents).where(eq(incidentEvents.schoolId, school.id));
  for (const e of events) expect(e.createdAt.getTime()).toBeLessThanOrEqual(latest);
}, 60_000);
