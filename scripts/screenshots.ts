/**
 * `npm run screenshots`: pictures of the playground for the README — the SPOC channel with its
 * incident cards and the office's App Home — taken in headless Chromium from a freshly seeded demo
 * school on a throwaway embedded database. Writes docs/screenshots/*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  actAs,
  CHROMIUM_PATH,
  chromiumInstalled,
  launchChromium,
  messageWith,
  modal,
  openChannel,
  PEOPLE,
  seedDemo,
  startPlayground,
  typeCommand,
} from '../test/support/browser';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');

async function main(): Promise<void> {
  if (!chromiumInstalled) {
    process.stderr.write(
      `No Chromium at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH).\n`,
    );
    process.exit(1);
  }
  mkdirSync(OUT, { recursive: true });
  const playground = await startPlayground();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    page.setDefaultTimeout(30_000);
    await page.goto(`${playground.url}/?as=${PEOPLE.patel}`);
    await seedDemo(page);

    // A fresh report, so the newest card is one the reader can follow from the top.
    await actAs(page, PEOPLE.patel);
    await openChannel(page, 'ict-help');
    await typeCommand(page, '/fault Interactive display in Room 2 has no sound');
    await modal(page).waitFor();
    await modal(page).locator('select[data-block-id=locationId]').selectOption({ label: 'Room 2' });
    await modal(page).locator('[data-block-id=urgency] input[value=today]').check();
    await modal(page).locator('[data-view-action=submit]').click();
    // Wait for the confirmation before closing it, or the close could overtake the submission.
    await modal(page).getByText('your fault is logged as').waitFor();
    await modal(page).locator('[data-view-action=close]').click();
    await messageWith(page, 'has no sound').waitFor();

    await actAs(page, PEOPLE.office);
    await openChannel(page, 'ict-help');
    await messageWith(page, 'has no sound').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'channel.png') });

    await openChannel(page, 'home');
    await page.locator('[data-testid=home] .bk-home').waitFor();
    await page.screenshot({ path: join(OUT, 'app-home.png') });
    process.stdout.write(`Screenshots written to ${OUT}: channel.png, app-home.png\n`);
  } finally {
    await browser.close();
    await playground.stop();
  }
}

await main();
