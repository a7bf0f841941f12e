import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES, createSlackApp } from '../../../src/bot/slack/app';
import {
  botTokenFromInstallation,
  databaseInstallationStore,
  resealInstallations,
} from '../../../src/bot/slack/installation-store';
import { createSealer } from '../../../src/db/encryption';
import { saveInstallation } from '../../../src/db/queries/slack-installations';
import { slackInstallations } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { silentLogger } from '../../../src/log';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0 } from '../../support/factories';

const KEY = Buffer.alloc(32, 3);
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

describe('multi-workspace install (OAuth)', () => {
  it('starts an install at /slack/install with the app’s scopes and a state cookie', async () => {
    const slack = createSlackApp({
      mode: {
        kind: 'oauth',
        signingSecret: 's',
        clientId: '123.456',
        clientSecret: 'cs',
        stateSecret: 'state-secret',
        encryptionKeys: [KEY],
      },
      database: tdb,
      clock: fixedClock(T0),
      log: silentLogger,
      kick: () => {},
    });
    const server = (await slack.start(0, '127.0.0.1')) as Server;
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/install`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location') ?? '');
      expect(location.pathname).toBe('/oauth/v2/authorize');
      expect(location.searchParams.get('client_id')).toBe('123.456');
      expect(location.searchParams.get('scope')?.split(',')).toEqual(BOT_SCOPES);
      expect(res.headers.get('set-cookie')).toContain('slack-app-oauth-state=');
    } finally {
      await slack.stop();
    }
  });

  it('keeps installations in the database, per team or enterprise', async () => {
    const store = databaseInstallationStore(tdb.db, fixedClock(T0), createSealer([KEY]));
    const installation = {
      team: { id: 'T0OAUTH001', name: 'Hillside' },
      enterprise: undefined,
      user: { id: 'U1', token: undefined, scopes: undefined },
      bot: { id: 'B1', userId: 'UBOT', token: 'xoxb-installed', scopes: BOT_SCOPES },
      isEnterpriseInstall: false,
      authVersion: 'v2' as const,
    };
    await store.storeInstallation(installation);
    const query = { teamId: 'T0OAUTH001', enterpriseId: undefined, isEnterpriseInstall: false };
    expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-installed');
    await store.storeInstallation({ ...installation, bot: { ...installation.bot, token: 'xoxb-rotated' } });
    expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-rotated');
    // Nothing of the installation is readable in the database without the key.
    const [row] = await tdb.db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.key, 'T:T0OAUTH001'));
    expect(JSON.stringify(row?.installation)).not.toMatch(/xoxb|Hillside|UBOT/);
    expect(Object.keys(row?.installation ?? {})).toEqual(['sealed']);
    await store.deleteInstallation?.(query);
    await expect(store.fetchInstallation(query)).rejects.toThrow(/no Slack installation/);
  });

  it('seals installations stored in plain text before, and re-seals with a new key, all or nothing', async () => {
    const clock = fixedClock(T0);
    const plain = { team: { id: 'T0LEGACY01' }, bot: { token: 'xoxb-legacy' }, isEnterpriseInstall: false };
    await saveInstallation(tdb.db, 'T:T0LEGACY01', plain, new Date(T0));
    const first = createSealer([KEY]);
    expect(await resealInstallations(tdb.db, first, clock)).toMatchObject({ resealed: 1 });
    expect(await botTokenFromInstallation(tdb.db, first, 'T0LEGACY01')).toBe('xoxb-legacy');

    const NEW = Buffer.alloc(32, 9);
    // The new key alone cannot open what the old one sealed: nothing changes.
    await expect(resealInstallations(tdb.db, createSealer([NEW]), clock)).rejects.toThrow(
      /installation T:T0LEGACY01: sealed with key/,
    );
    expect(await botTokenFromInstallation(tdb.db, first, 'T0LEGACY01')).toBe('xoxb-legacy');
    // NEW,OLD: everything is sealed again with the new key, which then opens it alone.
    const rotated = await resealInstallations(tdb.db, createSealer([NEW, KEY]), clock);
    expect(rotated.resealed).toBe(rotated.total);
    expect(await botTokenFromInstallation(tdb.db, createSealer([NEW]), 'T0LEGACY01')).toBe('xoxb-legacy');
    expect(await resealInstallations(tdb.db, createSealer([NEW]), clock)).toMatchObject({ resealed: 0 });
  });
});
