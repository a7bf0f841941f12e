/**
 * Secrets at rest (Slack bot tokens from OAuth installs): AES-256-GCM from node:crypto, with a
 * fresh 96-bit nonce per value and the key's id stored beside it, so values sealed with an older
 * key can still be opened while the operator rotates (`npm run spoc -- rotate-key`).
 *
 * A sealed value reads `v1.<key id>.<nonce>.<tag>.<ciphertext>` (base64url parts). The key id is
 * the first 8 hex digits of the key's SHA-256: enough to pick the key, nothing to recover it.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;

/** Reads one key as the operator gives it: 32 bytes in base64 (44 characters) or hex (64). */
export function parseKey(text: string): Buffer | undefined {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== KEY_BYTES || (!/^[0-9a-f]{64}$/i.test(t) && key.toString('base64') !== t))
    return undefined;
  return key;
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

export interface Sealer {
  /** Id of the key new values are sealed with. */
  readonly currentKeyId: string;
  seal(plain: string): string;
  /** Opens a value sealed with any of the keys; a SealError names the key it needs. */
  open(sealed: string): string;
  /** True when a value is sealed with a key other than the current one. */
  isStale(sealed: string): boolean;
}

/** A sealer over the operator's keys: the first seals, all of them open (old ones during a rotation). */
export function createSealer(keys: readonly Buffer[]): Sealer {
  const [current] = keys;
  if (!current) throw new Error('createSealer needs at least one key');
  const byId = new Map(keys.map((k) => [keyId(k), k]));
  const currentKeyId = keyId(current);
  const b64 = (b: Buffer) => b.toString('base64url');
  return {
    currentKeyId,
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, currentKeyId, b64(nonce), b64(cipher.getAuthTag()), b64(body)].join('.');
    },
    open(sealed) {
      const [version, id, nonce, tag, body] = sealed.split('.');
      if (version !== VERSION || !id || nonce === undefined || tag === undefined || body === undefined)
        throw new SealError('not a sealed value');
      const key = byId.get(id);
      if (!key) throw new SealError(`sealed with key ${id}, which SPOC_ENCRYPTION_KEY does not hold`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SealError(`a value sealed with key ${id} does not open: altered or corrupt`);
      }
    },
    isStale(sealed) {
      return sealed.split('.')[1] !== currentKeyId;
    },
  };
}
