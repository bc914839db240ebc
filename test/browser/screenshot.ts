/**
 * `npm run screenshot`: docs/playground.png, the README's picture of the playground, taken from a
 * real session in headless Chromium: Alice asks /mfa-status after the start-up scan's DM.
 */
import path from 'node:path';

import { actAs, launchChromium, openPlayground, say, startPlaygroundProcess } from './support/playground-process';

const OUT = path.resolve(__dirname, '../../docs/playground.png');

const main = async (): Promise<void> => {
  const playground = await startPlaygroundProcess();
  const browser = await launchChromium();
  try {
    const { page } = await openPlayground(browser, playground.url);
    await actAs(page, 'Alice');
    await page.locator('#dm .message.from-bot').first().waitFor();
    await say(page, '/mfa-status');
    await page.locator('#dm .message.ephemeral').first().waitFor();
    await page.screenshot({ path: OUT });
    process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
  } finally {
    await browser.close();
    await playground.stop();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`screenshot failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
