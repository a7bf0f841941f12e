import { describe, expect, it } from 'vitest';
import { createSealer, keyId, parseKey, SealError } from '../../src/db/encryption';

const A = Buffer.alloc(32, 0xa1);
const B = Buffer.alloc(32, 0xb2);

describe('sealing secrets at rest', () => {
  it('round-trips, with a fresh nonce each time, and names the key beside the value', () => {
    const sealer = createSealer([A]);
    const one = sealer.seal('xoxb-secret-token');
    const two = sealer.seal('xoxb-secret-token');
    expect(one).not.toBe(two);
    expect(one).not.toContain('xoxb');
    expect(one.split('.')).toHaveLength(5);
    expect(one.split('.')[1]).toBe(keyId(A));
    expect(sealer.open(one)).toBe('xoxb-secret-token');
  });

  it('refuses a value altered after sealing (GCM tag)', () => {
    const sealer = createSealer([A]);
    const parts = sealer.seal('xoxb-secret-token').split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => sealer.open(parts.join('.'))).toThrow(SealError);
  });

  it('opens values of an older key during a rotation, and says which key a value needs', () => {
    const old = createSealer([B]).seal('xoxb-old');
    const rotating = createSealer([A, B]);
    expect(rotating.open(old)).toBe('xoxb-old');
    expect(rotating.isStale(old)).toBe(true);
    expect(rotating.isStale(rotating.seal('x'))).toBe(false);
    expect(() => createSealer([A]).open(old)).toThrow(`sealed with key ${keyId(B)}`);
  });

  it.each([
    [Buffer.alloc(32, 7).toString('base64'), true],
    [Buffer.alloc(32, 7).toString('hex'), true],
    [Buffer.alloc(16, 7).toString('base64'), false],
    ['not a key at all', false],
    ['', false],
  ])('reads a key written as %s: %s', (text, ok) => {
    expect(parseKey(text) !== undefined).toBe(ok);
  });
});
