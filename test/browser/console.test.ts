import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from '../../local/stack.ts';
import { postDecision } from '../support/customer.ts';
import { activationLink, partnerClient } from '../support/local-stack.ts';
import { launchChromium } from './support/chromium.ts';
import {
  activeElementId,
  fillRequest,
  isFocusInOpenDialog,
  openConsole,
  rowFor,
  screenshot,
  signIn,
} from './support/console-page.ts';

/** What the console page loads: the modules and the style sheet in its asset directory. */
const consoleFiles = readdirSync(new URL('../../functions/console/assets/', import.meta.url))
  .filter((file) => /\.(?:js|css)$/.test(file))
  .sort();

// One partner per test, so no test sees another's requests in its list.
const keys = Array.from({ length: 5 }, () => randomBytes(24).toString('base64url'));
const [flowKey, roundTripKey, sessionKey, dutchKey, declineKey] = keys as [
  string,
  string,
  string,
  string,
  string,
];

let stack: RunningStack;
let browser: Browser;

// The server does real work behind each click (workflow, e-mail), so allow it some time.
const eventually = { timeout: 10_000, interval: 100 };

/** What the partner API itself says, to check what the console really did. */
const listed = async (key: string): Promise<{ status: string }[]> =>
  (await partnerClient(stack, key).list('?limit=100')).body.items;

