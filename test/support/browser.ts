/**
 * Driving the playground in a real browser: Debian's Chromium through playwright-core (which
 * downloads no browser), against the playground as `npm start` runs it with no credentials.
 * Shared by the browser test and the README screenshot script.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { parseConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { startSpoc } from '../../src/server';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumInstalled = existsSync(CHROMIUM_PATH);

/** The demo school's people (src/domain/demo/demo-school.ts). */
export const PEOPLE = {
  patel: 'U0PLAYTEACH',
  sam: 'U0PLAYTECH',
  office: 'U0PLAYOFFC',
  head: 'U0PLAYHEAD',
} as const;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // This machine's network is closed: without these Chromium keeps trying to reach Google.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface RunningPlayground {
  url: string;
  stop(): Promise<void>;
}

/**
 * The playground on a random loopback port: embedded PGlite in a fresh data directory, or the
 * given Postgres URL. The reminder worker is off so that nothing moves on its own mid-test.
 */
export async function startPlayground(databaseUrl?: string): Promise<RunningPlayground> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spoc-browser-'));
  const env: Record<string, string> = { PORT: '0', SPOC_WORKER: 'off', SPOC_DATA_DIR: dataDir };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const spoc = await startSpoc(parsed.config, { log: silentLogger, outboxIntervalMs: 50 });
  return {
    url: spoc.url,
    async stop() {
      await spoc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Acts as someone else: the page's person switcher. */
export async function actAs(page: Page, userId: string): Promise<void> {
  await page.locator(`#person option[value="${userId}"]`).waitFor({ state: 'attached' });
  await page.selectOption('#person', userId);
}

/** Fills the demo school with the page's own button and waits for its answer. */
export async function seedDemo(page: Page): Promise<void> {
  await page.click('[data-testid=seed]');
  await page.locator('#banner', { hasText: /demo data added|already seeded/i }).waitFor({ timeout: 90_000 });
}

/** Types a slash command into the composer of the open conversation and sends it. */
export async function typeCommand(page: Page, text: string): Promise<void> {
  await page.fill('#composer', text);
  await page.press('#composer', 'Enter');
}

export async function openChannel(page: Page, name: 'ict-help' | 'staff' | 'dm' | 'home'): Promise<void> {
  await page.click(
    name === 'dm' || name === 'home' ? `[data-testid=nav-${name}]` : `[data-testid=nav-${name}]`,
  );
}

/** The message in the open conversation whose text includes `text` (an incident card, a DM). */
export function messageWith(page: Page, text: string): Locator {
  return page.locator('#pane .message[data-testid=message]', { hasText: text }).last();
}

/** The open modal (Slack's dialog), once it is shown. */
export function modal(page: Page): Locator {
  return page.locator('#modal-overlay:not([hidden]) .bk-modal');
}
