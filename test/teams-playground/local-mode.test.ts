/**
 * Local Teams mode (SPOC_TEAMS_LOCAL=1), for Microsoft's Agents Playground: `/api/messages` with
 * no Bot Framework authentication, and the guards that keep it to 127.0.0.1, with no credentials,
 * on the embedded database. The reply goes back to the activity's serviceUrl, here a small
 * connector on loopback standing in for the Agents Playground's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsAdapter } from '../../src/bot/teams/adapter';
import { type Config, parseConfig } from '../../src/config';
import { createLogger, silentLogger } from '../../src/log';
import { OperatorError } from '../../src/operator-error';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { personalMessage } from '../support/teams-activities';
import { postActivity, startTeamsSpoc } from '../support/teams-app';

interface ConnectorCall {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A connector on loopback that records what SPOC sends it (as the Agents Playground's does). */
async function startConnector(): Promise<{ url: string; calls: ConnectorCall[]; close(): Promise<void> }> {
  const calls: ConnectorCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push({
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sent-${calls.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/_connector/`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-teams-local-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function localConfig(extra: Record<string, string> = {}): Config {
  const parsed = parseConfig({ SPOC_TEAMS_LOCAL: '1', PORT: '0', SPOC_WORKER: 'off', ...extra });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.config;
}

describe('local Teams mode', () => {
  let connector: Awaited<ReturnType<typeof startConnector>>;
  let spoc: RunningSpoc | undefined;
  beforeAll(async () => {
    connector = await startConnector();
  });
  afterEach(async () => {
    await spoc?.stop();
    spoc = undefined;
  });
  afterAll(async () => {
    await connector?.close();
  });

  it('on 127.0.0.1 answers an activity with no token, and says loudly at start that authentication is off', async () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    spoc = await startSpoc(localConfig({ SPOC_DATA_DIR: dataDir() }), { log });
    expect(new URL(spoc.url).hostname).toBe('127.0.0.1');
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.teamsLocal === true);
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toMatch(
      /authentication is OFF.*SPOC_TEAMS_LOCAL=1.*127\.0\.0\.1.*TEAMS_APP_ID is unset/,
    );

    const activity = { ...personalMessage('help'), serviceUrl: connector.url };
    const before = connector.calls.length;
    const response = await postActivity(spoc.url, activity);
    expect(response.status).toBe(200);
    const reply = connector.calls.slice(before).find((c) => c.body.type === 'message');
    expect(JSON.stringify(reply?.body)).toContain("I'm SPOC, your school's ICT helpdesk");
    expect(reply?.url).toContain('/_connector/v3/conversations/');
    // Nothing to sign with, and nothing signed.
    expect(reply?.headers.authorization).toBeUndefined();
  });

  it('without local mode, the same unsigned activity is refused with 401 and nothing is sent', async () => {
    const t = await startTeamsSpoc();
    try {
      const before = connector.calls.length;
      const response = await postActivity(t.spoc.url, {
        ...personalMessage('help'),
        serviceUrl: connector.url,
      });
      expect(response.status).toBe(401);
      expect(connector.calls.length).toBe(before);
    } finally {
      await t.destroy();
    }
  });

  it('is refused on 0.0.0.0 or any address but 127.0.0.1, with a Teams app id, or on Postgres, even in a Config made by hand', async () => {
    const base = localConfig({ SPOC_DATA_DIR: dataDir() });
    const refusals: [Partial<Config>, RegExp][] = [
      [{ host: '0.0.0.0' }, /listens on 127\.0\.0\.1 only, never 0\.0\.0\.0/],
      [{ host: 'localhost' }, /listens on 127\.0\.0\.1 only, never localhost/],
      [
        { teams: { appId: 'app', appPassword: 'pw', appType: 'MultiTenant' } },
        /refused when TEAMS_APP_ID is set/,
      ],
      [{ database: { url: 'postgres://127.0.0.1:1/none' } }, /embedded database .* only/],
    ];
    for (const [change, reason] of refusals) {
      const started = startSpoc({ ...base, ...change }, { log: silentLogger });
      await expect(started).rejects.toThrow(OperatorError);
      await expect(started).rejects.toThrow(reason);
    }
  });

  it('the adapter: local mode never takes an app id, and without local mode an app id is required', () => {
    expect(() =>
      createTeamsAdapter({ appId: 'app', appPassword: 'pw', appType: 'MultiTenant' }, { local: true }),
    ).toThrow(/never runs with an app id/);
    expect(() => createTeamsAdapter(undefined)).toThrow(/needs an app id/);
    expect(createTeamsAdapter(undefined, { local: true }).appId).toBe('');
  });
});
