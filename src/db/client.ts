/**
 * Opens the database: Postgres through postgres.js when a URL is given, otherwise embedded
 * PGlite in a directory (or in memory for tests). Both are driven by the same schema and queries.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { OperatorError } from '../operator-error';
import * as schema from './schema';

export type Schema = typeof schema;
/** The database or a transaction: every query function takes one of these. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Runs raw SQL and returns its rows, whichever driver is underneath. */
  rows<T>(query: SQL): Promise<T[]>;
  /** Applies the committed migrations in `drizzle/` (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true };

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Arbitrary constant shared by every SPOC process: "migrations in progress". */
const MIGRATION_LOCK = 7_110_501;

/** Normalises `db.execute` results: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('url' in target) {
    const client = postgres(target.url, { max: 10, onnotice: () => {} });
    const db = drizzlePostgres({ client, schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      rows: async (q) => rowsOf(await db.execute(q)),
      migrate: () => migratePostgresLocked(target.url),
      close: () => client.end({ timeout: 5 }),
    };
  }
  let client: PGlite;
  let unlock = () => {};
  if ('dataDir' in target) {
    mkdirSync(target.dataDir, { recursive: true });
    unlock = lockDataDir(target.dataDir);
    try {
      client = new PGlite(target.dataDir);
      await client.waitReady;
    } catch (error) {
      unlock();
      throw error;
    }
  } else {
    client = new PGlite();
    await client.waitReady;
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    rows: async (q) => rowsOf(await db.execute(q)),
    // One PGlite owns its directory, so migrations run through the same instance.
    migrate: () => migratePglite(drizzlePglite({ client }), { migrationsFolder }),
    async close() {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/** Beside the embedded database's files: the id of the process that has it open. */
export const LOCK_FILE = 'spoc.lock';

/**
 * Another process has the embedded database open. Two PGlite instances on one directory each
 * overwrite what the other wrote, so the second opener is refused rather than losing data.
 */
export class DatabaseInUseError extends OperatorError {
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `The database in ${dataDir} is in use by ${pid ? `process ${pid}` : 'another process'} (npm start?): stop it first, or use the playground's Seed demo school button. (If no SPOC is running, delete ${join(dataDir, LOCK_FILE)}.)`,
    );
    this.name = 'DatabaseInUseError';
  }
}

/** Lock files this process holds, released on close, or at exit if it never closed. */
const heldLocks = new Set<string>();
let releaseAtExit = false;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLockPid(path: string): number | undefined {
  const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function releaseLock(path: string): void {
  if (!heldLocks.delete(path)) return;
  try {
    if (readLockPid(path) === process.pid) rmSync(path, { force: true });
  } catch {
    // Already gone.
  }
}

/**
 * Takes `spoc.lock` in the directory (created exclusively, holding this process's id). A lock whose
 * process has gone is stale and taken over — including one holding this very id that this process
 * never took, as a restarted container (pid 1 again) finds. Returns the release.
 */
function lockDataDir(dataDir: string): () => void {
  const path = resolve(dataDir, LOCK_FILE);
  let holder: number | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      heldLocks.add(path);
      if (!releaseAtExit) {
        releaseAtExit = true;
        process.once('exit', () => {
          for (const held of [...heldLocks]) releaseLock(held);
        });
      }
      return () => releaseLock(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      holder = readLockPid(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    // Unreadable (being written this instant) counts as held: the message says how to clear it.
    if (holder === undefined || heldLocks.has(path)) throw new DatabaseInUseError(dataDir, holder);
    if (holder !== process.pid && pidAlive(holder)) throw new DatabaseInUseError(dataDir, holder);
    rmSync(path, { force: true });
  }
  throw new DatabaseInUseError(dataDir, holder);
}

/**
 * drizzle's migrator takes no lock and several replicas may boot at once, so it runs under a
 * session advisory lock on its own single connection (`max: 1`, as drizzle documents).
 */
async function migratePostgresLocked(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** `select 1`, for `/readyz`. */
export async function ping(database: Database): Promise<boolean> {
  try {
    await database.rows(sql`select 1 as ok`);
    return true;
  } catch {
    return false;
  }
}

/**
 * A bulk write in chunks, so each statement stays well under Postgres's 65,535 parameters
 * (a 2,000-row import). Returns every chunk's rows in order.
 */
export async function inChunks<T, R>(
  items: readonly T[],
  write: (chunk: T[]) => Promise<R[]>,
  size = 500,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await write(items.slice(i, i + size))));
  return out;
}
