import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logUnhandledRejections } from '../src/log';

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

describe('logging database faults', () => {
  it('keeps the query but never its parameters', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger('info', sink);
    const error = Object.assign(
      new Error('Failed query: insert into "licences" values ($1, $2)\nparams: Purple Mash,Safe envelope 4'),
      {
        query: 'insert into "licences" values ($1, $2)',
        params: ['Purple Mash', 'Safe envelope 4'],
        cause: Object.assign(new Error('value "3000000000" is out of range for type integer'), {
          code: '22003',
        }),
      },
    );
    log.error({ err: error, ref: 'E-1' }, 'slack listener failed');
    const out = lines.join('');
    expect(out).toContain('insert into \\"licences\\"');
    expect(out).toContain('out of range for type integer');
    expect(out).not.toContain('Safe envelope 4');
  });
});

describe('the process-level safety net', () => {
  it('logs a rejection nobody handled with a reference, and leaves the process running', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const target = new EventEmitter();
    logUnhandledRejections(createLogger('info', sink), target);
    target.emit('unhandledRejection', new Error('a library forgot to await'), Promise.resolve());
    const [line] = lines.map(
      (l) => JSON.parse(l) as { level: number; ref: string; err: { message: string } },
    );
    expect(line).toMatchObject({ level: 50, err: { message: 'a library forgot to await' } });
    expect(line?.ref).toMatch(/^E-[0-9A-F]{8}$/);
  });
});
