import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../functions/messages/locale.ts';
import type { RunningStack } from '../../local/stack.ts';
import {
  executionStatus,
  type PartnerClient,
  partnerClient,
  startTestStack,
} from '../support/local-stack.ts';
import {
  createPending,
  decide,
  executionEnded,
  expectPageHeaders,
  fetchPage,
  formsOf,
  mailbox,
  mailsAbout,
  PARTNER_EMAIL,
  postDecision,
  sleep,
} from './customer-support.ts';

/**
 * The customer's side on the local stack: the activation page, activate, decline, cancel,
 * resend, and the e-mails each outcome sends (read from aws-ses-v2-local's store).
 */
let stack: RunningStack;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack({ activationTimeoutSeconds: 3600 });
  partner = partnerClient(stack, stack.partnerKeys[0]);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the activation page', () => {
  it('shows the account, the requesting partner, the note and the expiry with two POST forms', async () => {
    const request = await createPending(stack, partner, {
      noteToCustomer: 'Please activate before Friday.',
    });

    const page = await fetchPage(request.link);

    expect(page.status).toBe(200);
    expectPageHeaders(page);
    expect(page.html).toContain('Acme BV');
    expect(page.html).toContain(request.resource.accountDomain);
    expect(page.html).toContain('Local Partner 1');
    expect(page.html).toContain('Please activate before Friday.');
    expect(page.html).toContain(formatDateTime(request.resource.expiresAt, 'en'));
    const forms = formsOf(page.html);
    expect(forms.map((form) => form.decision)).toEqual(['activate', 'decline']);
    for (const form of forms) {
      expect(form.action).toBe(new URL(request.link).pathname);
      expect(form.csrf).not.toBe('');
    }
    expect(page.html.match(/<form method="post"/g)).toHaveLength(2);
    expect(page.html).not.toMatch(/<script/i);
  });

  it('changes nothing when the link is fetched with GET or HEAD, as mail scanners do', async () => {
    const request = await createPending(stack, partner);

    for (let i = 0; i < 3; i++) expect((await fetchPage(request.link)).status).toBe(200);
    const head = await fetchPage(request.link, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.html).toBe('');
    expectPageHeaders(head);
    await sleep(300);

    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
    expect(await executionStatus(stack, request.id)).toBe('RUNNING');
    expect(await mailbox(stack, request.id)).toEqual({
      [request.customerEmail]: [expect.stringMatching(/^Please activate/)],
    });
  });

  it('is localized in Dutch for a request in nl', async () => {
    const request = await createPending(stack, partner, { locale: 'nl' });

    const page = await fetchPage(request.link);

    expect(page.status).toBe(200);
    expect(page.html).toContain('lang="nl"');
    expect(page.html).toContain(formatDateTime(request.resource.expiresAt, 'nl'));
  });
});

