import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../log';

/**
 * The Web API client echoes every request and response body at debug: messages, cards and forms
 * holding what people typed. Those lines are dropped; the rest (method, timings) are kept.
 */
const PAYLOAD_ECHO = /^http (request body|request result|response body)/;

/** Bolt's logger interface, writing through pino. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) => msg.map(String).join(' ');
  return {
    debug: (...msg: unknown[]) => {
      const line = text(msg);
      if (!PAYLOAD_ECHO.test(line)) child.debug(line);
    },
    info: (...msg: unknown[]) => child.info(text(msg)),
    warn: (...msg: unknown[]) => child.warn(text(msg)),
    error: (...msg: unknown[]) => child.error(text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
