import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../../functions/messages/locale.ts';
import {
  type ActivationPageInput,
  contentSecurityPolicy,
  type HtmlResponse,
  pageCss,
  pageHeaders,
  ResultPage,
  renderActivationPage,
  renderResultPage,
  resultPageStatus,
} from '../../../functions/messages/pages.ts';
import { ATTRIBUTE_BREAKOUT, eventHandlerTags, SCRIPT, tagNames, urlsIn } from './fixtures.ts';

const LOCALES: readonly Locale[] = ['en', 'nl'];
const RESULT_KINDS = Object.values(ResultPage);

const activationInput: ActivationPageInput = {
  locale: 'en',
  accountName: 'Acme BV',
  accountDomain: 'acme.example',
  partnerName: 'Reseller One',
  noteToCustomer: 'Hello,\nplease activate this.',
  userEmails: ['a@acme.example'],
  expiresAt: '2027-02-23T10:00:00.000Z',
  actionPath: '/activate/q1w2e3r4t5y6u7i8o9p0aA',
};

const hostileActivationInput: ActivationPageInput = {
  ...activationInput,
  accountName: `${SCRIPT}\r\nAcme`,
  accountDomain: ATTRIBUTE_BREAKOUT,
  partnerName: `O'Brien & "Partners" ${ATTRIBUTE_BREAKOUT}`,
  noteToCustomer: `</blockquote>${SCRIPT}\r\n<form action="https://evil.example">`,
  userEmails: [`${SCRIPT}@acme.example`],
};

const PAGE_TAGS = new Set([
  'label',
  'textarea',
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'main',
  'h1',
  'h2',
  'p',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'blockquote',
  'br',
  'ul',
  'li',
  'div',
  'form',
  'input',
  'button',
  'section',
  'code',
]);

function everyPage(): { name: string; page: HtmlResponse }[] {
  return LOCALES.flatMap((locale) => [
    { name: `activation ${locale}`, page: renderActivationPage({ ...activationInput, locale }) },
    ...RESULT_KINDS.map((kind) => ({
      name: `${kind} ${locale}`,
      page: renderResultPage(kind, {
        locale,
        accountName: 'Acme BV',
        accountDomain: 'acme.example',
      }),
    })),
  ]);
}

function countOf(markup: string, pattern: RegExp): number {
  return markup.match(new RegExp(pattern, 'g'))?.length ?? 0;
}

describe.each(everyPage())('$name page', ({ page }) => {
  it('names the account by name and domain', () => {
    expect(page.body).toContain('<dd>Acme BV</dd>');
    expect(page.body).toContain('<dd>acme.example</dd>');
  });

  it('is a small accessible document: lang, one h1, a title', () => {
    expect(page.body).toMatch(/^<!DOCTYPE html>\n<html lang="(en|nl)">/);
    expect(countOf(page.body, /<h1>/)).toBe(1);
    expect(page.body).toMatch(/<title>[^<]+ · Smart Account<\/title>/);
  });

  it('runs no script and loads nothing from anywhere', () => {
    expect(tagNames(page.body).has('script')).toBe(false);
    expect(eventHandlerTags(page.body)).toEqual([]);
    expect(urlsIn(page.body)).toEqual([]);
    expect(page.body).not.toMatch(/\ssrc=|<link|url\(|@import/i);
  });

  it('has no style attribute, which the CSP would block', () => {
    expect(page.body).not.toMatch(/\sstyle=/);
  });

  it('embeds exactly the stylesheet whose hash the CSP allows', () => {
    const styles = Array.from(page.body.matchAll(/<style>([\s\S]*?)<\/style>/g), (m) => m[1] ?? '');
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] ?? '', 'utf8')
      .digest('base64');
    expect(page.headers['Content-Security-Policy']).toContain(`style-src 'sha256-${hash}'`);
  });

  it('is sent with the security headers', () => {
    expect(page.headers).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': contentSecurityPolicy,
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
  });
});

