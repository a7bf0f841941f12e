/**
 * Delivers outbox messages with retries. Several dispatchers (one per process) may run at once:
 * rows are leased with `skip locked`, and rows sharing an order key go strictly one after another.
 * A platform outage only delays messages; nothing is dropped without being recorded as dead.
 */
import type { Db } from '../db/client';
import { leaseDue, markDead, markSent, type OutboxRow, reschedule } from '../db/queries/outbox';
import type { Clock } from '../domain/clock';
import type { Logger } from '../log';

export interface RetryOptions {
  /** When to try again; unset means the usual backoff. */
  at?: Date;
  /** Never try again: the message is recorded as dead. */
  permanent?: boolean;
  /**
   * The message is waiting on something outside it (no SPOC channel yet, bot removed from the
   * channel): the wait is not a failed attempt, so it never runs out of attempts.
   */
  waiting?: boolean;
}

/** Thrown by a deliverer to say when to try again, or that trying again is pointless. */
export class DeliveryRetry extends Error {
  constructor(
    message: string,
    readonly options: RetryOptions = {},
  ) {
    super(message);
    this.name = 'DeliveryRetry';
  }
}

export interface Deliverer {
  deliver(row: OutboxRow): Promise<void>;
}

export interface DispatcherOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  deliverer: Deliverer;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

export interface DispatchCounts {
  sent: number;
  retried: number;
  dead: number;
}

const BASE_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 15 * 60_000;

/** 5 s, 10 s, 20 s … capped at 15 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
}

export interface OutboxDispatcher {
  /** Delivers everything due now; returns what happened. */
  runOnce(): Promise<DispatchCounts>;
  /** Polls every `intervalMs` until stopped. */
  start(intervalMs?: number): void;
  /** Runs a pass soon (a command just wrote messages). */
  kick(): void;
  stop(): Promise<void>;
}

export function createOutboxDispatcher(options: DispatcherOptions): OutboxDispatcher {
  const { db, clock, log, deliverer } = options;
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DispatchCounts> | undefined;
  let again = false;
  let stopped = false;

  async function deliverOne(row: OutboxRow, counts: DispatchCounts): Promise<void> {
    // The lease we hold: marks only land while it is still ours.
    const lease = { id: row.id, lockedUntil: row.lockedUntil };
    let failure: unknown;
    try {
      await deliverer.deliver(row);
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) {
      // Outside the delivery error path: a failed write here must not look like a failed send.
      await markSent(db, lease, clock.now());
      counts.sent++;
      return;
    }
    const retry = failure instanceof DeliveryRetry ? failure.options : {};
    const reason = failure instanceof Error ? failure.message : String(failure);
    if (retry.permanent || (!retry.waiting && row.attempts >= maxAttempts)) {
      await markDead(db, lease, reason);
      counts.dead++;
      log.error(
        { outboxId: row.id, schoolId: row.schoolId, attempts: row.attempts, reason },
        'message undeliverable',
      );
      return;
    }
    const at = retry.at ?? new Date(clock.now().getTime() + backoffMs(row.attempts));
    await reschedule(db, lease, at, reason, !retry.waiting);
    counts.retried++;
    log.warn(
      { outboxId: row.id, schoolId: row.schoolId, attempts: row.attempts, retryAt: at, reason },
      'delivery failed; will retry',
    );
  }

  async function releaseUnsent(rows: OutboxRow[]): Promise<void> {
    for (const row of rows) {
      const lease = { id: row.id, lockedUntil: row.lockedUntil };
      await reschedule(db, lease, clock.now(), 'not sent yet: SPOC was stopping', false);
    }
    if (rows.length > 0)
      log.info({ count: rows.length }, 'stopping: queued messages left for the next start');
  }

  async function pass(): Promise<DispatchCounts> {
    const counts: DispatchCounts = { sent: 0, retried: 0, dead: 0 };
    // Each lease takes at most one row per order key, so keep going until nothing is due.
    for (let round = 0; round < 50 && !stopped; round++) {
      const rows = await leaseDue(db, clock.now(), leaseMs, batchSize);
      if (rows.length === 0) break;
      for (const [i, row] of rows.entries()) {
        // Stopping: the message in hand is finished; the rest of the batch is handed back at once
        // (its attempt given back) rather than left leased until the lease runs out.
        if (stopped) {
          await releaseUnsent(rows.slice(i));
          break;
        }
        await deliverOne(row, counts);
      }
    }
    return counts;
  }

  function runOnce(): Promise<DispatchCounts> {
    if (running) {
      again = true;
      return running;
    }
    running = pass().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        void runOnce().catch((error) => log.error({ err: error }, 'outbox pass failed'));
      }
    });
    return running;
  }

  return {
    runOnce,
    start(intervalMs = 2_000) {
      stopped = false;
      timer = setInterval(() => {
        runOnce().catch((error) => log.error({ err: error }, 'outbox pass failed'));
      }, intervalMs);
      timer.unref();
    },
    kick() {
      if (stopped) return;
      setImmediate(() => {
        runOnce().catch((error) => log.error({ err: error }, 'outbox pass failed'));
      });
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
