/**
 * After Postgres ended the sessions of a pool's connections while they ran queries (a restart, a
 * failover, pg_terminate_backend), the next queries and transactions succeed. postgres.js 3.4.9
 * keeps such a session's last error on its connection and fails the connection's first query
 * after reconnecting with it (57P01), though that query was never sent; SPOC sends it again.
 * Needs a real Postgres: DATABASE_URL's, else one of the test's own, else skipped.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client';
import { withQueryTimeout } from '../../src/db/deadline';
import { isDatabaseUnavailable, unavailableReason } from '../../src/db/unavailable';
import { createTestDatabase, serverUrl, type TestDatabase } from '../support/db';
import { type OwnPostgres, postgresBinaries, startOwnPostgres } from '../support/own-postgres';

const binaries = serverUrl ? undefined : postgresBinaries();
const skipReason = typeof binaries === 'string' ? binaries : undefined;

/** As many as the pool has connections, so every one of them is in the middle of a query. */
const POOL = 10;

let own: OwnPostgres | undefined;
let test: TestDatabase | undefined;
let database: Database;
let admin: postgres.Sql;

beforeAll(async () => {
  if (skipReason) return;
  let url: string;
  if (serverUrl) {
    test = await createTestDatabase();
    database = test;
    url = test.url!;
  } else {
    own = await startOwnPostgres(binaries as Exclude<typeof binaries, string | undefined>);
    url = own.url;
    database = await openDatabase({ url });
  }
  admin = postgres(url, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await admin?.end({ timeout: 5 });
  await (test ? test.destroy() : database?.close());
  await own?.destroy();
});

/** Every connection of the pool busy with a query, then each of their sessions ended by the server. */
async function endSessionsMidQuery(): Promise<unknown[]> {
  const running = Array.from({ length: POOL }, () =>
    database.rows(sql`select pg_sleep(30)`).then(
      () => undefined,
      (error: unknown) => error,
    ),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await admin<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'spoc' and query like '%pg_sleep%'
        and state = 'active'`;
    const n = row?.n ?? 0;
    if (n === POOL) break;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${POOL} queries started`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await admin`
    select pg_terminate_backend(pid) from pg_stat_activity
    where datname = current_database() and application_name = 'spoc' and pid <> pg_backend_pid()`;
  return Promise.all(running);
}

describe.skipIf(skipReason !== undefined)(
  `a pool whose sessions the server ended${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    it('fails the queries that were running, and is not sent again', async () => {
      const failed = await endSessionsMidQuery();
      expect(failed.every((error) => isDatabaseUnavailable(error))).toBe(true);
      // The next queries, one on each reconnected connection, all succeed.
      const next = await Promise.allSettled(
        Array.from({ length: POOL }, () => database.rows<{ ok: number }>(sql`select 1 as ok`)),
      );
      expect(next.map((r) => (r.status === 'fulfilled' ? 'ok' : unavailableReason(r.reason)))).toEqual(
        Array(POOL).fill('ok'),
      );
    });

    it('answers the next queries within a request’s bound', async () => {
      await endSessionsMidQuery();
      const next = await withQueryTimeout(1_500, () =>
        Promise.allSettled(Array.from({ length: POOL }, () => database.rows(sql`select 1 as ok`))),
      );
      expect(next.map((r) => (r.status === 'fulfilled' ? 'ok' : unavailableReason(r.reason)))).toEqual(
        Array(POOL).fill('ok'),
      );
    });

    it('runs the next transactions, with and without a bound', async () => {
      const transactions = () =>
        Promise.allSettled(
          Array.from({ length: POOL }, () =>
            database.db.transaction((tx) => tx.execute(sql`select 1 as ok`)),
          ),
        );
      for (const run of [transactions, () => withQueryTimeout(1_500, transactions)]) {
        await endSessionsMidQuery();
        const next = await run();
        expect(next.map((r) => (r.status === 'fulfilled' ? 'ok' : unavailableReason(r.reason)))).toEqual(
          Array(POOL).fill('ok'),
        );
      }
    });
  },
);
