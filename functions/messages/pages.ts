/**
 * Renders the public activation pages. Each function returns a complete response,
 * `{ statusCode, headers, body }`, ready to return from an API Gateway proxy handler (for HEAD,
 * drop the body). Headers always include the strict CSP of `page-headers.ts`. Pure: no I/O.
 *
 * The pages run no JavaScript, so nothing ever submits by itself: a mail scanner that fetches
 * the link only ever sees the page.
 */
import { Decision } from '../domain/decision.ts';
import { multiline, singleLine } from './escape.ts';
import { html, lines, type SafeHtml, textWithLineBreaks } from './html.ts';
import { DEFAULT_LOCALE, formatDateTime, isLocale, Locale } from './locale.ts';
import { pageEn } from './locales/page-en.ts';
import { pageNl } from './locales/page-nl.ts';
import type { PageStrings } from './locales/page-strings.ts';
import { pageHeaders } from './page-headers.ts';
import { type ResultPage, resultPageStatus } from './page-kinds.ts';
import { layOutPage } from './page-layout.ts';

export { contentSecurityPolicy, pageHeaders } from './page-headers.ts';
export { ResultPage, resultPageStatus } from './page-kinds.ts';
export { pageCss } from './page-style.ts';

export interface HtmlResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The values are raw; the page escapes them. */
export interface ActivationPageInput {
  readonly locale: Locale;
  readonly accountName: string;
  readonly accountDomain: string;
  readonly partnerName: string;
  readonly noteToCustomer?: string | null;
  /** Shown so the customer knows who gets access; omitted when empty. */
  readonly userEmails?: readonly string[];
  /** ISO 8601. */
  readonly expiresAt: string;
  /** Where both forms post, as the browser sees it, e.g. `/activate/{code}` (add a stage prefix if any). */
  readonly actionPath: string;
}

export interface ResultPageInput {
  /** Without a locale (unknown code, cross-site POST) the page is English with a Dutch section. */
  readonly locale?: Locale;
  readonly accountName?: string;
  readonly accountDomain?: string;
  /** Shown so support can trace the failure. */
  readonly errorId?: string;
  /** Sets `Retry-After` (meant for TOO_MANY_ATTEMPTS). */
  readonly retryAfterSeconds?: number;
  /** Overrides the kind's status from `resultPageStatus`, e.g. 503 for an ERROR. */
  readonly statusCode?: number;
}

const STRINGS: Readonly<Record<Locale, PageStrings>> = { en: pageEn, nl: pageNl };

export { Decision };

/**
 * Names of the fields both forms post: only the decision. The code in the action path is the
 * secret, and the Origin / Sec-Fetch-Site check refuses cross-site posts
 * (functions/activation/customer-pages.ts).
 */
export const activationFormField = {
  DECISION: 'decision',
  /** Optional, with a decline only: the customer's words for the partner. */
  REASON: 'reason',
} as const;

/** The longest decline reason accepted (contract). */
export const MAX_DECLINE_REASON_LENGTH = 500;

