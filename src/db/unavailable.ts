/**
 * "The database did not answer" as opposed to "the database said no": a refused, reset or stalled
 * connection, a timeout, or a server that is shutting down or still starting. Such a failure is
 * worth an apology and a retry; anything else (a constraint, a bug) is not.
 */

/** A query on a request's path that did not finish within its deadline. */
export class DatabaseDeadlineError extends Error {
  readonly code = 'SPOC_DB_DEADLINE';
  constructor(readonly ms: number) {
    super(`The database did not answer within ${ms} ms`);
    this.name = 'DatabaseDeadlineError';
  }
}

/** Socket-level error codes (node:net and postgres.js's own CONNECTION_* / CONNECT_TIMEOUT). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'SPOC_DB_DEADLINE',
]);

/**
 * Postgres SQLSTATEs that mean "not now": class 08 (connection exception), 57014 query_canceled
 * (statement_timeout), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now,
 * 53300 too_many_connections.
 */
const UNAVAILABLE_STATES = new Set(['57014', '57P01', '57P02', '57P03', '53300']);

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True when the error (or anything in its `cause` chain — drizzle wraps driver errors in a
 * DrizzleQueryError) means the database could not be reached or did not answer in time.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
    if (current instanceof DatabaseDeadlineError) return true;
    const code = codeOf(current);
    if (code) {
      if (CONNECTION_CODES.has(code) || UNAVAILABLE_STATES.has(code)) return true;
      if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * What to log for an unavailable database: the innermost cause's code and message (a driver's
 * "connect ECONNREFUSED 127.0.0.1:5432"), never drizzle's wrapper, which quotes the query's
 * parameters — people's words.
 */
export function unavailableReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 8; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (!cause || typeof cause !== 'object') break;
    current = cause;
  }
  if (!(current instanceof Error)) return String(current);
  const code = codeOf(current);
  return code && !current.message.includes(code) ? `${code}: ${current.message}` : current.message;
}
