/**
 * Stopping the outbox dispatcher (SIGTERM) finishes only the messages in hand and leases no more:
 * the rest stay due, unleased and with no attempt used, for the next start to send.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueue } from '../../src/db/queries/outbox';
import { outbox } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import type { OutboxMessage } from '../../src/domain/messages';
import { silentLogger } from '../../src/log';
import { createOutboxDispatcher } from '../../src/worker/outbox-dispatcher';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeSchool, T0 } from '../support/factories';
import { until } from '../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

it('finishes the messages in hand and leaves the rest due', async () => {
  const clock = fixedClock(T0);
  const school = await makeSchool(tdb.db, { clock });
  // Twenty DMs to twenty people: twenty order keys, all due at once.
  const messages: OutboxMessage[] = Array.from({ length: 20 }, (_, i) => ({
    type: 'person.notify',
    personId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    incidentId: '00000000-0000-4000-8000-000000000000',
    event: 'reported',
  }));
  await enqueue(tdb.db, school.schoolId, messages, clock.now());
  let inHand = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const dispatcher = createOutboxDispatcher({
    db: tdb.db,
    clock,
    log: silentLogger,
    concurrency: 3,
    deliverer: {
      async deliver() {
        inHand++;
        await released;
      },
    },
  });
  dispatcher.kick();
  await until(() => (inHand === 3 ? true : undefined), 'three messages in hand');
  const stopped = dispatcher.stop();
  release();
  await stopped;

  expect(inHand).toBe(3);
  const rows = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, school.schoolId));
  expect(rows.filter((r) => r.status === 'sent')).toHaveLength(3);
  const waiting = rows.filter((r) => r.status === 'pending');
  expect(waiting).toHaveLength(17);
  for (const row of waiting) expect(row).toMatchObject({ lockedUntil: null, attempts: 0 });
});
