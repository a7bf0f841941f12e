/**
 * Delivers outbox messages with retries. Several dispatchers (one per process) may run at once:
 * each leases due rows with `skip locked` and renews each lease while its send is in flight. Up to
 * `concurrency` sends are in flight at once, each of a different order key and a different
 * channel; rows sharing an order key go strictly one after another (a row is leased only once no
 * earlier row of its key is pending, so never two of a key at once, in any process). Sends to one
 * channel are paced (`paceMs`, about one a second, as Slack allows), so a backlog spreads across
 * channels instead. A send whose outcome is unknown (a timeout, a crash) leaves the row in doubt,
 * and its next attempt looks on the platform before sending again. A platform outage only delays
 * messages; nothing is dropped without being recorded as dead.
 */
import type { Db } from '../db/client';
import {
  channelsWaiting,
  type Lease,
  type LeasedRow,
  leaseDue,
  markDead,
  markSent,
  type OutboxRow,
  renewLease,
  reschedule,
} from '../db/queries/outbox';
import { isDatabaseUnavailable } from '../db/unavailable';
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
  /**
   * The message may have reached the platform even so (it failed after sending): the next attempt
   * looks before sending again. Any error that is not a `DeliveryRetry` is taken to mean this.
   */
  inDoubt?: boolean;
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
  /**
   * Sends one message. `row.inDoubt` says an earlier attempt may have reached the platform: look
   * for it there before sending again. Throw `DeliveryRetry` for an outcome known not to have sent
   * anything; any other error leaves the message in doubt.
   */
  deliver(row: OutboxRow): Promise<void>;
}

export interface DispatcherOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  deliverer: Deliverer;
  /** Most messages sent in one pass before yielding to the next (the timer or a kick resumes). */
  maxPerPass?: number;
  /** Most sends in flight at once (each of its own order key and channel). */
  concurrency?: number;
  /**
   * The least time between two sends to one channel from this process (Slack lets an app post
   * about one message a second to a channel); 0 paces nothing. Each process paces its own sends.
   */
  paceMs?: number;
  /** How long a lease lasts; it is renewed every third of this while a send is in flight. */
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

