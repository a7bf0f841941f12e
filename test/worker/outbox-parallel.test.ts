/**
 * The dispatcher sends in parallel across order keys, keeps each key strictly in order, and paces
 * its sends to any one channel (Slack lets an app post about one message a second to a channel),
 * spreading a backlog across channels instead. The deliverer here only records what it is given.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueue, type OutboxRow } from '../../src/db/queries/outbox';
import { outbox } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import type { OutboxMessage } from '../../src/domain/messages';
import { silentLogger } from '../../src/log';
import { createOutboxDispatcher, type Deliverer, DeliveryRetry } from '../../src/worker/outbox-dispatcher';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeSchool, T0 } from '../support/factories';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const dm = (person: number): OutboxMessage => ({
  type: 'person.notify',
  personId: uuid(person),
  incidentId: uuid(0),
  event: 'reported',
});
/** A line in an incident card's thread: the school's SPOC channel, the incident's order key. */
const line = (incident: number, eventId: number): OutboxMessage => ({
  type: 'incident.thread',
  incidentId: uuid(incident),
  eventId,
});

async function schoolWith(messages: OutboxMessage[]) {
  const clock = fixedClock(T0);
  const school = await makeSchool(tdb.db, { clock });
  // One transaction a message, in order: ids follow the list.
  for (const message of messages) await enqueue(tdb.db, school.schoolId, [message], clock.now());
  const rows = await tdb.db
    .select()
    .from(outbox)
    .where(eq(outbox.schoolId, school.schoolId))
    .orderBy(outbox.id);
  return { clock, schoolId: school.schoolId, ids: rows.map((r) => r.id) };
}

it('has two order keys in flight at once', async () => {
  const { clock, schoolId } = await schoolWith([dm(1), dm(2)]);
  let inHand = 0;
  let most = 0;
  let bothArrived!: () => void;
  const both = new Promise<void>((resolve) => {
    bothArrived = resolve;
  });
  const deliverer: Deliverer = {
    async deliver(row) {
      if (row.schoolId !== schoolId) return;
      inHand++;
      most = Math.max(most, inHand);
      if (inHand === 2) bothArrived();
      // Each send waits for the other to start (or gives up after a while, one at a time).
      await Promise.race([both, new Promise((r) => setTimeout(r, 1_500))]);
      inHand--;
    },
  };
  const dispatcher = createOutboxDispatcher({ db: tdb.db, clock, log: silentLogger, deliverer, paceMs: 0 });
  expect(await dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
  expect(most).toBe(2);
});

it('keeps one order key strictly in order, a failed first message holding back the rest', async () => {
  // Five lines in one incident's thread; the first fails once and is retried later.
  const { clock, schoolId, ids } = await schoolWith([1, 2, 3, 4, 5].map((e) => line(7, e)));
  const order: number[] = [];
  let inHand = 0;
  let most = 0;
  let failedOnce = false;
  const deliverer: Deliverer = {
    async deliver(row: OutboxRow) {
      if (row.schoolId !== schoolId) return;
      order.push(row.id);
      inHand++;
      most = Math.max(most, inHand);
      await new Promise((r) => setTimeout(r, 5));
      inHand--;
      if (row.id === ids[0] && !failedOnce) {
        failedOnce = true;
        throw new DeliveryRetry('Slack: internal_error');
      }
    },
  };
  const dispatcher = createOutboxDispatcher({
    db: tdb.db,
    clock,
    log: silentLogger,
    deliverer,
    paceMs: 0,
    concurrency: 10,
  });
  // The first fails; nothing after it in its key may go before it.
  expect(await dispatcher.runOnce()).toEqual({ sent: 0, retried: 1, dead: 0 });
  expect(order).toEqual([ids[0]]);
  clock.advance(60_000);
  expect(await dispatcher.runOnce()).toEqual({ sent: 5, retried: 0, dead: 0 });
  expect(order).toEqual([ids[0], ...ids]);
  expect(most).toBe(1);
});

it('paces sends to one channel and spreads the rest across other channels meanwhile', async () => {
  const paceMs = 400;
  // Three incidents' thread lines, all for the school's SPOC channel, queued before three DMs.
  const { clock, schoolId, ids } = await schoolWith([
    line(1, 1),
    line(2, 1),
    line(3, 1),
    dm(1),
    dm(2),
    dm(3),
  ]);
  const sentAt = new Map<number, number>();
  const deliverer: Deliverer = {
    async deliver(row) {
      if (row.schoolId === schoolId) sentAt.set(row.id, performance.now());
    },
  };
  const dispatcher = createOutboxDispatcher({ db: tdb.db, clock, log: silentLogger, deliverer, paceMs });
  expect(await dispatcher.runOnce()).toEqual({ sent: 6, retried: 0, dead: 0 });
  const at = (i: number) => sentAt.get(ids[i] ?? -1) ?? Number.NaN;
  // The channel's three sends are a pace apart (a lower bound: never sooner)…
  expect(at(1) - at(0)).toBeGreaterThanOrEqual(paceMs - 5);
  expect(at(2) - at(1)).toBeGreaterThanOrEqual(paceMs - 5);
  // …and the DMs, each its own channel, did not wait behind them.
  for (const i of [3, 4, 5]) expect(at(i)).toBeLessThan(at(1));
});

it('never leases two rows for one channel at once, even with room for more', async () => {
  const { clock, schoolId } = await schoolWith([line(1, 1), line(2, 1), line(3, 1)]);
  let inHand = 0;
  let most = 0;
  const deliverer: Deliverer = {
    async deliver(row) {
      if (row.schoolId !== schoolId) return;
      inHand++;
      most = Math.max(most, inHand);
      await new Promise((r) => setTimeout(r, 30));
      inHand--;
    },
  };
  const dispatcher = createOutboxDispatcher({ db: tdb.db, clock, log: silentLogger, deliverer, paceMs: 0 });
  expect(await dispatcher.runOnce()).toEqual({ sent: 3, retried: 0, dead: 0 });
  expect(most).toBe(1);
});
