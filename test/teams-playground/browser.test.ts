/**
 * SPOC in Microsoft's own Teams client: Microsoft 365 Agents Playground (a devDependency) in
 * headless Chromium, driven by playwright-core, against SPOC in local Teams mode, as
 * `npm run teams-playground` runs them. Alex Wilber (the Agents Playground's user) talks to SPOC
 * in the personal chat and in the team's General channel.
 *
 * What the Agents Playground cannot show (it documents its limits: no manifest, so no message
 * extension from SPOC's manifest; no tabs; some Adaptive Card features) is covered over HTTP by
 * test/bot/teams.
 *
 * Needs Debian's Chromium (`apt-get install chromium`). Without it the test skips and says so,
 * except where SPOC_BROWSER_TEST=required (CI), where a missing browser is a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumInstalled } from '../support/browser';
import { say, startTeamsPlaygroundSession, type TeamsPlaygroundSession } from '../support/teams-playground';

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
    });

    it("answers a post in the team's General channel that @mentions it", async () => {
      const answer = await say(session.page, 'general', 'help');
      expect(await answer.textContent()).toContain("I'm SPOC, your school's ICT helpdesk");
    });

    it('saw no page errors', () => {
      expect(session.problems).toEqual([]);
    });
  },
);
