/** `npm run spoc -- rotate-key`: every stored Slack installation sealed again with the new key. */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { botTokenFromInstallation, databaseInstallationStore } from '../src/bot/slack/installation-store';
import { createSealer } from '../src/db/encryption';
import { fixedClock } from '../src/domain/clock';
import { type CliHarness, cliHarness } from './support/cli';
import { T0 } from './support/factories';

const OLD = Buffer.alloc(32, 0x11);
const NEW = Buffer.alloc(32, 0x22);
let cli: CliHarness;
beforeAll(async () => {
  cli = await cliHarness('spoc-rotate-');
  await cli.withDb(async (database) => {
    const store = databaseInstallationStore(database.db, fixedClock(T0), createSealer([OLD]));
    for (const team of ['T0ROTATE01', 'T0ROTATE02']) {
      await store.storeInstallation({
        team: { id: team },
        enterprise: undefined,
        user: { id: 'U1', token: undefined, scopes: undefined },
        bot: { id: 'B1', userId: 'UBOT', token: `xoxb-${team}`, scopes: [] },
        isEnterpriseInstall: false,
        authVersion: 'v2',
      });
    }
  });
});
afterEach(() => {
  delete process.env.SPOC_ENCRYPTION_KEY;
});
afterAll(async () => {
  await cli?.destroy();
});

it('refuses without the old key and changes nothing, then re-seals everything with NEW,OLD', async () => {
  process.env.SPOC_ENCRYPTION_KEY = NEW.toString('base64');
  const refused = await cli.spoc('rotate-key');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/installation T:T0ROTATE01: sealed with key [0-9a-f]{8}/);
  expect(refused.stderr).toContain('Nothing was changed');
  expect(refused.stderr).not.toContain('    at ');

  process.env.SPOC_ENCRYPTION_KEY = `${NEW.toString('base64')},${OLD.toString('hex')}`;
  const done = await cli.spoc('rotate-key');
  expect(done.code).toBe(0);
  expect(done.stdout).toContain('2 of 2 Slack installations sealed again');
  expect(done.stdout).toContain('drop the old one');
  await cli.withDb(async (database) => {
    expect(await botTokenFromInstallation(database.db, createSealer([NEW]), 'T0ROTATE02')).toBe(
      'xoxb-T0ROTATE02',
    );
  });
});

it('says what it needs when SPOC_ENCRYPTION_KEY is not set', async () => {
  const r = await cli.spoc('rotate-key');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('rotate-key needs SPOC_ENCRYPTION_KEY');
});