beforeAll(async () => {
  stack = await startStack({ port: 0, sesPort: 0, partnerKeys: keys, logLevel: 'WARN' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('partner console', () => {
  it('signs in, shows field errors, reviews, creates, lists, resends and cancels', async () => {
    const { page, problems, csp } = await openConsole(browser, stack.apiUrl);
    expect(csp).toContain("default-src 'none'");
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByLabel('Partner API key').fill('not-a-partner-key');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => page.locator('#sign-in-message').textContent(), eventually)
      .toContain('not accepted');
    await signIn(page, flowKey);

    await fillRequest(page, {
      accountName: '   ',
      customerEmail: 'not-an-email',
      accountDomain: 'https://acme-console.example/path',
      userEmails: 'ok@acme-console.example\nbroken',
    });
    await page.getByRole('button', { name: 'Review request' }).click();
    await page.locator('#error-summary').waitFor();
    expect(await activeElementId(page)).toBe('error-summary');
    for (const field of ['accountName', 'customerEmail', 'accountDomain', 'userEmails']) {
      const error = page.locator(`#${field}-error`);
      await error.waitFor();
      expect((await error.textContent())?.trim()).not.toBe('');
      const input = page.locator(`#${field}`);
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      expect(await input.getAttribute('aria-describedby')).toContain(`${field}-error`);
    }
    expect(await page.locator('#userEmails-error').textContent()).toContain('broken');
    expect(await page.locator('#noteToCustomer').getAttribute('aria-invalid')).toBeNull();
    await screenshot(page, 'field-errors-en');
    await page
      .locator('#error-summary')
      .getByRole('link', { name: /^Account name/ })
      .click();
    expect(await activeElementId(page)).toBe('accountName');

    await fillRequest(page, {
      accountName: '  Acme Console BV ',
      customerEmail: 'IT@Acme-Console.Example',
      accountDomain: 'Acme-Console.Example',
      userEmails: 'one@acme-console.example, two@acme-console.example',
      noteToCustomer: 'As agreed on the phone.',
      noteToUsers: 'Welcome aboard.',
      locale: 'en',
    });
    const reviewButton = page.getByRole('button', { name: 'Review request' });
    await reviewButton.click();
    const dialog = page.getByRole('dialog', { name: 'Review request' });
    await dialog.waitFor();
    expect(await page.locator('#error-summary').isHidden()).toBe(true);
    expect(await page.locator('#accountName').getAttribute('aria-invalid')).toBeNull();
    expect(await isFocusInOpenDialog(page)).toBe(true);
    const reviewed = (await dialog.textContent()) ?? '';
    expect(reviewed).toContain('Acme Console BV');
    expect(reviewed).toContain('acme-console.example');
    expect(reviewed).toContain('it@acme-console.example');
    expect(reviewed).toContain('two@acme-console.example');
    await screenshot(page, 'review-en');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await activeElementId(page)).toBe('review-button');
    expect(await listed(flowKey)).toHaveLength(0);

    await reviewButton.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Confirm and create' }).dblclick();
    const confirmation = page.locator('#confirmation');
    await confirmation.getByText('Provisional Smart Account created').waitFor();
    expect(await confirmation.textContent()).toContain('Pending customer acceptance');
    const [created] = await listed(flowKey);
    const expiryYear = String(new Date(Date.now() + 90 * 86_400_000).getUTCFullYear());
    expect(await confirmation.textContent()).toMatch(new RegExp(`accept until .*${expiryYear}`));
    expect(await activeElementId(page)).toBe('review-button');
    expect(await listed(flowKey)).toHaveLength(1);
    expect(created?.status).toBe('PENDING_ACTIVATION');

    const row = rowFor(page, 'acme-console.example');
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toBe('Pending customer acceptance');
    expect(await page.locator('#accountName').inputValue()).toBe('');
    await screenshot(page, 'created-en');

    // The activation e-mail goes out asynchronously; resending before it exists proves nothing.
    await activationLink(stack, 'it@acme-console.example');
    const resend = row.getByRole('button', { name: /^Resend/ });
    for (let attempt = 1; attempt <= 6; attempt++) {
      await resend.click();
      await expect
        .poll(
          async () =>
            [
              await page.locator('#status').textContent(),
              await page.locator('#requests-alert').textContent(),
            ].join(''),
          eventually,
        )
        .not.toBe('');
      if (attempt <= 5) expect(await page.locator('#status').textContent()).toContain('sent again');
    }
    expect(await page.locator('#requests-alert').textContent()).toContain('Resend limit reached');

    await row.getByRole('button', { name: /^Cancel/ }).click();
    const cancelDialog = page.getByRole('dialog', { name: 'Cancel this request?' });
    await cancelDialog.waitFor();
    expect(await isFocusInOpenDialog(page)).toBe(true);
    await cancelDialog.getByRole('button', { name: 'Keep request' }).click();
    await cancelDialog.waitFor({ state: 'hidden' });
    expect(await row.locator('.badge').getAttribute('data-status')).toBe('PENDING_ACTIVATION');

    await row.getByRole('button', { name: /^Cancel/ }).click();
    await cancelDialog.getByRole('button', { name: 'Cancel request' }).click();
    await expect.poll(() => row.locator('.badge').textContent(), eventually).toBe('Cancelled');
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await page.locator('#status').textContent()).toContain('was cancelled');
    expect((await listed(flowKey))[0]?.status).toBe('CANCELLED');

    await page.getByRole('tab', { name: /^Active/ }).click();
    await page.getByText('No requests match.').waitFor();
    await page.getByRole('tab', { name: /^Cancelled/ }).click();
    await row.waitFor();
    await screenshot(page, 'cancelled-en');
    expect(problems).toEqual([]);
  });

  it('follows a request to ACTIVE after the customer opens the e-mailed link', async () => {
    const { page, problems } = await openConsole(browser, stack.apiUrl);
    await signIn(page, roundTripKey);
    await fillRequest(page, {
      accountName: 'Round Trip BV',
      customerEmail: 'owner@round-trip.example',
      accountDomain: 'round-trip.example',
    });
    await page.getByRole('button', { name: 'Review request' }).click();
    await page
      .getByRole('dialog', { name: 'Review request' })
      .getByRole('button', { name: 'Confirm and create' })
      .click();
    await page.locator('#confirmation').getByText('Provisional Smart Account created').waitFor();

    const link = await activationLink(stack, 'owner@round-trip.example');
    const customer = await page.context().newPage();
    await customer.goto(link);
    await customer.getByRole('button', { name: /^Activate/ }).click();
    await customer.waitForLoadState();
    await screenshot(customer, 'activated-customer-page');
    await customer.close();

    const badge = rowFor(page, 'round-trip.example').locator('.badge');
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          await page.locator('#requests-table:not([aria-busy])').waitFor();
          return badge.getAttribute('data-status');
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('ACTIVE');
    expect(await badge.textContent()).toBe('Active');
    expect(await rowFor(page, 'round-trip.example').getByRole('button').count()).toBe(0);
    await screenshot(page, 'active-en');
    expect(problems).toEqual([]);
  });

  it('returns to sign-in when the key stops working, and signs out', async () => {
    const { page, problems } = await openConsole(browser, stack.apiUrl);
    await signIn(page, sessionKey);
    await page.evaluate(() => sessionStorage.setItem('sar.partnerKey', 'revoked-key'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.locator('#sign-in-message').textContent()).toContain('not accepted');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await signIn(page, sessionKey);
    await page.reload();
    await page.locator('#workspace').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('sar.partnerKey'))).toBeNull();
    expect(problems).toEqual([]);
  });

  it('loads its modules from its own origin and revalidates them on every load', async () => {
    const { page, problems } = await openConsole(browser, stack.apiUrl);
    /** Status of each console file the page fetched, by path. */
    const fetched = new Map<string, number>();
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/console/')) fetched.set(url.pathname, response.status());
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect.poll(() => fetched.size, eventually).toBe(consoleFiles.length);
    expect([...fetched.keys()].sort()).toEqual(consoleFiles.map((file) => `/console/${file}`));
    // A reload sends each ETag back; unchanged files come back as 304 without a body.
    expect(new Set(fetched.values())).toEqual(new Set([304]));

    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => new URL(entry.name))
        .filter((url) => url.pathname.endsWith('.js'))
        .map((url) => url.origin),
    );
    expect(new Set(scripts)).toEqual(new Set([new URL(stack.apiUrl).origin]));
    expect(problems).toEqual([]);
  });

  it('speaks Dutch from the browser language and pages through the list', async () => {
    const partner = partnerClient(stack, dutchKey);
    for (let n = 1; n <= 21; n++) {
      const created = await partner.create({
        accountName: `Klant ${n} BV`,
        accountDomain: `klant-${n}.example`,
        customerEmail: `it@klant-${n}.example`,
      });
      expect(created.status).toBe(202);
    }
    const { page, problems } = await openConsole(browser, stack.apiUrl, 'nl-NL');
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
    await screenshot(page, 'sign-in-nl');
    await signIn(page, dutchKey, { key: 'Partner-API-sleutel', button: 'Aanmelden' });

    const rows = page.locator('#requests-body tr');
    await expect.poll(() => rows.count(), eventually).toBe(20);
    expect(await page.locator('#page-number').textContent()).toBe('Pagina 1');
    expect(await page.getByRole('button', { name: 'Eerste pagina' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Volgende pagina' }).click();
    await expect.poll(() => rows.count(), eventually).toBe(1);
    expect(await page.locator('#page-number').textContent()).toBe('Pagina 2');
    expect(await rowFor(page, 'klant-1.example').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Volgende pagina' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Eerste pagina' }).click();
    await expect.poll(() => rows.count(), eventually).toBe(20);
    expect(await rowFor(page, 'klant-21.example').locator('.badge').textContent()).toBe(
      'Wacht op acceptatie',
    );

    await fillRequest(page, { accountName: 'Nieuw BV', customerEmail: 'geen-adres' });
    await page.getByRole('button', { name: 'Aanvraag controleren' }).click();
    await page.getByRole('heading', { name: 'Corrigeer het volgende' }).waitFor();
    await screenshot(page, 'field-errors-nl');

    await fillRequest(page, {
      customerEmail: 'it@nieuw.example',
      accountDomain: 'nieuw.example',
      locale: 'nl',
    });
    await page.getByRole('button', { name: 'Aanvraag controleren' }).click();
    const dialog = page.getByRole('dialog', { name: 'Aanvraag controleren' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Nederlands');
    await screenshot(page, 'review-nl');
    await dialog.getByRole('button', { name: 'Terug' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await activeElementId(page)).toBe('review-button');

    await page.getByLabel('Taal', { exact: true }).selectOption('en');
    await page.getByRole('heading', { name: 'Your requests' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('#page-number').textContent()).toBe('Page 1');
    expect(problems).toEqual([]);
  });
  it("shows the customer's decline reason in the list, as text", async () => {
    const partner = partnerClient(stack, declineKey);
    const domain = `declined-${randomBytes(4).toString('hex')}.example`;
    const created = await partner.create({
      accountName: 'Declined BV',
      accountDomain: domain,
      customerEmail: `it@${domain}`,
    });
    expect(created.status).toBe(202);
    const link = await activationLink(stack, `it@${domain}`);
    const declined = await postDecision(link, {
      decision: 'decline',
      reason: 'Not us: <b>wrong</b> company',
    });
    expect(declined.status).toBe(200);

    const { page, problems } = await openConsole(browser, stack.apiUrl);
    await signIn(page, declineKey);
    const row = rowFor(page, domain);
    await expect
      .poll(() => row.locator('.decline-reason').textContent(), eventually)
      .toBe("The customer's reason: “Not us: <b>wrong</b> company”");
    expect(await row.locator('b').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
