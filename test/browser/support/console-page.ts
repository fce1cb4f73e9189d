import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';

/** Helpers that drive the partner console the way a partner does: by labels and roles. */

const artifacts = new URL('../../../test-artifacts/console/', import.meta.url);

export interface OpenedConsole {
  page: Page;
  /** CSP violations and uncaught errors seen so far: the page must produce none. */
  problems: string[];
  /** The Content-Security-Policy the page was served with. */
  csp: string | undefined;
}

export interface ConsoleViewOptions {
  /** Default 1200 x 900. */
  viewport?: { width: number; height: number };
  /** The browser's time zone (IANA name); default the machine's. */
  timezoneId?: string;
}

export async function openConsole(
  browser: Browser,
  apiUrl: string,
  locale = 'en-GB',
  { viewport = { width: 1200, height: 900 }, timezoneId }: ConsoleViewOptions = {},
): Promise<OpenedConsole> {
  const context = await browser.newContext({
    locale,
    viewport,
    ...(timezoneId ? { timezoneId } : {}),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
  });
  const response = await page.goto(`${apiUrl}/`);
  return { page, problems, csp: response?.headers()['content-security-policy'] };
}

export async function signIn(
  page: Page,
  key: string,
  labels = { key: 'Partner API key', button: 'Sign in' },
) {
  await page.getByLabel(labels.key).fill(key);
  await page.getByRole('button', { name: labels.button, exact: true }).click();
  await page.locator('#workspace').waitFor();
}

export interface RequestFields {
  accountName?: string;
  customerEmail?: string;
  accountDomain?: string;
  noteToCustomer?: string;
  userEmails?: string;
  noteToUsers?: string;
  locale?: 'en' | 'nl';
}

/** Fills by element id, which is the contract's field name; labels are checked elsewhere. */
export async function fillRequest(page: Page, fields: RequestFields) {
  for (const [name, value] of Object.entries(fields)) {
    const control = page.locator(`#request-form #${name}`);
    if (name === 'locale') await control.selectOption(value);
    else await control.fill(value);
  }
}

export const activeElementId = (page: Page) =>
  page.evaluate(() => document.activeElement?.id ?? '');

export const isFocusInOpenDialog = (page: Page) =>
  page.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')));

export const rowFor = (page: Page, domain: string) =>
  page.locator('#requests-body tr', {
    has: page.locator('td', { hasText: new RegExp(`^${domain.replace(/\./g, '\\.')}$`) }),
  });

export async function screenshot(page: Page, name: string) {
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, artifacts).pathname, fullPage: true });
}

/** The request page's fields as the partner reads them: each term with its description. */
export const requestDetails = (page: Page): Promise<Record<string, string>> =>
  page.locator('#request-details').evaluate((list) => {
    const details: Record<string, string> = {};
    for (const term of list.querySelectorAll('dt')) {
      // A list of addresses reads one per line.
      const description = term.nextElementSibling;
      const items = [...(description?.querySelectorAll('li') ?? [])];
      details[term.textContent ?? ''] = items.length
        ? items.map((item) => item.textContent).join('\n')
        : (description?.textContent ?? '');
    }
    return details;
  });

/** Whether the focused element matches `selector`. */
export const focusIsOn = (page: Page, selector: string) =>
  page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector);
