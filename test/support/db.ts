/**
 * A database for one test file: a fresh Postgres database on the server named by DATABASE_URL,
 * or an in-memory PGlite when it is unset. Migrated with the committed migrations either way.
 * Tests isolate themselves further by making their own schools.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../src/db/client';

export const serverUrl = process.env.DATABASE_URL || undefined;
export const onPostgres = Boolean(serverUrl);

export interface TestDatabase extends Database {
  /** Drops the throwaway database (Postgres) and closes connections. */
  destroy(): Promise<void>;
  /** URL of the throwaway database, on Postgres only. */
  url?: string;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!serverUrl) {
    const database = await openDatabase({ memory: true });
    await database.migrate();
    return { ...database, destroy: () => database.close() };
  }
  const name = `spoc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    destroy: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
