/**
 * The playground in headless Chromium, as a person uses it: the real bot behind the page, every
 * click signed and sent to its Bolt receiver, every answer read back from what the page shows.
 * One playground for the file: the steps build on each other as a person's session would.
 */
import type { Browser, Locator, Page } from 'playwright-core';

import {
  actAs,
  launchChromium,
  openPlayground,
  type PlaygroundProcess,
  say,
  startPlaygroundProcess,
} from './support/playground-process';

let playground: PlaygroundProcess;
let browser: Browser;
let page: Page;
let dialogs: string[];

beforeAll(async () => {
  playground = await startPlaygroundProcess();
  browser = await launchChromium();
  ({ page, dialogs } = await openPlayground(browser, playground.url));
});

afterAll(async () => {
  await browser?.close();
  expect(await playground?.stop()).toBe(0);
});

const botMessages = (where: '#dm' | '#channel'): Locator => page.locator(`${where} .message.from-bot`);
const lastReply = (): Locator => page.locator('#dm .message.ephemeral').last();

/** The user card (section + its buttons) of one IAM user in the DM shown, by the line naming it. */
const cardButton = (userLine: string, label: string): Locator =>
  page
    .locator('#dm .bk-section', { hasText: userLine })
    .last()
    .locator('xpath=following-sibling::div[contains(@class, "bk-actions")][1]')
    .getByRole('button', { name: label });

const clickConfirmed = async (button: Locator, expectedTitle: string): Promise<void> => {
  await button.click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.innerText()).resolves.toContain(expectedTitle);
  await dialog.getByRole('button', { name: /Ask an approver|Remove it/ }).click();
};

test('the page loads, says it is a playground, and shows the DM the start-up scan sent', async () => {
  await expect(page.locator('.banner').innerText()).resolves.toMatch(/This is a playground, not Slack/);
  const readme = page.locator('.banner a', { hasText: 'Running the Slack bot' });
  await expect(readme.getAttribute('href')).resolves.toBe('/readme');
  const readmePage = await (await fetch(new URL('/readme', playground.url))).text();
  expect(readmePage).toContain('## Running the Slack bot');
  expect(readmePage).toContain('Create the Slack app');
  await actAs(page, 'Alice');
  await botMessages('#dm').first().waitFor();
  const dm = await page.locator('#dm').innerText();
  expect(dm).toContain('Your AWS IAM user needs MFA');
  expect(dm).toMatch(/IAM user alice\s+in AWS account acme-prod/);
  // Bold and code are markup, not asterisks and backticks.
  await expect(page.locator('#dm .bk-text b').first().isVisible()).resolves.toBe(true);
  await expect(page.locator('#dm code', { hasText: 'acme-prod' }).first().isVisible()).resolves.toBe(true);
  // The summary went to #security-alerts, mentions shown as names.
  await page.click('[data-tab=channel]');
  await botMessages('#channel').first().waitFor();
  await expect(page.locator('#channel').innerText()).resolves.toContain('acme-sandbox');
  await page.click('[data-tab=dm]');
});

test('/mfa-status as an owner answers only them, in their DM', async () => {
  await actAs(page, 'Alice');
  await say(page, '/mfa-status');
  await lastReply().waitFor();
  const reply = await lastReply().innerText();
  expect(reply).toContain('Only visible to you');
  expect(reply).toContain('Your IAM users and MFA');
  expect(reply).toMatch(/alice\s+in\s+acme-prod/);
  // Bob does not see Alice's reply.
  await actAs(page, 'Bob');
  await botMessages('#dm').first().waitFor();
  await expect(page.locator('#dm').innerText()).resolves.not.toContain('Your IAM users and MFA');
});

test('Recheck re-checks live and changes the DM; Show CLI steps opens the modal', async () => {
  await actAs(page, 'Alice');
  await cardButton('IAM user alice', 'Recheck').click();
  await page.locator('#dm', { hasText: 'still no MFA' }).waitFor();
  await expect(page.locator('#dm .edited').count()).resolves.toBeGreaterThan(0);

  await cardButton('IAM user alice', 'Show CLI steps').click();
  const modal = page.locator('#modal-layer .modal');
  // views.open first shows the modal loading, views.update then fills it in.
  await modal.filter({ hasText: 'aws iam create-virtual-mfa-device' }).waitFor();
  const steps = await modal.innerText();
  expect(steps).toContain('AWS CLI steps');
  expect(steps).toContain('aws iam create-virtual-mfa-device --virtual-mfa-device-name alice');
  expect(steps).toContain('--authentication-code1');
  await modal.getByRole('button', { name: 'Close' }).click();
  await modal.waitFor({ state: 'detached' });

  // Alice turns MFA on (the sample account's panel), then Recheck sees it.
  await page
    .locator('#accounts section', { hasText: 'acme-prod' })
    .locator('button[data-user="alice"][data-change="enable_mfa"]')
    .click();
  await page
    .locator('#accounts section', { hasText: 'acme-prod' })
    .locator('tr', { hasText: 'alice' })
    .first()
    .filter({ hasText: 'password + MFA' })
    .waitFor();
  await cardButton('IAM user alice', 'Recheck').click();
  await page.locator('#dm .message.from-bot', { hasText: 'All fixed — thank you' }).waitFor();
  await expect(page.locator('#dm').innerText()).resolves.toMatch(/alice\s+is fixed/);
});

