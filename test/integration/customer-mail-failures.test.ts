import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../local/lambda-context.ts';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide, fetchPage } from '../support/customer.ts';
import {
  describeExecution,
  type PartnerClient,
  partnerClient,
  sleep,
  startTestStack,
  statusBecomes,
  validRequest,
} from '../support/local-stack.ts';
import { executionEnded, mailbox, PARTNER_EMAIL } from './customer-support.ts';

/**
 * When the activation e-mail cannot reach the customer: SES refuses it outright, or it bounces
 * later (the SES event arrives through EventBridge at events/ses-feedback).
 */
const UNREACHABLE = `nobody-${process.pid}@suppressed.example`;

let stack: RunningStack;
let partner: PartnerClient;
let sesFeedback: (event: unknown) => Promise<{ failed: boolean }>;

beforeAll(async () => {
  stack = await startTestStack({ activationTimeoutSeconds: 3600, faults: true });
  // SES refuses a suppressed address for good: every mail to it is answered MessageRejected.
  stack.faults?.inject({
    service: 'ses',
    operation: 'SendEmail',
    when: (body) =>
      JSON.stringify((body.Destination as { ToAddresses?: string[] })?.ToAddresses ?? []).includes(
        UNREACHABLE,
      ),
    times: Number.POSITIVE_INFINITY,
    action: { kind: 'error', name: 'MessageRejected', status: 400 },
  });
  partner = partnerClient(stack, stack.partnerKeys[0]);
  // The stack runs in this process; the handler reads the environment the stack just set.
  const feedback = await import('../../functions/events/ses-feedback.ts');
  sesFeedback = (event) => feedback.handler(event, lambdaContext('events-ses-feedback'));
});

afterAll(async () => {
  await stack?.stop();
});

/** An SES event as EventBridge delivers it from the configuration set's event destination. */
const sesEvent = (
  requestId: string,
  detail: { eventType: 'Bounce' | 'Complaint'; bounceType?: string; purpose?: string },
) => ({
  version: '0',
  id: 'b1f2c3d4-0000-0000-0000-000000000000',
  'detail-type': `Email ${detail.eventType === 'Bounce' ? 'Bounced' : 'Complaint Received'}`,
  source: 'aws.ses',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: [],
  detail: {
    eventType: detail.eventType,
    ...(detail.eventType === 'Bounce'
      ? {
          bounce: {
            bounceType: detail.bounceType ?? 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [{ emailAddress: 'it@customer.example' }],
            timestamp: new Date().toISOString(),
            feedbackId: 'feedback-1',
          },
        }
      : { complaint: { complainedRecipients: [{ emailAddress: 'it@customer.example' }] } }),
    mail: {
      timestamp: new Date().toISOString(),
      source: 'no-reply@smart-accounts.local.example',
      messageId: 'message-1',
      destination: ['it@customer.example'],
      tags: {
        requestId: [requestId],
        purpose: [detail.purpose ?? 'activation'],
        'ses:configuration-set': ['smart-account-requests'],
      },
    },
  },
});

describe('when SES refuses the activation e-mail', () => {
  it('fails the request and tells the partner, without waiting for the timeout', async () => {
    const created = await partner.create(validRequest({ customerEmail: UNREACHABLE }));
    expect(created.status).toBe(202);
    const id: string = created.body.id;

    const failed = await statusBecomes(partner, id, 'FAILED');

    expect(failed.closedAt).not.toBeNull();
    expect(await executionEnded(stack, id)).toBe('FAILED');
    expect((await describeExecution(stack, id)).error).toBe('RequestFailed');
    await sleep(200);
    const mails = await mailbox(stack, id);
    expect(mails).toEqual({
      [PARTNER_EMAIL]: [expect.stringMatching(/^Smart Account request failed/)],
    });
    expect((await mailbox(stack, id))[UNREACHABLE]).toBeUndefined();
  });

  it('lets the partner request the domain again after the failure', async () => {
    const body = validRequest({ customerEmail: UNREACHABLE });
    const created = await partner.create(body);
    await statusBecomes(partner, created.body.id, 'FAILED');

    const again = await partner.create({ ...body, customerEmail: `it@${body.accountDomain}` });

    expect(again.status).toBe(202);
  });
});

describe('when SES refuses an outcome e-mail', () => {
  it('still activates and mails everyone else when one user address is refused', async () => {
    const body = validRequest();
    const users = [`a@${body.accountDomain}`, UNREACHABLE, `c@${body.accountDomain}`];
    const request = await createPending(stack, partner, { ...body, userEmails: users });

    expect((await decide(request, 'activate')).status).toBe(200);

    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    expect((await partner.get(request.id)).body.status).toBe('ACTIVE');
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    expect(mails[PARTNER_EMAIL]).toEqual([expect.stringMatching(/^Smart Account activated/)]);
    expect(mails[`a@${body.accountDomain}`]).toHaveLength(1);
    expect(mails[`c@${body.accountDomain}`]).toHaveLength(1);
    expect(mails[UNREACHABLE]).toBeUndefined();
  });
});

describe('when the activation e-mail bounces', () => {
  it('fails the request on a permanent bounce, tells the partner once, and ends the execution as failed', async () => {
    const request = await createPending(stack, partner);

    const result = await sesFeedback(sesEvent(request.id, { eventType: 'Bounce' }));

    expect(result).toEqual({ failed: true });
    expect(await executionEnded(stack, request.id)).toBe('FAILED');
    const resource = (await partner.get(request.id)).body;
    expect(resource.status).toBe('FAILED');
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    expect(mails[PARTNER_EMAIL]).toEqual([expect.stringMatching(/^Smart Account request failed/)]);
    expect(mails[request.customerEmail]).toHaveLength(1);
    const page = await fetchPage(request.link);
    expect(page.status).toBe(410);
    expect(page.html).toContain('Request stopped');
  });

  it('does the same on a complaint about the activation e-mail', async () => {
    const request = await createPending(stack, partner);

    const result = await sesFeedback(sesEvent(request.id, { eventType: 'Complaint' }));

    expect(result).toEqual({ failed: true });
    expect(await executionEnded(stack, request.id)).toBe('FAILED');
    expect((await partner.get(request.id)).body.status).toBe('FAILED');
  });

  it('keeps waiting after a transient bounce or a bounce of another e-mail', async () => {
    const request = await createPending(stack, partner);

    const transient = await sesFeedback(
      sesEvent(request.id, { eventType: 'Bounce', bounceType: 'Transient' }),
    );
    const otherMail = await sesFeedback(
      sesEvent(request.id, { eventType: 'Bounce', purpose: 'activated_user' }),
    );
    const malformed = await sesFeedback({ detail: { eventType: 'Delivery' } });

    expect([transient, otherMail, malformed]).toEqual(Array(3).fill({ failed: false }));
    await sleep(200);
    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
    expect((await describeExecution(stack, request.id)).status).toBe('RUNNING');
    expect((await mailbox(stack, request.id))[PARTNER_EMAIL]).toBeUndefined();
  });

  it('ignores a bounce that arrives after the customer already activated', async () => {
    const request = await createPending(stack, partner);
    expect((await decide(request, 'activate')).status).toBe(200);
    await executionEnded(stack, request.id);

    const result = await sesFeedback(sesEvent(request.id, { eventType: 'Bounce' }));

    expect(result).toEqual({ failed: false });
    expect((await partner.get(request.id)).body.status).toBe('ACTIVE');
    await sleep(200);
    expect((await mailbox(stack, request.id))[PARTNER_EMAIL]).toEqual([
      expect.stringMatching(/^Smart Account activated/),
    ]);
  });
});
