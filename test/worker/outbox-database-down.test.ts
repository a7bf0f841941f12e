/**
 * While the database is away the outbox says so once, and once more when it is back: not a stack
 * trace every poll.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client';
import { fixedClock } from '../../src/domain/clock';
import { createLogger } from '../../src/log';
import { createOutboxDispatcher } from '../../src/worker/outbox-dispatcher';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { T0 } from '../support/factories';
import { until } from '../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

it('logs one warning when the database goes away and one line when it is back', async () => {
  let away = true;
  let polls = 0;
  // The database as the dispatcher sees it: refusing connections until `away` is cleared.
  const db = new Proxy(tdb.db, {
    get(target, key, receiver) {
      if (key === 'execute')
        return (...args: unknown[]) => {
          polls++;
          if (away)
            return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
          return (target.execute as (...a: unknown[]) => unknown).apply(target, args);
        };
      return Reflect.get(target, key, receiver);
    },
  }) as Db;
  const lines: Array<{ level: number; msg: string; err?: unknown }> = [];
  const log = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const dispatcher = createOutboxDispatcher({
    db,
    clock: fixedClock(T0),
    log,
    deliverer: { deliver: async () => {} },
  });
  dispatcher.start(5);
  try {
    await until(() => (polls >= 10 ? true : undefined), 'ten polls while the database is away');
    away = false;
    const back = polls;
    await until(() => (polls >= back + 5 ? true : undefined), 'polls once it is back');
  } finally {
    await dispatcher.stop();
  }
  const said = lines.filter((l) => l.level >= 30).map((l) => l.msg);
  expect(said).toEqual([
    'outbox: the database is not answering; messages wait until it is back',
    'outbox: the database is back; sending what waited',
  ]);
  expect(lines.some((l) => l.err !== undefined)).toBe(false);
});
