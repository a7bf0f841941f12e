/**
 * `npm run teams:package` as an operator runs it: a separate process, its exit code and messages,
 * and the zip it writes read back entry by entry.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestErrors, TEAMS_DIR } from '../scripts/teams-package';

const run = promisify(execFile);
const TSX = join('node_modules', 'tsx', 'dist', 'cli.mjs');
const APP_ID = '6d1c7a2e-3b4f-4a5d-8e9f-0a1b2c3d4e5f';
const dir = mkdtempSync(join(tmpdir(), 'spoc-teams-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function teamsPackage(env: Record<string, string>, ...args: string[]) {
  const base = { ...process.env };
  delete base.TEAMS_APP_ID;
  delete base.TEAMS_APP_WEBSITE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, [TSX, 'scripts/teams-package.ts', ...args], {
      env: { ...base, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run teams:package', () => {
  it('writes a zip with manifest.json, color.png and outline.png at its root, the app id filled in', async () => {
    const out = join(dir, 'nested', 'spoc.zip');
    const result = await teamsPackage({ TEAMS_APP_ID: APP_ID }, out);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`Wrote ${out}`);
    expect(result.stdout).toContain('TEAMS_APP_WEBSITE_URL is not set');

    const entries = unzipSync(readFileSync(out));
    expect(Object.keys(entries).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(strFromU8(entries['manifest.json']!));
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.composeExtensions[0].botId).toBe(APP_ID);
    expect(manifestErrors(manifest)).toEqual([]);
    expect(Buffer.from(entries['color.png']!).equals(readFileSync(join(TEAMS_DIR, 'color.png')))).toBe(true);
    expect(Buffer.from(entries['outline.png']!).equals(readFileSync(join(TEAMS_DIR, 'outline.png')))).toBe(
      true,
    );
  });

  it('gives the same bytes for the same inputs', async () => {
    const [a, b] = [join(dir, 'a.zip'), join(dir, 'b.zip')];
    await teamsPackage({ TEAMS_APP_ID: APP_ID }, a);
    await teamsPackage({ TEAMS_APP_ID: APP_ID }, b);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('fills the developer links from TEAMS_APP_WEBSITE_URL', async () => {
    const out = join(dir, 'website.zip');
    const url = 'https://ict.school.example/help';
    const result = await teamsPackage({ TEAMS_APP_ID: APP_ID, TEAMS_APP_WEBSITE_URL: url }, out);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('TEAMS_APP_WEBSITE_URL');
    const manifest = JSON.parse(strFromU8(unzipSync(readFileSync(out))['manifest.json']!));
    expect(manifest.developer).toMatchObject({ websiteUrl: url, privacyUrl: url, termsOfUseUrl: url });
  });

  it('without TEAMS_APP_ID says what to set, exits 1 and writes nothing', async () => {
    const out = join(dir, 'none.zip');
    const result = await teamsPackage({}, out);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^TEAMS_APP_ID is not set: set it to the bot's Microsoft app id/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an app id that is not a GUID, exits 1 and writes nothing', async () => {
    const out = join(dir, 'bad.zip');
    const result = await teamsPackage({ TEAMS_APP_ID: 'spoc-bot' }, out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TEAMS_APP_ID must be a GUID');
    expect(existsSync(out)).toBe(false);
  });
});