describe('activating', () => {
  it('activates the account and mails the partner and every user exactly once', async () => {
    const request = await createPending(stack, partner);

    const result = await decide(request.link, 'activate');

    expect(result.status).toBe(200);
    expectPageHeaders(result);
    expect(result.html).toContain('Smart Account activated');
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    const resource = (await partner.get(request.id)).body;
    expect(resource.status).toBe('ACTIVE');
    expect(Date.parse(resource.activatedAt)).toBeGreaterThanOrEqual(Date.parse(resource.createdAt));
    expect(resource.history.map((change: { status: string }) => change.status)).toEqual([
      'PENDING_ACTIVATION',
      'ACTIVE',
    ]);
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    expect(mails[PARTNER_EMAIL]).toEqual([expect.stringMatching(/^Smart Account activated: /)]);
    for (const user of request.userEmails) {
      expect(mails[user]).toEqual([expect.stringMatching(/^You now have access/)]);
    }
    expect(mails[request.customerEmail]).toHaveLength(1);
    expect(Object.keys(mails)).toHaveLength(2 + request.userEmails.length);
  });

  it('says the account is already active when the customer activates again, and mails nobody', async () => {
    const request = await createPending(stack, partner);
    expect((await decide(request.link, 'activate')).status).toBe(200);
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    await sleep(100);
    const before = await mailsAbout(stack, request.id);

    const again = await decide(request.link, 'activate');
    const declineAfter = await decide(request.link, 'decline');

    for (const page of [again, declineAfter]) {
      expect(page.status).toBe(200);
      expect(page.html).toContain('Already activated');
    }
    const shown = await fetchPage(request.link);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('Already activated');
    expect(formsOf(shown.html)).toEqual([]);
    await sleep(300);
    expect(await mailsAbout(stack, request.id)).toHaveLength(before.length);
    expect((await partner.get(request.id)).body.status).toBe('ACTIVE');
  });

  it('activates once when ten activations arrive at the same time', async () => {
    const request = await createPending(stack, partner);
    const csrf = formsOf((await fetchPage(request.link)).html)[0]?.csrf ?? '';

    const pages = await Promise.all(
      Array.from({ length: 10 }, () => postDecision(request.link, { decision: 'activate', csrf })),
    );

    expect(pages.map((page) => page.status)).toEqual(Array(10).fill(200));
    expect(pages.filter((page) => page.html.includes('Smart Account activated'))).toHaveLength(1);
    expect(pages.filter((page) => page.html.includes('Already activated'))).toHaveLength(9);
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    expect((await partner.get(request.id)).body.status).toBe('ACTIVE');
    await sleep(300);
    const mails = await mailbox(stack, request.id);
    expect(mails[PARTNER_EMAIL]).toHaveLength(1);
    for (const user of request.userEmails) expect(mails[user]).toHaveLength(1);
  });

  it('ends with exactly one outcome when activate and decline race', async () => {
    const request = await createPending(stack, partner);
    const csrf = formsOf((await fetchPage(request.link)).html)[0]?.csrf ?? '';

    const pages = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        postDecision(request.link, { decision: i % 2 ? 'decline' : 'activate', csrf }),
      ),
    );

    expect(pages.map((page) => page.status)).toEqual(Array(8).fill(200));
    const decided = pages.filter(
      (page) =>
        page.html.includes('Smart Account activated') || page.html.includes('Request declined'),
    );
    expect(decided).toHaveLength(1);
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    const status = (await partner.get(request.id)).body.status;
    await sleep(300);
    const partnerMails = (await mailbox(stack, request.id))[PARTNER_EMAIL] ?? [];
    if (status === 'ACTIVE') {
      expect(decided[0]?.html).toContain('Smart Account activated');
      expect(partnerMails).toEqual([expect.stringMatching(/^Smart Account activated/)]);
    } else {
      expect(status).toBe('DECLINED');
      expect(decided[0]?.html).toContain('Request declined');
      expect(partnerMails).toEqual([expect.stringMatching(/^Smart Account request declined/)]);
    }
  });
});

describe('declining', () => {
  it('declines the request and tells only the partner, once', async () => {
    const request = await createPending(stack, partner);

    const result = await decide(request.link, 'decline');

    expect(result.status).toBe(200);
    expect(result.html).toContain('Request declined');
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    const resource = (await partner.get(request.id)).body;
    expect(resource.status).toBe('DECLINED');
    expect(resource.activatedAt).toBeNull();
    expect(resource.closedAt).not.toBeNull();
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    expect(mails[PARTNER_EMAIL]).toEqual([
      expect.stringMatching(/^Smart Account request declined: /),
    ]);
    for (const user of request.userEmails) expect(mails[user]).toBeUndefined();
    expect(mails[request.customerEmail]).toHaveLength(1);

    const again = await decide(request.link, 'activate');
    expect(again.html).toContain('Already declined');
    expect((await partner.get(request.id)).body.status).toBe('DECLINED');
  });

  it('lets the partner request the same domain again after a decline', async () => {
    const request = await createPending(stack, partner);
    await decide(request.link, 'decline');
    await executionEnded(stack, request.id);

    const again = await partner.create({
      accountName: 'Acme BV',
      accountDomain: request.resource.accountDomain,
      customerEmail: request.customerEmail,
    });

    expect(again.status).toBe(202);
  });
});

