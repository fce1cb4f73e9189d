import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from '../../local/stack.ts';
import { partnerClient } from '../support/local-stack.ts';
import { launchChromium } from './support/chromium.ts';
import {
  activeElementId,
  isFocusInOpenDialog,
  type OpenedConsole,
  openConsole,
  screenshot,
  signIn,
} from './support/console-page.ts';

/** The console's API keys page (`#/api-keys`), driven by labels, roles and the keyboard. */

// One partner per test, so no test sees another's keys.
const keys = Array.from({ length: 4 }, () => `sak_${randomBytes(32).toString('base64url')}`);
const [createKey, lastKey, ownKey, dutchKey] = keys as [string, string, string, string];

let stack: RunningStack;
let browser: Browser;
const eventually = { timeout: 10_000, interval: 100 };

beforeAll(async () => {
  stack = await startStack({ port: 0, sesPort: 0, partnerKeys: keys, logLevel: 'WARN' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Signs in and opens the API keys page from the console's navigation. */
async function openApiKeys(key: string, locale = 'en-GB'): Promise<OpenedConsole> {
  const opened = await openConsole(browser, stack.apiUrl, locale);
  await signIn(opened.page, key);
  await opened.page.getByRole('navigation').getByRole('link', { name: 'API keys' }).click();
  await expect.poll(() => activeElementId(opened.page), eventually).toBe('api-keys-title');
  return opened;
}

const keyRows = (page: Page) => page.locator('#keys-body tr');
const rowOf = (page: Page, label: string) =>
  page.locator('#keys-body tr', { has: page.locator('td.key-label', { hasText: label }) });
const bodyText = (page: Page) => page.locator('body').textContent();
/** What the API answers this key now: 200 while it is valid, 401 once revoked. */
const statusWith = async (key: string) => (await partnerClient(stack, key).list('?limit=1')).status;

describe('the API keys page of the partner console', () => {
  it('creates a key (submitted with Enter), shows it once with a copy button, and revokes it after a confirmation: the key then gets 401', async () => {
    const { page, problems } = await openApiKeys(createKey);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: stack.apiUrl,
    });
    expect(await page.getByRole('link', { name: 'API keys' }).getAttribute('aria-current')).toBe(
      'page',
    );
    expect(await keyRows(page).count()).toBe(1);
    expect(await keyRows(page).first().textContent()).toMatch(
      new RegExp(`LOCAL_PARTNER_KEYS \\(this console\\)${createKey.slice(0, 8)}…`),
    );

    await page.getByLabel('Label', { exact: true }).fill('CRM integration');
    await page.getByLabel('Label', { exact: true }).press('Enter');

    await expect.poll(() => activeElementId(page), eventually).toBe('new-key-title');
    const newKey = await page.getByRole('textbox', { name: 'New API key' }).inputValue();
    expect(newKey).toMatch(/^sak_[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('#new-key-panel').textContent()).toMatch(
      /only time the key is shown/,
    );
    await page.getByRole('button', { name: 'Copy the key' }).click();
    await expect
      .poll(() => page.locator('#new-key-copied').textContent(), eventually)
      .toMatch(/copied/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(newKey);
    const row = rowOf(page, 'CRM integration');
    expect(await row.textContent()).toMatch(new RegExp(`${newKey.slice(0, 8)}…[\\s\\S]*Not yet`));
    expect(await row.textContent()).not.toContain(newKey);
    await screenshot(page, 'api-keys-key-shown');
    expect(await statusWith(newKey)).toBe(200);

    await page.getByRole('button', { name: 'I have stored it' }).click();

    expect(await activeElementId(page)).toBe('keys-title');
    expect(await page.locator('#new-key-panel').isHidden()).toBe(true);
    expect(await page.locator('#new-key-value').inputValue()).toBe('');
    expect(await bodyText(page)).not.toContain(newKey);

    const revoke = row.getByRole('button', { name: /Revoke/ });
    await revoke.focus();
    await page.keyboard.press('Enter');
    expect(await isFocusInOpenDialog(page)).toBe(true);
    expect(await page.locator('#key-revoke-text').textContent()).toMatch(
      /key CRM integration is refused from its next request on/,
    );
    await page.getByRole('button', { name: 'Keep the key' }).click();
    expect(await revoke.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(await statusWith(newKey)).toBe(200);

    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Revoke the key' }).click();

    await expect.poll(() => keyRows(page).count(), eventually).toBe(1);
    expect(await page.locator('#api-keys-status').textContent()).toMatch(
      /CRM integration was revoked/,
    );
    expect(await activeElementId(page)).toBe('keys-title');
    expect(await statusWith(newKey)).toBe(401);
    expect(await statusWith(createKey)).toBe(200);
    expect(problems).toEqual([]);
  });

  it("refuses to revoke the partner's last key with the API's message, and stays signed in", async () => {
    const { page, problems } = await openApiKeys(lastKey);

    await keyRows(page)
      .first()
      .getByRole('button', { name: /Revoke/ })
      .click();
    expect(await page.locator('#key-revoke-text').textContent()).toMatch(
      /This console is signed in with the key LOCAL_PARTNER_KEYS: revoking it signs you out here/,
    );
    await page.getByRole('button', { name: 'Revoke the key' }).click();

    await expect
      .poll(() => page.locator('#api-keys-alert').textContent(), eventually)
      .toMatch(/This is your only API key: create another one before revoking it.*Error ID: err_/);
    expect(await page.locator('#workspace').isVisible()).toBe(true);
    expect(await keyRows(page).count()).toBe(1);
    expect(await statusWith(lastKey)).toBe(200);
    expect(problems).toEqual([]);
  });

  it('signs the console out when the partner revokes the key it is signed in with', async () => {
    const spare = await partnerClient(stack, ownKey).call('POST', '/v1/api-keys', {
      body: { label: 'Spare' },
    });
    const { page, problems } = await openApiKeys(ownKey);

    await rowOf(page, 'LOCAL_PARTNER_KEYS')
      .getByRole('button', { name: /Revoke/ })
      .click();
    await page.getByRole('button', { name: 'Revoke the key' }).click();

    await expect.poll(() => page.locator('#sign-in').isVisible(), eventually).toBe(true);
    expect(await page.locator('#workspace').isHidden()).toBe(true);
    expect(await page.locator('#sign-in-message').textContent()).toBe(
      'The key this console was signed in with was revoked. Sign in with another key.',
    );
    expect(await activeElementId(page)).toBe('api-key');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await statusWith(ownKey)).toBe(401);
    expect(await statusWith(spare.body.key)).toBe(200);
    expect(problems).toEqual([]);
  });

  it('speaks Dutch, and puts a refused label on its field', async () => {
    const { page, problems } = await openApiKeys(dutchKey);

    await page.getByLabel('Language', { exact: true }).selectOption('nl');
    expect(await page.locator('#api-keys-title').textContent()).toBe('API-sleutels');
    expect(await page.locator('#keys-table thead').textContent()).toMatch(
      /Label[\s\S]*Begint met[\s\S]*Aangemaakt[\s\S]*Laatst gebruikt/,
    );
    await page.getByLabel('Label', { exact: true }).fill('twee\u0007regels');
    await page.getByRole('button', { name: 'Maak de sleutel aan' }).click();

    await expect.poll(() => activeElementId(page), eventually).toBe('key-label');
    expect(await page.getByLabel('Label', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await page.locator('#key-label-error').textContent()).toMatch(/control characters/);
    expect(await keyRows(page).count()).toBe(1);
    expect(await bodyText(page)).not.toMatch(/Create the key|Your keys/);
    expect(problems).toEqual([]);
  });
});
