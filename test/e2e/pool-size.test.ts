/**
 * The connection pool's size per process: `max` in DATABASE_URL (postgres.js's own parameter),
 * else 10. However many queries are asked for at once, a process holds no more connections than
 * that. Only on Postgres.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_SIZE, openDatabase, poolSizeOf } from '../../src/db/client';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';

it('reads the pool size from DATABASE_URL, else 10', () => {
  expect(DEFAULT_POOL_SIZE).toBe(10);
  expect(poolSizeOf('postgres://spoc@db:5432/spoc')).toBe(10);
  expect(poolSizeOf('postgres://spoc@db:5432/spoc?max=4&sslmode=require')).toBe(4);
  expect(poolSizeOf('postgres://spoc@db1:5432,db2:5432/spoc?max=3')).toBe(3);
  for (const bad of ['0', '-2', '2.5', 'ten', ''])
    expect(poolSizeOf(`postgres://spoc@db/spoc?max=${bad}`), bad).toBe(10);
});

const reason = onPostgres ? '' : ' (skipped: needs DATABASE_URL)';
describe.skipIf(!onPostgres)(`a process's connections to Postgres${reason}`, () => {
  let pg: TestDatabase | undefined;
  beforeAll(async () => {
    pg = await createTestDatabase();
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  it('never holds more than max, however many queries wait', async () => {
    const url = `${pg!.url}?max=2&application_name=spoc-pool-test`;
    const database = await openDatabase({ url });
    try {
      const seen = await Promise.all(
        Array.from({ length: 8 }, () =>
          database.rows<{ n: number }>(
            sql`select count(*)::int as n from pg_stat_activity where application_name = 'spoc-pool-test' and pg_sleep(0.05) is not null`,
          ),
        ),
      );
      expect(Math.max(...seen.map((rows) => rows[0]!.n))).toBe(2);
    } finally {
      await database.close();
    }
  });
});
