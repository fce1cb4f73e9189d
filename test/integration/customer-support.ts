import { expect } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import {
  activationLink,
  executionStatus,
  type PartnerClient,
  type SentMail,
  sentMail,
  validRequest,
  waitFor,
} from '../support/local-stack.ts';

/** Helpers for the customer-side flows (activation pages and the mails around them). */

export const PARTNER_EMAIL = 'partner-1@local.example';

export interface PageResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
}

export interface ActivationForm {
  readonly action: string;
  readonly decision: string;
  readonly csrf: string;
}

export interface PendingRequest {
  readonly id: string;
  // biome-ignore lint/suspicious/noExplicitAny: the resource as the API returned it
  readonly resource: any;
  readonly customerEmail: string;
  readonly userEmails: readonly string[];
  readonly link: string;
  /** The token the page's forms carry; it stays valid after the request closed. */
  readonly csrf: string;
}

const decodeEntities = (value: string): string =>
  value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** Creates a request as partner 1 and waits for the customer's activation e-mail. */
export const createPending = async (
  stack: RunningStack,
  partner: PartnerClient,
  overrides: Record<string, unknown> = {},
): Promise<PendingRequest> => {
  const body = validRequest(overrides);
  const created = await partner.create(body);
  expect(created.status, created.text).toBe(202);
  const link = await activationLink(stack, body.customerEmail);
  const csrf = await csrfOf(link);
  return {
    id: created.body.id,
    resource: created.body,
    customerEmail: body.customerEmail,
    userEmails: body.userEmails as string[],
    link,
    csrf,
  };
};

export const fetchPage = async (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<PageResponse> => {
  const response = await fetch(url, { redirect: 'manual', ...init });
  return { status: response.status, headers: response.headers, html: await response.text() };
};

/** The two forms of an activation page: where they post, their decision and CSRF token. */
export const formsOf = (html: string): ActivationForm[] =>
  [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map(([form]) => {
    const action = /action="([^"]*)"/.exec(form)?.[1] ?? '';
    const field = (name: string) =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '';
    return {
      action: decodeEntities(action),
      decision: field('decision'),
      csrf: decodeEntities(field('csrf')),
    };
  });

/** The CSRF token the activation page hands out with its forms. */
export const csrfOf = async (link: string): Promise<string> => {
  const page = await fetchPage(link);
  expect(page.status).toBe(200);
  const csrf = formsOf(page.html)[0]?.csrf;
  if (!csrf) throw new Error('The activation page has no CSRF token');
  return csrf;
};

/** Posts the customer's choice like a browser submitting the page's form. */
export const postDecision = (
  link: string,
  fields: Record<string, string>,
  headers: Record<string, string> = { Origin: new URL(link).origin },
): Promise<PageResponse> =>
  fetchPage(link, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

/** Posts `decision` for a request the way its page's form does: its token, our own Origin. */
export const decide = (
  request: Pick<PendingRequest, 'link' | 'csrf'>,
  decision: string,
): Promise<PageResponse> => postDecision(request.link, { decision, csrf: request.csrf });

/** Every e-mail about one request (the footer names its id), optionally to one address. */
export const mailsAbout = async (
  stack: RunningStack,
  requestId: string,
  to?: string,
): Promise<SentMail[]> =>
  (await sentMail(stack)).filter(
    (mail) =>
      (mail.body.text ?? '').includes(requestId) &&
      (to === undefined || mail.destination.to.includes(to)),
  );

/** Subjects of the mails about a request, per recipient, e.g. `{ 'x@y': ['Smart Account …'] }`. */
export const mailbox = async (
  stack: RunningStack,
  requestId: string,
): Promise<Record<string, string[]>> => {
  const byRecipient: Record<string, string[]> = {};
  for (const mail of await mailsAbout(stack, requestId)) {
    for (const to of mail.destination.to) {
      byRecipient[to] = [...(byRecipient[to] ?? []), mail.subject];
    }
  }
  return byRecipient;
};

/** Waits until the request's execution has ended and returns its status. */
export const executionEnded = (stack: RunningStack, requestId: string, timeoutMs = 15_000) =>
  waitFor(
    async () => {
      const status = await executionStatus(stack, requestId);
      return status !== 'RUNNING' && status;
    },
    `the execution of ${requestId} to end`,
    timeoutMs,
  );

/** Waits until the partner API reports `status` for the request. */
export const statusBecomes = (
  partner: PartnerClient,
  requestId: string,
  status: string,
  timeoutMs = 15_000,
) =>
  waitFor(
    async () => {
      const response = await partner.get(requestId);
      return response.body?.status === status && response.body;
    },
    `request ${requestId} to become ${status}`,
    timeoutMs,
  );

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Header assertions every activation page must pass. */
export const expectPageHeaders = (page: PageResponse): void => {
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('cache-control')).toBe('no-store');
};
