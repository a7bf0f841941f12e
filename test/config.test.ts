import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config';

const HTTP = { SLACK_SIGNING_SECRET: 'sekrit', SLACK_BOT_TOKEN: 'xoxb-1' };
/** A 32-byte key as an operator writes it (base64), and another in hex. */
const KEY = Buffer.alloc(32, 1).toString('base64');
const OLD_KEY = Buffer.alloc(32, 2).toString('hex');

describe('parseConfig', () => {
  it('defaults to embedded PGlite under ./data, port 3000, worker on, and the playground on loopback', () => {
    const r = parseConfig({});
    expect(r).toEqual({
      ok: true,
      config: {
        database: { dataDir: './data' },
        port: 3000,
        host: '127.0.0.1',
        slack: null,
        teams: null,
        playground: true,
        worker: true,
        logLevel: 'info',
      },
    });
  });

  it('listens on every interface by default when Slack credentials are set', () => {
    const r = parseConfig(HTTP);
    expect(r.ok && r.config).toMatchObject({ host: '0.0.0.0', playground: false });
  });

  it('lets HOST move the playground off loopback', () => {
    const r = parseConfig({ HOST: '0.0.0.0', PORT: '8080' });
    expect(r.ok && r.config).toMatchObject({ host: '0.0.0.0', port: 8080, playground: true });
  });

  it.each([
    ['Slack over HTTP', HTTP],
    ['Socket Mode', { SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1' }],
    [
      'Slack OAuth',
      {
        SLACK_SIGNING_SECRET: 's',
        SLACK_CLIENT_ID: 'id',
        SLACK_CLIENT_SECRET: 'cs',
        SLACK_STATE_SECRET: 'st',
        SPOC_ENCRYPTION_KEY: KEY,
      },
    ],
    ['Teams', { TEAMS_APP_ID: 'a', TEAMS_APP_PASSWORD: 'p' }],
  ])('is not the playground with %s credentials', (_name, env) => {
    const r = parseConfig(env);
    expect(r.ok && r.config.playground).toBe(false);
  });

  it('still refuses half-set Slack credentials rather than falling back to the playground', () => {
    const r = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(r.ok).toBe(false);
  });

  it('ignores SLACK_API_URL alone: the playground runs its own', () => {
    const r = parseConfig({ SLACK_API_URL: 'http://127.0.0.1:9999/api' });
    expect(r.ok && r.config).toMatchObject({ playground: true, slack: null });
  });

  it.each([
    ['HTTP', HTTP, { kind: 'http', signingSecret: 'sekrit', botToken: 'xoxb-1' }],
    [
      'Socket Mode',
      { SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1' },
      { kind: 'socket', appToken: 'xapp-1', botToken: 'xoxb-1' },
    ],
    [
      'OAuth',
      {
        SLACK_SIGNING_SECRET: 's',
        SLACK_CLIENT_ID: 'id',
        SLACK_CLIENT_SECRET: 'cs',
        SLACK_STATE_SECRET: 'st',
        SPOC_ENCRYPTION_KEY: `${KEY},${OLD_KEY}`,
      },
      {
        kind: 'oauth',
        signingSecret: 's',
        clientId: 'id',
        clientSecret: 'cs',
        stateSecret: 'st',
        encryptionKeys: [Buffer.alloc(32, 1), Buffer.alloc(32, 2)],
      },
    ],
  ])('picks the %s mode', (_name, env, slack) => {
    const r = parseConfig(env);
    expect(r.ok && r.config.slack).toMatchObject(slack);
  });

  it('reads the database, port, API URL and worker switch', () => {
    const r = parseConfig({
      ...HTTP,
      DATABASE_URL: 'postgres://u@db/spoc',
      PORT: '8080',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      SPOC_WORKER: 'off',
      LOG_LEVEL: 'debug',
    });
    expect(r.ok && r.config).toMatchObject({
      database: { url: 'postgres://u@db/spoc' },
      port: 8080,
      slack: { apiUrl: 'http://127.0.0.1:9999/api/' },
      worker: false,
      logLevel: 'debug',
    });
  });

  it('treats empty variables as unset', () => {
    const r = parseConfig({ DATABASE_URL: '', SLACK_BOT_TOKEN: '  ', PORT: '' });
    expect(r.ok && r.config.database).toEqual({ dataDir: './data' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a port number (0–65535)'],
    [{ PORT: '70000' }, 'PORT must be a port number (0–65535)'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, 'SLACK_BOT_TOKEN must be a bot token (xoxb-…)'],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      'SLACK_SIGNING_SECRET is required to check requests from Slack over HTTP',
    ],
    [{ SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN is required with SLACK_SIGNING_SECRET'],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN (Socket Mode)'],
    [
      { ...HTTP, SLACK_CLIENT_ID: 'id' },
      'SLACK_CLIENT_SECRET is required for multi-workspace (OAuth) installs',
    ],
    [
      {
        SLACK_SIGNING_SECRET: 's',
        SLACK_CLIENT_ID: 'id',
        SLACK_CLIENT_SECRET: 'cs',
        SLACK_STATE_SECRET: 'st',
      },
      'SPOC_ENCRYPTION_KEY is required for multi-workspace (OAuth) installs',
    ],
    [{ ...HTTP, SPOC_ENCRYPTION_KEY: 'too-short' }, 'SPOC_ENCRYPTION_KEY must be a 32-byte key'],
    [{ ...HTTP, SPOC_ENCRYPTION_KEY: `${KEY},nope` }, 'SPOC_ENCRYPTION_KEY must be a 32-byte key'],
    [{ SPOC_WORKER: 'maybe' }, "SPOC_WORKER must be 'on' or 'off'"],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ SLACK_API_URL: 'ftp://x' }, 'SLACK_API_URL must be an http(s) URL'],
    [{ TEAMS_APP_ID: 'app' }, 'TEAMS_APP_PASSWORD is required with TEAMS_APP_ID (a MultiTenant app)'],
    [{ TEAMS_APP_PASSWORD: 'p' }, 'TEAMS_APP_ID is required with TEAMS_APP_PASSWORD'],
    [{ TEAMS_APP_TYPE: 'SingleTenant' }, 'TEAMS_APP_ID is required with TEAMS_APP_TYPE'],
    [{ TEAMS_APP_ID: 'a', TEAMS_APP_PASSWORD: 'p', TEAMS_APP_TYPE: 'Personal' }, 'TEAMS_APP_TYPE '],
    [
      { TEAMS_APP_ID: 'a', TEAMS_APP_PASSWORD: 'p', TEAMS_APP_TYPE: 'SingleTenant' },
      'TEAMS_APP_TENANT_ID is required when TEAMS_APP_TYPE is SingleTenant',
    ],
    [
      { TEAMS_APP_ID: 'a', TEAMS_APP_TENANT_ID: 't', TEAMS_APP_TYPE: 'SingleTenant' },
      'TEAMS_APP_PASSWORD is required with TEAMS_APP_ID (a SingleTenant app)',
    ],
    [
      { TEAMS_APP_ID: 'a', TEAMS_APP_TYPE: 'UserAssignedMSI' },
      'TEAMS_APP_TENANT_ID is required when TEAMS_APP_TYPE is UserAssignedMSI',
    ],
    [
      {
        TEAMS_APP_ID: 'a',
        TEAMS_APP_PASSWORD: 'p',
        TEAMS_APP_TENANT_ID: 't',
        TEAMS_APP_TYPE: 'UserAssignedMSI',
      },
      'TEAMS_APP_PASSWORD must be unset when TEAMS_APP_TYPE is UserAssignedMSI',
    ],
  ])('names the variable in each problem: %j', (env, problem) => {
    const r = parseConfig(env);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.some((p) => p.startsWith(problem))).toBe(true);
  });

  it('serves Teams alone: MultiTenant by default, on every interface', () => {
    const r = parseConfig({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw' });
    expect(r.ok && r.config).toMatchObject({
      slack: null,
      teams: { appId: 'app', appPassword: 'pw', appType: 'MultiTenant' },
      playground: false,
      host: '0.0.0.0',
    });
  });

  it('serves Slack and Teams from one deployment', () => {
    const r = parseConfig({ ...HTTP, TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw' });
    expect(r.ok && r.config).toMatchObject({
      slack: { kind: 'http' },
      teams: { appId: 'app', appType: 'MultiTenant' },
      playground: false,
    });
  });

  it('takes a SingleTenant app with its tenant, and a user-assigned managed identity with no password', () => {
    const single = parseConfig({
      TEAMS_APP_ID: 'app',
      TEAMS_APP_PASSWORD: 'pw',
      TEAMS_APP_TENANT_ID: 'tenant',
      TEAMS_APP_TYPE: 'SingleTenant',
    });
    expect(single.ok && single.config.teams).toEqual({
      appId: 'app',
      appPassword: 'pw',
      tenantId: 'tenant',
      appType: 'SingleTenant',
    });
    const msi = parseConfig({
      TEAMS_APP_ID: 'app',
      TEAMS_APP_TENANT_ID: 'tenant',
      TEAMS_APP_TYPE: 'UserAssignedMSI',
    });
    expect(msi.ok && msi.config.teams).toEqual({
      appId: 'app',
      tenantId: 'tenant',
      appType: 'UserAssignedMSI',
    });
  });

  it('lists the Teams problems with the Slack ones, all at once', () => {
    const r = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', TEAMS_APP_ID: 'a', TEAMS_APP_TYPE: 'SingleTenant' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems).toEqual([
        'SLACK_SIGNING_SECRET is required to check requests from Slack over HTTP',
        'TEAMS_APP_PASSWORD is required with TEAMS_APP_ID (a SingleTenant app), or set TEAMS_APP_TYPE=UserAssignedMSI',
        'TEAMS_APP_TENANT_ID is required when TEAMS_APP_TYPE is SingleTenant',
      ]);
  });

  describe('local Teams mode (SPOC_TEAMS_LOCAL=1: no Bot Framework authentication)', () => {
    it('serves Teams alone on loopback, on the embedded database, not the Slack playground', () => {
      const r = parseConfig({ SPOC_TEAMS_LOCAL: '1' });
      expect(r).toEqual({
        ok: true,
        config: expect.objectContaining({
          teamsLocal: true,
          teams: null,
          slack: null,
          playground: false,
          host: '127.0.0.1',
          database: { dataDir: './data' },
        }),
      });
      expect(r.ok && r.config.teamsLocal).toBe(true);
      expect(parseConfig({ HOST: '127.0.0.1', SPOC_TEAMS_LOCAL: '1' }).ok).toBe(true);
    });

    it('is off unless set to 1', () => {
      for (const env of [{}, { SPOC_TEAMS_LOCAL: '0' }, { SPOC_TEAMS_LOCAL: '' }]) {
        const r = parseConfig(env);
        expect(r.ok && r.config.teamsLocal).toBeFalsy();
      }
      expect(parseConfig({ SPOC_TEAMS_LOCAL: 'yes' })).toEqual({
        ok: false,
        problems: ["SPOC_TEAMS_LOCAL must be '1' (on) or '0'"],
      });
    });

    it.each([
      [
        { TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw' },
        'SPOC_TEAMS_LOCAL=1 turns Bot Framework authentication off, so it is refused when TEAMS_APP_ID is set: unset one of them',
      ],
      [
        { HOST: '0.0.0.0' },
        'SPOC_TEAMS_LOCAL=1 turns Bot Framework authentication off, so it listens on 127.0.0.1 only, never HOST=0.0.0.0: unset HOST (or set it to 127.0.0.1)',
      ],
      [
        { HOST: '192.168.1.20' },
        'SPOC_TEAMS_LOCAL=1 turns Bot Framework authentication off, so it listens on 127.0.0.1 only, never HOST=192.168.1.20: unset HOST (or set it to 127.0.0.1)',
      ],
      [
        { DATABASE_URL: 'postgres://db/spoc' },
        'SPOC_TEAMS_LOCAL=1 turns Bot Framework authentication off, so it runs on the embedded database (SPOC_DATA_DIR) only: unset DATABASE_URL',
      ],
      [
        HTTP,
        'SPOC_TEAMS_LOCAL=1 turns Bot Framework authentication off, so it runs on its own: unset the SLACK_* credentials',
      ],
    ])('is refused with %j, saying why', (env, problem) => {
      expect(parseConfig({ SPOC_TEAMS_LOCAL: '1', ...env })).toEqual({ ok: false, problems: [problem] });
    });
  });

  it('lists every problem at once and never echoes a secret', () => {
    const r = parseConfig({ PORT: 'x', LOG_LEVEL: 'y', SLACK_SIGNING_SECRET: 'super-secret-value' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(3);
      expect(r.problems.join('\n')).not.toContain('super-secret-value');
    }
  });
});