/** The least wait for a channel's turn: the channels freed meanwhile are leased together. */
const PACE_TICK_MS = 50;

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
  const maxPerPass = options.maxPerPass ?? 1_000;
  // Short, because it is renewed while a send is in flight: after a crash its messages wait no longer.
  const leaseMs = options.leaseMs ?? 15_000;
  const maxAttempts = options.maxAttempts ?? 200;
  const concurrency = Math.max(options.concurrency ?? 10, 1);
  const paceMs = Math.max(options.paceMs ?? 1_000, 0);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DispatchCounts> | undefined;
  let again = false;
  let stopped = false;
  // The database going away is said once, and its return once: not a stack trace every poll.
  let databaseDown = false;

  /** Runs `send` while renewing the row's lease, so a slow send never outlives it. */
  async function holding(lease: Lease, row: OutboxRow, send: () => Promise<void>): Promise<void> {
    let renewing: Promise<void> = Promise.resolve();
    const beat = setInterval(
      () => {
        renewing = renewing.then(async () => {
          const until = new Date(clock.now().getTime() + leaseMs);
          try {
            if (await renewLease(db, lease, until)) lease.lockedUntil = until;
            else log.warn({ outboxId: row.id }, 'outbox lease lost during a slow send');
          } catch (error) {
            log.warn({ outboxId: row.id, err: error }, 'could not renew an outbox lease');
          }
        });
      },
      Math.max(Math.floor(leaseMs / 3), 1),
    );
    try {
      await send();
    } finally {
      clearInterval(beat);
      // A renewal under way must land before the outcome is marked against the lease.
      await renewing;
    }
  }

  async function deliverOne(row: OutboxRow, counts: DispatchCounts): Promise<void> {
    // The lease we hold: marks only land while it is still ours.
    const lease: Lease = { id: row.id, lockedUntil: row.lockedUntil };
    let failure: unknown;
    await holding(lease, row, async () => {
      try {
        await deliverer.deliver(row);
      } catch (error) {
        failure = error;
      }
    });
    if (failure === undefined) {
      // Outside the delivery error path: a failed write here must not look like a failed send.
      // Should it fail, the row stays in doubt and its next attempt finds the message sent.
      if (!(await markSent(db, lease, clock.now())))
        log.warn({ outboxId: row.id }, 'sent, but the lease had run out before it was marked');
      counts.sent++;
      return;
    }
    const retry = failure instanceof DeliveryRetry ? failure.options : { inDoubt: true };
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
    // Doubt about an earlier attempt stays until the message is found or sent.
    await reschedule(db, lease, at, reason, {
      countAttempt: !retry.waiting,
      inDoubt: retry.inDoubt === true || row.inDoubt,
    });
    counts.retried++;
    log.warn(
      { outboxId: row.id, schoolId: row.schoolId, attempts: row.attempts, retryAt: at, reason },
      'delivery failed; will retry',
    );
  }

  // Channels this process is sending to, and when each may next be sent to (real time: the
  // platform's pace is in real seconds, whatever clock the commands run on).
  const sending = new Set<string>();
  const nextSend = new Map<string, number>();
  let poke: (() => void) | undefined;
  // Kicks so far: a kick during a lease (whose snapshot may predate the rows that caused it) makes
  // the pass lease again rather than wait.
  let kicks = 0;

  /** Channels a lease must leave alone now: being sent to, or sent to too recently. */
  function busyChannels(at: number): string[] {
    for (const [key, free] of nextSend) if (free <= at && !sending.has(key)) nextSend.delete(key);
    return [...new Set([...sending, ...nextSend.keys()])];
  }

  /** Until the channels held only by their pace are free again, or a kick; at most `ms`. */
  function nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(ms, 1));
      function done() {
        clearTimeout(timer);
        if (poke === done) poke = undefined;
        resolve();
      }
      poke = done;
    });
  }

  /** How long until the first of `keys` may be sent to again. */
  function untilFree(keys: Iterable<string>, at: number): number {
    let soonest = Number.POSITIVE_INFINITY;
    for (const key of keys) soonest = Math.min(soonest, (nextSend.get(key) ?? at) - at);
    return soonest;
  }

  async function send(row: LeasedRow, counts: DispatchCounts): Promise<void> {
    const channel = row.channelKey;
    if (channel) sending.add(channel);
    try {
      await deliverOne(row, counts);
    } catch (error) {
      // The outcome could not be recorded (the database went away): the lease runs out and the
      // row, still in doubt, is looked for on the platform before it is sent again.
      passFailed(error);
    } finally {
      // Counted from the end of the send: whenever in it the platform was called, the next call
      // to this channel comes at least a pace later.
      if (channel) {
        nextSend.set(channel, Date.now() + paceMs);
        sending.delete(channel);
      }
    }
  }

  async function pass(): Promise<DispatchCounts> {
    const counts: DispatchCounts = { sent: 0, retried: 0, dead: 0 };
    const inFlight = new Set<Promise<void>>();
    let leased = 0;
    // The last lease found all it could: ask again once something changes (a send ends, a
    // channel's pace is up, a kick).
    let dry = false;
    let seen = kicks;
    let failure: unknown;
    try {
      // Stopping finishes the sends in hand and leases no more.
      while (!stopped) {
        const room = Math.min(concurrency - inFlight.size, maxPerPass - leased);
        // A lease walks the backlog: after one that found less than it asked for, the next waits
        // for half the slots to be free (or none in flight, a channel's turn, a kick).
        if (room > 0 && !dry) {
          seen = kicks;
          const rows = await leaseDue(db, clock.now(), leaseMs, room, busyChannels(Date.now()));
          for (const row of rows) {
            leased++;
            const sent: Promise<void> = send(row, counts).finally(() => inFlight.delete(sent));
            inFlight.add(sent);
          }
          dry = rows.length < room && kicks === seen;
          if (!dry) continue;
        }
        const paced = [...nextSend.keys()].filter((key) => !sending.has(key));
        if (inFlight.size === 0) {
          if (leased >= maxPerPass) break;
          // Nothing in flight and nothing to lease: done, unless rows wait only for their
          // channel's pace, whose turn comes within a second.
          const waiting = await channelsWaiting(db, clock.now(), paced);
          if (kicks !== seen) {
            dry = false;
            continue;
          }
          if (waiting.length === 0) break;
          await nap(Math.max(untilFree(waiting, Date.now()), PACE_TICK_MS));
          dry = false;
        } else {
          let turn = false;
          const turnCame = () => {
            turn = true;
          };
          const paceUp =
            paced.length > 0
              ? [nap(Math.max(untilFree(paced, Date.now()), PACE_TICK_MS)).then(turnCame)]
              : [];
          await Promise.race([...inFlight, ...paceUp]);
          dry = !(
            turn ||
            kicks !== seen ||
            inFlight.size === 0 ||
            concurrency - inFlight.size >= Math.ceil(concurrency / 2)
          );
        }
      }
    } catch (error) {
      failure = error;
    }
    await Promise.allSettled(inFlight);
    if (failure !== undefined) throw failure;
    return counts;
  }

  /** Logs a failed pass: the database being away once (and its return once), anything else in full. */
  function passFailed(error: unknown): void {
    if (isDatabaseUnavailable(error)) {
      if (!databaseDown) log.warn('outbox: the database is not answering; messages wait until it is back');
      databaseDown = true;
      return;
    }
    log.error({ err: error }, 'outbox pass failed');
  }

  function runOnce(): Promise<DispatchCounts> {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .then((counts) => {
        if (databaseDown) log.info('outbox: the database is back; sending what waited');
        databaseDown = false;
        return counts;
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void runOnce().catch(passFailed);
        }
      });
    return running;
  }

  return {
    runOnce,
    start(intervalMs = 2_000) {
      stopped = false;
      timer = setInterval(() => {
        runOnce().catch(passFailed);
      }, intervalMs);
      timer.unref();
    },
    kick() {
      if (stopped) return;
      // A pass waiting on a channel's pace looks again now: the new rows may be for others.
      kicks++;
      poke?.();
      setImmediate(() => {
        runOnce().catch(passFailed);
      });
    },
    async stop() {
      stopped = true;
      poke?.();
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