describe('contentSecurityPolicy', () => {
  it('allows nothing but the hashed stylesheet and same-origin form posts', () => {
    const hash = createHash('sha256').update(pageCss, 'utf8').digest('base64');
    expect(contentSecurityPolicy).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
  });

  it('is shared, frozen, and copied into each response', () => {
    const page = renderResultPage(ResultPage.ACTIVATED, { locale: 'en' });
    page.headers['X-Test'] = '1';
    expect(pageHeaders).not.toHaveProperty('X-Test');
    expect(Object.isFrozen(pageHeaders)).toBe(true);
  });
});

describe('activation page', () => {
  it('shows partner, note, users and expiry', () => {
    const { statusCode, body } = renderActivationPage(activationInput);
    expect(statusCode).toBe(200);
    expect(body).toContain('<dd>Reseller One</dd>');
    expect(body).toContain('<blockquote>Hello,<br>please activate this.</blockquote>');
    expect(body).toContain('<li>a@acme.example</li>');
    expect(body).toContain('<dd>23 February 2027 at 10:00 UTC</dd>');
  });

  it('has two forms posting their decision to the given path, the decline one with an optional reason', () => {
    const { body } = renderActivationPage(activationInput);
    const forms = Array.from(
      body.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g),
    );
    expect(forms.map((form) => form[1])).toEqual([
      activationInput.actionPath,
      activationInput.actionPath,
    ]);
    const fieldsOf = (form: string) =>
      Array.from(form.matchAll(/<(?:input|textarea) [^>]*>/g), ([input]) => input);
    expect(fieldsOf(forms[0]?.[2] ?? '')).toEqual([
      '<input type="hidden" name="decision" value="activate">',
    ]);
    expect(fieldsOf(forms[1]?.[2] ?? '')).toEqual([
      '<input type="hidden" name="decision" value="decline">',
      '<textarea id="decline-reason" name="reason" rows="3" maxlength="500" aria-describedby="decline-reason-hint">',
    ]);
    // Labelled, and the hint says who reads the reason.
    expect(forms[1]?.[2]).toContain(
      '<label for="decline-reason">Reason for declining (optional)</label>',
    );
    expect(forms[1]?.[2]).toMatch(
      /<p id="decline-reason-hint" class="muted">Reseller One receives these words by e-mail/,
    );
    expect(forms[0]?.[2]).toContain(
      '<button type="submit" class="primary">Activate Smart Account</button>',
    );
    expect(forms[1]?.[2]).toContain(
      '<button type="submit" class="secondary">Decline request</button>',
    );
    expect(body).toContain('role="group" aria-label="Your decision"');
  });

  it('is in Dutch for nl', () => {
    const { body } = renderActivationPage({ ...activationInput, locale: 'nl' });
    expect(body).toContain('<h1>Activeer uw Smart Account</h1>');
    expect(body).toContain('>Smart Account activeren</button>');
    expect(body).toContain('>Aanvraag weigeren</button>');
    expect(body).toContain('<dd>23 februari 2027 om 10:00 UTC</dd>');
    expect(body).toContain('<figcaption>Bericht van Reseller One</figcaption>');
  });

  it.each(LOCALES)('escapes every hostile value (%s)', (locale) => {
    const { body } = renderActivationPage({ ...hostileActivationInput, locale });
    expect([...tagNames(body)].filter((tag) => !PAGE_TAGS.has(tag))).toEqual([]);
    expect(countOf(body, /<form /)).toBe(2);
    expect(eventHandlerTags(body)).toEqual([]);
    expect(body).toContain('<dd>&lt;script&gt;alert(1)&lt;/script&gt; Acme</dd>');
    expect(body).toContain('<dd>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</dd>');
    expect(body).toContain('O&#39;Brien &amp; &quot;Partners&quot;');
    expect(body).toContain('&lt;/blockquote&gt;&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;form');
    expect(body).not.toContain(ATTRIBUTE_BREAKOUT);
  });

  it('leaves out note and users when there are none', () => {
    const { body } = renderActivationPage({
      ...activationInput,
      noteToCustomer: null,
      userEmails: [],
    });
    expect(body).not.toContain('<blockquote>');
    expect(body).not.toContain('<ul>');
  });

  it.each([
    '//evil.example/activate/x',
    'https://evil.example/x',
    'javascript:alert(1)',
    '/a b',
    '/\\evil',
  ])('refuses the form action %s', (actionPath) => {
    expect(() => renderActivationPage({ ...activationInput, actionPath })).toThrow(TypeError);
  });
});

