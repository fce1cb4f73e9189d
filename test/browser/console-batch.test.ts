import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Papa } from '../../functions/console/assets/batch-csv.js';
import { type RunningStack, startStack } from '../../local/stack.ts';
import { partnerClient } from '../support/local-stack.ts';
import { launchChromium } from './support/chromium.ts';
import {
  activeElementId,
  type OpenedConsole,
  openConsole,
  rowFor,
  screenshot,
  signIn,
} from './support/console-page.ts';

/** The console's CSV upload (`#/batch`): preview through the dry run, create, results download. */

// One partner per test, so each test counts only its own requests.
const keys = Array.from({ length: 3 }, () => randomBytes(24).toString('base64url'));
const [uploadKey, refusedKey, dutchKey] = keys as [string, string, string];

const papa = createRequire(import.meta.url)('papaparse') as Papa;

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

const uniqueDomain = (label: string) => `${label}-${randomBytes(4).toString('hex')}.example`;

/** Signs in and opens the upload page from the console's navigation. */
async function openUpload(key: string): Promise<OpenedConsole> {
  const opened = await openConsole(browser, stack.apiUrl);
  await signIn(opened.page, key);
  await opened.page.getByRole('navigation').getByRole('link', { name: 'Upload a CSV' }).click();
  await expect.poll(() => activeElementId(opened.page), eventually).toBe('batch-title');
  return opened;
}

const upload = (page: Page, name: string, csv: string) =>
  page.getByLabel('CSV file').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });

/** The preview's row for a CSV row number: its result cell's text and the values marked bad. */
async function previewRow(page: Page, number: number) {
  const row = page.locator(`#batch-body tr[data-row="${number}"]`);
  return {
    result: (await row.locator('.batch-result').textContent()) ?? '',
    bad: await row.locator('td.bad').allTextContents(),
  };
}

const summary = (page: Page) => page.locator('#batch-summary').textContent();