test('a removal: the owner asks, a stranger is refused, the approver approves', async () => {
  await actAs(page, 'Bob');
  await botMessages('#dm').first().waitFor();
  await clickConfirmed(cardButton('IAM user bob', 'Remove console access…'), 'Remove console access?');
  await page.locator('#dm .message.ephemeral', { hasText: 'Asked the approvers' }).waitFor();

  // Sam owns nothing and approves nothing.
  await actAs(page, 'Sam');
  await page.click('[data-tab=channel]');
  const request = page.locator('#channel .message', { hasText: 'Remove a console password? (request #1)' });
  await request.waitFor();
  await clickConfirmed(request.getByRole('button', { name: 'Approve removal' }), 'Remove the console password?');
  await page.locator('#channel .message.ephemeral', { hasText: 'Only approvers can approve' }).waitFor();
  await expect(request.innerText()).resolves.toContain('Waiting for an approver');
  await expect(page.locator('#accounts tr', { hasText: 'bob' }).first().innerText()).resolves.toContain(
    'password, no MFA',
  );
  // Nor may Sam ask about someone else's IAM user.
  await page.click('[data-tab=dm]');
  await say(page, '/mfa-status bob');
  await page.locator('#dm .message.ephemeral', { hasText: 'You can only look up IAM users you own' }).waitFor();

  // Sasha approves: IAM loses bob's password, the request message says who removed it.
  await actAs(page, 'Sasha');
  await page.click('[data-tab=channel]');
  await clickConfirmed(request.getByRole('button', { name: 'Approve removal' }), 'Remove the console password?');
  await request.filter({ hasText: 'Removed by @Sasha (security)' }).waitFor();
  await expect(request.getByRole('button', { name: 'Approve removal' }).count()).resolves.toBe(0);
  await page.locator('#accounts tr', { hasText: 'bob' }).first().filter({ hasText: 'no console password' }).waitFor();
  await page.click('[data-tab=dm]');
});

test('moving the clock a day on and scanning sends the day-old findings their re-nudge', async () => {
  await actAs(page, 'Platform team');
  await botMessages('#dm').first().waitFor();
  const before = await botMessages('#dm').count();
  const shown = await page.locator('#now').innerText();
  await page.getByRole('button', { name: '+1 day' }).click();
  await page.locator('#now').filter({ hasNotText: shown }).waitFor();
  await page.getByRole('button', { name: 'Run a scan now' }).click();
  await botMessages('#dm').nth(before).waitFor({ timeout: 15_000 });
  await expect(botMessages('#dm').nth(before).innerText()).resolves.toContain('svc-deploy');
});

test('a hostile user name and tag value are shown as text, never as markup', async () => {
  const hostile = '<img src=x onerror=alert(1)>';
  await page.fill('#new-user', hostile);
  await page.fill('#new-owner', 'U012ABCDEF');
  await page.fill('#new-exempt', '');
  await page.click('#add-user button[type=submit]');
  await page.locator('#accounts .user-name', { hasText: hostile }).waitFor();
  await page.fill('#new-user', 'kiosk-2');
  await page.fill('#new-owner', 'U012ABCDEF');
  await page.fill('#new-exempt', `<!channel> ${hostile}`);
  await page.click('#add-user button[type=submit]');
  await page.locator('#accounts .user-name', { hasText: 'kiosk-2' }).waitFor();
  await page.getByRole('button', { name: 'Run a scan now' }).click();

  await actAs(page, 'Alice');
  await page.locator('#dm .message.from-bot', { hasText: hostile }).first().waitFor({ timeout: 15_000 });
  await say(page, '/mfa-status kiosk-2');
  await page.locator('#dm .message.ephemeral', { hasText: `<!channel> ${hostile}` }).waitFor();

  await expect(page.locator('img').count()).resolves.toBe(0);
  await expect(page.locator('#dm .mention', { hasText: '@channel' }).count()).resolves.toBe(0);
  expect(dialogs).toEqual([]);
});
