/**
 * pino, pretty in a terminal and JSON otherwise. Secrets are redacted wherever they might appear
 * in a logged object; code never logs them on purpose either.
 */
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'stateSecret',
  'appPassword',
  'password',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.clientSecret',
  '*.stateSecret',
  '*.appPassword',
  '*.password',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'keyReference',
  '*.keyReference',
];

/**
 * Errors as logged: a failed database query keeps its SQL but never its parameters (they can hold
 * what people typed, licence key references included), and its message is cut before them.
 */
export function safeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (!serialized || typeof serialized !== 'object') return serialized;
  const { params: _params, ...rest } = serialized;
  if (typeof rest.message === 'string') rest.message = rest.message.split('\nparams:')[0];
  if (typeof rest.stack === 'string') rest.stack = rest.stack.replace(/\nparams:[^\n]*/g, '');
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof Error)
    rest.cause = { type: cause.name, message: cause.message, code: (cause as { code?: string }).code };
  return rest;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'spoc' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: safeError },
  };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino(options);
}

/** A logger that writes nothing, for tests. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** A short reference a person can read out to their ICT lead, logged beside the fault it names. */
export function errorRef(): string {
  return `E-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/**
 * Process-level safety net for the server: a promise rejection nobody handled (a library's
 * fire-and-forget call, say) is logged with a reference and SPOC keeps serving, instead of
 * Node's default of ending the process and every request in flight with it.
 */
export function logUnhandledRejections(log: Logger, target: NodeJS.EventEmitter = process): void {
  target.on('unhandledRejection', (reason: unknown) => {
    log.error({ err: reason, ref: errorRef() }, 'unexpected error nobody handled: logged, still serving');
  });
}
