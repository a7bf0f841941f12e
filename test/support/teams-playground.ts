/**
 * Microsoft 365 Agents Playground (Microsoft's local Teams client, a devDependency) in headless
 * Chromium, talking to SPOC in local Teams mode: both started as `npm run teams-playground` starts
 * them, on a fresh embedded database. Helpers say things in its conversations and read SPOC's
 * answers and Adaptive Cards the way a person would, through its page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  type AgentsPlayground,
  startAgentsPlayground,
  startLocalTeamsSpoc,
} from '../../scripts/teams-playground';
import { silentLogger } from '../../src/log';
import type { RunningSpoc } from '../../src/server';
import { launchChromium } from './browser';

/** The conversations the Agents Playground offers, as its conversation list names them. */
export const CONVERSATIONS = {
  personal: 'Personal Chat',
  group: 'Group Chat',
  general: 'My Team - General',
  announcements: 'My Team - Announcements',
} as const;
export type Conversation = keyof typeof CONVERSATIONS;

/** The bot as the Agents Playground names it in its mention picker. */
export const BOT_NAME = 'Test Bot';

export interface TeamsPlaygroundSession {
  spoc: RunningSpoc;
  playground: AgentsPlayground;
  browser: Browser;
  page: Page;
  /** Page errors and console errors, except the offline font and animation CDN ones. */
  problems: string[];
  stop(): Promise<void>;
}

export async function startTeamsPlaygroundSession(): Promise<TeamsPlaygroundSession> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spoc-teams-playground-'));
  const stops: (() => Promise<void>)[] = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
  };
  try {
    const spoc = await startLocalTeamsSpoc({ port: 0, dataDir, log: silentLogger, worker: false });
    stops.push(() => spoc.stop());
    const playground = await startAgentsPlayground({ endpoint: `${spoc.url}/api/messages` });
    stops.push(() => playground.stop());
    const browser = await launchChromium();
    stops.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => {
      // Its fonts and animations come from Microsoft's CDN, which an offline machine cannot reach.
      if (
        m.type() === 'error' &&
        !/ERR_NAME_NOT_RESOLVED|cdn\.office\.net|Failed to load resource/.test(m.text())
      )
        problems.push(`console: ${m.text()}`);
    });
    await page.goto(playground.url);
    // Connected once it has told SPOC about the install.
    await page
      .getByText(/installationUpdate 200/)
      .first()
      .waitFor({ timeout: 20_000 });
    return { spoc, playground, browser, page, problems, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The bot's messages and cards in the open conversation: in a chat its output cards; in a channel
 * the replies in a post's thread, each under the bot's avatar.
 */
export function botMessages(page: Page): Locator {
  const channelReplies = page
    .locator(`[role=group].fui-Card [role=img][aria-label="${BOT_NAME}"]`)
    .locator('xpath=../..');
  return page.locator('.fai-OutputCard').or(channelReplies);
}

/** The bot's latest message or card in the open conversation. */
export function lastBotMessage(page: Page): Locator {
  return botMessages(page).last();
}

export async function openConversation(page: Page, conversation: Conversation): Promise<void> {
  await page.locator(`[role=treeitem][aria-label="${CONVERSATIONS[conversation]}"]`).click();
}

/**
 * Says `text` in a conversation, as Alex Wilber, and waits for a new answer from the bot. In a
 * channel or group chat the bot hears only what @mentions it, as in Teams: the mention is picked
 * from the composer's list.
 */
export async function say(page: Page, conversation: Conversation, text: string): Promise<Locator> {
  await openConversation(page, conversation);
  const before = await botMessages(page).count();
  // The composer: a chat's "Type a message…", a channel's "Start a new post".
  const composer = page.locator('[contenteditable], textarea, input[type=text]').first();
  await composer.click();
  if (conversation !== 'personal') {
    await page.keyboard.type('@Test');
    await page.locator('[role=menuitem]', { hasText: BOT_NAME }).click();
    await page.keyboard.type(' ');
  }
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await botMessages(page)
    .nth(before)
    .waitFor({ timeout: 15_000 })
    .catch((error: unknown) => {
      throw new Error(`no answer from SPOC to "${text}" in ${CONVERSATIONS[conversation]}: ${String(error)}`);
    });
  return lastBotMessage(page);
}

/** Types into an Adaptive Card's text input, found by its label, in the latest card. */
export async function fillCardInput(page: Page, label: string | RegExp, value: string): Promise<void> {
  await lastBotMessage(page).getByLabel(label).first().fill(value);
}

/** Presses a button (Action.Submit, Action.Execute) of the latest card, by its title. */
export async function pressCardButton(page: Page, title: string | RegExp): Promise<void> {
  await lastBotMessage(page).getByRole('button', { name: title }).click();
}
