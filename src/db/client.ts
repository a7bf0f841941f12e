/**
 * Opens the database: Postgres through postgres.js when a URL is given, otherwise embedded
 * PGlite in a directory (or in memory for tests). Both are driven by the same schema and queries.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { OperatorError } from '../operator-error';
import { queryTimeout, raceDeadline } from './deadline';
import * as schema from './schema';
import { DatabaseDeadlineError } from './unavailable';

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
  /**
   * Runs `fn` only if no other process is running work under the same key: on Postgres, under a
   * session advisory lock taken with `pg_try_advisory_lock` on a connection reserved for it (so the
   * lock is released if this process dies). `{ ran: false }` when another holds it. Embedded PGlite
   * has one process by construction (`spoc.lock`), so `fn` just runs.
   */
  exclusive<T>(key: number, fn: () => Promise<T>): Promise<Exclusive<T>>;
  close(): Promise<void>;
}

export type Exclusive<T> = { ran: true; value: T } | { ran: false };

export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true };

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Arbitrary constant shared by every SPOC process: "migrations in progress". */
const MIGRATION_LOCK = 7_110_501;

/** Normalises `db.execute` results: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * Bounds on Postgres (see docs/architecture.md, "Timeouts and readiness"). A connection that is not
 * made within CONNECT_TIMEOUT_S fails; the server cancels a statement running past
 * STATEMENT_TIMEOUT_MS and ends a transaction left idle past IDLE_IN_TRANSACTION_MS (a client that
 * stalled mid-transaction must not hold its locks for long). A stalled network is bounded on the
 * client, per request (`withQueryTimeout`, deadline.ts). Migrations have their own connection with
 * no statement bound: they may take as long as they need.
 */
export const CONNECT_TIMEOUT_S = 5;
export const STATEMENT_TIMEOUT_MS = 15_000;
export const IDLE_IN_TRANSACTION_MS = 30_000;

/** Connections each process keeps to Postgres, unless DATABASE_URL says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/**
 * The pool's size: `max` in DATABASE_URL's query string (postgres.js's own parameter, e.g.
 * `postgres://spoc@db/spoc?max=5`), else DEFAULT_POOL_SIZE. Several replicas share the server's
 * `max_connections`, so each may be given fewer.
 */
