/**
 * A client-side bound on the database for work that somebody is waiting on (a Slack request).
 *
 * Postgres's own `statement_timeout` cannot help when the network stalls: the server never hears
 * the query, the client never hears back, and the socket stays open for minutes. So each query
 * and transaction started inside `withQueryTimeout(ms, …)` is raced against `ms`: past it the
 * caller gets a `DatabaseDeadlineError` (see `unavailable.ts`) and can answer the person in time.
 * The query itself is cancelled if it has not been sent, and a transaction that timed out is
 * rolled back, never committed, whenever the connection comes back (see `client.ts`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DatabaseDeadlineError } from './unavailable';

const bound = new AsyncLocalStorage<number>();

/** Runs `fn` with every query it starts (directly or through callbacks) bounded by `ms`. */
export function withQueryTimeout<T>(ms: number, fn: () => T): T {
  return bound.run(ms, fn);
}

/** Runs `fn` with no request bound: background work started from a request (e.g. the outbox). */
export function withoutQueryTimeout<T>(fn: () => T): T {
  return bound.exit(fn);
}

/** The bound in force here, if any. */
export function queryTimeout(): number | undefined {
  return bound.getStore();
}

/**
 * `promise`, or a `DatabaseDeadlineError` after `ms` (then `onTimeout` runs). A late outcome of
 * `promise` is ignored (and never reported as unhandled).
 */
export function raceDeadline<T>(promise: PromiseLike<T>, ms: number, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new DatabaseDeadlineError(ms));
      onTimeout?.();
    }, ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
