import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Papa } from '../../functions/console/assets/batch-csv.js';
import { EXPORT_COLUMNS } from '../../functions/console/assets/export-csv.js';
import { type RunningStack, startStack } from '../../local/stack.ts';
import { type PartnerClient, partnerClient, waitFor } from '../support/local-stack.ts';
import { launchChromium } from './support/chromium.ts';
import {
  activeElementId,
  type OpenedConsole,
  openConsole,
  screenshot,
  signIn,
} from './support/console-page.ts';

/**
 * The list's status tabs with their counts, its search (domain or customer address, expiry
 * day) kept in the URL, and its CSV export, on the local stack.
 */

// One partner whose requests every case reads, and one whose counts a case changes.
const keys = Array.from({ length: 2 }, () => randomBytes(24).toString('base64url'));
const [searchKey, countingKey] = keys as [string, string];

const papa = createRequire(import.meta.url)('papaparse') as Papa & {
  parse: (text: string, config: { header: true }) => { data: Record<string, string>[] };
};

let stack: RunningStack;
let browser: Browser;
const eventually = { timeout: 10_000, interval: 100 };

const suffix = randomBytes(4).toString('hex');
const alpha = `alpha-${suffix}.example`;
const beta = `beta-${suffix}.example`;
const gamma = `gamma-${suffix}.example`;
/** A customer with a request for alpha and one for beta. */
const buyer = `buyer-${suffix}@customer.example`;

/** The searched partner's requests, by name. */
const ids = { cancelled: '', alpha: '', beta: '', gamma: '' };

type Counts = Record<string, number>;
const countsOf = async (partner: PartnerClient): Promise<Counts> =>
  (await partner.call('GET', '/v1/smart-account-requests/counts')).body;

/** Creates a request and returns its id. */
async function create(partner: PartnerClient, accountDomain: string, customerEmail: string) {
  const created = await partner.create({
    accountName: `${accountDomain.split('-')[0]} BV`,
    accountDomain,
    customerEmail,
  });
  expect(created.status).toBe(202);
  return created.body.id as string;
}