describe('the CSV upload of the partner console', () => {
  it('previews every row through the dry run, creates only the ready ones once even when an answer is lost, and downloads the results', async () => {
    const { page, problems } = await openUpload(uploadKey);
    const partner = partnerClient(stack, uploadKey);
    expect(
      await page.getByRole('link', { name: 'Upload a CSV' }).getAttribute('aria-current'),
    ).toBe('page');
    const [first, second, third, badAddress, noName] = ['one', 'two', 'three', 'four', 'five'].map(
      uniqueDomain,
    ) as [string, string, string, string, string];
    const csv = [
      'accountName,accountDomain,customerEmail,userEmails,noteToCustomer,locale',
      `One BV,${first},it@${first},a@${first}; b@${first},=HYPERLINK("x"),en`,
      `Two BV,${second},it@${second},,,nl`,
      `Four BV,${badAddress},not-an-address,,,`,
      '',
      `,${noName},it@${noName},,,`,
      `"Three, the company",${third},it@${third},,,`,
    ].join('\n');

    await upload(page, 'customers.csv', csv);

    await expect
      .poll(() => summary(page), eventually)
      .toBe('Rows checked: 5. Ready to create: 3. With errors: 2.');
    expect(await activeElementId(page)).toBe('batch-rows-title');
    expect(await page.locator('#batch-rows-title').textContent()).toBe('Rows of customers.csv');
    expect(await previewRow(page, 2)).toEqual({ result: 'Ready', bad: [] });
    expect(await previewRow(page, 4)).toEqual({
      result: 'ErrorsCustomer e-mail: Not a valid e-mail address.',
      bad: ['not-an-address'],
    });
    expect(await previewRow(page, 6)).toEqual({
      result: 'ErrorsAccount name: Required, 1-100 characters.',
      bad: [''],
    });
    expect(await previewRow(page, 7)).toEqual({ result: 'Ready', bad: [] });
    expect(await page.locator('#batch-submit-note').textContent()).toMatch(
      /^Only the rows marked Ready are created/,
    );
    await screenshot(page, 'batch-preview');
    // The preview was a dry run.
    expect((await partner.list()).body.items).toEqual([]);

    // The first answer is lost on its way back: the requests exist, the page does not know.
    const keysSent: string[] = [];
    await page.route('**/v1/smart-account-requests/batch', async (route) => {
      keysSent.push(route.request().headers()['idempotency-key'] ?? '');
      if (keysSent.length === 1) {
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await page.getByRole('button', { name: 'Create 3 requests' }).click();
    await expect
      .poll(() => page.locator('#batch-alert').textContent(), eventually)
      .toMatch(/could not be reached[\s\S]*not created twice/);
    expect((await partner.list()).body.items).toHaveLength(3);

    // Trying again (a double click, even) replays the first answer instead of creating again.
    await page.getByRole('button', { name: 'Try again: create the remaining requests' }).dblclick();
    await expect.poll(() => summary(page), eventually).toBe('Created: 3. Not created: 2.');
    expect(await activeElementId(page)).toBe('batch-rows-title');
    expect(await page.locator('#batch-rows-title').textContent()).toBe('Results for customers.csv');
    expect(keysSent).toHaveLength(2);
    expect(keysSent[1]).toBe(keysSent[0]);
    expect(keysSent[0]).toMatch(/^[0-9a-f-]{36}$/);

    const stored = (await partner.list()).body.items as {
      id: string;
      accountName: string;
      accountDomain: string;
      userEmails: string[];
      locale: string;
    }[];
    expect(stored.map((request) => request.accountDomain).sort()).toEqual(
      [first, second, third].sort(),
    );
    const byDomain = new Map(stored.map((request) => [request.accountDomain, request]));
    expect(byDomain.get(first)?.userEmails).toEqual([`a@${first}`, `b@${first}`]);
    expect(byDomain.get(second)?.locale).toBe('nl');
    expect(byDomain.get(third)?.accountName).toBe('Three, the company');

    const created = page.locator('#batch-body tr[data-row="2"] a');
    expect(await created.getAttribute('href')).toBe(`#/requests/${byDomain.get(first)?.id}`);
    expect(await created.textContent()).toBe('Open the request One BV');
    expect((await previewRow(page, 4)).result).toBe(
      'Not submittedCustomer e-mail: Not a valid e-mail address.',
    );
    await screenshot(page, 'batch-results');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download results (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^customers-results-\d{4}-\d{2}-\d{2}\.csv$/);
    const results = papa
      .parse(await readFile(await download.path(), 'utf8'), {})
      .data.filter((cells) => cells.join('') !== '');
    expect(results[0]).toEqual([
      'row',
      'accountName',
      'accountDomain',
      'customerEmail',
      'userEmails',
      'noteToCustomer',
      'noteToUsers',
      'locale',
      'status',
      'id',
      'error',
    ]);
    const resultRows = results.slice(1);
    expect(resultRows.map((cells) => [cells[0], cells[8], cells[9]])).toEqual([
      ['2', 'created', byDomain.get(first)?.id],
      ['3', 'created', byDomain.get(second)?.id],
      ['4', 'not_submitted', ''],
      ['6', 'not_submitted', ''],
      ['7', 'created', byDomain.get(third)?.id],
    ]);
    expect(resultRows[0]?.slice(1, 8)).toEqual([
      'One BV',
      first,
      `it@${first}`,
      `a@${first}; b@${first}`,
      // Defused: a spreadsheet shows the text instead of running the formula.
      `'=HYPERLINK("x")`,
      '',
      'en',
    ]);
    expect(resultRows[2]?.[10]).toMatch(
      /^customerEmail: Not a valid e-mail address\. \(errorId err_\w+\)$/,
    );
    expect(resultRows[3]?.[10]).toMatch(/^accountName: Required, 1-100 characters\./);

    // The list shows the new requests, and a result's link opens its request.
    await page
      .getByRole('navigation')
      .getByRole('link', { name: 'Smart Account requests' })
      .click();
    for (const domain of [first, second, third]) {
      await expect.poll(() => rowFor(page, domain).count(), eventually).toBe(1);
    }
    await page.goBack();
    await page.locator('#batch-body tr[data-row="7"] a').click();
    await expect
      .poll(() => page.locator('#request-title').textContent(), eventually)
      .toBe(`Request for Three, the company (${third})`);
    expect(problems).toEqual([]);
  });

  it('refuses a file it cannot read as requests, saying why with the rows, and sends nothing', async () => {
    const { page, problems } = await openUpload(refusedKey);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/batch')) sent.push(request.url());
    });
    const domain = uniqueDomain('refused');
    await upload(
      page,
      'wrong.csv',
      [
        'accountName,domain,customerEmail,phone',
        `Acme,${domain},it@${domain},0612345678`,
        `Beta,"${domain},it@${domain},`,
      ].join('\n'),
    );

    await expect.poll(() => activeElementId(page), eventually).toBe('batch-problems');
    expect(await page.locator('#batch-problems-title').textContent()).toBe(
      'This file cannot be uploaded',
    );
    const listed = await page.locator('#batch-problems-list li').allTextContents();
    expect(listed).toEqual([
      'Row 3: a value in double quotes is not closed properly.',
      'Unknown columns: domain, phone. The columns can be: accountName, accountDomain, customerEmail, userEmails, noteToCustomer, noteToUsers, locale.',
      'Required columns missing from the header row: accountDomain.',
    ]);
    expect(await page.locator('#batch-rows').isHidden()).toBe(true);
    expect(sent).toEqual([]);
    expect((await partnerClient(stack, refusedKey).list()).body.items).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('speaks Dutch when the partner switches the language', async () => {
    const { page, problems } = await openUpload(dutchKey);
    const domain = uniqueDomain('nl');
    await upload(
      page,
      'klanten.csv',
      `accountName,accountDomain,customerEmail\nKlant BV,${domain},it@${domain}\nFout BV,${uniqueDomain('fout')},geen-adres\n`,
    );
    await expect
      .poll(() => summary(page), eventually)
      .toBe('Rows checked: 2. Ready to create: 1. With errors: 1.');

    await page.getByLabel('Language', { exact: true }).selectOption('nl');

    expect(await page.locator('#batch-title').textContent()).toBe(
      'Veel aanvragen tegelijk uploaden',
    );
    expect(await page.locator('#batch-rows-title').textContent()).toBe('Rijen van klanten.csv');
    expect(await page.locator('#batch-table thead th').allTextContents()).toEqual([
      'Rij',
      'Resultaat',
      'Accountnaam',
      'Domein',
      'E-mail van de klant',
      'E-mailadressen van gebruikers',
      'Bericht aan de klant',
      'Bericht aan de gebruikers',
      'Taal',
    ]);
    expect(await summary(page)).toBe(
      'Rijen gecontroleerd: 2. Klaar om aan te maken: 1. Met fouten: 1.',
    );
    // The progress region is empty once the check is done: the summary says how it went.
    expect(await page.locator('#batch-status').textContent()).toBe('');
    expect((await previewRow(page, 2)).result).toBe('Klaar');
    expect((await previewRow(page, 3)).result).toMatch(/^Fouten/);
    expect(await page.getByRole('button', { name: '1 aanvraag aanmaken' }).isEnabled()).toBe(true);
    expect(await page.title()).toMatch(/^Veel aanvragen tegelijk uploaden – /);
    await screenshot(page, 'batch-preview-nl');
    expect(problems).toEqual([]);
  });
});
