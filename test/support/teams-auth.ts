/**
 * Bot Framework authentication, offline: a test RSA key published as the Bot Framework's OpenID
 * metadata and keys (pinned with nock), tokens signed with it as the channel signs them, and the
 * bot's own token for calling the connector (Entra's token endpoint, pinned too).
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import nock from 'nock';

export const BOT_FRAMEWORK_LOGIN = 'https://login.botframework.com';
export const OPENID_PATH = '/v1/.well-known/openidconfiguration';
export const KEYS_PATH = '/v1/.well-known/keys';
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function makeSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: 'jwk' });
  // As the Bot Framework publishes its keys: RSA, with the channels each key signs for.
  return { kid, privateKey, jwk: { kty: 'RSA', use: 'sig', kid, n, e, endorsements: ['msteams'] } };
}

/**
 * Publishes `keys` as the Bot Framework's signing keys. botbuilder caches them per process for a
 * day, so a test file pins them once (persisted) and keeps them.
 */
export function pinBotFrameworkKeys(keys: SigningKey[]): nock.Scope {
  return nock(BOT_FRAMEWORK_LOGIN)
    .persist()
    .get(OPENID_PATH)
    .reply(200, {
      issuer: CHANNEL_ISSUER,
      authorization_endpoint: 'https://invalid.botframework.com',
      jwks_uri: `${BOT_FRAMEWORK_LOGIN}${KEYS_PATH}`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    })
    .get(KEYS_PATH)
    .reply(200, { keys: keys.map((k) => k.jwk) });
}

export interface TokenClaims {
  appId: string;
  serviceUrl: string;
  /** Seconds since the epoch; an hour from now unless given. */
  exp?: number;
  nbf?: number;
  issuer?: string;
}

/** A token as the Teams channel sends it: RS256, issued by the Bot Framework, for the bot's app id. */
export function channelToken(key: SigningKey, claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    {
      serviceurl: claims.serviceUrl,
      nbf: claims.nbf ?? now - 60,
      exp: claims.exp ?? now + 3600,
      iss: claims.issuer ?? CHANNEL_ISSUER,
      aud: claims.appId,
    },
    key.privateKey,
    { algorithm: 'RS256', keyid: key.kid, noTimestamp: false },
  );
}

/** The same claims with `alg: none` and no signature, naming a key the channel does publish. */
export function unsignedToken(key: SigningKey, claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT', kid: key.kid })}.${part({
    serviceurl: claims.serviceUrl,
    nbf: now - 60,
    exp: now + 3600,
    iss: CHANNEL_ISSUER,
    aud: claims.appId,
  })}.`;
}

/**
 * The bot's own token for the connector, from Entra (client credentials). MSAL caches it, so it is
 * pinned for the whole file; the connector's pins check that it is the one sent.
 */
export const BOT_ACCESS_TOKEN = 'test-bot-access-token';
export function pinBotToken(tenant = 'botframework.com'): nock.Scope {
  return nock('https://login.microsoftonline.com')
    .persist()
    .post(`/${tenant}/oauth2/v2.0/token`)
    .query(true)
    .reply(200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: BOT_ACCESS_TOKEN,
    });
}