export function renderActivationPage(input: ActivationPageInput): HtmlResponse {
  const locale = isLocale(input.locale) ? input.locale : DEFAULT_LOCALE;
  const strings = STRINGS[locale];
  const text = strings.activation;
  const partner = singleLine(input.partnerName);
  const expiry = formatDateTime(input.expiresAt, locale);
  const note = multiline(input.noteToCustomer ?? '');
  const users = (input.userEmails ?? []).map((email) => singleLine(email)).filter(Boolean);
  const action = formActionPath(input.actionPath);
  const decisionForm = (decision: Decision, label: string, style: string) =>
    html`<form method="post" action="${action}">
<input type="hidden" name="${activationFormField.DECISION}" value="${decision}">
<button type="submit" class="${style}">${label}</button>
</form>`;
  // Declining takes an optional reason; the hint says who reads it, so nobody types a secret.
  const declineForm = html`<form method="post" action="${action}" class="decline">
<input type="hidden" name="${activationFormField.DECISION}" value="${Decision.DECLINE}">
<label for="decline-reason">${text.declineReasonLabel}</label>
<p id="decline-reason-hint" class="muted">${text.declineReasonHint(partner)}</p>
<textarea id="decline-reason" name="${activationFormField.REASON}" rows="3" maxlength="${String(MAX_DECLINE_REASON_LENGTH)}" aria-describedby="decline-reason-hint"></textarea>
<button type="submit" class="secondary">${text.decline}</button>
</form>`;

  const main = lines([
    html`<h1>${text.title}</h1>`,
    html`<p>${text.intro(partner)}</p>`,
    accountDetails(strings, input.accountName, input.accountDomain, [
      [strings.labels.requestedBy, partner],
      [strings.labels.validUntil, expiry],
    ]),
    note !== '' &&
      html`<figure>
<figcaption>${text.messageFrom(partner)}</figcaption>
<blockquote>${textWithLineBreaks(note)}</blockquote>
</figure>`,
    users.length > 0 &&
      html`<h2>${text.usersHeading}</h2>
<ul>${users.map((email) => html`<li>${email}</li>`)}</ul>`,
    html`<p>${text.consequences}</p>`,
    html`<div class="actions" role="group" aria-label="${text.decisionGroup}">
${decisionForm(Decision.ACTIVATE, text.activate, 'primary')}
${declineForm}
</div>`,
    html`<p class="muted">${text.ifNothing(expiry)}</p>`,
  ]);

  return {
    statusCode: 200,
    headers: { ...pageHeaders },
    body: layOutPage({ locale, title: text.title, siteName: strings.siteName, main }),
  };
}

export function renderResultPage(kind: ResultPage, input: ResultPageInput = {}): HtmlResponse {
  const known = isLocale(input.locale) ? input.locale : undefined;
  const locale = known ?? DEFAULT_LOCALE;
  const strings = STRINGS[locale];
  const { title, message } = strings.results[kind];
  const errorId = singleLine(input.errorId ?? '');
  const hasAccount = Boolean(input.accountName || input.accountDomain);

  const main = lines([
    html`<h1>${title}</h1>`,
    html`<p>${message}</p>`,
    hasAccount && accountDetails(strings, input.accountName ?? '', input.accountDomain ?? '', []),
    errorId !== '' && html`<p>${strings.labels.errorId}: <code>${errorId}</code></p>`,
    known === undefined && translation(Locale.NL, kind),
  ]);

  const headers: Record<string, string> = { ...pageHeaders };
  if (input.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(Math.max(0, Math.ceil(input.retryAfterSeconds)));
  }
  return {
    statusCode: input.statusCode ?? resultPageStatus[kind],
    headers,
    body: layOutPage({ locale, title, siteName: strings.siteName, main }),
  };
}

/** The same outcome in a second language, for pages where the request's locale is unknown. */
function translation(locale: Locale, kind: ResultPage): SafeHtml {
  const { title, message } = STRINGS[locale].results[kind];
  return html`<section class="translation" lang="${locale}">
<h2>${title}</h2>
<p>${message}</p>
</section>`;
}

function accountDetails(
  strings: PageStrings,
  accountName: string,
  accountDomain: string,
  extra: readonly (readonly [string, string])[],
): SafeHtml {
  const rows: readonly (readonly [string, string])[] = [
    [strings.labels.accountName, singleLine(accountName)],
    [strings.labels.accountDomain, singleLine(accountDomain)],
    ...extra,
  ];
  const shown = rows.filter(([, value]) => value !== '');
  return html`<dl>
${shown.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>\n`)}</dl>`;
}

// Same-origin paths only: a scheme or a protocol-relative "//host" would send the customer's
// decision elsewhere (the CSP's form-action would block it too, but we do not rely on that).
function formActionPath(path: string): string {
  if (!/^\/(?![/\\])[^\s\\]*$/.test(path)) {
    throw new TypeError(
      `actionPath must be a same-origin absolute path, got ${JSON.stringify(path)}`,
    );
  }
  return path;
}
