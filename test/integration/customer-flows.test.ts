import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../functions/messages/locale.ts';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide, fetchPage, formsOf, postDecision } from '../support/customer.ts';
import {
  executionStatus,
  mailTo,
  type PartnerClient,
  partnerClient,
  sleep,
  startTestStack,
} from '../support/local-stack.ts';
import {
  executionEnded,
  expectPageHeaders,
  mailbox,
  mailsAbout,
  PARTNER_EMAIL,
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
      expect(Object.keys(form.fields)).toEqual(['decision']);
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

    const result = await decide(request, 'activate');

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
    expect((await decide(request, 'activate')).status).toBe(200);
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    await sleep(100);
    const before = await mailsAbout(stack, request.id);

    const again = await decide(request, 'activate');
    const declineAfter = await decide(request, 'decline');

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

    const pages = await Promise.all(
      Array.from({ length: 10 }, () => postDecision(request.link, { decision: 'activate' })),
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

    const pages = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        postDecision(request.link, { decision: i % 2 ? 'decline' : 'activate' }),
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

    const result = await decide(request, 'decline');

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

    const again = await decide(request, 'activate');
    expect(again.html).toContain('Already declined');
    expect((await partner.get(request.id)).body.status).toBe('DECLINED');
  });

  it("keeps the customer's reason: on the resource and, escaped, in the partner's e-mail", async () => {
    const request = await createPending(stack, partner);
    const reason = '  We already have one <b>here</b> & "there"  ';

    const result = await postDecision(request.link, { decision: 'decline', reason });

    expect(result.status).toBe(200);
    expect(result.html).toContain('Request declined');
    const resource = (await partner.get(request.id)).body;
    expect(resource.declineReason).toBe('We already have one <b>here</b> & "there"');
    await executionEnded(stack, request.id);
    const [declined] = (await mailTo(stack, PARTNER_EMAIL)).filter((mail) =>
      mail.subject.includes(request.resource.accountDomain),
    );
    expect(declined?.body.text).toContain('We already have one <b>here</b> & "there"');
    expect(declined?.body.html).toContain(
      'We already have one &lt;b&gt;here&lt;/b&gt; &amp; &quot;there&quot;',
    );
  });

  it('refuses a reason over 500 characters with a 400 page and changes nothing', async () => {
    const request = await createPending(stack, partner);
    const tooLong = await postDecision(request.link, {
      decision: 'decline',
      reason: 'x'.repeat(501),
    });
    expect(tooLong.status).toBe(400);
    expect((await partner.get(request.id)).body).toMatchObject({
      status: 'PENDING_ACTIVATION',
      declineReason: null,
    });
    const longest = await postDecision(request.link, {
      decision: 'decline',
      reason: 'é'.repeat(500),
    });
    expect(longest.status).toBe(200);
    expect((await partner.get(request.id)).body.declineReason).toBe('é'.repeat(500));
  });

  it('ignores a reason sent with an activation', async () => {
    const request = await createPending(stack, partner);
    await postDecision(request.link, { decision: 'activate', reason: 'not a decline' });
    expect((await partner.get(request.id)).body).toMatchObject({
      status: 'ACTIVE',
      declineReason: null,
    });
  });

  it('lets the partner request the same domain again after a decline', async () => {
    const request = await createPending(stack, partner);
    await decide(request, 'decline');
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
    const late = await postDecision(request.link, { decision: 'activate' });
    expect(late.html).toContain('Request withdrawn');
    expect((await partner.get(request.id)).body.status).toBe('CANCELLED');
    expect((await partner.cancel(request.id)).status).toBe(409);
  });
});

describe('when the partner cancels as the customer activates', () => {
  it('ends with one outcome and only that outcome’s e-mails', async () => {
    const request = await createPending(stack, partner);

    const [cancelled, ...pages] = await Promise.all([
      partner.cancel(request.id),
      ...Array.from({ length: 4 }, () => decide(request, 'activate')),
    ]);

    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    const status = (await partner.get(request.id)).body.status;
    await sleep(300);
    const mails = await mailbox(stack, request.id);
    if (status === 'CANCELLED') {
      expect(cancelled?.status).toBe(200);
      expect(pages.every((page) => page.html.includes('Request withdrawn'))).toBe(true);
      expect(mails[request.customerEmail]).toHaveLength(2);
      expect(mails[PARTNER_EMAIL]).toBeUndefined();
    } else {
      expect(status).toBe('ACTIVE');
      expect(cancelled?.status).toBe(409);
      expect(pages.filter((page) => page.html.includes('Smart Account activated'))).toHaveLength(1);
      expect(mails[request.customerEmail]).toHaveLength(1);
      expect(mails[PARTNER_EMAIL]).toEqual([expect.stringMatching(/^Smart Account activated/)]);
    }
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
    await decide(request, 'activate');

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
    const ownOrigin = new URL(stack.apiUrl);
    const crossSite: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { Origin: `${ownOrigin.protocol}//${ownOrigin.hostname}:${Number(ownOrigin.port) + 1}` },
      { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { Origin: ownOrigin.origin, 'Sec-Fetch-Site': 'cross-site' },
    ];

    for (const headers of crossSite) {
      const result = await postDecision(request.link, { decision: 'activate' }, headers);
      expect(result.status, JSON.stringify(headers)).toBe(403);
      expectPageHeaders(result);
      expect(result.html).toContain('Action not allowed');
    }
    await sleep(200);
    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
    expect(await executionStatus(stack, request.id)).toBe('RUNNING');
    expect(await mailsAbout(stack, request.id)).toHaveLength(1);
  });

  it('accepts the form of its own page from a browser that hides the origin (no-referrer)', async () => {
    const request = await createPending(stack, partner);

    // What Chromium sends for our form under `Referrer-Policy: no-referrer`.
    const result = await postDecision(
      request.link,
      { decision: 'activate' },
      { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
    );

    expect(result.status).toBe(200);
    expect(result.html).toContain('Smart Account activated');
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
  });

  it('decides on the decision field alone: another field, such as an older page’s csrf token, changes nothing', async () => {
    const request = await createPending(stack, partner);

    const result = await postDecision(request.link, {
      decision: 'decline',
      csrf: 'forged',
      extra: 'x',
    });

    expect(result.status).toBe(200);
    expect(result.html).toContain('Request declined');
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    expect((await partner.get(request.id)).body.status).toBe('DECLINED');
  });

  it('answers an unknown activation code with a 404 page', async () => {
    const unknown = `${stack.apiUrl}/activate/${'A'.repeat(43)}`;

    const shown = await fetchPage(unknown);
    const head = await fetchPage(unknown, { method: 'HEAD' });
    const malformed = await postDecision(`${stack.apiUrl}/activate/not-a-code`, {
      decision: 'activate',
    });
    // A POST learns no more about a code than a GET does: the same 404 page.
    const posted = await postDecision(unknown, { decision: 'activate' });

    expect(shown.status).toBe(404);
    expectPageHeaders(shown);
    expect(shown.html).toContain('Link not found');
    expect(head.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(malformed.html).toContain('Link not found');
    expect(posted.status).toBe(404);
    expect(posted.html).toContain('Link not found');
  });

  it('does not accept a decision other than activate or decline', async () => {
    const request = await createPending(stack, partner);

    const result = await postDecision(request.link, { decision: 'delete' });

    expect(result.status).toBe(400);
    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
  });
});
