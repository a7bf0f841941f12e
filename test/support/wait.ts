/** Small helpers the tests share. */

/** Polls until `probe` gives a value (real timers; the app under test answers asynchronously). */
export async function until<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The value of a successful command result; a failure fails the test with its code and message. */
export function must<T>(
  result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/**
 * Resolves once `count` has not changed for `quietMs` (at most `maxMs` in all): for an app that
 * answers a request before it has finished what the request set going (Bolt acks first; the outbox
 * sends in the background).
 */
export async function settle(count: () => number, quietMs = 250, maxMs = 5_000): Promise<void> {
  const started = Date.now();
  let last = count();
  let since = Date.now();
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 25));
    const now = count();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}
