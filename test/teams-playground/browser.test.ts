/**
 * SPOC in Microsoft's own Teams client: Microsoft 365 Agents Playground (a devDependency) in
 * headless Chromium, driven by playwright-core, against SPOC in local Teams mode, as
 * `npm run teams-playground` runs them. Alex Wilber (the Agents Playground's user) talks to SPOC
 * in the personal chat and in the team's General channel.
 *
 * What the Agents Playground cannot show (it documents its limits: no manifest, so no message
 * extension from SPOC's manifest; no tabs; some Adaptive Card features, task modules among them,
 * so no Resolve dialog) is covered over HTTP by test/bot/teams.
 *
 * Needs Debian's Chromium (`apt-get install chromium`). Without it the test skips and says so,
 * except where SPOC_BROWSER_TEST=required (CI), where a missing browser is a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents } from '../../src/db/schema';
import { CHROMIUM_PATH, chromiumInstalled } from '../support/browser';
import {
  fillCardInput,
  lastBotMessage,
  openConversation,
  pressCardButton,
  say,
  startTeamsPlaygroundSession,
  type TeamsPlaygroundSession,
} from '../support/teams-playground';

const required = process.env.SPOC_BROWSER_TEST === 'required';

describe.skipIf(!chromiumInstalled && !required)(
  `SPOC in Microsoft 365 Agents Playground, in Chromium (skipped when there is no Chromium at ${CHROMIUM_PATH}: apt-get install chromium)`,
  () => {
    let session: TeamsPlaygroundSession;

    beforeAll(async () => {
      if (!chromiumInstalled)
        throw new Error(`SPOC_BROWSER_TEST=required but there is no Chromium at ${CHROMIUM_PATH}`);
      session = await startTeamsPlaygroundSession();
    }, 60_000);

    afterAll(async () => {
      await session?.stop();
    });

    it('answers help in the personal chat with its help text', async () => {
      const answer = await say(session.page, 'personal', 'help');
      expect(await answer.textContent()).toContain("I'm SPOC, your school's ICT helpdesk");
      expect(await answer.textContent()).toMatch(/help.*this list/);
      // A placeholder in angle brackets survives Teams' HTML reading of the message.
      expect(await answer.textContent()).toContain('fault <what is wrong>');
    });

    it("answers a post in the team's General channel that @mentions it", async () => {
      const answer = await say(session.page, 'general', 'help');
      expect(await answer.textContent()).toContain("I'm SPOC, your school's ICT helpdesk");
    });

    it('makes General the SPOC channel with @SPOC spoc setup', async () => {
      const answer = await say(session.page, 'general', 'spoc setup');
      expect(await answer.textContent()).toMatch(/SPOC channel/i);
    });

    it('the fault card checks its required fields on the card, then gives the reference', async () => {
      const { page } = session;
      const card = await say(page, 'personal', 'fault Projector flickers');
      await card
        .getByLabel(/What's wrong/)
        .first()
        .waitFor();
      await fillCardInput(page, /What's wrong/, '');
      await pressCardButton(page, 'Report');
      // Microsoft's renderer refuses the submit and says why beside the field: nothing reaches SPOC.
      await card.getByText('Say in a few words what is wrong.').waitFor();
      await card.getByText('Choose how urgent it is.').waitFor();

      await fillCardInput(page, /What's wrong/, 'Projector flickers');
      await card.getByRole('radio').first().check();
      await pressCardButton(page, 'Report');
      await expect.poll(() => lastBotMessage(page).textContent(), { timeout: 15_000 }).toMatch(/INC-\d+/);
    });

    it('posts the incident card into the SPOC channel, and Claim refreshes it', async () => {
      const { page } = session;
      await openConversation(page, 'general');
      // A new post by SPOC (not a reply), rendered by Microsoft's Adaptive Cards renderer.
      await page
        .getByText(/INC-\d+ · Projector flickers/)
        .first()
        .waitFor({ timeout: 20_000 });
      const claim = page.getByRole('button', { name: 'Claim', exact: true });
      expect(await claim.count()).toBe(1);
      await claim.click();
      // The card comes back refreshed for everyone: in progress, with Alex as the assignee.
      await expect.poll(() => claim.count(), { timeout: 15_000 }).toBe(0);
      await page.getByText('In progress', { exact: true }).first().waitFor();
      // And its thread says who claimed it.
      await page
        .getByText(/Claimed by/)
        .first()
        .waitFor();
    });

    it('cannot open the Resolve dialog (a task module): the Agents Playground does not support them', async () => {
      const { page } = session;
      await openConversation(page, 'general');
      // Resolve opens a dialog, so the card's Resolve is an Action.Submit asking for task/fetch (a
      // Universal Action cannot open one). The Agents Playground lists "Task module (task/fetch)"
      // among the Adaptive Card features it does not support yet: pressing it fails in its own
      // page ("Cannot add property msTeams, object is not extensible") and nothing reaches SPOC.
      // So Resolve, its dialog, the card saying Resolved and the reporter's Fixed / Still broken
      // are covered over HTTP by test/bot/teams/resolve.test.ts and reporter.test.ts. (Here the
      // reporter is also the claimer, Alex Wilber, the Playground's one user, and SPOC does not
      // tell a person about their own step, so no notice would come anyway.)
      const before = session.problems.length;
      await page.getByRole('button', { name: 'Resolve', exact: true }).first().click();
      await expect
        .poll(() => session.problems.slice(before), { timeout: 5_000 })
        .toEqual([expect.stringMatching(/msTeams, object is not extensible/)]);
      // That one known failure is the Playground's, not SPOC's: the check below still sees any other.
      session.problems.splice(before, 1);
      const [incident] = await session.spoc.database.db.select().from(incidents);
      expect(incident?.status).toBe('in_progress');
      await page.getByText('In progress', { exact: true }).first().waitFor();
    });

    it('saw no page errors', () => {
      expect(session.problems).toEqual([]);
    });
  },
);
