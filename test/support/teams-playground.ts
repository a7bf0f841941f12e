/**
 * Microsoft 365 Agents Playground (Microsoft's local Teams client, a devDependency) in headless
 * Chromium, talking to SPOC in local Teams mode: both started as `npm run teams-playground` starts
 * them, on a fresh embedded database. Helpers say things in its conversations and read SPOC's
 * answers and Adaptive Cards the way a person would, through its page.
 */
import { randomUUID } from 'node:crypto';
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

/**
 * The Agents Playground has one user per process. The technician is its own default user, Alex
 * Wilber, in "My Team" (whose General becomes the SPOC channel); the teacher who reports a fault is
 * Megan Bowen, in a second Agents Playground whose one user she is, in the same tenant but a team
 * of her own, so that her Playground never speaks for the SPOC channel. SPOC does not tell a
 * person about their own step, so the reporter's notices need a reporter who is not the claimer.
 */
export const PLAYGROUND_USERS = {
  technician: {
    id: 'user-id-0',
    name: 'Alex Wilber',
    aadObjectId: '00000000-0000-0000-0000-0000000000020',
  },
  reporter: {
    id: 'user-id-1',
    name: 'Megan Bowen',
    aadObjectId: '00000000-0000-0000-0000-0000000000021',
  },
} as const;

/** The Agents Playground's own tenant, team and General channel (General's id is the team's). */
export const PLAYGROUND_TENANT_ID = '00000000-0000-0000-0000-0000000000001';
export const PLAYGROUND_TEAM_ID = 'team-id';
/** The bot's id in the Agents Playground. */
export const PLAYGROUND_BOT_ID = '00000000-0000-0000-0000-00000000000011';

/**
 * The second Agents Playground's `.m365agentsplayground.yml`: Megan Bowen as its user (it insists
 * on at least five other users, so some of its own stand-ins are listed too).
 */
const REPORTER_CONFIG = `version: "0.1.1"
tenantId: ${PLAYGROUND_TENANT_ID}
bot:
  id: ${PLAYGROUND_BOT_ID}
  name: ${BOT_NAME}
currentUser:
  id: ${PLAYGROUND_USERS.reporter.id}
  name: ${PLAYGROUND_USERS.reporter.name}
  userPrincipleName: meganb@example.com
  aadObjectId: ${PLAYGROUND_USERS.reporter.aadObjectId}
  givenName: Megan
  surname: Bowen
  email: meganb@example.com
users:
  - id: ${PLAYGROUND_USERS.technician.id}
    name: ${PLAYGROUND_USERS.technician.name}
    userPrincipleName: alexw@example.com
    aadObjectId: ${PLAYGROUND_USERS.technician.aadObjectId}
    givenName: Alex
    surname: Wilber
    email: alexw@example.com
  - id: user-id-2
    name: Adele Vance
    userPrincipleName: adelev@example.com
    aadObjectId: 00000000-0000-0000-0000-0000000000022
    givenName: Adele
    surname: Vance
    email: adelev@example.com
  - id: user-id-3
    name: Isaiah Langer
    userPrincipleName: isaiahl@example.com
    aadObjectId: 00000000-0000-0000-0000-0000000000023
    givenName: Isaiah
    surname: Langer
    email: isaiahl@example.com
  - id: user-id-4
    name: Patti Fernandez
    userPrincipleName: pattif@example.com
    aadObjectId: 00000000-0000-0000-0000-0000000000024
    givenName: Patti
    surname: Fernandez
    email: pattif@example.com
  - id: user-id-5
    name: Lynne Robbins
    userPrincipleName: lynner@example.com
    aadObjectId: 00000000-0000-0000-0000-0000000000025
    givenName: Lynne
    surname: Robbins
    email: lynner@example.com
personalChat:
  id: megan-personal-chat-id
groupChat:
  id: megan-group-chat-id
  name: Group Chat
team:
  id: megan-team-id
  name: Megan's Team
  aadGroupId: 00000000-0000-0000-0000-000000000032
  channels:
    - id: megan-announcements-id
      name: Announcements
`;

