import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log';

describe('logging', () => {
  it('never writes secrets, wherever they sit in a logged object', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info(
      { token: 'xoxb-secret-1', slack: { botToken: 'xoxb-secret-2', signingSecret: 'sig-secret' } },
      'starting',
    );
    log.info({ req: { headers: { authorization: 'Bearer xoxb-secret-3' } } }, 'request');
    const out = lines.join('');
    expect(out).toContain('starting');
    expect(out).not.toMatch(/secret-[123]|sig-secret/);
    expect(out).toContain('[redacted]');
  });
});