export function poolSizeOf(url: string): number {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const max = Number(new URLSearchParams(query).get('max') ?? Number.NaN);
  return Number.isInteger(max) && max > 0 ? max : DEFAULT_POOL_SIZE;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('url' in target) {
    const client = postgres(target.url, {
      max: poolSizeOf(target.url),
      onnotice: () => {},
      connect_timeout: CONNECT_TIMEOUT_S,
      // Probes an idle connection whose peer went away, rather than waiting for the OS's default.
      keep_alive: 10,
      // postgres.js waits up to 20 s (3^n / 100 s) before reconnecting after failed attempts: a
      // database back after a restart would go unused for that long. At most half a second.
      backoff: (attempts: number) => Math.min(0.05 * 2 ** attempts, 0.5),
      connection: {
        application_name: 'spoc',
        statement_timeout: STATEMENT_TIMEOUT_MS,
        idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
      },
    });
    const db = drizzlePostgres({ client: boundedSql(client), schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      rows: async (q) => rowsOf(await db.execute(q)),
      migrate: () => migratePostgresLocked(target.url),
      async exclusive(key, fn) {
        const reserved = await client.reserve();
        try {
          const [taken] = await reserved<{ ok: boolean }[]>`select pg_try_advisory_lock(${key}) as ok`;
          if (!taken?.ok) return { ran: false };
          try {
            return { ran: true, value: await fn() };
          } finally {
            // If the connection is gone the lock went with it; nothing to undo then.
            await reserved`select pg_advisory_unlock(${key})`.catch(() => {});
          }
        } finally {
          reserved.release();
        }
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  // PGlite (about 50 MiB resident before it opens anything) is loaded only for the embedded database.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
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
    exclusive: async (_key, fn) => ({ ran: true, value: await fn() }),
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
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** `select 1` answered within `ms`, for `/readyz`. */
export async function ping(database: Database, ms = 800): Promise<boolean> {
  try {
    await raceDeadline(database.rows(sql`select 1 as ok`), ms);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The pool as drizzle sees it: while a request's bound is in force (`withQueryTimeout`), each
// query and each transaction's BEGIN and COMMIT is raced against it. drizzle calls only
// `unsafe` (with or without `.values()`), `begin` and, inside a transaction, `savepoint`.
//
// And, bound or not, a query or transaction the driver failed before sending it is sent again.
// postgres.js (3.4.9, porsager/postgres#1223) keeps the error of a session the server ended in
// the middle of a query (57P01 when Postgres restarts) on that connection; the connection
// reconnects at its next use, and fails the query it reconnected for with that old error without
// ever sending it. After a restart, each connection that was busy fails once that way: a person
// pressing Submit again once the database is back would be told it is still away.

type Sql = postgres.Sql;
type Pending = { values(): unknown; cancel(): unknown } & PromiseLike<unknown>;

/**
 * How many times a query the driver never sent is sent again. Each connection replays its old
 * error once and is healthy after that; the next attempt normally takes that very connection.
 */
const UNSENT_RETRIES = 2;

/**
 * The driver rejected `query` with an error from the server before handing it to a connection:
 * it never reached Postgres, so it cannot have done anything, and sending it again is safe.
 * (postgres.js sets a query's `state` when a connection takes it.) A connection that could not
 * be made fails with a socket error instead, and that is not tried again: the database is away.
 */
function failedUnsent(query: unknown, error: unknown): boolean {
  // `state` is null until then; should a later postgres.js drop the field, nothing is retried.
  const taken = !(query instanceof Object) || !('state' in query) || query.state !== null;
  return !taken && error instanceof postgres.PostgresError;
}

interface TxState {
  /** Set once the transaction was given up on: nothing more runs in it and it never commits. */
  abandoned?: Error;
  abandon(error: Error): void;
}

function boundedSql(sql: Sql): Sql {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (...args: Parameters<Sql['unsafe']>) => pooled(() => target.unsafe(...args), queryTimeout());
      if (prop === 'begin') return (...args: unknown[]) => boundedBegin(target, args);
      return Reflect.get(target, prop, receiver);
    },
  });
}

function boundedTx(tx: postgres.TransactionSql, state: TxState, ms: number): postgres.TransactionSql {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (...args: Parameters<Sql['unsafe']>) => bounded(target.unsafe(...args), ms, state);
      if (prop === 'savepoint')
        return (...args: unknown[]) => {
          const fn = args.pop() as (s: postgres.TransactionSql) => unknown;
          const inner = (s: postgres.TransactionSql) => fn(boundedTx(s, state, ms));
          return (target.savepoint as (...a: unknown[]) => Promise<unknown>)(...args, inner);
        };
      return Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * A lazy query as drizzle sees it (postgres.js runs a query when it is awaited): `run` starts
 * when it is first awaited; `values()` and `cancel()` apply to the attempt under way, `current()`.
 */
function lazy<Q extends Pending>(current: () => Q, run: () => Promise<unknown>, onValues: () => void): Q {
  let running: Promise<unknown> | undefined;
  const start = () => {
    running ??= run();
    return running;
  };
  const wrapper = {
    values() {
      onValues();
      return wrapper;
    },
    cancel: () => current().cancel(),
    // biome-ignore lint/suspicious/noThenProperty: a query is a thenable, as postgres.js's own are.
    then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) => start().then(ok, fail),
    catch: (fail: (e: unknown) => unknown) => start().catch(fail),
    finally: (done: () => void) => start().finally(done),
  };
  return wrapper as unknown as Q;
}

/**
 * A query on the pool (outside a transaction): made again by `make` and sent again when the
 * driver failed it unsent (above), and raced against `ms` when a request's bound is in force.
 * One that timed out is cancelled: taken out of the queue if it was still waiting for a
 * connection, otherwise cancelled on the server once it can be reached; it is not tried again.
 */
function pooled<Q extends Pending>(make: () => Q, ms: number | undefined): Q {
  let query = make();
  let asValues = false;
  let timedOut = false;
  const attempt = async (retries: number): Promise<unknown> => {
    const sent = query;
    try {
      return await sent;
    } catch (error) {
      if (timedOut || retries >= UNSENT_RETRIES || !failedUnsent(sent, error)) throw error;
      query = make();
      if (asValues) query.values();
      return attempt(retries + 1);
    }
  };
  return lazy(
    () => query,
    () =>
      ms === undefined
        ? attempt(0)
        : raceDeadline(attempt(0), ms, () => {
            timedOut = true;
            Promise.resolve(query.cancel()).catch(() => {});
          }),
    () => {
      asValues = true;
      query.values();
    },
  );
}

/**
 * A query in a transaction under a request's bound, raced against `ms`. One that timed out is
 * cancelled (as above) and gives the transaction up. Never sent again: its connection is the
 * transaction's.
 */
function bounded<Q extends Pending>(query: Q, ms: number, tx: TxState): Q {
  return lazy(
    () => query,
    () =>
      tx.abandoned
        ? Promise.reject(tx.abandoned)
        : raceDeadline(query, ms, () => {
            tx.abandon(new DatabaseDeadlineError(ms));
            Promise.resolve(query.cancel()).catch(() => {});
          }),
    () => query.values(),
  );
}

/**
 * `sql.begin(...args, fn)`, begun again when the driver failed it with an error from the server
 * before `fn` ran — before the transaction did anything (see `failedUnsent`). `stop()` says the
 * caller has given up, so nothing is begun again.
 */
async function beginOnce(
  sql: Sql,
  args: unknown[],
  fn: (tx: postgres.TransactionSql) => unknown,
  stop: () => boolean = () => false,
): Promise<unknown> {
  const begin = sql.begin as (...a: unknown[]) => Promise<unknown>;
  for (let retries = 0; ; retries++) {
    let ran = false;
    try {
      return await begin(...args, (tx: postgres.TransactionSql) => {
        ran = true;
        return fn(tx);
      });
    } catch (error) {
      const unsent = !ran && error instanceof postgres.PostgresError;
      if (!unsent || stop() || retries >= UNSENT_RETRIES) throw error;
    }
  }
}

/**
 * A transaction under a request's bound. Each statement in it is bounded (above); so are BEGIN
 * (with the wait for a free connection) and COMMIT, which postgres.js sends itself. Once a bound
 * is passed the caller is answered at once: the transaction rolls back whenever the connection
 * answers again, and one whose BEGIN comes back late runs nothing.
 */
function boundedBegin(sql: Sql, args: unknown[]): Promise<unknown> {
  const ms = queryTimeout();
  const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
  if (ms === undefined) return beginOnce(sql, args, fn);
  let giveUp!: (error: Error) => void;
  const gaveUp = new Promise<never>((_resolve, reject) => {
    giveUp = reject;
  });
  const state: TxState = {
    abandon(error) {
      if (state.abandoned) return;
      state.abandoned = error;
      giveUp(error);
    },
  };
  const arm = () => setTimeout(() => state.abandon(new DatabaseDeadlineError(ms)), ms);
  let timer = arm();
  const run = beginOnce(
    sql,
    args,
    async (tx: postgres.TransactionSql) => {
      clearTimeout(timer);
      if (state.abandoned) throw state.abandoned;
      try {
        return await fn(boundedTx(tx, state, ms));
      } finally {
        if (!state.abandoned) timer = arm();
      }
    },
    () => state.abandoned !== undefined,
  );
  return Promise.race([run, gaveUp]).finally(() => clearTimeout(timer));
}
