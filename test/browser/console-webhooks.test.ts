import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, LOOPBACK, listen } from '../../local/listen.ts';
import { type RunningStack, startStack } from '../../local/stack.ts';
import { partnerClient, waitFor } from '../support/local-stack.ts';
import { launchChromium } from './support/chromium.ts';
import {
  activeElementId,
  focusIsOn,
  isFocusInOpenDialog,
  type OpenedConsole,
  openConsole,
  screenshot,
  signIn,
} from './support/console-page.ts';

/** The console's webhook endpoints page (`#/webhooks`), driven by labels, roles and the keyboard. */

// One partner per test, so no test sees another's endpoints.
const keys = Array.from({ length: 4 }, () => randomBytes(24).toString('base64url'));
const [addKey, deleteKey, errorsKey, dutchKey] = keys as [string, string, string, string];

interface Received {
  readonly headers: Record<string, string>;
  readonly body: string;
}

let stack: RunningStack;
let browser: Browser;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const eventually = { timeout: 10_000, interval: 100 };

beforeAll(async () => {
  receiver = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      ),
      body: Buffer.concat(chunks).toString('utf8'),
    });
    response.writeHead(200).end('ok');
  });
  receiverUrl = `http://${LOOPBACK}:${await listen(receiver, 0)}/hooks`;
  stack = await startStack({ port: 0, sesPort: 0, partnerKeys: keys, logLevel: 'WARN' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (receiver) await close(receiver);
});

/** Signs in and opens the webhooks page from the console's navigation. */
async function openWebhooks(key: string, locale = 'en-GB'): Promise<OpenedConsole> {
  const opened = await openConsole(browser, stack.apiUrl, locale);
  await signIn(opened.page, key);
  await opened.page
    .getByRole('navigation')
    .getByRole('link', { name: 'Webhook endpoints' })
    .click();
  await expect.poll(() => activeElementId(opened.page), eventually).toBe('webhooks-title');
  return opened;
}

const endpointRows = (page: Page) => page.locator('#endpoints-body tr');
const rowOf = (page: Page, url: string) =>
  page.locator('#endpoints-body tr', { has: page.locator('code', { hasText: url }) });
const bodyText = (page: Page) => page.locator('body').textContent();

