/**
 * `npm run spoc -- …` where SPOC_DATA_DIR (default ./data) holds no database yet, as when run from
 * the wrong directory or with SPOC_DATA_DIR forgotten: a command says so and makes nothing, unless
 * asked with --create; `seed demo`, whose purpose is a database of its own, makes one itself.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliHarness, cliHarness } from './support/cli';

let cli: CliHarness | undefined;
afterEach(async () => {
  await cli?.destroy();
  cli = undefined;
});

async function withoutDatabase(prefix: string): Promise<{ cli: CliHarness; dataDir: string }> {
  cli = await cliHarness(prefix, { noDatabase: true });
  if (!cli.dataDir) throw new Error('the harness runs on the embedded database when asked for none');
  return { cli, dataDir: cli.dataDir };
}

describe('a command line with no database yet', { timeout: 120_000 }, () => {
  it('refuses to start an empty one unasked, says where it looked and what to do, and makes nothing', async () => {
    const { cli, dataDir } = await withoutDatabase('spoc-cli-nodb-');
    for (const args of [['schools'], ['migrate'], ['reminders', 'run', '--dry-run']]) {
      const out = await cli.spoc(...args);
      expect(out.code).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toContain(`There is no SPOC database in ${resolve(dataDir)}`);
      expect(out.stderr).toContain('Nothing was created.');
      expect(out.stderr).toContain('set SPOC_DATA_DIR to its directory');
      expect(out.stderr).toContain('run the command again with --create');
      expect(out.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(dataDir)).toBe(false);
    }
  });

  it('makes one with --create, and then answers from it without', async () => {
    const { cli, dataDir } = await withoutDatabase('spoc-cli-create-');
    const created = await cli.spoc('schools', '--create');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('No schools yet');
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

    const again = await cli.spoc('schools');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No schools yet');
  });

  it('seed demo makes the playground its database without being asked', async () => {
    const { cli, dataDir } = await withoutDatabase('spoc-cli-seed-nodb-');
    const out = await cli.spoc('seed', 'demo', '--now', '2026-11-25T10:30:00Z');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Hillside Primary (demo)');
    expect(out.stdout).toContain('demo data added.');
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
  });
});