beforeAll(async () => {
  stack = await startStack({ port: 0, sesPort: 0, partnerKeys: keys, logLevel: 'WARN' });
  browser = await launchChromium();
  const partner = partnerClient(stack, searchKey);
  ids.cancelled = await create(partner, alpha, `ops@${alpha}`);
  expect((await partner.cancel(ids.cancelled)).status).toBe(200);
  // The domain is free again once its request is cancelled.
  ids.alpha = await create(partner, alpha, buyer);
  ids.beta = await create(partner, beta, buyer);
  ids.gamma = await create(partner, gamma, `ops@${gamma}`);
  // Beta expires last: "expires before" a day between leaves it out.
  const betaNow = (await partner.get(ids.beta)).body;
  const later = new Date(Date.parse(betaNow.createdAt) + 200 * 86_400_000).toISOString();
  expect((await partner.extend(ids.beta, later)).status).toBe(200);
  // A request is counted once its execution's first step ran, a close once it settled.
  await waitFor(async () => {
    const counts = await countsOf(partner);
    return counts.PENDING_ACTIVATION === 3 && counts.CANCELLED === 1;
  }, 'the counts of the searched partner');
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Signs in to the console and waits for the list's first page. */
async function openList(key: string): Promise<OpenedConsole> {
  const opened = await openConsole(browser, stack.apiUrl);
  await signIn(opened.page, key);
  await opened.page.locator('#requests-body tr').first().waitFor();
  return opened;
}

/** The ids of the rows the list shows, in order. */
const rowIds = (page: Page) =>
  page.locator('#requests-body tr').evaluateAll((rows) => rows.map((row) => row.dataset.id));

/** The tabs' accessible names, in order. */
const tabNames = (page: Page) =>
  page
    .getByRole('tab')
    .evaluateAll((tabs) => tabs.map((tab) => tab.textContent?.replace(/\s+/g, ' ').trim()));

const search = async (page: Page, text: string) => {
  await page.getByLabel('Domain or customer e-mail').fill(text);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
};

describe('the request list of the partner console', () => {
  it('shows each status with its count as a tab, and a tab lists only its requests', async () => {
    const { page, problems } = await openList(searchKey);
    await expect
      .poll(() => tabNames(page), eventually)
      .toEqual([
        'All (4)',
        'Pending (3)',
        'Active (0)',
        'Declined (0)',
        'Cancelled (1)',
        'Expired (0)',
        'Failed (0)',
      ]);
    expect(await rowIds(page)).toEqual([ids.gamma, ids.beta, ids.alpha, ids.cancelled]);
    const all = page.getByRole('tab', { name: 'All (4)' });
    expect(await all.getAttribute('aria-selected')).toBe('true');

    await page.getByRole('tab', { name: 'Cancelled (1)' }).click();
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.cancelled]);
    expect(page.url()).toMatch(/#\/\?status=CANCELLED$/);
    const cancelledTab = page.getByRole('tab', { name: 'Cancelled (1)' });
    expect(await cancelledTab.getAttribute('aria-selected')).toBe('true');
    expect(await all.getAttribute('aria-selected')).toBe('false');
    expect(await page.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-CANCELLED');

    // Arrow keys move between the tabs (wrapping round); Enter selects the focused one.
    await cancelledTab.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await activeElementId(page)).toBe('tab-all');
    await page.keyboard.press('ArrowRight');
    expect(await activeElementId(page)).toBe('tab-PENDING_ACTIVATION');
    expect(await rowIds(page)).toEqual([ids.cancelled]);
    await page.keyboard.press('Enter');
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.gamma, ids.beta, ids.alpha]);
    await page.keyboard.press('End');
    expect(await activeElementId(page)).toBe('tab-FAILED');
    await page.keyboard.press('Space');
    await page.getByText('No requests match.').waitFor();
    await screenshot(page, 'list-tabs-empty');
    await page.getByRole('button', { name: 'Clear the filters' }).first().click();
    await expect.poll(() => rowIds(page), eventually).toHaveLength(4);
    expect(page.url()).toMatch(/#\/$/);
    expect(problems).toEqual([]);
  });

  it('searches by domain or by customer address, with a tab and an expiry day', async () => {
    const { page, problems } = await openList(searchKey);
    await search(page, alpha.toUpperCase());
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.alpha, ids.cancelled]);
    await page.getByText('The counts are of all your requests').waitFor();

    await search(page, buyer.replace('buyer', 'Buyer'));
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.beta, ids.alpha]);
    await page.getByRole('tab', { name: /^Pending/ }).click();
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.beta, ids.alpha]);
    expect(await page.getByLabel('Domain or customer e-mail').inputValue()).toBe(
      buyer.replace('buyer', 'Buyer'),
    );

    // Ordered by expiry, latest first; beta was extended past the day.
    const day = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Expires before').fill(day);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.alpha]);
    await page.getByLabel('Domain or customer e-mail').fill('');
    await page.getByRole('tab', { name: /^All/ }).click();
    await expect
      .poll(() => rowIds(page), eventually)
      .toEqual([ids.gamma, ids.alpha, ids.cancelled]);

    await search(page, beta);
    await page.getByText('No requests match.').waitFor();
    expect(await rowIds(page)).toEqual([]);
    await page
      .locator('#requests-no-match')
      .getByRole('button', { name: 'Clear the filters' })
      .click();
    await expect.poll(() => rowIds(page), eventually).toHaveLength(4);
    expect(await page.getByLabel('Expires before').inputValue()).toBe('');
    expect(await activeElementId(page)).toBe('list-search');
    expect(problems).toEqual([]);
  });

  it("shows the API's refusal of a search at the search box", async () => {
    const { page, problems } = await openList(searchKey);
    await search(page, 'not-an-address@');
    const error = page.locator('#list-search-error');
    await error.waitFor();
    expect((await error.textContent())?.trim()).not.toBe('');
    const input = page.getByLabel('Domain or customer e-mail');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toBe('list-search-hint list-search-error');
    expect(await page.locator('#requests-alert').textContent()).toContain('Error ID:');
    expect(await rowIds(page)).toEqual([]);
    expect(await page.getByText('No requests match.').isVisible()).toBe(false);
    await screenshot(page, 'list-search-error');

    await search(page, gamma);
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.gamma]);
    expect(await error.isHidden()).toBe(true);
    expect(await input.getAttribute('aria-invalid')).toBeNull();
    expect(problems).toEqual([]);
  });

  it('exports every request of the filtered list as CSV, as the API lists them', async () => {
    const { page, problems } = await openList(searchKey);
    await search(page, alpha);
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.alpha, ids.cancelled]);
    await page.getByText('at most 10,000').waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^requests-all-${alpha.replace(/\./g, '\\.')}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    await page.locator('#export-status').getByText('Exported 2 requests.').waitFor();
    const text = await readFile(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = papa.parse(text.slice(1), { header: true }).data;

    const listed = (await partnerClient(stack, searchKey).list(`?accountDomain=${alpha}&limit=100`))
      .body.items as Record<string, unknown>[];
    expect(rows.map((row) => row.id)).toEqual(await rowIds(page));
    expect(rows).toEqual(
      listed.map((request) =>
        Object.fromEntries(
          EXPORT_COLUMNS.map((column) => {
            const value = request[column];
            return [column, Array.isArray(value) ? value.join(';') : String(value ?? '')];
          }),
        ),
      ),
    );
    expect(rows.map((row) => row.status)).toEqual(['PENDING_ACTIVATION', 'CANCELLED']);
    expect(problems).toEqual([]);
  });

  it('keeps the filters in the URL: a reload and back show the same list', async () => {
    const { page, problems } = await openList(searchKey);
    await search(page, alpha);
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.alpha, ids.cancelled]);
    await page.getByRole('tab', { name: /^Cancelled/ }).click();
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.cancelled]);
    expect(new URL(page.url()).hash).toBe(`#/?status=CANCELLED&q=${alpha}`);

    await page.reload();
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.cancelled]);
    expect(await page.getByLabel('Domain or customer e-mail').inputValue()).toBe(alpha);
    expect(await page.getByRole('tab', { name: /^Cancelled/ }).getAttribute('aria-selected')).toBe(
      'true',
    );

    // A request's page and back: the list as it was, and its "back" link keeps the filters.
    await page.locator('#requests-body a.request-link').click();
    await page.getByRole('heading', { name: /^Request for/ }).waitFor();
    expect(
      await page.getByRole('link', { name: 'Back to your requests' }).getAttribute('href'),
    ).toBe(`#/?status=CANCELLED&q=${alpha}`);
    await page.goBack();
    await page.locator('#requests').waitFor();
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.cancelled]);
    expect(await page.getByLabel('Domain or customer e-mail').inputValue()).toBe(alpha);
    await page.goBack();
    await expect.poll(() => rowIds(page), eventually).toEqual([ids.alpha, ids.cancelled]);
    expect(await page.getByRole('tab', { name: /^All/ }).getAttribute('aria-selected')).toBe(
      'true',
    );
    expect(problems).toEqual([]);
  });

  it('counts a cancel made in the console without a refresh', async () => {
    const partner = partnerClient(stack, countingKey);
    const domain = `counted-${suffix}.example`;
    await create(partner, domain, `it@${domain}`);
    await waitFor(
      async () => (await countsOf(partner)).PENDING_ACTIVATION === 1,
      'the new request to be counted',
    );
    const { page, problems } = await openList(countingKey);
    await page.getByRole('tab', { name: 'Pending (1)' }).waitFor();
    await page
      .locator('#requests-body tr')
      .getByRole('button', { name: /^Cancel/ })
      .click();
    await page
      .getByRole('dialog', { name: 'Cancel this request?' })
      .getByRole('button', { name: 'Cancel request' })
      .click();
    await page.getByRole('tab', { name: 'Cancelled (1)' }).waitFor({ timeout: 10_000 });
    await page.getByRole('tab', { name: 'Pending (0)' }).waitFor();
    expect(problems).toEqual([]);
  });
});