describe('the webhook endpoints page of the partner console', () => {
  it('adds an endpoint (submitted with Enter), shows its secret once, the one its deliveries are signed with, and delivers again on request', async () => {
    const { page, problems } = await openWebhooks(addKey);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: stack.apiUrl,
    });
    expect(
      await page.getByRole('link', { name: 'Webhook endpoints' }).getAttribute('aria-current'),
    ).toBe('page');
    expect(await page.locator('#endpoints-empty').isVisible()).toBe(true);
    const url = `${receiverUrl}/add`;

    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByLabel('Only the events I choose').check();
    await page.getByLabel('Activated by the customer').check();
    await page.getByLabel('Request expired').check();
    await page.getByLabel('Description (optional)').fill('CRM sync');
    await page.getByLabel('Description (optional)').press('Enter');

    await expect.poll(() => activeElementId(page), eventually).toBe('secret-title');
    const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    expect(await page.locator('#secret-panel').textContent()).toMatch(
      /only time the secret is shown/,
    );
    await page.getByRole('button', { name: 'Copy the secret' }).click();
    await expect
      .poll(() => page.locator('#secret-copied').textContent(), eventually)
      .toMatch(/copied/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const row = rowOf(page, url);
    expect(await row.textContent()).toMatch(
      /CRM sync[\s\S]*Activated by the customer[\s\S]*Request expired/,
    );
    await screenshot(page, 'webhooks-secret-shown');

    await page.getByRole('button', { name: 'I have stored it' }).click();

    expect(await activeElementId(page)).toBe('endpoints-title');
    expect(await page.locator('#secret-panel').isHidden()).toBe(true);
    expect(await page.locator('#secret-value').inputValue()).toBe('');
    expect(await bodyText(page)).not.toContain(secret);
    // The secret the page showed is the one the deliveries are signed with.
    const before = received.length;
    await row.getByRole('button', { name: /Send a test event/ }).click();
    const delivery = await waitFor(
      async () => received.slice(before).find((r) => r.body.includes('"webhook.test"')),
      'the test event at the receiver',
    );
    expect(new Webhook(secret).verify(delivery.body, delivery.headers)).toMatchObject({
      type: 'webhook.test',
    });
    await expect
      .poll(() => page.locator('#deliveries-body tr').first().textContent(), eventually)
      .toMatch(/Test event/);
    await page.getByRole('button', { name: 'Refresh' }).last().click();
    await expect
      .poll(() => page.locator('#deliveries-body tr').first().textContent(), eventually)
      .toMatch(/Delivered[\s\S]*HTTP 200/);
    const eventId = delivery.headers['webhook-id'];
    const sameEvent = () => received.filter((r) => r.headers['webhook-id'] === eventId).length;

    await page
      .locator('#deliveries-body tr')
      .first()
      .getByRole('button', { name: /Deliver again/ })
      .click();

    await expect
      .poll(() => page.locator('#webhooks-status').textContent(), eventually)
      .toMatch(/delivered to CRM sync .* again/);
    await waitFor(async () => sameEvent() === 2, 'the redelivery at the receiver');
    expect(await focusIsOn(page, '#deliveries-body [data-action="redeliver"]')).toBe(true);

    await page.reload();
    await expect.poll(() => endpointRows(page).count(), eventually).toBe(1);
    expect(await page.locator('#secret-panel').isHidden()).toBe(true);
    expect(await bodyText(page)).not.toContain(secret);
    expect(problems).toEqual([]);
  });

  it('deletes an endpoint only after confirming, and says so', async () => {
    const url = `${receiverUrl}/delete`;
    const api = partnerClient(stack, deleteKey);
    expect((await api.call('POST', '/v1/webhook-endpoints', { body: { url } })).status).toBe(201);
    const { page, problems } = await openWebhooks(deleteKey);
    const deleteButton = rowOf(page, url).getByRole('button', { name: /^Delete/ });

    await deleteButton.focus();
    await page.keyboard.press('Enter');
    expect(await isFocusInOpenDialog(page)).toBe(true);
    expect(await page.locator('#endpoint-delete-text').textContent()).toContain(url);
    await page.getByRole('button', { name: 'Keep the endpoint' }).click();
    expect(await page.locator('#endpoint-delete-dialog').isVisible()).toBe(false);
    expect(await deleteButton.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(await endpointRows(page).count()).toBe(1);

    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Delete the endpoint' }).click();

    await expect.poll(() => endpointRows(page).count(), eventually).toBe(0);
    expect(await page.locator('#webhooks-status').textContent()).toMatch(/was deleted/);
    expect(await activeElementId(page)).toBe('endpoints-title');
    expect((await api.call('GET', '/v1/webhook-endpoints')).body.items).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("puts the API's refusals on the fields they name, and moves focus there", async () => {
    const { page, problems } = await openWebhooks(errorsKey);
    const urlField = page.getByLabel('URL', { exact: true });

    await urlField.fill('https://10.1.2.3/hooks');
    await page.getByRole('button', { name: 'Add the endpoint' }).click();

    await expect.poll(() => activeElementId(page), eventually).toBe('endpoint-url');
    expect(await urlField.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#endpoint-url-error').textContent()).toMatch(/private address/);

    await urlField.fill(receiverUrl);
    await page.getByLabel('Only the events I choose').check();
    await page.getByRole('button', { name: 'Add the endpoint' }).click();

    expect(await page.locator('#endpoint-events-error').textContent()).toMatch(
      /at least one event/,
    );
    expect(await activeElementId(page)).toBe('event-smart-account-request-created');
    expect(await endpointRows(page).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('speaks Dutch after switching, also for a rotated secret and the deliveries', async () => {
    const url = `${receiverUrl}/dutch`;
    const api = partnerClient(stack, dutchKey);
    const added = await api.call('POST', '/v1/webhook-endpoints', { body: { url } });
    const { page, problems } = await openWebhooks(dutchKey);

    await page.getByLabel('Language', { exact: true }).selectOption('nl');
    expect(await page.locator('#webhooks-title').textContent()).toBe('Webhook-eindpunten');
    await rowOf(page, url)
      .getByRole('button', { name: /Geheim vervangen/ })
      .click();

    await expect.poll(() => activeElementId(page), eventually).toBe('secret-title');
    expect(await page.locator('#secret-title').textContent()).toBe(
      'Kopieer het nieuwe ondertekeningsgeheim',
    );
    const rotated = await page.getByRole('textbox', { name: 'Ondertekeningsgeheim' }).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(added.body.secret);
    expect(await page.locator('#secret-text').textContent()).toMatch(/ook nog met het oude geheim/);

    await rowOf(page, url)
      .getByRole('button', { name: /Afleveringen/ })
      .click();
    await expect.poll(() => activeElementId(page), eventually).toBe('deliveries-title');
    expect(await page.locator('#deliveries-title').textContent()).toBe(`Afleveringen aan ${url}`);
    expect(await page.locator('#deliveries-empty').textContent()).toMatch(/Nog niets afgeleverd/);
    expect(await bodyText(page)).not.toMatch(/Send a test event|Deliveries to/);
    expect(problems).toEqual([]);
  });
});
