import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from '../../local/stack.ts';
import { postDecision } from '../support/customer.ts';
import { activationLink, mailTo, partnerClient } from '../support/local-stack.ts';
import { launchChromium } from './support/chromium.ts';
import {
  activeElementId,
  focusIsOn,
  openConsole,
  requestDetails,
  rowFor,
  screenshot,
  signIn,
} from './support/console-page.ts';

// One partner per test, so no test sees another's requests in its list.
const keys = Array.from({ length: 6 }, () => randomBytes(24).toString('base64url'));
const [browseKey, actionsKey, raceKey, layoutKey, dutchKey, againKey] = keys as [
  string,
  string,
  string,
  string,
  string,
  string,
];

let stack: RunningStack;
let browser: Browser;

const eventually = { timeout: 10_000, interval: 100 };
const DAY_MS = 86_400_000;

beforeAll(async () => {
  stack = await startStack({ port: 0, sesPort: 0, partnerKeys: keys, logLevel: 'WARN' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const uniqueDomain = (label: string) => `${label}-${randomBytes(4).toString('hex')}.example`;

/** A pending request made through the API, as the partner's integration would. */
async function created(key: string, fields: Record<string, unknown> = {}) {
  const domain = uniqueDomain('page');
  const response = await partnerClient(stack, key).create({
    accountName: 'Page BV',
    accountDomain: domain,
    customerEmail: `it@${domain}`,
    ...fields,
  });
  expect(response.status).toBe(202);
  return response.body as { id: string; accountDomain: string; customerEmail: string } & Record<
    string,
    unknown
  >;
}

/** Opens a request's page the way a partner does: its row's link in the list. */
async function openFromList(page: Page, domain: string) {
  await rowFor(page, domain).getByRole('link').click();
  await expect.poll(() => activeElementId(page), eventually).toBe('request-title');
}

const statusText = (page: Page) => page.locator('#request-status').textContent();
const alertText = (page: Page) => page.locator('#request-alert').textContent();

/** A date input's value (YYYY-MM-DD) for the UTC day of `ms`: the tests' browser runs in UTC. */
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('the request page of the partner console', () => {
  it('opens from the list with every field and the history, and back, forward and reload keep their place', async () => {
    const domain = uniqueDomain('browse');
    const request = await created(browseKey, {
      accountName: 'Browse BV',
      accountDomain: domain,
      customerEmail: `owner@${domain}`,
      userEmails: [`one@${domain}`, `two@${domain}`],
      noteToCustomer: 'As agreed on the phone.',
      noteToUsers: 'Welcome aboard.',
      locale: 'nl',
    });
    const { page, problems } = await openConsole(browser, stack.apiUrl, 'en-GB', {
      timezoneId: 'UTC',
    });
    await signIn(page, browseKey);

    // The row's link is reachable by keyboard and opens the page with Enter.
    const link = rowFor(page, domain).getByRole('link', { name: `Browse BV (${domain})` });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => activeElementId(page), eventually).toBe('request-title');
    expect(new URL(page.url()).hash).toBe(`#/requests/${request.id}`);
    expect(await page.locator('#request-title').textContent()).toBe(
      `Request for Browse BV (${domain})`,
    );
    expect(await page.locator('#requests').isHidden()).toBe(true);

    const details = await requestDetails(page);
    const fromApi = (await partnerClient(stack, browseKey).get(request.id)).body;
    expect(details).toMatchObject({
      'Request ID': request.id,
      Status: 'Pending customer acceptance',
      'Account name': 'Browse BV',
      'Account domain': domain,
      'Customer e-mail': `owner@${domain}`,
      'Note to the customer': 'As agreed on the phone.',
      'User e-mail addresses': `one@${domain}\ntwo@${domain}`,
      'Note to the users': 'Welcome aboard.',
      'Language of the e-mails': 'Nederlands',
      Activated: '—',
      Closed: '—',
      "Customer's reason for declining": 'None',
    });
    const expiryDay = new Date(fromApi.expiresAt).getUTCDate();
    expect(details.Expires).toContain(String(expiryDay));
    expect(details.Expires).toContain(String(new Date(fromApi.expiresAt).getUTCFullYear()));
    expect(details.Created).toContain(String(new Date(fromApi.createdAt).getUTCFullYear()));
    expect(details['Reminders sent']).toBe(String(fromApi.remindersSent));
    expect(details['Next reminder']).toContain(
      String(new Date(fromApi.nextReminderAt).getUTCFullYear()),
    );

    const history = page.getByRole('table', { name: 'Status history' });
    expect(await history.getByRole('columnheader').allTextContents()).toEqual(['Status', 'Since']);
    expect(await history.locator('tbody tr').allTextContents()).toHaveLength(1);
    expect(await history.locator('tbody tr').first().textContent()).toContain(
      'Pending customer acceptance',
    );
    await screenshot(page, 'request-page-en');

    // Back: the list again, focus on the row the page was opened from.
    await page.goBack();
    await page.locator('#requests').waitFor();
    await expect.poll(() => focusIsOn(page, 'a.request-link'), eventually).toBe(true);
    expect(
      await rowFor(page, domain)
        .locator('a.request-link')
        .evaluate((a) => a === document.activeElement),
    ).toBe(true);
    expect(await page.locator('#request-page').isHidden()).toBe(true);

    await page.goForward();
    await expect.poll(() => activeElementId(page), eventually).toBe('request-title');
    await page.reload();
    await page.locator('#request-details dt').first().waitFor();
    expect(await page.locator('#request-title').textContent()).toBe(
      `Request for Browse BV (${domain})`,
    );

    await page.getByRole('link', { name: 'Back to your requests' }).click();
    await page.locator('#requests').waitFor();
    await expect.poll(() => focusIsOn(page, 'a.request-link'), eventually).toBe(true);
    expect(new URL(page.url()).hash).toBe('#/');

    // An id that is not this partner's (or not anyone's) is a polite page, not an error.
    await page.evaluate(() => {
      location.hash = '#/requests/sar_00000000000000000000000000';
    });
    await page.getByRole('heading', { name: 'Request not found' }).waitFor();
    expect(await alertText(page)).toContain('There is no such request');
    expect(await page.locator('#request-content').isHidden()).toBe(true);

    // A link to a request opened in a signed-out tab shows that request once signed in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.evaluate((hash) => {
      location.hash = hash;
    }, `#/requests/${request.id}`);
    await signIn(page, browseKey);
    await expect.poll(() => activeElementId(page), eventually).toBe('request-title');
    expect(await page.locator('#request-title').textContent()).toBe(
      `Request for Browse BV (${domain})`,
    );
    expect(await page.locator('#new-request').isHidden()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('resends, extends the expiry, corrects the customer and cancels, each said and shown', async () => {
    const request = await created(actionsKey, { noteToCustomer: 'First note.' });
    const partner = partnerClient(stack, actionsKey);
    const { page, problems } = await openConsole(browser, stack.apiUrl, 'en-GB', {
      timezoneId: 'UTC',
    });
    await signIn(page, actionsKey);
    await openFromList(page, request.accountDomain);

    // The activation e-mail goes out asynchronously; resending before it exists proves nothing.
    await activationLink(stack, request.customerEmail);
    const resend = page.getByRole('button', { name: 'Resend the activation e-mail' });
    for (let attempt = 1; attempt <= 6; attempt++) {
      await resend.click();
      await expect
        .poll(async () => `${await statusText(page)}${await alertText(page)}`, eventually)
        .not.toBe('');
      if (attempt <= 5) expect(await statusText(page)).toContain('sent again');
    }
    expect(await alertText(page)).toContain('Resend limit reached');
    expect(await mailTo(stack, request.customerEmail)).toHaveLength(6);

    // The date input's limits: a day after the current expiry to 364 days after the request.
    const before = (await partner.get(request.id)).body;
    const date = page.getByLabel('New expiry date');
    const expiresAtMs = Date.parse(before.expiresAt);
    const latestMs = Date.parse(before.createdAt) + 364 * DAY_MS;
    expect(await date.getAttribute('min')).toBe(utcDay(expiresAtMs + DAY_MS));
    expect(await date.getAttribute('max')).toBe(utcDay(latestMs));

    // A day past the limit: the API's field error is shown on the field.
    await date.fill(utcDay(latestMs + DAY_MS));
    await page.getByRole('button', { name: 'Extend' }).click();
    const dateError = page.locator('#extend-date-error');
    await dateError.waitFor();
    expect(await dateError.textContent()).toContain('364 days');
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect(await date.getAttribute('aria-describedby')).toBe('extend-date-hint extend-date-error');
    expect(await activeElementId(page)).toBe('extend-date');
    expect(await alertText(page)).toContain('Please correct the fields marked below.');
    expect((await partner.get(request.id)).body.expiresAt).toBe(before.expiresAt);

    await date.fill(utcDay(expiresAtMs + 30 * DAY_MS));
    await page.getByRole('button', { name: 'Extend' }).click();
    await expect.poll(() => statusText(page), eventually).toContain('now expires on');
    const extendedTo = new Date(expiresAtMs + 30 * DAY_MS).toISOString();
    expect((await partner.get(request.id)).body.expiresAt).toBe(extendedTo);
    expect(await date.getAttribute('aria-invalid')).toBeNull();
    expect(await date.getAttribute('min')).toBe(utcDay(expiresAtMs + 31 * DAY_MS));
    expect((await requestDetails(page)).Expires).toContain(
      String(new Date(extendedTo).getUTCDate()),
    );

    // Correcting: nothing changed is said without a call; a bad address is a field error.
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => statusText(page), eventually).toContain('Nothing to save');
    // The new-request form has fields with the same labels (hidden while the page is open).
    const editForm = page.locator('#edit-form');
    const customerEmail = editForm.getByLabel('Customer e-mail');
    await customerEmail.fill('not-an-address');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const emailError = page.locator('#edit-customerEmail-error');
    await emailError.waitFor();
    expect(await customerEmail.getAttribute('aria-invalid')).toBe('true');
    expect(await customerEmail.getAttribute('aria-describedby')).toBe(
      'edit-customerEmail-hint edit-customerEmail-error',
    );
    expect(await activeElementId(page)).toBe('edit-customerEmail');

    const newAddress = `new-owner@${request.accountDomain}`;
    await customerEmail.fill(newAddress.toUpperCase());
    await editForm.getByLabel('Note to the customer').fill('Second note.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => statusText(page), eventually).toContain('new activation e-mail');
    const corrected = (await partner.get(request.id)).body;
    expect(corrected.customerEmail).toBe(newAddress);
    expect(corrected.noteToCustomer).toBe('Second note.');
    expect(await activationLink(stack, newAddress)).toMatch(/\/activate\//);
    expect(await customerEmail.getAttribute('aria-invalid')).toBeNull();
    expect((await requestDetails(page))['Customer e-mail']).toBe(newAddress);
    await screenshot(page, 'request-page-actions-en');

    await page.getByRole('button', { name: 'Cancel request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this request?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(newAddress);
    await dialog.getByRole('button', { name: 'Cancel request' }).click();
    await expect.poll(() => statusText(page), eventually).toContain('was cancelled');
    const cancelled = (await partner.get(request.id)).body;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', nextReminderAt: null });
    expect(await requestDetails(page)).toMatchObject({
      Status: 'Cancelled',
      'Next reminder': 'No reminder due',
    });
    expect(await activeElementId(page)).toBe('request-title');
    expect(await page.locator('#pending-actions').isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: 'Request again' }).isVisible()).toBe(true);
    const history = page.getByRole('table', { name: 'Status history' }).locator('tbody tr');
    expect(await history.allTextContents()).toHaveLength(2);
    expect(problems).toEqual([]);
  });

  it('says so politely when the customer decided meanwhile, and shows the request as it is', async () => {
    const request = await created(raceKey);
    const { page, problems } = await openConsole(browser, stack.apiUrl);
    await signIn(page, raceKey);
    await openFromList(page, request.accountDomain);

    const declined = await postDecision(await activationLink(stack, request.customerEmail), {
      decision: 'decline',
      reason: 'We chose another partner.',
    });
    expect(declined.status).toBe(200);
    await page.getByRole('button', { name: 'Resend the activation e-mail' }).click();
    await expect
      .poll(() => alertText(page), eventually)
      .toBe('The request is no longer pending: it is Declined now. This page shows it as it is.');
    const details = await requestDetails(page);
    expect(details.Status).toBe('Declined');
    expect(details["Customer's reason for declining"]).toBe('“We chose another partner.”');
    expect(details.Closed).not.toBe('—');
    expect(await page.locator('#pending-actions').isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: 'Request again' }).isVisible()).toBe(true);
    // The button used is gone; focus is not left on the document.
    expect(await activeElementId(page)).toBe('request-title');
    expect(problems).toEqual([]);
  });

  it('"request again" opens the form filled in from a closed request, for review', async () => {
    const domain = uniqueDomain('again');
    const request = await created(againKey, {
      accountName: 'Again BV',
      accountDomain: domain,
      customerEmail: `it@${domain}`,
      userEmails: [`user@${domain}`],
      noteToCustomer: 'Second try.',
      noteToUsers: 'For the team.',
      locale: 'nl',
    });
    const partner = partnerClient(stack, againKey);
    expect((await partner.cancel(request.id)).status).toBe(200);
    const { page, problems } = await openConsole(browser, stack.apiUrl);
    await signIn(page, againKey);
    await openFromList(page, domain);
    await page.getByRole('button', { name: 'Request again' }).click();

    await expect.poll(() => activeElementId(page), eventually).toBe('accountName');
    expect(new URL(page.url()).hash).toBe('#/');
    expect(await page.locator('#request-page').isHidden()).toBe(true);
    const form = page.locator('#request-form');
    expect(await form.locator('#accountName').inputValue()).toBe('Again BV');
    expect(await form.locator('#accountDomain').inputValue()).toBe(domain);
    expect(await form.locator('#customerEmail').inputValue()).toBe(`it@${domain}`);
    expect(await form.locator('#userEmails').inputValue()).toBe(`user@${domain}`);
    expect(await form.locator('#noteToCustomer').inputValue()).toBe('Second try.');
    expect(await form.locator('#noteToUsers').inputValue()).toBe('For the team.');
    expect(await form.locator('#locale').inputValue()).toBe('nl');
    expect(await page.locator('#confirmation').textContent()).toContain(
      `filled in from the request for Again BV (${domain})`,
    );

    // Nothing is sent until the partner reviews and confirms.
    expect((await partner.list('?limit=10')).body.items).toHaveLength(1);
    await page.getByRole('button', { name: 'Review request' }).click();
    const review = page.getByRole('dialog', { name: 'Review request' });
    await review.getByRole('button', { name: 'Confirm and create' }).click();
    await page.locator('#confirmation').getByText('Provisional Smart Account created').waitFor();
    const items = (await partner.list('?limit=10')).body.items;
    expect(items.map((item: { status: string }) => item.status)).toEqual([
      'PENDING_ACTIVATION',
      'CANCELLED',
    ]);
    expect(items[0]).toMatchObject({ accountDomain: domain, noteToUsers: 'For the team.' });

    // Back returns to the closed request's page.
    await page.goBack();
    await expect.poll(() => activeElementId(page), eventually).toBe('request-title');
    expect((await requestDetails(page)).Status).toBe('Cancelled');
    expect(problems).toEqual([]);
  });

  it("keeps every row's actions inside the list's card at 1280 x 800", async () => {
    const partner = partnerClient(stack, layoutKey);
    for (const [name, label] of [
      ['A rather long account name for a Smart Account, Incorporated BV', 'a-very-long-label'],
      ['Short BV', 'short'],
    ] as const) {
      const domain = uniqueDomain(`${label}.sub-domain-of-the-customer`);
      const response = await partner.create({
        accountName: name,
        accountDomain: domain,
        customerEmail: `it@${domain}`,
      });
      expect(response.status).toBe(202);
    }
    for (const locale of ['en-GB', 'nl-NL']) {
      const { page, problems } = await openConsole(browser, stack.apiUrl, locale, {
        viewport: { width: 1280, height: 800 },
      });
      await signIn(
        page,
        layoutKey,
        locale === 'nl-NL'
          ? { key: 'Partner-API-sleutel', button: 'Aanmelden' }
          : { key: 'Partner API key', button: 'Sign in' },
      );
      await expect.poll(() => page.locator('#requests-body button').count(), eventually).toBe(4);
      const overflow = await page.evaluate(() => {
        const card = document.getElementById('requests')?.getBoundingClientRect();
        if (!card) return ['no card'];
        return [...document.querySelectorAll('#requests-body tr')].flatMap((row) =>
          [...row.querySelectorAll('button, a')].flatMap((control) => {
            const box = control.getBoundingClientRect();
            const inside =
              box.left >= card.left &&
              box.right <= card.right &&
              box.top >= card.top &&
              box.bottom <= card.bottom;
            return inside ? [] : [`${control.textContent} at ${box.left}-${box.right}`];
          }),
        );
      });
      expect(overflow).toEqual([]);
      await screenshot(page, `list-1280-${locale}`);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  it('speaks Dutch on the request page after switching language', async () => {
    const request = await created(dutchKey, { accountName: 'Taal BV' });
    const { page, problems } = await openConsole(browser, stack.apiUrl);
    await signIn(page, dutchKey);
    await openFromList(page, request.accountDomain);
    await page.getByLabel('Language', { exact: true }).selectOption('nl');

    await page
      .getByRole('heading', { name: `Aanvraag voor Taal BV (${request.accountDomain})` })
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
    expect(await page.title()).toContain('Aanvraag voor Taal BV');
    const details = await requestDetails(page);
    expect(Object.keys(details)).toEqual(
      expect.arrayContaining(['Aanvraag-ID', 'Aangemaakt', 'Verloopt', 'Herinneringen verstuurd']),
    );
    expect(details.Status).toBe('Wacht op acceptatie');
    expect(details['Volgende herinnering']).toMatch(/\d{4}/);
    expect(details.Geactiveerd).toBe('—');
    const history = page.getByRole('table', { name: 'Statusgeschiedenis' });
    expect(await history.getByRole('columnheader').allTextContents()).toEqual(['Status', 'Sinds']);
    await page.getByRole('button', { name: 'Activeringsmail opnieuw sturen' }).waitFor();
    expect(await page.locator('#extend-date-hint').textContent()).toMatch(/^Van .+ tot en met /);
    expect(await page.getByLabel('Nieuwe verloopdatum').count()).toBe(1);
    expect(await page.locator('#edit-form').getByLabel('E-mailadres van de klant').count()).toBe(1);
    await page.getByRole('link', { name: 'Terug naar uw aanvragen' }).waitFor();
    await screenshot(page, 'request-page-nl');
    expect(problems).toEqual([]);
  });
});