export interface TeamsPlaygroundSession {
  spoc: RunningSpoc;
  /** Alex Wilber's Agents Playground (the technician's), and its page. */
  playground: AgentsPlayground;
  page: Page;
  /** Megan Bowen's Agents Playground (the reporter's), and its page. */
  reporterPlayground: AgentsPlayground;
  reporterPage: Page;
  browser: Browser;
  /** Page errors and console errors of both pages, except the offline font and animation CDN ones. */
  problems: string[];
  stop(): Promise<void>;
}

/** Opens an Agents Playground's page, noting its problems, and waits until it has told SPOC of the install. */
async function openPlayground(
  browser: Browser,
  playground: AgentsPlayground,
  who: string,
  problems: string[],
): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => problems.push(`${who}: page error: ${error.message}`));
  page.on('console', (m) => {
    // Its fonts and animations come from Microsoft's CDN, which an offline machine cannot reach.
    if (
      m.type() === 'error' &&
      !/ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|cdn\.office\.net|Failed to load resource/.test(
        m.text(),
      )
    )
      problems.push(`${who}: console: ${m.text()}`);
  });
  // Only the local servers: a request elsewhere (Microsoft's CDN for fonts and animations) fails
  // at once rather than waiting on a network this machine may not have.
  await page.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    (route) => route.abort('internetdisconnected'),
  );
  await page.goto(playground.url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
  // Connected once it has told SPOC about the install.
  await page
    .getByText(/installationUpdate 200/)
    .first()
    .waitFor({ timeout: 30_000 });
  return page;
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
    const endpoint = `${spoc.url}/api/messages`;
    // The three start at once; whichever started is stopped again if another failed.
    const starting = [
      startAgentsPlayground({ endpoint }),
      startAgentsPlayground({ endpoint, config: REPORTER_CONFIG }),
    ] as const;
    const opening = launchChromium();
    for (const p of starting)
      p.then(
        (pg) => stops.push(() => pg.stop()),
        () => {},
      );
    opening.then(
      (b) => stops.push(() => b.close()),
      () => {},
    );
    await Promise.allSettled([...starting, opening]);
    const [playground, reporterPlayground, browser] = await Promise.all([...starting, opening]);
    const problems: string[] = [];
    // One after the other: the second page's install comes after the first's, whatever the load.
    const page = await openPlayground(browser, playground, PLAYGROUND_USERS.technician.name, problems);
    const reporterPage = await openPlayground(
      browser,
      reporterPlayground,
      PLAYGROUND_USERS.reporter.name,
      problems,
    );
    return { spoc, playground, page, reporterPlayground, reporterPage, browser, problems, stop };
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

/**
 * A dialog invoke (`task/fetch` when a card's button asks for its dialog, `task/submit` when the
 * dialog's form is sent) from Alex Wilber on a card in the Agents Playground's General channel,
 * sent to SPOC as Teams sends it, and SPOC's answer. The Agents Playground cannot send these
 * itself (it opens no task module); replies and card updates still go to its connector, so its
 * page shows what follows.
 */
export async function sendDialogInvoke(
  session: TeamsPlaygroundSession,
  name: 'task/fetch' | 'task/submit',
  cardConversationId: string,
  data: Record<string, unknown>,
): Promise<unknown> {
  const activity = {
    type: 'invoke',
    name,
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: `${session.playground.url}_connector`,
    from: PLAYGROUND_USERS.technician,
    recipient: { id: PLAYGROUND_BOT_ID, name: BOT_NAME },
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId: PLAYGROUND_TENANT_ID,
      id: cardConversationId,
    },
    channelData: {
      tenant: { id: PLAYGROUND_TENANT_ID },
      team: { id: PLAYGROUND_TEAM_ID },
      channel: { id: PLAYGROUND_TEAM_ID },
    },
    value: { data, context: { theme: 'default' } },
    locale: 'en-GB',
  };
  const response = await fetch(`${session.spoc.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  if (!response.ok) throw new Error(`SPOC answered ${name} with ${response.status}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}
