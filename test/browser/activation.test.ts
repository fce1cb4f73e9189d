import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import { createPending } from '../support/customer.ts';
import { mailTo, partnerClient, startTestStack, waitFor } from '../support/local-stack.ts';
import { launchChromium } from './support/chromium.ts';

/** A real browser (Debian's Chromium, headless) follows the link from the e-mail and activates. */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

let stack: RunningStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startTestStack({ activationTimeoutSeconds: 3600 }),
    launchChromium(),
  ]);
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the customer in a browser', () => {
  it('opens the link from the e-mail, clicks Activate and sees the success page', async () => {
    const partner = partnerClient(stack, stack.partnerKeys[0]);
    const { id, body, link } = await createPending(stack, partner, {
      noteToCustomer: 'Hi <b>there</b> & welcome',
    });
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));

    await page.goto(link);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Activate your Smart Account');
    expect(await page.getByText('Hi <b>there</b> & welcome').count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}activation-page.png`, fullPage: true });
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Activate Smart Account' }).click(),
    ]);

    await page.getByRole('heading', { name: 'Smart Account activated' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(new URL(link).pathname);
    await page.screenshot({ path: `${ARTIFACTS}activation-success.png`, fullPage: true });
    expect(problems).toEqual([]);
    expect((await partner.get(id)).body.status).toBe('ACTIVE');
    const confirmations = await waitFor(
      async () =>
        (await mailTo(stack, 'partner-1@local.example')).filter((mail) =>
          mail.subject.includes(body.accountDomain),
        ),
      'the partner confirmation',
    );
    expect(confirmations).toHaveLength(1);
    await page.close();
  });

  it('declines with a reason typed into the labelled field, using the keyboard only', async () => {
    const partner = partnerClient(stack, stack.partnerKeys[0]);
    const { id, body, link } = await createPending(stack, partner);
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(link);

    // The field is found by its label, as a screen reader announces it, with its hint.
    const reason = page.getByLabel('Reason for declining (optional)');
    expect(await reason.getAttribute('maxlength')).toBe('500');
    const hint = await page
      .locator(`#${await reason.getAttribute('aria-describedby')}`)
      .textContent();
    expect(hint).toMatch(/receives these words by e-mail/);
    await reason.focus();
    await page.keyboard.type('Wrong <company> & "division"');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Decline request');
    await page.screenshot({ path: `${ARTIFACTS}activation-decline-reason.png`, fullPage: true });
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.getByRole('heading', { name: 'Request declined' }).waitFor();

    expect((await partner.get(id)).body).toMatchObject({
      status: 'DECLINED',
      declineReason: 'Wrong <company> & "division"',
    });
    const [declined] = await waitFor(
      async () =>
        (await mailTo(stack, 'partner-1@local.example')).filter((mail) =>
          mail.subject.includes(body.accountDomain),
        ),
      'the decline e-mail',
    );
    expect(declined?.body.html).toContain('Wrong &lt;company&gt; &amp; &quot;division&quot;');
    await page.close();
  });

  it('refuses the decision when another site submits the form', async () => {
    const partner = partnerClient(stack, stack.partnerKeys[0]);
    const { id, link } = await createPending(stack, partner);
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    // The very form our page posts, with the real link, from another site: the browser's
    // Origin and Sec-Fetch-Site give it away.
    await page.route('http://evil.example/', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<form method="post" action="${link}"><input type="hidden" name="decision" value="activate"><button>Win a prize</button></form>`,
      }),
    );
    await page.goto('http://evil.example/');

    await Promise.all([page.waitForURL(link), page.getByRole('button').click()]);

    await page.getByRole('heading', { name: 'Action not allowed' }).waitFor();
    expect((await partner.get(id)).body.status).toBe('PENDING_ACTIVATION');
    await page.close();
  });
});