describe('cancelling', () => {
  it('withdraws the request, mails the customer once, and the link then says so', async () => {
    const request = await createPending(stack, partner);
    const csrf = formsOf((await fetchPage(request.link)).html)[0]?.csrf ?? '';

    const cancelled = await partner.cancel(request.id);

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    expect(mails[request.customerEmail]).toEqual([
      expect.stringMatching(/^Please activate/),
      expect.stringMatching(/^Smart Account request withdrawn: /),
    ]);
    expect(mails[PARTNER_EMAIL]).toBeUndefined();

    const shown = await fetchPage(request.link);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('Request withdrawn');
    expect(formsOf(shown.html)).toEqual([]);
    const late = await postDecision(request.link, { decision: 'activate', csrf });
    expect(late.html).toContain('Request withdrawn');
    expect((await partner.get(request.id)).body.status).toBe('CANCELLED');
    expect((await partner.cancel(request.id)).status).toBe(409);
  });
});

describe('resending the activation e-mail', () => {
  it('mails the same link five times, then answers 429', async () => {
    const request = await createPending(stack, partner);

    for (let i = 0; i < 5; i++) expect((await partner.resend(request.id)).status).toBe(202);
    const sixth = await partner.resend(request.id);

    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(sixth.body).toMatchObject({ status: 429, errorId: expect.any(String) });
    const activationMails = await mailsAbout(stack, request.id, request.customerEmail);
    expect(activationMails).toHaveLength(6);
    const links = activationMails.map(
      (mail) => mail.body.text?.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/)?.[0],
    );
    expect(new Set(links)).toEqual(new Set([request.link]));
    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
  });

  it('refuses to resend for a request that is no longer pending (409)', async () => {
    const request = await createPending(stack, partner);
    await decide(request.link, 'activate');

    const resent = await partner.resend(request.id);

    expect(resent.status).toBe(409);
    expect(resent.body).toMatchObject({ status: 409, errorId: expect.any(String) });
    await executionEnded(stack, request.id);
    expect(await mailsAbout(stack, request.id, request.customerEmail)).toHaveLength(1);
  });
});

describe('cross-site and unknown links', () => {
  it('refuses a POST from another origin with 403 and changes nothing', async () => {
    const request = await createPending(stack, partner);
    const csrf = formsOf((await fetchPage(request.link)).html)[0]?.csrf ?? '';

    const result = await postDecision(
      request.link,
      { decision: 'activate', csrf },
      { Origin: 'https://evil.example' },
    );

    expect(result.status).toBe(403);
    expectPageHeaders(result);
    expect(result.html).toContain('Action not allowed');
    await sleep(200);
    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
    expect(await executionStatus(stack, request.id)).toBe('RUNNING');
    expect(await mailsAbout(stack, request.id)).toHaveLength(1);
  });

  it('refuses a POST without the CSRF token, with a wrong one, or with another link’s token', async () => {
    const request = await createPending(stack, partner);
    const other = await createPending(stack, partner);
    const otherCsrf = formsOf((await fetchPage(other.link)).html)[0]?.csrf ?? '';

    const pages = [
      await postDecision(request.link, { decision: 'activate' }),
      await postDecision(request.link, { decision: 'activate', csrf: 'forged' }),
      await postDecision(request.link, { decision: 'activate', csrf: otherCsrf }),
    ];

    expect(pages.map((page) => page.status)).toEqual([403, 403, 403]);
    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
    expect((await partner.get(other.id)).body.status).toBe('PENDING_ACTIVATION');
  });

  it('answers an unknown activation code with a 404 page, for GET and POST', async () => {
    const unknown = `${stack.apiUrl}/activate/${'A'.repeat(43)}`;

    const shown = await fetchPage(unknown);
    const posted = await postDecision(unknown, { decision: 'activate', csrf: 'x' });

    expect(shown.status).toBe(404);
    expectPageHeaders(shown);
    expect(shown.html).toContain('Link not found');
    expect(posted.status).toBe(404);
  });

  it('does not accept a decision other than activate or decline', async () => {
    const request = await createPending(stack, partner);
    const csrf = formsOf((await fetchPage(request.link)).html)[0]?.csrf ?? '';

    const result = await postDecision(request.link, { decision: 'delete', csrf });

    expect(result.status).toBe(400);
    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
  });
});
