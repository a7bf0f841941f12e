/**
 * pino, pretty in a terminal and JSON otherwise. Secrets are redacted wherever they might appear
 * in a logged object; code never logs them on purpose either.
 */
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
