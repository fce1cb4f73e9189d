import { expect } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import type { PageResponse } from '../support/customer.ts';
import { executionStatus, type SentMail, sentMail, waitFor } from '../support/local-stack.ts';

/** Helpers for the customer-side flows: the mails around the activation pages, page headers. */

export const PARTNER_EMAIL = 'partner-1@local.example';

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