describe('result pages', () => {
  it('serve the contract status codes', () => {
    expect(resultPageStatus).toEqual({
      ACTIVATED: 200,
      DECLINED: 200,
      ALREADY_ACTIVE: 200,
      ALREADY_DECLINED: 200,
      CANCELLED: 200,
      EXPIRED: 410,
      FAILED: 410,
      NOT_FOUND: 404,
      FORBIDDEN: 403,
      INVALID_REQUEST: 400,
      TOO_MANY_ATTEMPTS: 429,
      ERROR: 500,
    });
    expect(renderResultPage(ResultPage.EXPIRED, { locale: 'nl' }).statusCode).toBe(410);
    expect(renderResultPage(ResultPage.ERROR, { statusCode: 503 }).statusCode).toBe(503);
  });

  it.each(RESULT_KINDS)('%s has its own English and Dutch title', (kind) => {
    const en = renderResultPage(kind, { locale: 'en' }).body.match(/<h1>(.*)<\/h1>/)?.[1];
    const nl = renderResultPage(kind, { locale: 'nl' }).body.match(/<h1>(.*)<\/h1>/)?.[1];
    expect(en).toBeTruthy();
    expect(nl).toBeTruthy();
    expect(nl).not.toBe(en);
  });

  it('says what already happened on a repeated decision', () => {
    expect(renderResultPage(ResultPage.ALREADY_ACTIVE, { locale: 'en' }).body).toContain(
      '<h1>Already activated</h1>',
    );
    expect(renderResultPage(ResultPage.ALREADY_DECLINED, { locale: 'nl' }).body).toContain(
      '<h1>Al geweigerd</h1>',
    );
  });

  it('is English with a Dutch section when the locale is unknown', () => {
    const { statusCode, body } = renderResultPage(ResultPage.NOT_FOUND);
    expect(statusCode).toBe(404);
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('<h1>Link not found</h1>');
    expect(body).toContain('<section class="translation" lang="nl">\n<h2>Link niet gevonden</h2>');
    expect(countOf(body, /<h1>/)).toBe(1);
  });

  it('has no second language when the locale is known', () => {
    expect(renderResultPage(ResultPage.NOT_FOUND, { locale: 'nl' }).body).not.toContain(
      'class="translation"',
    );
  });

  it('shows the error id, escaped, so support can trace it', () => {
    const { statusCode, body } = renderResultPage(ResultPage.ERROR, {
      locale: 'nl',
      errorId: `err_123${SCRIPT}`,
    });
    expect(statusCode).toBe(500);
    expect(body).toContain(
      '<p>Foutcode: <code>err_123&lt;script&gt;alert(1)&lt;/script&gt;</code></p>',
    );
  });

  it('tells a client when to retry after too many attempts', () => {
    const page = renderResultPage(ResultPage.TOO_MANY_ATTEMPTS, {
      locale: 'en',
      retryAfterSeconds: 59.2,
    });
    expect(page.statusCode).toBe(429);
    expect(page.headers['Retry-After']).toBe('60');
    expect(renderResultPage(ResultPage.FORBIDDEN).headers).not.toHaveProperty('Retry-After');
  });

  it('escapes a hostile account name and domain', () => {
    const { body } = renderResultPage(ResultPage.ACTIVATED, {
      locale: 'en',
      accountName: SCRIPT,
      accountDomain: ATTRIBUTE_BREAKOUT,
    });
    expect([...tagNames(body)].filter((tag) => !PAGE_TAGS.has(tag))).toEqual([]);
    expect(body).toContain('<dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>');
  });
});
